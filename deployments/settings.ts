import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

/**
 * The deployments project's typed settings: its own config (deployments/Pulumi.yaml declares
 * every key with type, description and default) plus the facts it reads from the fastapi-platform
 * project it configures: the stacks (every Pulumi.<stack>.yaml), the cloud each names
 * (`fastapi-platform:cloud`) and its environment (`fastapi-platform:environment`, default
 * production). Bad settings fail before any resource, with one line per problem naming the key.
 */

export const CLOUDS = ["aws", "gcp", "azure", "kubernetes"] as const;
export type Cloud = (typeof CLOUDS)[number];
/** Clouds with an OIDC login in Deployments and in ESC. */
export const OIDC_CLOUDS = ["aws", "gcp", "azure"] as const;
export type OidcCloud = (typeof OIDC_CLOUDS)[number];

export const DRIVERS = ["github-actions", "pulumi-deployments"] as const;
export type Driver = (typeof DRIVERS)[number];

export interface AwsIdentity {
    /** IAM role that trusts Pulumi Cloud's OIDC provider (api.pulumi.com/oidc). */
    roleArn: string;
}
export interface GcpIdentity {
    /** Numeric project number that holds the workload identity pool. */
    projectNumber: string;
    workloadPoolId: string;
    providerId: string;
    /** Service account the pool's principals impersonate. */
    serviceAccount: string;
}
export interface AzureIdentity {
    /** Application (client) id of the app registration with a federated credential for Pulumi Cloud. */
    clientId: string;
    tenantId: string;
    subscriptionId: string;
}
export interface StackIdentity {
    aws?: AwsIdentity;
    gcp?: GcpIdentity;
    azure?: AzureIdentity;
}

/** What the fastapi-platform project says about one of its stacks. */
export interface StackFacts {
    stack: string;
    cloud: Cloud;
    environment: "staging" | "production";
    /** The stack file, relative to the main project directory. */
    stackFile: string;
}

export interface DeliverySettings {
    /** Pulumi organization of the fastapi-platform stacks. */
    organization: string;
    /** fastapi-platform's project name (from its Pulumi.yaml). */
    project: string;
    repository: string;
    branch: string;
    repoDir: string;
    driver: Driver;
    /** The stacks with a Pulumi.<stack>.yaml, the review template excluded. */
    stacks: StackFacts[];
    /** The review-stack template, when review stacks are on. */
    reviewTemplate?: StackFacts & { hasStackFile: boolean };
    driftScheduleCron: string;
    driftAutoRemediate: boolean;
    executorImage: string;
    oidcSessionDuration: string;
    githubOidcIssuer: boolean;
    policyPackName: string;
    identities: Record<string, StackIdentity>;
}

/** Config as the engine hands it over: every value a string, arrays and objects as JSON. */
export type RawConfig = (key: string) => string | undefined;

