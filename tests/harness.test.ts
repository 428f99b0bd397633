import * as assert from "assert";
import { PROJECT_DIR, SECRET_SIG, SECRET_SIG_KEY, runStack, securePlaceholder, stackConfig, type RecordedResource, type RunResult } from "../tools/harness";
import { MOCK_SECRET_MARKER, mockSecretValue } from "../tools/mocks";
import { parseArgs } from "../tools/plan";
import { keySettingLines, planJson, planReport, secretValues } from "../tools/plan-report";

/** The harness itself: every other test trusts it, so it must not be able to pass on nothing. */

const NS = "fastapi-platform";

describe("harness: stackConfig", () => {
    it("reads the project name from Pulumi.yaml", () => {
        assert.strictEqual(stackConfig("staging").project, NS);
        assert.ok(PROJECT_DIR.length > 0);
    });

    it("layers Pulumi.yaml defaults < stack file < overrides", () => {
        const { config } = stackConfig("staging", { overrides: { maxInstances: 7 } });
        assert.strictEqual(config[`${NS}:containerPort`], "8000", "Pulumi.yaml default kept when the stack file is silent");
        assert.strictEqual(config[`${NS}:cpu`], "500", "stack file beats the Pulumi.yaml default (1000)");
        assert.strictEqual(config[`${NS}:maxInstances`], "7", "override beats the stack file (2)");
        assert.strictEqual(config["aws:region"], "eu-west-1", "other namespaces pass through");
        assert.strictEqual(config[`${NS}:image`], "ghcr.io/acme/fastapi-backend:1.4.2@sha256:7722665819e503a620b3af136090693a5c20aabaaf4ecce410f44f5a24d4581a");
    });

    it("passes values the way the engine does: scalars as text, arrays and objects as JSON", () => {
        const { config } = stackConfig("prod");
        assert.strictEqual(config[`${NS}:dbReadReplica`], "true");
        assert.deepStrictEqual(JSON.parse(config[`${NS}:workerCommand`]), ["python", "-m", "app.worker"]);
        assert.deepStrictEqual(JSON.parse(config[`${NS}:corsOrigins`]), ["https://app.example.com", "https://www.example.com"]);
        assert.deepStrictEqual(JSON.parse(stackConfig("staging").config[`${NS}:aws`]), { availabilityZones: 2 });
        assert.strictEqual(config[`${NS}:env`], "{}");
    });

    it("leaves out keys Pulumi.yaml declares without a default, and honours `remove`", () => {
        const { config } = stackConfig("staging", { remove: ["image", "aws:region"] });
        assert.ok(!(`${NS}:image` in config));
        assert.ok(!("aws:region" in config));
    });

    it("namespaces overrides and lists secret overrides as secret keys", () => {
        const { config, secretKeys } = stackConfig("staging", {
            overrides: { "aws:region": "us-east-1" },
            secretOverrides: { secretEnv: { STRIPE_API_KEY: "sk_live_abc" } },
        });
        assert.strictEqual(config["aws:region"], "us-east-1");
        assert.deepStrictEqual(JSON.parse(config[`${NS}:secretEnv`]), { STRIPE_API_KEY: "sk_live_abc" });
        assert.deepStrictEqual(secretKeys, [`${NS}:secretEnv`]);
        assert.deepStrictEqual(stackConfig("staging").secretKeys, []);
    });

    it("makes stable, distinct 48-character placeholders for `secure` values", () => {
        const a = securePlaceholder(`${NS}:secretEnv.SECRET_KEY`);
        assert.strictEqual(a.length, 48);
        assert.strictEqual(a, securePlaceholder(`${NS}:secretEnv.SECRET_KEY`));
        assert.notStrictEqual(a, securePlaceholder(`${NS}:secretEnv.JWT_SECRET_KEY`));
    });

    it("rejects a stack without a stack file", () => {
        assert.throws(() => stackConfig("no-such-stack"), /Pulumi\.no-such-stack\.yaml/);
    });
});

