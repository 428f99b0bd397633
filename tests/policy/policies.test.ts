import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { ALL_POLICIES, POLICIES_BY_CLOUD, type BaselinePolicy } from "../../policy/rules";
import { PROJECT_DIR } from "../../tools/harness";
import { checkPolicies, enforcementOf, evaluate, resourceArgs, stackArgs } from "../../tools/policy-check";
import { AWS_CASES } from "./cases/aws";
import { AZURE_CASES } from "./cases/azure";
import { DATA_PROTECTION_CASES } from "./cases/data-protection";
import { COMMON_AZURE_CASES, COMMON_CASES, COMMON_GCP_CASES, COMMON_KUBERNETES_CASES } from "./cases/common";
import { GCP_CASES } from "./cases/gcp";
import { KUBERNETES_CASES } from "./cases/kubernetes";
import { checkResource, checkStack, GOOD, isStack, outcome, patched, policyNamed, runCase, urnOf, withTags, type FixtureResource, type PolicyCase } from "./fixtures";
import { propertyPathProblem } from "./sdk-schema";

/**
 * Every policy of the pack, without a policy server: built validation args (with stackTags and
 * notApplicable, as current @pulumi/policy passes them) against compliant fixtures and against a
 * failing case for each rule. A policy without both a passing and a failing case fails here.
 */

type CloudName = "aws" | "gcp" | "azure" | "kubernetes";
const CASES: [CloudName, PolicyCase[]][] = [
    ["aws", [...COMMON_CASES, ...AWS_CASES, ...DATA_PROTECTION_CASES.aws]],
    ["gcp", [...COMMON_GCP_CASES, ...GCP_CASES, ...DATA_PROTECTION_CASES.gcp]],
    ["azure", [...COMMON_AZURE_CASES, ...AZURE_CASES, ...DATA_PROTECTION_CASES.azure]],
    ["kubernetes", [...COMMON_KUBERNETES_CASES, ...KUBERNETES_CASES, ...DATA_PROTECTION_CASES.kubernetes]],
];
const cloudOf = (policy: BaselinePolicy): CloudName[] => (policy.baseline.cloud === "any" ? ["aws", "gcp", "azure", "kubernetes"] : [policy.baseline.cloud]);
const typesOf = (policy: BaselinePolicy) => Object.keys(policy.baseline.reads);

