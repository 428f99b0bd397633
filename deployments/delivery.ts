import * as pulumi from "@pulumi/pulumi";
import * as service from "@pulumi/pulumiservice";
import type { DeliverySettings, OidcCloud, StackFacts, StackIdentity } from "./settings";

/**
 * What Pulumi Cloud needs to deliver fastapi-platform, declared with @pulumi/pulumiservice:
 *
 * - per stack, DeploymentSettings: source from the GitHub repository (`vcs`, provider github),
 *   pre-run commands that install and type-check, OIDC for the cloud the stack names;
 * - the review-stack template (a `pr` stack with `pullRequestTemplate`), whose settings every
 *   review stack copies, with `deleteAfterDestroy` so a closed pull request leaves nothing;
 * - a DriftSchedule on every production stack;
 * - per stack and cloud, an ESC environment holding that cloud's OIDC login, and per stack one
 *   environment (`<project>/<stack>`) that imports the login of the cloud the stack names;
 * - the GitHub Actions OIDC issuer, so workflows get short-lived Pulumi tokens;
 * - optionally, a policy group that enforces the published CrossGuard pack on every stack.
 */

export const INSTALL_AND_TYPECHECK = ["npm ci --no-audit --no-fund", "npm run typecheck"];
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

export interface StackDelivery {
    cloud: string;
    environment: string;
    previewPullRequests: boolean;
    deployCommits: boolean;
    driftDetection: boolean;
    escEnvironment?: string;
}

export interface DeliveryOutputs {
    organization: string;
    project: string;
    stacks: Record<string, StackDelivery>;
    reviewTemplate?: string;
    escEnvironments: pulumi.Output<string>[];
}

/** Files whose change should make Deployments act on `stack` (relative to the repository root). */
export function pathFilters(settings: DeliverySettings, stackFile: string): string[] {
    const prefix = settings.repoDir ? `${settings.repoDir}/` : "";
    const files = ["Pulumi.yaml", stackFile, "index.ts", "config/**", "components/**", "providers/**", "policy/**", "package.json", "package-lock.json", "tsconfig*.json"];
    return files.map((file) => `${prefix}${file}`);
}

/** The `operationContext.oidc` block for the cloud a stack names; undefined where there is none. */
export function oidcFor(settings: DeliverySettings, facts: StackFacts): service.types.input.OperationContextOIDCArgs | undefined {
    if (facts.cloud === "kubernetes") return undefined;
    const identity = settings.identities[facts.stack] ?? {};
    switch (facts.cloud) {
        case "aws": {
            const aws = identity.aws!;
            return { aws: { roleARN: aws.roleArn, sessionName: sessionName(settings, facts.stack), duration: settings.oidcSessionDuration } };
        }
        case "gcp": {
            const gcp = identity.gcp!;
            return {
                gcp: {
                    projectId: gcp.projectNumber,
                    workloadPoolId: gcp.workloadPoolId,
                    providerId: gcp.providerId,
                    serviceAccount: gcp.serviceAccount,
                    tokenLifetime: settings.oidcSessionDuration,
                },
            };
        }
        case "azure": {
            const azure = identity.azure!;
            return { azure: { clientId: azure.clientId, tenantId: azure.tenantId, subscriptionId: azure.subscriptionId } };
        }
    }
}

