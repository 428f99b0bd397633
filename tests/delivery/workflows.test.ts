import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { shippedStacks as allStackFiles } from "../../tools/deploy";
import { PROJECT_DIR } from "../../tools/harness";
import { mainProjectCopy } from "./deployments-harness";

/** The GitHub Actions workflows as GitHub reads them, checked the way a security reviewer would. */

const GITHUB_DIR = path.join(PROJECT_DIR, ".github");
const WORKFLOWS_DIR = path.join(GITHUB_DIR, "workflows");
const LOGIN_ACTION = "./.github/actions/stack-login";
/** The review-stack template is previewed and deployed by Pulumi Deployments, not by these workflows. */
const REVIEW_TEMPLATE = "pr";

interface Step {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
}
interface Job {
    name?: string;
    needs?: string | string[];
    if?: string;
    environment?: string | { name: string };
    permissions?: Record<string, string> | string;
    strategy?: { matrix?: { stack?: string[] } };
    steps: Step[];
}
interface Workflow {
    name: string;
    on: Record<string, any>;
    permissions?: Record<string, string> | string;
    jobs: Record<string, Job>;
}

function workflowFiles(): string[] {
    return fs.readdirSync(WORKFLOWS_DIR).filter((file) => /\.ya?ml$/.test(file)).map((file) => path.join(WORKFLOWS_DIR, file));
}

function actionFiles(): string[] {
    const dir = path.join(GITHUB_DIR, "actions");
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((name) => path.join(dir, name, "action.yml")).filter((file) => fs.existsSync(file)) : [];
}