describe("policy pack: metadata", () => {
    it("names every policy once, in kebab-case, prefixed by its cloud", () => {
        const names = ALL_POLICIES.map((p) => p.name);
        assert.deepStrictEqual(names.filter((n, i) => names.indexOf(n) !== i), [], "duplicate policy names");
        for (const policy of ALL_POLICIES) {
            assert.match(policy.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, policy.name);
            if (policy.baseline.cloud !== "any") assert.ok(policy.name.startsWith(`${policy.baseline.cloud}-`), `${policy.name} is a ${policy.baseline.cloud} policy`);
            assert.notStrictEqual(policy.name, "all", "'all' is reserved by CrossGuard");
        }
    });

    it("gives every policy a description, a severity, remediation steps, its source and the mandatory level", () => {
        for (const policy of ALL_POLICIES) {
            assert.ok(policy.description.length > 20 && policy.description.endsWith("."), `${policy.name}: description`);
            assert.ok(["low", "medium", "high", "critical"].includes(policy.severity), `${policy.name}: severity`);
            assert.ok(policy.remediationSteps.length > 20, `${policy.name}: remediation`);
            assert.ok(policy.baseline.source.length > 5, `${policy.name}: source`);
            assert.strictEqual(policy.enforcementLevel, "mandatory", `${policy.name}: production's level`);
            assert.ok(typesOf(policy).length > 0, `${policy.name}: checks no type`);
        }
    });

    it("declares config schemas CrossGuard accepts, each default valid for its own schema", () => {
        for (const policy of ALL_POLICIES) {
            const properties = policy.configSchema?.properties ?? {};
            assert.ok(!("enforcementLevel" in properties), `${policy.name}: enforcementLevel cannot be a config property`);
            assert.ok("exemptResources" in properties, `${policy.name}: exemptResources`);
            for (const [key, schema] of Object.entries(properties)) {
                const value = schema.default;
                const type = schema.type === "integer" ? "number" : schema.type;
                assert.ok(type === "array" ? Array.isArray(value) : typeof value === type, `${policy.name}.${key}: default ${JSON.stringify(value)} is not ${schema.type}`);
                if (typeof value === "number") assert.ok(Number.isInteger(value) || schema.type !== "integer");
                if (typeof value === "number" && schema.minimum !== undefined) assert.ok(value >= schema.minimum, `${policy.name}.${key}`);
            }
        }
    });

    it("keeps each cloud's policies on that cloud's resource types", () => {
        const prefix: Record<CloudName, string> = { aws: "aws:", gcp: "gcp:", azure: "azure-native:", kubernetes: "kubernetes:" };
        for (const cloud of ["aws", "gcp", "azure", "kubernetes"] as const) {
            for (const policy of POLICIES_BY_CLOUD[cloud]) {
                for (const type of typesOf(policy)) assert.ok(type.startsWith(prefix[cloud]), `${policy.name} reads ${type}`);
            }
        }
    });

    it("is listed, every policy once, in docs/guardrails.md", () => {
        const doc = fs.readFileSync(path.join(PROJECT_DIR, "docs", "guardrails.md"), "utf8");
        const listed = [...doc.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
        assert.deepStrictEqual([...listed].sort(), ALL_POLICIES.map((p) => p.name).sort());
    });

    it("reads only properties the SDKs declare (@pulumi/aws, @pulumi/gcp, @pulumi/azure-native, @pulumi/kubernetes .d.ts; CustomResource specs are untyped)", () => {
        const problems: string[] = [];
        for (const policy of ALL_POLICIES) {
            for (const [type, paths] of Object.entries(policy.baseline.reads)) {
                if (paths.length === 0) assert.ok(propertyPathProblem(type, "id") === undefined, `${policy.name}: ${type} is not an SDK resource`);
                for (const path of paths) {
                    const problem = propertyPathProblem(type, path);
                    if (problem) problems.push(`${policy.name}: ${problem}`);
                }
            }
        }
        assert.deepStrictEqual(problems, []);
    });
});

describe("policy pack: compliant resources pass", () => {
    for (const policy of ALL_POLICIES) {
        it(`${policy.name} passes the compliant ${isStack(policy) ? "stack" : "resources"}`, async () => {
            for (const cloud of cloudOf(policy)) {
                if (isStack(policy)) {
                    assert.strictEqual(outcome(await checkStack(policy, GOOD[cloud])), "pass", `${policy.name} on the compliant ${cloud} stack`);
                    continue;
                }
                const fixtures = GOOD[cloud].filter((r) => typesOf(policy).includes(r.type));
                const outcomes = await Promise.all(fixtures.map(async (r) => [r.name, outcome(await checkResource(policy, r))] as const));
                assert.deepStrictEqual(outcomes.filter(([, o]) => o === "fail"), [], `${policy.name} fails a compliant ${cloud} fixture`);
                if (policy.baseline.cloud !== "any" || cloud === "aws") {
                    assert.ok(outcomes.some(([, o]) => o === "pass"), `${policy.name}: no compliant ${cloud} fixture to pass (${outcomes.map((o) => o.join(" ")).join(", ") || "none of its types"})`);
                }
            }
        });
    }
});

describe("policy pack: cases", () => {
    for (const [cloud, cases] of CASES) {
        for (const c of cases) {
            it(`${c.policy}: ${c.expect === "fail" ? "rejects" : c.expect === "pass" ? "accepts" : "does not apply to"} ${c.title}`, async () => {
                const { outcome: got, messages } = await runCase(c, GOOD[cloud]);
                assert.strictEqual(got, c.expect, `expected ${c.expect}, got ${got}: ${messages.join(" | ")}`);
                if (c.match) assert.match(messages.join("\n"), c.match);
                if (got === "fail") for (const m of messages) assert.ok(m.length > 10 && !/undefined|\[object Object\]/.test(m), `unclear message: ${m}`);
            });
        }
    }

    it("has a failing case for every policy, and for every cloud a cloud-independent policy checks", () => {
        const failing = new Set(CASES.flatMap(([cloud, cases]) => cases.filter((c) => c.expect === "fail").map((c) => `${c.policy}@${cloud}`)));
        const missing = ALL_POLICIES.flatMap((p) => cloudOf(p).map((cloud) => `${p.name}@${cloud}`)).filter((key) => !failing.has(key));
        assert.deepStrictEqual(missing, []);
    });

    it("names only policies that exist", () => {
        for (const [, cases] of CASES) for (const c of cases) policyNamed(c.policy);
    });
});

describe("policy pack: not applicable is not passing", () => {
    const unrelated: FixtureResource = { type: "aws:sns/topicSubscription:TopicSubscription", name: "alerts-email", props: { protocol: "email" } };

    for (const policy of ALL_POLICIES.filter((p) => !isStack(p))) {
        it(`${policy.name} reports a resource of another type as not applicable`, async () => {
            const verdict = await checkResource(policy, unrelated);
            assert.strictEqual(verdict.applicable, false);
            assert.match((verdict as { reason?: string }).reason ?? "", /applies only to/);
        });
    }

    for (const policy of ALL_POLICIES.filter((p) => isStack(p))) {
        it(`${policy.name} reports a stack without its resources as not applicable`, async () => {
            assert.strictEqual((await checkStack(policy, [unrelated])).applicable, false);
        });
    }

    it("makes every production-only resource policy not applicable to staging resources, whatever they hold", async () => {
        const productionOnly = ALL_POLICIES.filter((p) => p.baseline.scope === "production" && !isStack(p));
        assert.ok(productionOnly.length > 15);
        for (const policy of productionOnly) {
            const failing = CASES.flatMap(([cloud, cases]) => cases.filter((c) => c.policy === policy.name && c.expect === "fail" && c.from).map((c) => ({ c, cloud })));
            assert.ok(failing.length > 0, policy.name);
            for (const { c, cloud } of failing) {
                const { outcome: got } = await runCase({ ...c, environment: "staging" }, GOOD[cloud]);
                assert.strictEqual(got, "not-applicable", `${policy.name}: ${c.title} in staging`);
            }
        }
    });

    it("takes the environment from the resource's tag first, then the stack name, and is strict when unsure", async () => {
        const policy = policyNamed("aws-rds-multi-az");
        const db = GOOD.aws.find((r) => r.name === "db")!;
        const singleAz = patched(db.props, { multiAz: false });
        const verdict = (stack: string, tags: Record<string, string> | undefined) =>
            evaluate(policy, resourceArgs({ type: db.type, name: "db", urn: `urn:pulumi:${stack}::p::${db.type}::db`, props: { ...singleAz, tags } }));
        assert.strictEqual(outcome(await verdict("prod", { environment: "staging" })), "not-applicable", "the tag wins over the stack name");
        assert.strictEqual(outcome(await verdict("staging", { environment: "production" })), "fail", "the tag wins over the stack name");
        assert.strictEqual(outcome(await verdict("pr-42", undefined)), "not-applicable", "no tag: a review stack is staging");
        assert.strictEqual(outcome(await verdict("eu-main", undefined)), "fail", "no tag, unknown stack name: production rules");
    });
});

describe("policy-check: enforcement and config", () => {
    const policy = policyNamed("aws-rds-multi-az");

    it("resolves enforcement like the engine: the policy's entry, then `all`, then the policy's own level", () => {
        assert.strictEqual(enforcementOf(policy, {}), "mandatory");
        assert.strictEqual(enforcementOf(policy, { all: "advisory" }), "advisory");
        assert.strictEqual(enforcementOf(policy, { all: { enforcementLevel: "advisory" }, "aws-rds-multi-az": "mandatory" }), "mandatory");
        assert.strictEqual(enforcementOf(policy, { all: "advisory", "aws-rds-multi-az": { minimum: 1 } }), "advisory", "a config entry without a level keeps `all`'s");
        assert.strictEqual(enforcementOf(policy, { "aws-rds-multi-az": "disabled" }), "disabled");
    });

    it("reports violations with policy, resource, message, remediation and enforcement, and skips disabled policies", async () => {
        const db = GOOD.aws.find((r) => r.name === "db")!;
        const resource = {
            urn: urnOf(db.type, "db", "production"), type: db.type, name: "db", custom: true, protect: true, secretPaths: [], state: {},
            dependencies: [], propertyDependencies: {}, inputs: {}, plainInputs: patched(withTags(db, "production"), { multiAz: false, storageEncrypted: false }),
        };
        // The lone primary also lacks its backup replication (aws-rds-backups-out-of-region), disabled here too.
        const advisory: PolicyPackConfig = { all: "advisory", "aws-rds-storage-encrypted": "mandatory", "aws-rds-multi-az": "disabled", "aws-rds-backups-out-of-region": "disabled" };
        const check = await checkPolicies({ resources: [resource] }, { config: advisory });
        assert.deepStrictEqual(check.violations, [{
            policy: "aws-rds-storage-encrypted", severity: "critical", enforcement: "mandatory",
            resource: { urn: resource.urn, type: db.type, name: "db" }, message: "storageEncrypted is false; must be true",
            remediation: policyNamed("aws-rds-storage-encrypted").remediationSteps,
        }]);
        assert.ok(check.disabled.includes("aws-rds-multi-az"));
        const strict = await checkPolicies({ resources: [resource] });
        assert.deepStrictEqual(strict.violations.map((v) => `${v.enforcement} ${v.policy}`).sort(), [
            // A production RDS primary alone, without the replication of its backups to another region.
            "mandatory aws-rds-backups-out-of-region", "mandatory aws-rds-multi-az", "mandatory aws-rds-storage-encrypted",
        ]);
    });

    it("passes stack policies the outputs with parents linked", async () => {
        const args = stackArgs([
            { type: "a:b:C", name: "parent", urn: "urn:p", props: {} },
            { type: "a:b:D", name: "child", urn: "urn:c", props: { x: 1 }, parent: "urn:p" },
        ]);
        assert.strictEqual(args.resources[1].parent?.name, "parent");
        assert.strictEqual(args.resources[1].props.x, 1);
        assert.ok(args.stackTags instanceof Map);
        assert.throws(() => args.notApplicable("why"), /why/);
    });
});