describe("harness: runStack on configuration errors", () => {
    it("returns the ConfigError with zero resources and no outputs", async () => {
        const result = await runStack("staging", { overrides: { minInstances: 5, maxInstances: 2 } });
        assert.ok(result.error, "expected an error");
        assert.strictEqual(result.error.name, "ConfigError");
        assert.match(result.error.message, new RegExp(`${NS}:minInstances`));
        assert.strictEqual(result.resources.length, 0);
        assert.deepStrictEqual(result.outputs, {});
    });

    it("names fastapi-platform:cloud for an unknown cloud", async () => {
        const result = await runStack("staging", { overrides: { cloud: "openstack" } });
        assert.match(result.error?.message ?? "", new RegExp(`${NS}:cloud`));
        assert.strictEqual(result.resources.length, 0);
    });

    it("names fastapi-platform:image when the required image is removed", async () => {
        const result = await runStack("prod", { remove: ["image"] });
        assert.match(result.error?.message ?? "", new RegExp(`${NS}:image is required`));
        assert.strictEqual(result.resources.length, 0);
    });
});

describe("harness: runStack on the real stacks", () => {
    let staging: RunResult;
    let prod: RunResult;
    before(async () => {
        staging = await runStack("staging");
        prod = await runStack("prod");
    });

    it("registers resources and resolves the outputs", () => {
        assert.strictEqual(staging.error, undefined, staging.error?.stack);
        assert.ok(staging.resources.length > 20, `only ${staging.resources.length} resources`);
        assert.ok(staging.resources.some((r) => r.type === "aws:rds/instance:Instance"));
        assert.strictEqual(staging.outputs.environment, "staging");
        assert.strictEqual(staging.outputs.url, "https://api.staging.example.com");
        assert.strictEqual(staging.outputs.databasePort, 5432, "mock RDS port resolved through the outputs");
    });

    it("records URNs of this stack, unique, and parents that exist", () => {
        const urns = new Set(staging.resources.map((r) => r.urn));
        assert.strictEqual(urns.size, staging.resources.length, "duplicate URNs: a run leaked into another");
        for (const r of staging.resources) {
            assert.ok(r.urn.startsWith(`urn:pulumi:staging::${NS}::`), r.urn);
            if (r.parent) assert.ok(urns.has(r.parent), `${r.name}'s parent ${r.parent} was not recorded`);
        }
        assert.ok(staging.resources.some((r) => r.parent), "no resource has a parent");
    });

    it("keeps runs apart: the same stack twice gives the same resources", async () => {
        const again = await runStack("staging");
        assert.deepStrictEqual(again.resources.map((r) => r.urn), staging.resources.map((r) => r.urn));
        assert.ok(prod.resources.every((r) => r.urn.startsWith("urn:pulumi:prod::")), "staging resources leaked into prod");
    });

    it("records the protect flag", () => {
        assert.ok(staging.resources.every((r) => typeof r.protect === "boolean"));
        assert.ok(prod.resources.some((r) => r.protect), "prod protects nothing: protect is not being recorded");
    });

    it("keeps secret inputs wrapped in `inputs` and unwrapped in `plainInputs`", () => {
        const withSecrets = staging.resources.filter((r) => r.secretPaths.length > 0);
        assert.ok(withSecrets.length > 0, "no secret input recorded at all");
        for (const r of withSecrets) {
            for (const secretPath of r.secretPaths.filter((p) => !p.includes("."))) {
                assert.strictEqual(r.inputs[secretPath][SECRET_SIG_KEY], SECRET_SIG, `${r.name}.${secretPath}`);
                assert.ok(!(r.plainInputs[secretPath] !== null && typeof r.plainInputs[secretPath] === "object" && SECRET_SIG_KEY in r.plainInputs[secretPath]));
            }
        }
        const rds = staging.resources.find((r) => r.type === "aws:rds/instance:Instance" && !r.plainInputs.replicateSourceDb);
        assert.ok(rds?.secretPaths.includes("password"), "the RDS password is not a secret input");
        assert.ok(String(rds?.plainInputs.password).includes(MOCK_SECRET_MARKER));
    });

    it("records invokes", () => {
        assert.ok(staging.invokes.some((i) => i.token === "aws:index/getAvailabilityZones:getAvailabilityZones"));
    });

    it("runs in preview mode too", async () => {
        const preview = await runStack("staging", { preview: true });
        assert.strictEqual(preview.error, undefined, preview.error?.stack);
        assert.strictEqual(preview.resources.length, staging.resources.length);
    });
});

