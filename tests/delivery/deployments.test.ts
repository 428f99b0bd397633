import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { PROJECT_DIR } from "../../tools/harness";
import { assetText, deploymentsConfig, mainProjectCopy, ORGANIZATION, runDeployments, type DeploymentsRun, type Registered } from "./deployments-harness";

/** The deployments project under mocks: what a reviewer checks in Pulumi Cloud's settings pages. */

const SETTINGS = "pulumiservice:index:DeploymentSettings";
const DRIFT = "pulumiservice:index:DriftSchedule";
const ENVIRONMENT = "pulumiservice:index:Environment";
const STACK = "pulumiservice:index:Stack";

/** The stacks fastapi-platform ships, from its stack files, and the cloud and environment each names. */
function shippedStacks(dir = PROJECT_DIR): { stack: string; cloud: string; environment: string }[] {
    const project = parseYaml(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { config: Record<string, { default?: string }> };
    return fs.readdirSync(dir)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file))
        .filter((match): match is RegExpExecArray => match !== null && match[1] !== "pr")
        .map(([file, stack]) => {
            const config = (parseYaml(fs.readFileSync(path.join(dir, file), "utf8")) as { config: Record<string, string> }).config;
            return {
                stack,
                cloud: config["fastapi-platform:cloud"] ?? project.config.cloud.default!,
                environment: config["fastapi-platform:environment"] ?? project.config.environment.default!,
            };
        });
}

function identities(): Record<string, Record<string, Record<string, string>>> {
    return JSON.parse(deploymentsConfig()["fastapi-platform-deployments:identities"]);
}

function ofType(run: DeploymentsRun, type: string): Registered[] {
    return run.resources.filter((resource) => resource.type === type);
}

function settingsOf(run: DeploymentsRun, stack: string): Registered {
    const found = ofType(run, SETTINGS).filter((resource) => resource.inputs.stack === stack);
    assert.strictEqual(found.length, 1, `one DeploymentSettings for ${stack}`);
    return found[0];
}

function ok(run: DeploymentsRun): DeploymentsRun {
    if (run.error) throw run.error;
    return run;
}

