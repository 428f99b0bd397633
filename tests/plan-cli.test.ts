import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR, type RunResult } from "../tools/harness";
import { MOCK_SECRET_MARKER } from "../tools/mocks";
import { npmScriptArgv } from "../tools/npm-script";
import { EXIT_MANDATORY_VIOLATION, plan as planInProcess } from "../tools/plan";
import { planJson, planReport, secretLeaks, secretValues } from "../tools/plan-report";
import { checkPolicies, policyReport } from "../tools/policy-check";
import { cloudsUnderTest } from "./clouds";
import { deploy, STACKS } from "./support";

/** The README's "run it" command as a user runs it: exit codes, what it prints, what it writes. */
function plan(...args: string[]) {
    const [node, ...argv] = npmScriptArgv("plan", ...args);
    const result = spawnSync(node, argv, {
        cwd: PROJECT_DIR, encoding: "utf8",
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const temporaryFiles: string[] = [];
after(() => temporaryFiles.forEach((file) => fs.rmSync(file, { force: true })));
const temporary = (name: string) => {
    const file = path.join(os.tmpdir(), `fastapi-platform-${process.pid}-${name}.json`);
    temporaryFiles.push(file);
    return file;
};

/** A policy pack config file, as `--policy-pack-config` takes it. */
function policyConfig(name: string, config: object): string {
    const file = temporary(name);
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
}

/** Runs tools/plan.ts's plan() in this process, capturing what it prints. */
async function planCaptured(options: Parameters<typeof planInProcess>[0]) {
    const out: string[] = [];
    const err: string[] = [];
    const [write, writeErr] = [process.stdout.write, process.stderr.write];
    process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
        const status = await planInProcess(options);
        return { status, stdout: out.join(""), stderr: err.join("") };
    } finally {
        process.stdout.write = write;
        process.stderr.write = writeErr;
    }
}

describe("npm run plan", function () {
    this.timeout(120000);

    it("plans staging: resources, key settings, outputs and policies, and writes the JSON resource list", () => {
        const jsonFile = path.join(PROJECT_DIR, "plan", "test-staging.json");
        const { status, stdout } = plan("staging", "--json", jsonFile);
        assert.strictEqual(status, 0);
        assert.match(stdout, /cloud aws, environment staging/);
        assert.match(stdout, /max_connections=100/);
        assert.match(stdout, /url\s+https:\/\/api\.staging\.example\.com/);
        assert.match(stdout, /Policies \(fastapi-platform-baseline, \d+ policies, config policy\/config\/staging\.json\)\n\s+\d+ checks: no violations/);
        assert.doesNotMatch(stdout, /Mock0Secret/);
        const written = JSON.parse(fs.readFileSync(jsonFile, "utf8"));
        assert.ok(written.resources.length > 50);
        assert.deepStrictEqual(written.policyViolations, []);
        assert.doesNotMatch(JSON.stringify(written), /Mock0Secret/);
    });

    it(`exits ${EXIT_MANDATORY_VIOLATION} on a mandatory policy violation, naming the policy, the resource and the remediation`, () => {
        const jsonFile = temporary("prod-plan");
        const strict = policyConfig("strict", { "aws-rds-backup-retention": { minimumDays: 35 } });
        const { status, stdout, stderr } = plan("prod", "--json", jsonFile, "--policy-pack-config", strict);
        assert.strictEqual(status, EXIT_MANDATORY_VIOLATION, stderr);
        assert.match(stdout, /MANDATORY aws-rds-backup-retention \(high\) on aws:rds\/instance:Instance fastapi-platform-prod-db: backupRetentionPeriod is 30; production keeps at least 35 days\n\s+remediation: Raise dbBackupDays/);
        assert.match(stderr, /1 mandatory policy violation/);
        assert.match(stderr, /policy:\s+aws-rds-backup-retention/);
        assert.match(stderr, /resource:\s+aws:rds\/instance:Instance fastapi-platform-prod-db \(urn:pulumi:prod::fastapi-platform::/);
        assert.match(stderr, /remediation: Raise dbBackupDays/);
        assert.doesNotMatch(stdout + stderr, /Mock0Secret/);
        assert.strictEqual(JSON.parse(fs.readFileSync(jsonFile, "utf8")).policyViolations[0].policy, "aws-rds-backup-retention", "the plan is still written");
    });

    it("prints advisory violations and still exits 0", async () => {
        const advisory = policyConfig("advisory", { all: "advisory", "aws-ecs-graceful-shutdown": { minimumSeconds: 90 } });
        const { status, stdout } = await planCaptured({ stack: "staging", jsonFile: temporary("advisory-plan"), policyConfigFile: advisory });
        assert.strictEqual(status, 0);
        // The api and worker containers and their metrics collector sidecars.
        assert.match(stdout, /0 mandatory, 4 advisory violation\(s\)/);
        assert.match(stdout, /ADVISORY aws-ecs-graceful-shutdown \(low\) on aws:ecs\/taskDefinition:TaskDefinition fastapi-platform-staging-api: container api of service fastapi-platform-staging-api: stopTimeout is 60; must be at least 90 s/);
    });

    it("exits 2 on a policy config it cannot read", async () => {
        const { status, stderr } = await planCaptured({ stack: "staging", policyConfigFile: path.join(os.tmpdir(), "no-such-policy-config.json") });
        assert.strictEqual(status, 2);
        assert.match(stderr, /Cannot read the policy config .*no-such-policy-config\.json/);
    });

    it("exits 1 on bad config with the message alone and nothing registered", () => {
        const { status, stderr, stdout } = plan("prod", "--cloud", "digitalocean");
        assert.strictEqual(status, 1);
        assert.match(stderr, /fastapi-platform:cloud is 'digitalocean'; allowed values: aws, gcp, azure, kubernetes/);
        assert.match(stderr, /No resource was registered/);
        assert.doesNotMatch(stderr, /\n\s+at /);
        assert.strictEqual(stdout, "");
    });

    it("exits 2 on an unknown stack, listing the stacks", () => {
        const { status, stderr } = plan("qa");
        assert.strictEqual(status, 2);
        assert.match(stderr, /no stack 'qa'.*stacks: pr, prod, staging/);
    });
});

/**
 * Secrets end to end, past the inputs (tests/secrets.test.ts): no stack output holds secret
 * material unless Pulumi marks it secret, and the plan — its printout, its policy section and its
 * JSON — never shows one. Same supplied secret as tests/secrets.test.ts, so the runs are shared.
 */
const SUPPLIED = "supplied-stripe-key-0123456789abcdef";

/** Names of outputs that hold a secret value without being Pulumi secrets. */
function unmarkedSecretOutputs(result: RunResult, secrets: string[]): string[] {
    return Object.entries(result.outputs)
        .filter(([name]) => !result.secretOutputs.includes(name))
        .filter(([, value]) => {
            const text = JSON.stringify(value) ?? "";
            return text.includes(MOCK_SECRET_MARKER) || secrets.some((s) => text.includes(s));
        })
        .map(([name]) => name);
}

describe("secrets in outputs and in the plan", () => {
    it("catches an unmarked secret output, and lets a marked one through (the check is not vacuous)", () => {
        const leaked: RunResult = {
            project: "p", stack: "s", resources: [], invokes: [], secretOutputs: ["redisUrl"],
            outputs: { databaseUrl: `postgresql://app:${SUPPLIED}@db/app`, redisUrl: `rediss://:${SUPPLIED}@cache/0`, url: "https://api.example.com" },
        };
        assert.deepStrictEqual(unmarkedSecretOutputs(leaked, [SUPPLIED]), ["databaseUrl"]);
        assert.deepStrictEqual(secretLeaks(leaked, [SUPPLIED]), ["stack output databaseUrl is not secret but holds a secret value"]);
    });

    for (const [cloud] of cloudsUnderTest()) {
        for (const stack of STACKS) {
            it(`${cloud} ${stack}: every output holding secret material is a Pulumi secret, and the plan shows none`, async () => {
                const result = await deploy(stack, { overrides: { cloud }, secretOverrides: { secretEnv: { STRIPE_API_KEY: SUPPLIED } } });
                const secrets = secretValues(result, [SUPPLIED]);
                assert.ok(secrets.length >= 5, "generated and supplied secrets are known");
                assert.deepStrictEqual(unmarkedSecretOutputs(result, secrets), [], "outputs holding secrets must be pulumi.secret (or additionalSecretOutputs)");

                const policy = await checkPolicies(result);
                const report = planReport(result, cloud, "/tmp/plan.json", secrets, policyReport(policy, "none"));
                const json = JSON.stringify(planJson(result, cloud, secrets, policy));
                for (const [what, text] of [["printout", report], ["JSON", json]] as const) {
                    const shown = secrets.filter((s) => text.includes(s));
                    assert.deepStrictEqual(shown.map((s) => `${s.slice(0, 6)}…`), [], `the plan's ${what} shows a secret`);
                    assert.ok(!text.includes(MOCK_SECRET_MARKER), `the plan's ${what} shows a generated secret`);
                }
                for (const name of result.secretOutputs) assert.match(report, new RegExp(`${name}\\s+\\[secret\\]`));
            });
        }
    }
});