function sessionName(settings: DeliverySettings, stack: string): string {
    return `${settings.project}-${stack}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
}

/** DeploymentSettings arguments of a regular stack or of the review template. */
export function deploymentSettingsArgs(settings: DeliverySettings, facts: StackFacts, role: "stack" | "template"): service.DeploymentSettingsArgs {
    const deploymentsDrive = settings.driver === "pulumi-deployments";
    const template = role === "template";
    return {
        organization: settings.organization,
        project: settings.project,
        stack: facts.stack,
        vcs: {
            provider: "github",
            repository: settings.repository,
            // The template never previews or deploys itself; it only stamps out review stacks.
            previewPullRequests: !template && deploymentsDrive,
            // Production is never deployed on commit from here: it waits for the GitHub
            // environment's required reviewers (see .github/workflows/deploy.yml).
            deployCommits: !template && deploymentsDrive && facts.environment !== "production",
            pullRequestTemplate: template,
            paths: pathFilters(settings, facts.stackFile),
        },
        sourceContext: {
            git: { branch: `refs/heads/${settings.branch}`, ...(settings.repoDir ? { repoDir: settings.repoDir } : {}) },
        },
        operationContext: {
            preRunCommands: INSTALL_AND_TYPECHECK,
            options: {
                // preRunCommands run `npm ci` from the lockfile; the default install would repeat it.
                skipInstallDependencies: true,
                skipIntermediateDeployments: true,
                ...(template ? { deleteAfterDestroy: true } : {}),
            },
            ...(oidcFor(settings, facts) ? { oidc: oidcFor(settings, facts) } : {}),
        },
        cacheOptions: { enable: true },
        ...(settings.executorImage ? { executorContext: { executorImage: settings.executorImage } } : {}),
    };
}

/** The ESC environment definition holding one cloud's OIDC login for one stack. */
export function loginEnvironmentYaml(cloud: OidcCloud, identity: StackIdentity, settings: DeliverySettings, stack: string): string {
    const header = `# ${cloud} login of fastapi-platform stack ${stack} by OIDC (short-lived credentials; no stored keys).\n` +
        "# Managed by the fastapi-platform-deployments project: edit deployments/, not this environment.\n";
    switch (cloud) {
        case "aws": {
            const aws = identity.aws!;
            return header + toYaml({
                values: {
                    aws: { login: { "fn::open::aws-login": { oidc: { roleArn: aws.roleArn, sessionName: sessionName(settings, stack), duration: settings.oidcSessionDuration } } } },
                    environmentVariables: {
                        AWS_ACCESS_KEY_ID: "${aws.login.accessKeyId}",
                        AWS_SECRET_ACCESS_KEY: "${aws.login.secretAccessKey}",
                        AWS_SESSION_TOKEN: "${aws.login.sessionToken}",
                    },
                },
            });
        }
        case "gcp": {
            const gcp = identity.gcp!;
            return header + toYaml({
                values: {
                    gcp: {
                        login: {
                            "fn::open::gcp-login": {
                                project: gcp.projectNumber,
                                oidc: { workloadPoolId: gcp.workloadPoolId, providerId: gcp.providerId, serviceAccount: gcp.serviceAccount },
                            },
                        },
                    },
                    // gcp:project stays the stack file's project id; only the token comes from here.
                    environmentVariables: { GOOGLE_OAUTH_ACCESS_TOKEN: "${gcp.login.accessToken}" },
                },
            });
        }
        case "azure": {
            const azure = identity.azure!;
            return header + toYaml({
                values: {
                    azure: { login: { "fn::open::azure-login": { clientId: azure.clientId, tenantId: azure.tenantId, subscriptionId: azure.subscriptionId, oidc: true } } },
                    environmentVariables: {
                        ARM_USE_OIDC: "true",
                        ARM_CLIENT_ID: "${azure.login.clientId}",
                        ARM_TENANT_ID: "${azure.login.tenantId}",
                        ARM_SUBSCRIPTION_ID: "${azure.login.subscriptionId}",
                        ARM_OIDC_TOKEN: "${azure.login.oidc.token}",
                    },
                },
            });
        }
    }
}

/** Block-style YAML for the plain objects above: strings JSON-quoted (valid YAML), booleans bare. */
export function toYaml(value: Record<string, unknown>, indent = ""): string {
    return Object.entries(value).map(([key, item]) => {
        const name = /^[A-Za-z_][\w:.-]*$/.test(key) ? key : JSON.stringify(key);
        if (Array.isArray(item)) return `${indent}${name}:\n${item.map((entry) => `${indent}  - ${JSON.stringify(entry)}\n`).join("")}`;
        if (typeof item === "object" && item !== null) return `${indent}${name}:\n${toYaml(item as Record<string, unknown>, `${indent}  `)}`;
        return `${indent}${name}: ${typeof item === "string" ? JSON.stringify(item) : String(item)}\n`;
    }).join("");
}