export class SettingsError extends Error {
    constructor(readonly problems: string[]) {
        super(`fastapi-platform-deployments configuration is invalid:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
        this.name = "SettingsError";
    }
}

const CONFIG_NAMESPACE = "fastapi-platform-deployments";
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;
const DURATION = /^(\d+h)?(\d+m)?(\d+s)?$/;
const CRON = /^\S+( \S+){4}$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const IDENTITY_FIELDS: Record<OidcCloud, Record<string, { pattern: RegExp; hint: string }>> = {
    aws: {
        roleArn: { pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, hint: "an IAM role ARN such as arn:aws:iam::123456789012:role/deploy" },
    },
    gcp: {
        projectNumber: { pattern: /^\d{6,20}$/, hint: "the numeric project number (not the project id)" },
        workloadPoolId: { pattern: /^[a-z0-9-]{4,32}$/, hint: "a workload identity pool id" },
        providerId: { pattern: /^[a-z0-9-]{4,32}$/, hint: "a workload identity pool provider id" },
        serviceAccount: { pattern: /^[a-z0-9-]+@[a-z0-9-]+\.iam\.gserviceaccount\.com$/, hint: "a service account e-mail" },
    },
    azure: {
        clientId: { pattern: GUID, hint: "a GUID" },
        tenantId: { pattern: GUID, hint: "a GUID" },
        subscriptionId: { pattern: GUID, hint: "a GUID (without /subscriptions/)" },
    },
};

/** Reads and validates the settings; `mainProjectDir` holds the fastapi-platform Pulumi.yaml. */
export function loadSettings(raw: RawConfig, mainProjectDir: string, defaultOrganization: string): DeliverySettings {
    const problems: string[] = [];
    const key = (name: string) => `${CONFIG_NAMESPACE}:${name}`;
    const text = (name: string, fallback: string) => raw(key(name)) ?? fallback;
    const bool = (name: string, fallback: boolean) => {
        const value = raw(key(name));
        if (value === undefined) return fallback;
        if (value === "true" || value === "false") return value === "true";
        problems.push(`${key(name)} is '${value}'; expected true or false`);
        return fallback;
    };

    const repository = text("repository", "acme/fastapi-platform");
    if (!REPOSITORY.test(repository)) problems.push(`${key("repository")} is '${repository}'; expected owner/name of a GitHub repository`);
    const branch = text("branch", "main");
    if (branch === "" || /\s/.test(branch) || branch.startsWith("refs/")) problems.push(`${key("branch")} is '${branch}'; expected a branch name such as main`);
    const repoDir = text("repoDir", "").replace(/^\.\/?/, "").replace(/\/$/, "");
    if (repoDir.split("/").includes("..") || path.isAbsolute(repoDir)) problems.push(`${key("repoDir")} is '${repoDir}'; expected a path inside the repository`);
    const driver = text("driver", "github-actions") as Driver;
    if (!DRIVERS.includes(driver)) problems.push(`${key("driver")} is '${driver}'; allowed values: ${DRIVERS.join(", ")}`);
    const driftScheduleCron = text("driftScheduleCron", "0 */6 * * *");
    if (!CRON.test(driftScheduleCron)) problems.push(`${key("driftScheduleCron")} is '${driftScheduleCron}'; expected a five-field cron expression`);
    const oidcSessionDuration = text("oidcSessionDuration", "1h");
    if (oidcSessionDuration === "" || !DURATION.test(oidcSessionDuration)) problems.push(`${key("oidcSessionDuration")} is '${oidcSessionDuration}'; expected a duration such as 1h or 45m`);
    const reviewTemplateName = text("reviewTemplateStack", "pr");
    if (!STACK_NAME.test(reviewTemplateName)) problems.push(`${key("reviewTemplateStack")} is '${reviewTemplateName}'; expected a stack name`);

    const main = readMainProject(mainProjectDir, problems);
    const identities = parseIdentities(raw(key("identities")), key("identities"), problems);

    const stacks = main.stacks.filter((facts) => facts.stack !== reviewTemplateName);
    if (main.stacks.length > 0 && stacks.length === 0) problems.push(`${mainProjectDir} has no stack file besides the review template ${reviewTemplateName}`);
    let reviewTemplate: DeliverySettings["reviewTemplate"];
    if (bool("reviewStacks", true)) {
        const shipped = main.stacks.find((facts) => facts.stack === reviewTemplateName);
        reviewTemplate = shipped
            ? { ...shipped, hasStackFile: true }
            : { stack: reviewTemplateName, cloud: main.defaultCloud, environment: main.defaultEnvironment, stackFile: `Pulumi.${reviewTemplateName}.yaml`, hasStackFile: false };
    }

    for (const facts of [...stacks, ...(reviewTemplate ? [reviewTemplate] : [])]) {
        if (facts.cloud === "kubernetes") continue; // no OIDC login: the cluster's credentials come from its own ESC environment
        const identity = identities[facts.stack]?.[facts.cloud];
        if (!identity) {
            problems.push(`${key("identities")}.${facts.stack}.${facts.cloud} is missing: stack ${facts.stack} runs on ${facts.cloud} (${facts.stackFile}), so Deployments needs its OIDC identity`);
        }
    }
    // The template's identity may stay configured while review stacks are off.
    const known = [...stacks.map((facts) => facts.stack), reviewTemplateName];
    for (const stack of Object.keys(identities)) {
        if (!known.includes(stack)) problems.push(`${key("identities")}.${stack} names no stack of ${main.project} (stacks: ${known.join(", ")})`);
    }

    if (problems.length > 0) throw new SettingsError(problems);
    return {
        organization: text("organization", "") || defaultOrganization,
        project: main.project,
        repository,
        branch,
        repoDir,
        driver,
        stacks,
        reviewTemplate,
        driftScheduleCron,
        driftAutoRemediate: bool("driftAutoRemediate", false),
        executorImage: text("executorImage", ""),
        oidcSessionDuration,
        githubOidcIssuer: bool("githubOidcIssuer", true),
        policyPackName: text("policyPackName", ""),
        identities,
    };
}

interface MainProject {
    project: string;
    defaultCloud: Cloud;
    defaultEnvironment: StackFacts["environment"];
    stacks: StackFacts[];
}

/** The fastapi-platform project's name, config defaults and stacks, read from its files. */
export function readMainProject(dir: string, problems: string[] = []): MainProject {
    const projectFile = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(projectFile)) {
        problems.push(`no Pulumi.yaml in ${dir}: the deployments project must sit beside the fastapi-platform project (see repoDir)`);
        return { project: "fastapi-platform", defaultCloud: "aws", defaultEnvironment: "production", stacks: [] };
    }
    const project = parseYaml(fs.readFileSync(projectFile, "utf8")) as { name?: string; config?: Record<string, { default?: unknown }> };
    const name = project.name ?? "fastapi-platform";
    const defaultCloud = asCloud(project.config?.cloud?.default ?? "aws", `${projectFile} config.cloud.default`, problems);
    const defaultEnvironment = asEnvironment(project.config?.environment?.default ?? "production", `${projectFile} config.environment.default`, problems);
    const stacks = fs.readdirSync(dir)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file))
        .filter((match): match is RegExpExecArray => match !== null)
        .sort((a, b) => a[1].localeCompare(b[1]))
        .map(([file, stack]) => {
            const values = (parseYaml(fs.readFileSync(path.join(dir, file), "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {};
            return {
                stack,
                stackFile: file,
                cloud: asCloud(values[`${name}:cloud`] ?? defaultCloud, `${file} ${name}:cloud`, problems),
                environment: asEnvironment(values[`${name}:environment`] ?? defaultEnvironment, `${file} ${name}:environment`, problems),
            };
        });
    return { project: name, defaultCloud, defaultEnvironment, stacks };
}

function asCloud(value: unknown, where: string, problems: string[]): Cloud {
    if (CLOUDS.includes(value as Cloud)) return value as Cloud;
    problems.push(`${where} is '${String(value)}'; allowed values: ${CLOUDS.join(", ")}`);
    return "aws";
}

function asEnvironment(value: unknown, where: string, problems: string[]): StackFacts["environment"] {
    if (value === "staging" || value === "production") return value;
    problems.push(`${where} is '${String(value)}'; allowed values: staging, production`);
    return "production";
}

function parseIdentities(raw: string | undefined, at: string, problems: string[]): Record<string, StackIdentity> {
    if (raw === undefined || raw === "") return {};
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch {
        problems.push(`${at} is not an object of {<stack>: {<cloud>: {...}}}`);
        return {};
    }
    if (!isObject(parsed)) {
        problems.push(`${at} is not an object of {<stack>: {<cloud>: {...}}}`);
        return {};
    }
    const identities: Record<string, StackIdentity> = {};
    for (const [stack, clouds] of Object.entries(parsed)) {
        if (!isObject(clouds)) {
            problems.push(`${at}.${stack} must be an object with aws, gcp and/or azure`);
            continue;
        }
        const identity: Record<string, Record<string, string>> = {};
        for (const [cloud, fields] of Object.entries(clouds)) {
            const spec = IDENTITY_FIELDS[cloud as OidcCloud];
            if (!spec) {
                problems.push(`${at}.${stack}.${cloud} is not a cloud with an OIDC login; allowed: ${OIDC_CLOUDS.join(", ")}`);
                continue;
            }
            if (!isObject(fields)) {
                problems.push(`${at}.${stack}.${cloud} must be an object with ${Object.keys(spec).join(", ")}`);
                continue;
            }
            for (const field of Object.keys(fields)) {
                if (!(field in spec)) problems.push(`${at}.${stack}.${cloud}.${field} is not a known field; fields: ${Object.keys(spec).join(", ")}`);
            }
            const values: Record<string, string> = {};
            for (const [field, { pattern, hint }] of Object.entries(spec)) {
                const value = fields[field];
                if (value === undefined || value === "") problems.push(`${at}.${stack}.${cloud}.${field} is required`);
                else if (typeof value !== "string" || !pattern.test(value)) problems.push(`${at}.${stack}.${cloud}.${field} is '${String(value)}'; expected ${hint}`);
                else values[field] = value;
            }
            identity[cloud] = values;
        }
        identities[stack] = identity as StackIdentity;
    }
    return identities;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