describe("deployments project (Pulumi Deployments as code)", function () {
    this.timeout(60000);
    let real: DeploymentsRun;

    before(async () => {
        real = ok(await runDeployments());
    });

    it("declares DeploymentSettings for every stack file of fastapi-platform, sourced from the repository", () => {
        const stacks = shippedStacks();
        assert.deepStrictEqual(stacks.map((s) => s.stack).sort(), ["prod", "staging"]);
        for (const { stack } of stacks) {
            const { inputs } = settingsOf(real, stack);
            assert.strictEqual(inputs.organization, "acme");
            assert.strictEqual(inputs.project, "fastapi-platform");
            assert.strictEqual(inputs.github, undefined, "the deprecated `github` block is not used");
            assert.strictEqual(inputs.vcs.provider, "github");
            assert.strictEqual(inputs.vcs.repository, "acme/fastapi-platform");
            assert.strictEqual(typeof inputs.vcs.previewPullRequests, "boolean");
            assert.strictEqual(typeof inputs.vcs.deployCommits, "boolean");
            assert.strictEqual(inputs.vcs.pullRequestTemplate, false);
            assert.ok(inputs.vcs.paths.includes(`Pulumi.${stack}.yaml`));
            assert.ok(!inputs.vcs.paths.some((p: string) => /^Pulumi\.(?!yaml)/.test(p) && p !== `Pulumi.${stack}.yaml`), "another stack's file does not trigger this stack");
            assert.ok(inputs.vcs.paths.includes("providers/**") && inputs.vcs.paths.includes("package-lock.json"));
            assert.deepStrictEqual(inputs.sourceContext, { git: { branch: "refs/heads/main" } });
            assert.deepStrictEqual(inputs.operationContext.preRunCommands, ["npm ci --no-audit --no-fund", "npm run typecheck"]);
            assert.strictEqual(inputs.operationContext.options.skipInstallDependencies, true);
        }
    });

    it("logs each stack in by OIDC to the cloud its stack file names, with that stack's own identity", () => {
        for (const { stack, cloud } of shippedStacks()) {
            const { oidc } = settingsOf(real, stack).inputs.operationContext;
            assert.deepStrictEqual(Object.keys(oidc), [cloud], `${stack} runs on ${cloud}`);
            assert.strictEqual(oidc.aws.roleARN, identities()[stack].aws.roleArn);
            assert.strictEqual(oidc.aws.sessionName, `fastapi-platform-${stack}`);
            assert.strictEqual(oidc.aws.duration, "1h");
        }
        assert.notStrictEqual(settingsOf(real, "prod").inputs.operationContext.oidc.aws.roleARN, settingsOf(real, "staging").inputs.operationContext.oidc.aws.roleARN);
    });

    it("follows a stack to GCP or Azure when its stack file says so", async () => {
        const dir = mainProjectCopy({ staging: { "fastapi-platform:cloud": "gcp" }, prod: { "fastapi-platform:cloud": "azure" } });
        const run = ok(await runDeployments({ mainProjectDir: dir }));
        const staging = settingsOf(run, "staging").inputs.operationContext.oidc;
        const prod = settingsOf(run, "prod").inputs.operationContext.oidc;
        const ids = identities();
        assert.deepStrictEqual(staging, {
            gcp: {
                projectId: ids.staging.gcp.projectNumber,
                workloadPoolId: ids.staging.gcp.workloadPoolId,
                providerId: ids.staging.gcp.providerId,
                serviceAccount: ids.staging.gcp.serviceAccount,
                tokenLifetime: "1h",
            },
        });
        assert.deepStrictEqual(prod, { azure: ids.prod.azure });
        const prodEnv = ofType(run, ENVIRONMENT).find((resource) => resource.name === "prod-env")!;
        assert.deepStrictEqual((parseYaml(await assetText(prodEnv.inputs.yaml)) as { imports: string[] }).imports, ["fastapi-platform/azure-prod"]);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("declares the review-stack template: a pr stack whose settings every review stack copies", () => {
        const [template] = ofType(real, STACK);
        assert.deepStrictEqual(template.inputs, { organizationName: "acme", projectName: "fastapi-platform", stackName: "pr" });
        const settings = settingsOf(real, "pr");
        assert.strictEqual(settings.inputs.vcs.pullRequestTemplate, true);
        assert.strictEqual(settings.inputs.vcs.previewPullRequests, false);
        assert.strictEqual(settings.inputs.vcs.deployCommits, false);
        assert.strictEqual(settings.inputs.operationContext.options.deleteAfterDestroy, true, "a closed pull request's stack is deleted after its destroy");
        assert.deepStrictEqual(settings.inputs.operationContext.oidc, { aws: { roleARN: identities().pr.aws.roleArn, sessionName: "fastapi-platform-pr", duration: "1h" } });
        assert.ok(settings.dependencies.includes(template.urn), "settings wait for the template stack");
        assert.ok(!real.warnings.some((warning) => /Pulumi\.pr\.yaml, which does not exist yet/.test(warning)), "the template's stack file ships");
        assert.strictEqual(real.outputs!.reviewTemplate, "pr");
    });

    it("gives review stacks a TTL: the review stack's own TtlSchedule, deadline fixed at creation", async () => {
        const { reviewStackTtl } = require("../../deployments/review-ttl") as typeof import("../../deployments/review-ttl");
        const recorded: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
        await pulumi.runtime.setMocks({
            newResource: (args) => {
                recorded.push(args);
                return { id: "ttl-id", state: args.inputs };
            },
            call: (args) => args.inputs,
        }, "fastapi-platform", "pr-42", false, ORGANIZATION);
        const monitor = (require("@pulumi/pulumi/runtime/settings") as { getMonitor(): any }).getMonitor();
        let ignoreChanges: string[] = [];
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (request: any, callback: any) => {
            ignoreChanges = request.getIgnorechangesList();
            return register(request, callback);
        };
        reviewStackTtl({ ttlHours: 72, now: new Date("2026-03-01T10:00:00.000Z") });
        await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
        assert.deepStrictEqual(recorded.map((r) => [r.type, r.name]), [["pulumiservice:index:TtlSchedule", "pr-42-ttl"]]);
        assert.deepStrictEqual(recorded[0].inputs, { organization: "acme", project: "fastapi-platform", stack: "pr-42", timestamp: "2026-03-04T10:00:00Z", deleteAfterDestroy: true });
        assert.deepStrictEqual(ignoreChanges, ["timestamp"], "later commits do not push the deadline back");
        assert.throws(() => reviewStackTtl({ ttlHours: 0 }), /1 to 720/);
    });

    it("detects drift on production stacks only, after their settings exist", () => {
        const drift = ofType(real, DRIFT);
        const production = shippedStacks().filter((s) => s.environment === "production").map((s) => s.stack);
        assert.deepStrictEqual(production, ["prod"]);
        assert.deepStrictEqual(drift.map((d) => d.inputs.stack), production);
        assert.deepStrictEqual(drift[0].inputs, { organization: "acme", project: "fastapi-platform", stack: "prod", scheduleCron: "0 */6 * * *", autoRemediate: false });
        assert.ok(drift[0].dependencies.includes(settingsOf(real, "prod").urn));
        assert.ok(!ofType(real, "pulumiservice:index:TtlSchedule").some((t) => t.inputs.stack === "prod"), "no TTL anywhere near production");
    });

    it("decides drift detection by the stack's environment, not its name", async () => {
        const dir = mainProjectCopy({ staging: { "fastapi-platform:environment": "production" } });
        const run = ok(await runDeployments({ mainProjectDir: dir }));
        assert.deepStrictEqual(ofType(run, DRIFT).map((d) => d.inputs.stack).sort(), ["prod", "staging"]);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("holds each cloud's OIDC login in an ESC environment, and each stack's environment imports its cloud's", async () => {
        const environments = ofType(real, ENVIRONMENT);
        const byName = new Map(environments.map((e) => [e.inputs.name as string, e]));
        for (const [stack, clouds] of Object.entries(identities())) {
            for (const [cloud, identity] of Object.entries(clouds)) {
                const env = byName.get(`${cloud}-${stack}`);
                assert.ok(env, `ESC environment ${cloud}-${stack}`);
                assert.strictEqual(env.inputs.project, "fastapi-platform");
                const definition = parseYaml(await assetText(env.inputs.yaml)) as { values: Record<string, any> };
                const login = definition.values[cloud].login[`fn::open::${cloud}-login`];
                if (cloud === "aws") assert.deepStrictEqual(login.oidc, { roleArn: identity.roleArn, sessionName: `fastapi-platform-${stack}`, duration: "1h" });
                if (cloud === "gcp") assert.deepStrictEqual(login, { project: identity.projectNumber, oidc: { workloadPoolId: identity.workloadPoolId, providerId: identity.providerId, serviceAccount: identity.serviceAccount } });
                if (cloud === "azure") assert.deepStrictEqual(login, { ...identity, oidc: true });
                assert.ok(Object.keys(definition.values.environmentVariables).length > 0);
                assert.doesNotMatch(JSON.stringify(definition), /secretAccessKey"\s*:\s*"[^$]|clientSecret|static/, "no stored keys");
            }
        }
        for (const { stack, cloud } of shippedStacks()) {
            const env = byName.get(stack)!;
            assert.deepStrictEqual((parseYaml(await assetText(env.inputs.yaml)) as { imports: string[] }).imports, [`fastapi-platform/${cloud}-${stack}`]);
            assert.ok(env.dependencies.includes(byName.get(`${cloud}-${stack}`)!.urn));
        }
    });

    it("registers GitHub Actions as an OIDC issuer limited to this repository's environment jobs", () => {
        const [issuer] = ofType(real, "pulumiservice:index:OidcIssuer");
        assert.strictEqual(issuer.inputs.url, "https://token.actions.githubusercontent.com");
        assert.deepStrictEqual(issuer.inputs.policies[0].rules, { aud: "urn:pulumi:org:acme", sub: "repo:acme/fastapi-platform:environment:*" });
    });

    it("lets GitHub Actions drive by default; with driver pulumi-deployments, never deploys production on commit", async () => {
        for (const { stack } of shippedStacks()) {
            assert.strictEqual(settingsOf(real, stack).inputs.vcs.deployCommits, false);
            assert.strictEqual(settingsOf(real, stack).inputs.vcs.previewPullRequests, false);
        }
        const run = ok(await runDeployments({ overrides: { driver: "pulumi-deployments" } }));
        assert.deepStrictEqual(settingsOf(run, "staging").inputs.vcs, { ...settingsOf(real, "staging").inputs.vcs, previewPullRequests: true, deployCommits: true });
        assert.deepStrictEqual(settingsOf(run, "prod").inputs.vcs, { ...settingsOf(real, "prod").inputs.vcs, previewPullRequests: true, deployCommits: false });
        assert.strictEqual(settingsOf(run, "pr").inputs.vcs.deployCommits, false);
    });

    it("declares no review template with reviewStacks false, and a policy group when a pack is named", async () => {
        const run = ok(await runDeployments({ overrides: { reviewStacks: false, policyPackName: "fastapi-platform-baseline" } }));
        assert.strictEqual(ofType(run, STACK).length, 0);
        assert.ok(!ofType(run, SETTINGS).some((s) => s.inputs.stack === "pr"));
        const [group] = ofType(run, "pulumiservice:index:PolicyGroup");
        assert.strictEqual(group.inputs.mode, "preventative");
        assert.deepStrictEqual(group.inputs.stacks, [{ name: "prod", routingProject: "fastapi-platform" }, { name: "staging", routingProject: "fastapi-platform" }]);
    });

    it("rejects a missing identity for the cloud a stack names, naming the key, before any resource", async () => {
        const ids = identities();
        delete (ids.prod as Record<string, unknown>).aws;
        ids.staging.aws.roleArn = "not-an-arn";
        const run = await runDeployments({ overrides: { identities: ids, driver: "argo" } });
        assert.ok(run.error);
        assert.match(run.error.message, /identities\.prod\.aws is missing: stack prod runs on aws \(Pulumi\.prod\.yaml\)/);
        assert.match(run.error.message, /identities\.staging\.aws\.roleArn is 'not-an-arn'; expected an IAM role ARN/);
        assert.match(run.error.message, /driver is 'argo'; allowed values: github-actions, pulumi-deployments/);
        assert.strictEqual(run.resources.length, 0);
    });
});