describe("harness: mocks", () => {
    it("generates recognisable, distinct, alphanumeric secrets of the requested length", () => {
        const a = mockSecretValue("db-password", 40);
        assert.strictEqual(a.length, 40);
        assert.match(a, /^[A-Za-z0-9]+$/);
        assert.ok(a.includes(MOCK_SECRET_MARKER));
        assert.ok(!a.includes("x"));
        assert.notStrictEqual(mockSecretValue("secret-key", 64), mockSecretValue("jwt-secret-key", 64));
    });
});

describe("plan", () => {
    const wrap = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, value });
    const password = mockSecretValue("db-password", 40);
    const resource = (type: string, name: string, inputs: Record<string, any>, secretPaths: string[] = []): RecordedResource => ({
        urn: `urn:pulumi:t::${NS}::${type}::${name}`, type, name, custom: true, protect: false,
        inputs, plainInputs: JSON.parse(JSON.stringify(inputs, (_k, v) => (v && v[SECRET_SIG_KEY] ? v.value : v))), secretPaths, state: {},
        dependencies: [], propertyDependencies: {},
    });
    const result: RunResult = {
        project: NS, stack: "t", invokes: [],
        resources: [
            resource("aws:rds/instance:Instance", "db", { instanceClass: "db.t4g.small", multiAz: false, password: wrap(password) }, ["password"]),
            resource("aws:ssm/parameter:Parameter", "leaky", { value: `postgresql://app:${password}@db:5432/app` }),
        ],
        outputs: { environment: "staging", databaseUrl: `postgresql://app:${password}@db:5432/app` },
        secretOutputs: ["databaseUrl"],
    };

    it("never prints or writes a secret, and flags a secret in a plain input", () => {
        const secrets = secretValues(result);
        const report = planReport(result, "aws", "/tmp/plan.json", secrets);
        const json = JSON.stringify(planJson(result, "aws", secrets));
        for (const text of [report, json]) assert.ok(!text.includes(password) && !text.includes(MOCK_SECRET_MARKER), text);
        assert.match(report, /databaseUrl\s+\[secret\]/);
        assert.match(report, /WARNING: 1 secret value.*\n\s+aws:ssm\/parameter:Parameter leaky: value/);
        assert.strictEqual((planJson(result, "aws", secrets) as { resources: { inputs: Record<string, unknown> }[] }).resources[0].inputs.password, "[secret]");
    });

    it("lists the key settings by resource type and what is missing", () => {
        const lines = keySettingLines(result.resources, "aws");
        assert.ok(lines.some((line) => line.startsWith("RDS instance db:") && line.includes("instanceClass=db.t4g.small") && line.includes("multiAz=false")), lines.join("\n"));
        assert.ok(lines.includes("WAF: not present"));
    });

    it("parses its command line", () => {
        assert.deepStrictEqual(parseArgs(["prod", "--cloud", "aws", "--json", "out.json"]), { stack: "prod", cloud: "aws", jsonFile: "out.json" });
        assert.throws(() => parseArgs([]), /name the stack/);
        assert.throws(() => parseArgs(["prod", "--cloud"]), /--cloud needs a value/);
        assert.throws(() => parseArgs(["prod", "--verbose"]), /unknown option --verbose/);
    });
});