function load(file: string): Workflow {
    return parseYaml(fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8")) as Workflow;
}

/** Stacks with a Pulumi.<stack>.yaml in the repository, the review template excepted. */
function shippedStacks(): string[] {
    return allStackFiles().filter((stack) => stack !== REVIEW_TEMPLATE);
}

function stepUsing(job: Job, action: string): Step | undefined {
    return job.steps.find((step) => step.uses?.split("@")[0] === action);
}

function needsOf(job: Job): string[] {
    return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

const PULUMI_ACTION = "pulumi/actions";
/** The step that posts the cost estimate on the pull request (tools/cost/pr-comment.ts writes it). */
const COST_COMMENT_STEP = "post-cost-comment";

describe("GitHub Actions workflows", () => {
    it("pin every action to a full commit SHA with its version, or to an exact version tag", () => {
        const files = [...workflowFiles(), ...actionFiles()];
        assert.ok(files.length >= 3);
        let checked = 0;
        for (const file of files) {
            const lines = fs.readFileSync(file, "utf8").split("\n");
            lines.forEach((line, index) => {
                const match = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
                if (!match) return;
                checked++;
                const [, reference, rest] = match;
                const where = `${path.relative(PROJECT_DIR, file)}:${index + 1}`;
                if (reference.startsWith("./")) {
                    assert.ok(fs.existsSync(path.join(PROJECT_DIR, reference, "action.yml")), `${where}: local action ${reference} exists`);
                    return;
                }
                const pinned = /^[\w.-]+\/[\w./-]+@([0-9a-f]{40})$/.exec(reference);
                const tagged = /^[\w.-]+\/[\w./-]+@v\d+\.\d+\.\d+$/.test(reference);
                assert.ok(pinned || tagged, `${where}: ${reference} must be pinned to a 40-hex commit SHA or an exact vX.Y.Z tag`);
                if (pinned) assert.match(rest, /^\s+#\s*v\d+\.\d+\.\d+\s*$/, `${where}: a SHA pin carries its version as a comment (# vX.Y.Z)`);
            });
        }
        assert.ok(checked >= 15, `checked ${checked} uses: lines`);
    });

    it("grant contents: read at the top and add id-token / pull-requests only to the jobs that need them", () => {
        const allowed = new Set(["contents:read", "id-token:write", "pull-requests:write"]);
        for (const file of workflowFiles()) {
            const workflow = parseYaml(fs.readFileSync(file, "utf8")) as Workflow;
            const name = path.basename(file);
            assert.deepStrictEqual(workflow.permissions, { contents: "read" }, `${name}: top-level permissions`);
            for (const [id, job] of Object.entries(workflow.jobs)) {
                if (job.permissions === undefined) continue;
                assert.strictEqual(typeof job.permissions, "object", `${name} ${id}: no read-all/write-all`);
                const granted = Object.entries(job.permissions as Record<string, string>).map(([scope, level]) => `${scope}:${level}`);
                for (const grant of granted) assert.ok(allowed.has(grant), `${name} ${id}: ${grant} is not needed`);
                assert.ok(granted.includes("contents:read"), `${name} ${id}: job permissions replace the top level, so contents: read is restated`);
                const logsIn = Boolean(stepUsing(job, LOGIN_ACTION));
                assert.strictEqual(granted.includes("id-token:write"), logsIn, `${name} ${id}: id-token: write exactly when the job logs in by OIDC`);
                const comments = stepUsing(job, PULUMI_ACTION)?.with?.["comment-on-pr"] === true || job.steps.some((step) => step.id === COST_COMMENT_STEP);
                assert.strictEqual(granted.includes("pull-requests:write"), comments, `${name} ${id}: pull-requests: write exactly when the job comments`);
            }
            for (const [id, job] of Object.entries(workflow.jobs)) {
                if (job.permissions === undefined) assert.ok(!stepUsing(job, LOGIN_ACTION), `${name} ${id}: a job that logs in declares its permissions`);
                const checkout = stepUsing(job, "actions/checkout");
                if (checkout) assert.strictEqual(checkout.with?.["persist-credentials"], false, `${name} ${id}: the checkout keeps no token`);
            }
        }
    });

    describe("on pull requests", () => {
        const workflow = load("pull-request.yml");

        it("run on pull requests to main: install, type-check and test", () => {
            assert.deepStrictEqual(workflow.on.pull_request.branches, ["main"]);
            const runs = workflow.jobs.verify.steps.map((step) => step.run).filter(Boolean);
            assert.deepStrictEqual(runs, ["npm ci --no-audit --no-fund", "npm run typecheck", "npm test"]);
        });

        it("preview every stack of the repository with the policy pack and a pull-request comment", () => {
            const preview = workflow.jobs.preview;
            assert.deepStrictEqual([...preview.strategy!.matrix!.stack!].sort(), shippedStacks(), "one matrix entry per Pulumi.<stack>.yaml");
            assert.deepStrictEqual(needsOf(preview), ["verify"]);
            const pulumi = stepUsing(preview, PULUMI_ACTION)!;
            assert.strictEqual(pulumi.with!.command, "preview");
            assert.strictEqual(pulumi.with!["comment-on-pr"], true);
            assert.strictEqual(pulumi.with!.policyPacks, "policy");
            assert.strictEqual(pulumi.with!["stack-name"], "${{ vars.PULUMI_ORG }}/${{ matrix.stack }}");
            assert.strictEqual(preview.environment, "preview-${{ matrix.stack }}", "the OIDC subject names a preview environment, not production");
            assert.match(preview.if!, /head\.repo\.full_name == github\.repository/, "forks, which get no OIDC token, are left to the offline plan");
            const login = stepUsing(preview, LOGIN_ACTION)!;
            assert.strictEqual(login.with!.stack, "${{ matrix.stack }}");
            const order = preview.steps.map((step) => step.uses?.split("@")[0] ?? step.run);
            assert.ok(order.indexOf("npm ci --no-audit --no-fund") < order.indexOf(LOGIN_ACTION) && order.indexOf(LOGIN_ACTION) < order.indexOf(PULUMI_ACTION));
        });

        it("plan every stack offline as a fallback that needs no cloud credentials", () => {
            const plan = workflow.jobs["offline-plan"];
            assert.deepStrictEqual([...plan.strategy!.matrix!.stack!].sort(), shippedStacks());
            assert.strictEqual(plan.permissions, undefined, "top-level contents: read only");
            assert.strictEqual(plan.environment, undefined);
            assert.strictEqual(plan.if, undefined, "runs for forks too");
            assert.ok(!stepUsing(plan, LOGIN_ACTION) && !stepUsing(plan, PULUMI_ACTION));
            const run = plan.steps.map((step) => step.run ?? "").join("\n");
            assert.match(run, /npm run --silent plan -- "\$STACK"/);
            assert.strictEqual(plan.steps.find((step) => step.run?.includes("plan --"))!.env!.STACK, "${{ matrix.stack }}");
        });
    });

    describe("the cost estimate on pull requests", () => {
        const job = load("pull-request.yml").jobs["cost-estimate"];
        const runs = () => job.steps.map((step) => step.run ?? "").join("\n");

        it("plans every stack on the base branch's checkout and on the pull request's, then compares them", () => {
            assert.ok(job, "a cost-estimate job");
            assert.deepStrictEqual(needsOf(job), ["verify"]);
            const stacks = (job as Job & { env?: Record<string, string> }).env!.STACKS.split(/\s+/).sort();
            assert.deepStrictEqual(stacks, shippedStacks(), "STACKS names every Pulumi.<stack>.yaml");
            const checkouts = job.steps.filter((step) => step.uses?.split("@")[0] === "actions/checkout");
            assert.strictEqual(checkouts.length, 2);
            assert.strictEqual(checkouts[1].with!.ref, "${{ github.event.pull_request.base.sha }}");
            assert.strictEqual(checkouts[1].with!.path, "base");
            const basePlan = job.steps.find((step) => (step as Step & { "working-directory"?: string })["working-directory"] === "base")!;
            assert.match(basePlan.run!, /npm ci --no-audit --no-fund/, "the base branch plans with its own dependencies");
            assert.match(basePlan.run!, /npm run --silent plan -- "\$stack"/);
            assert.match(runs(), /tools\/cost\/pr-comment\.ts --base base --head \. \$STACKS > cost-comment\.md/);
            assert.match(runs(), /cat cost-comment\.md >> "\$GITHUB_STEP_SUMMARY"/, "forks still see the estimate in the job summary");
        });

        it("posts one comment per pull request and updates it, only where the token may write", () => {
            const { COMMENT_MARKER } = require("../../tools/cost/pr-comment") as { COMMENT_MARKER: string };
            const post = job.steps.find((step) => step.id === COST_COMMENT_STEP)!;
            assert.match(post.if!, /head\.repo\.full_name == github\.repository/);
            assert.ok(post.run!.includes(`startswith("${COMMENT_MARKER}")`), "finds its own earlier comment by the marker pr-comment.ts writes");
            assert.match(post.run!, /-X PATCH .*-F body=@cost-comment\.md/);
            assert.match(post.run!, /-X POST .*-F body=@cost-comment\.md/);
            assert.strictEqual(post.env!.GH_TOKEN, "${{ github.token }}", "the job's own token, no stored secret");
            assert.deepStrictEqual(job.permissions, { contents: "read", "pull-requests": "write" });
        });
    });

    describe("on push to main", () => {
        const workflow = load("deploy.yml");

        it("deploy staging, then production behind the production environment's reviewers", () => {
            assert.deepStrictEqual(workflow.on.push.branches, ["main"]);
            assert.strictEqual(Object.keys(workflow.on).length, 1, "no other trigger can reach production");
            const { staging, production } = workflow.jobs;
            assert.strictEqual(staging.environment, "staging");
            assert.strictEqual(production.environment, "production");
            assert.ok(needsOf(staging).includes("verify"));
            assert.ok(needsOf(production).includes("staging"), "production waits for staging");
            assert.match(production.if!, /needs\.staging\.result == 'success'/);
            assert.doesNotMatch(production.if!, /always\(\)/, "a failed staging stops production");
            for (const [job, stack] of [[staging, "staging"], [production, "prod"]] as const) {
                const pulumi = stepUsing(job, PULUMI_ACTION)!;
                assert.strictEqual(pulumi.with!.command, "up");
                assert.strictEqual(pulumi.with!["stack-name"], `\${{ vars.PULUMI_ORG }}/${stack}`);
                assert.strictEqual(pulumi.with!.policyPacks, "policy");
                assert.strictEqual(stepUsing(job, LOGIN_ACTION)!.with!.stack, stack);
            }
            const concurrency = (workflow as unknown as { concurrency: { "cancel-in-progress": boolean } }).concurrency;
            assert.strictEqual(concurrency["cancel-in-progress"], false, "a later merge never cancels a running update");
        });

        it("deploy every stack of the repository", () => {
            const deployed = Object.values(workflow.jobs).map((job) => stepUsing(job, LOGIN_ACTION)?.with?.stack).filter(Boolean).sort();
            assert.deepStrictEqual(deployed, shippedStacks());
        });
    });

    describe("the release path", () => {
        const BUILDX = "docker/setup-buildx-action";
        const pulumiJobs = () => ["pull-request.yml", "deploy.yml"].flatMap((file) =>
            Object.entries(load(file).jobs).filter(([, job]) => stepUsing(job, PULUMI_ACTION)).map(([id, job]) => ({ file, id, job })));

        it("run Node 22 LTS everywhere (Node 20 is past its end of life)", () => {
            for (const file of ["pull-request.yml", "deploy.yml"]) {
                const workflow = load(file) as Workflow & { env: Record<string, string> };
                assert.strictEqual(String(workflow.env.NODE_VERSION), "22", file);
                for (const [id, job] of Object.entries(workflow.jobs)) {
                    const setup = stepUsing(job, "actions/setup-node");
                    if (setup) assert.strictEqual(setup.with!["node-version"], "${{ env.NODE_VERSION }}", `${file} ${id}`);
                }
            }
        });

        it("pass each stack's environment policy config with the policy pack, as the README says", () => {
            const jobs = pulumiJobs();
            assert.strictEqual(jobs.length, 3);
            for (const { file, id, job } of jobs) {
                const pulumi = stepUsing(job, PULUMI_ACTION)!;
                assert.strictEqual(pulumi.with!.policyPacks, "policy", `${file} ${id}`);
                assert.strictEqual(pulumi.with!.policyPackConfigs, "policy/config/${{ steps.login.outputs.environment }}.json", `${file} ${id}`);
                assert.strictEqual(job.steps.find((step) => step.uses === LOGIN_ACTION)!.id, "login", `${file} ${id}: the login step is the one the config path reads`);
            }
            for (const environment of ["staging", "production"]) assert.ok(fs.existsSync(path.join(PROJECT_DIR, "policy", "config", `${environment}.json`)));
        });

        it("build the image in the pull request's preview without pushing, and build, push, migrate and roll on merge", () => {
            for (const { file, id, job } of pulumiJobs()) {
                const order = job.steps.map((step) => step.uses?.split("@")[0] ?? step.run);
                const login = job.steps.find((step) => step.run?.includes("registry-login.js"));
                assert.ok(order.indexOf(BUILDX) >= 0 && order.indexOf(BUILDX) < order.indexOf(PULUMI_ACTION), `${file} ${id}: buildx before pulumi`);
                if (file === "pull-request.yml") {
                    assert.strictEqual(stepUsing(job, PULUMI_ACTION)!.with!.command, "preview");
                    assert.strictEqual(login, undefined, "a preview never logs in to a registry, so it cannot push");
                } else {
                    assert.strictEqual(stepUsing(job, PULUMI_ACTION)!.with!.command, "up");
                    assert.ok(login && order.indexOf(login.run) < order.indexOf(PULUMI_ACTION), `${file} ${id}: Docker logs in to the registry before up pushes`);
                    assert.strictEqual(login.env!.STACK, stepUsing(job, LOGIN_ACTION)!.with!.stack);
                }
            }
        });

        it("registry-login.js logs Docker in with the cloud CLI's token only for stacks that build", () => {
            const { registryLogin } = require("../../.github/scripts/registry-login.js") as {
                registryLogin(stack: string, dir: string, run: (argv: string[]) => string): string[][];
            };
            const ran: string[][] = [];
            const fake = (argv: string[]) => (ran.push(argv), argv[0] === "aws" ? "123456789012" : "fastapiplatformstagingacr1234");
            assert.deepStrictEqual(registryLogin("staging", PROJECT_DIR, fake), [], "a prebuilt image pushes nothing");
            const build = { "fastapi-platform:image": "", "fastapi-platform:build": { context: "app" } };
            const dir = mainProjectCopy({ staging: build, prod: { ...build, "fastapi-platform:cloud": "gcp" } }, { review: { ...build, "fastapi-platform:cloud": "azure", "azure-native:location": "westeurope" } });
            try {
                const [aws] = registryLogin("staging", dir, fake);
                assert.deepStrictEqual(aws.slice(-2), ["eu-west-1", "123456789012.dkr.ecr.eu-west-1.amazonaws.com"]);
                assert.match(aws[2], /aws ecr get-login-password --region "\$1" \| docker login --username AWS --password-stdin "\$2"/);
                assert.deepStrictEqual(registryLogin("prod", dir, fake), [["gcloud", "auth", "configure-docker", "europe-west1-docker.pkg.dev", "--quiet"]]);
                assert.deepStrictEqual(registryLogin("review", dir, fake), [["az", "acr", "login", "--name", "fastapiplatformstagingacr1234"]]);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("the stack-login action", () => {
        const action = parseYaml(fs.readFileSync(path.join(GITHUB_DIR, "actions", "stack-login", "action.yml"), "utf8")) as { runs: { steps: Step[] } };
        const steps = action.runs.steps;
        const using = (name: string) => steps.find((step) => step.uses?.startsWith(`${name}@`))!;

        it("reads the cloud from the stack file, then logs in by OIDC to Pulumi Cloud and to that cloud only", () => {
            assert.match(steps[0].run!, /node \.github\/scripts\/stack-facts\.js "\$STACK"/);
            assert.strictEqual(using("pulumi/auth-actions").with!["requested-token-type"], "urn:pulumi:token-type:access_token:organization");
            const aws = using("aws-actions/configure-aws-credentials");
            assert.strictEqual(aws.if, "steps.facts.outputs.cloud == 'aws'");
            assert.deepStrictEqual(Object.keys(aws.with!).sort(), ["aws-region", "role-session-name", "role-to-assume"]);
            const gcp = using("google-github-actions/auth");
            assert.strictEqual(gcp.if, "steps.facts.outputs.cloud == 'gcp'");
            assert.deepStrictEqual(Object.keys(gcp.with!).sort(), ["service_account", "workload_identity_provider"]);
            const azure = using("azure/login");
            assert.strictEqual(azure.if, "steps.facts.outputs.cloud == 'azure'");
            assert.deepStrictEqual(Object.keys(azure.with!).sort(), ["client-id", "subscription-id", "tenant-id"]);
            const text = fs.readFileSync(path.join(GITHUB_DIR, "actions", "stack-login", "action.yml"), "utf8");
            assert.doesNotMatch(text, /secrets\.|aws-access-key-id|aws-secret-access-key|client-secret|credentials_json|creds:/, "no long-lived key anywhere");
        });

        it("stack-facts.js reports the cloud, environment and region each stack file names", () => {
            const { stackFacts } = require("../../.github/scripts/stack-facts.js") as { stackFacts(stack: string, dir: string): Record<string, string> };
            for (const stack of shippedStacks()) {
                const config = (parseYaml(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, string> }).config;
                assert.deepStrictEqual(stackFacts(stack, PROJECT_DIR), {
                    stack,
                    cloud: config["fastapi-platform:cloud"],
                    environment: config["fastapi-platform:environment"] ?? "production",
                    region: config["aws:region"],
                });
            }
            const dir = mainProjectCopy({ staging: { "fastapi-platform:cloud": "gcp" }, prod: { "fastapi-platform:cloud": "azure" } });
            assert.deepStrictEqual(stackFacts("staging", dir), { stack: "staging", cloud: "gcp", environment: "staging", region: "europe-west1" });
            assert.deepStrictEqual(stackFacts("prod", dir), { stack: "prod", cloud: "azure", environment: "production", region: "westeurope" });
            assert.throws(() => stackFacts("qa", dir), /no Pulumi\.qa\.yaml/);
            assert.throws(() => stackFacts("../x", dir), /not a stack name/);
            fs.rmSync(dir, { recursive: true, force: true });
        });
    });
});