export function createDelivery(settings: DeliverySettings): DeliveryOutputs {
    const { organization, project } = settings;
    const outputs: DeliveryOutputs = { organization, project, stacks: {}, escEnvironments: [] };

    if (settings.githubOidcIssuer) {
        new service.OidcIssuer("github-actions", {
            organization,
            name: `github-actions-${project}`,
            url: GITHUB_ACTIONS_ISSUER,
            maxExpirationSeconds: 3600,
            policies: [{
                decision: "allow",
                tokenType: "organization",
                authorizedPermissions: ["admin"],
                // Only jobs of this repository that run in a GitHub environment (preview-*,
                // staging, production) can exchange their id-token for a Pulumi token.
                rules: { aud: `urn:pulumi:org:${organization}`, sub: `repo:${settings.repository}:environment:*` },
            }],
        });
    }

    const allStacks: (StackFacts & { role: "stack" | "template" })[] = [
        ...settings.stacks.map((facts) => ({ ...facts, role: "stack" as const })),
        ...(settings.reviewTemplate ? [{ ...settings.reviewTemplate, role: "template" as const }] : []),
    ];

    for (const facts of allStacks) {
        const escEnvironment = createEscEnvironments(settings, facts, outputs);
        let dependsOn: pulumi.Resource[] = [];
        if (facts.role === "template") {
            if (!settings.reviewTemplate?.hasStackFile) {
                pulumi.log.warn(`review stacks copy the config of ${project}'s ${facts.stackFile}, which does not exist yet: add it (a small, cheap configuration) before the first pull request`);
            }
            // The template stack itself holds no resources; Deployments creates review stacks from it.
            dependsOn = [new service.Stack(`${facts.stack}-template-stack`, { organizationName: organization, projectName: project, stackName: facts.stack })];
        }
        const args = deploymentSettingsArgs(settings, facts, facts.role);
        const deploymentSettings = new service.DeploymentSettings(`${facts.stack}-settings`, args, { dependsOn });
        const drift = facts.role === "stack" && facts.environment === "production";
        if (drift) {
            new service.DriftSchedule(`${facts.stack}-drift`, {
                organization,
                project,
                stack: facts.stack,
                scheduleCron: settings.driftScheduleCron,
                autoRemediate: settings.driftAutoRemediate,
            }, { dependsOn: [deploymentSettings] });
        }
        const vcs = args.vcs as service.types.input.DeploymentSettingsVcsArgs;
        if (facts.role === "template") outputs.reviewTemplate = facts.stack;
        else {
            outputs.stacks[facts.stack] = {
                cloud: facts.cloud,
                environment: facts.environment,
                previewPullRequests: vcs.previewPullRequests === true,
                deployCommits: vcs.deployCommits === true,
                driftDetection: drift,
                escEnvironment,
            };
        }
    }

    if (settings.policyPackName) {
        new service.PolicyGroup("fastapi-platform-policy", {
            name: `${project}-baseline`,
            organizationName: organization,
            mode: "preventative",
            entityType: "stacks",
            policyPacks: [{ name: settings.policyPackName }],
            stacks: settings.stacks.map((facts) => ({ name: facts.stack, routingProject: project })),
        });
    }
    return outputs;
}

/** `<cloud>-<stack>` login environments for every configured identity, and `<stack>` importing the current one. */
function createEscEnvironments(settings: DeliverySettings, facts: StackFacts, outputs: DeliveryOutputs): string | undefined {
    const identity = settings.identities[facts.stack] ?? {};
    const logins: Partial<Record<OidcCloud, service.Environment>> = {};
    for (const cloud of Object.keys(identity) as OidcCloud[]) {
        const environment = (logins[cloud] = new service.Environment(`${cloud}-${facts.stack}-env`, {
            organization: settings.organization,
            project: settings.project,
            name: `${cloud}-${facts.stack}`,
            yaml: new pulumi.asset.StringAsset(loginEnvironmentYaml(cloud, identity, settings, facts.stack)),
        }));
        outputs.escEnvironments.push(pulumi.interpolate`${environment.project}/${environment.name}`);
    }
    if (facts.cloud === "kubernetes") {
        pulumi.log.warn(`stack ${facts.stack} runs on kubernetes: no OIDC login is declared for it; give its ESC environment the cluster's credentials`);
        return undefined;
    }
    const name = `${settings.project}/${facts.stack}`;
    const environment = new service.Environment(`${facts.stack}-env`, {
        organization: settings.organization,
        project: settings.project,
        name: facts.stack,
        yaml: new pulumi.asset.StringAsset(
            `# What fastapi-platform stack ${facts.stack} opens (Pulumi.${facts.stack}.yaml: environment: [${name}]).\n` +
            `# It runs on ${facts.cloud} (${facts.stackFile}), so it imports that cloud's login.\n` +
            toYaml({ imports: [`${settings.project}/${facts.cloud}-${facts.stack}`] }),
        ),
    }, { dependsOn: [logins[facts.cloud]!] });
    outputs.escEnvironments.push(pulumi.interpolate`${environment.project}/${environment.name}`);
    return name;
}
