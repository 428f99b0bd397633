import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { abandonedOnDelete, STATEFUL_TYPES } from "../policy/rules/common";
import type { RecordedResource } from "../tools/harness";
import {
    aliasUrnsOf, currentEntries, guardProblems, readSnapshot, recordAliases, RECORDED_ALIASES, snapshotFile, snapshotOf,
    type AliasSpec, type CurrentEntry, type Snapshot,
} from "../tools/snapshot";
import { cloudsUnderTest } from "./clouds";
import { deploy, STACKS } from "./support";

/**
 * The replacement guard: a change that would delete or re-create a stateful resource (a database,
 * cache, secret store, secret, key, bucket or generated secret) fails here until it is either kept
 * with an alias or accepted on purpose with `npm run snapshot` in a reviewed commit. And every
 * production stateful resource carries Pulumi's `protect`.
 */

recordAliases(); // before any run: the mock monitor then records each registration's aliases

/**
 * Optional features that add stateful resources beyond the shipped prod stack (which already has
 * the read replica), per cloud: the protect check covers them too.
 */
const ALL_FEATURES: Record<string, Record<string, unknown>> = {
    aws: { aws: { rdsProxy: true, albAccessLogs: true, drRegion: "eu-central-1" } },
    gcp: {},
    azure: {},
};

for (const [cloud] of cloudsUnderTest()) {
    for (const stack of STACKS) {
        describe(`replacement guard (${cloud} ${stack})`, () => {
            it("keeps every stateful resource of the committed snapshot (same URN, or an alias)", async () => {
                const committed = readSnapshot(cloud, stack);
                assert.ok(committed, `no snapshot of the ${cloud} ${stack} stack's stateful resources yet (${snapshotFile(cloud, stack)}). ` +
                    `Review what the stack creates, then run \`npm run snapshot -- --cloud ${cloud}\` and commit tests/snapshots/stateful-${cloud}-*.json.`);
                const result = await deploy(stack, { overrides: { cloud } });
                const problems = guardProblems(committed, currentEntries(result));
                assert.ok(problems.length === 0, `\n${problems.map((p) => `  - ${p}`).join("\n")}`);
            });
        });
    }

    // On Kubernetes the read replica is a read-only PgBouncer pooler over the CloudNativePG
    // cluster's own standbys: turning it off deletes no database, so there is nothing to report.
    if (cloud !== "kubernetes") it(`replacement guard (${cloud}): reports turning dbReadReplica off in prod as deleting the replica`, async () => {
        // Against this run's own prod snapshot, so it needs no committed file and proves the guard sees real URNs.
        const baseline = snapshotOf(await deploy("prod", { overrides: { cloud } }), cloud);
        const result = await deploy("prod", { overrides: { cloud, dbReadReplica: false } });
        const problems = guardProblems(baseline, currentEntries(result));
        assert.ok(problems.some((p) => /^database \S+ \(\S+\) would be DELETED/.test(p)), problems.join("\n") || "no problem reported");
        assert.ok(problems.every((p) => p.includes("npm run snapshot")), "every problem says how to accept it");
    });

    describe(`protect (${cloud} production)`, () => {
        const unprotected = (resources: RecordedResource[]) => resources
            .filter((r) => r.type in STATEFUL_TYPES && !r.protect && !abandonedOnDelete(r.type, r.plainInputs))
            .map((r) => `${STATEFUL_TYPES[r.type]} ${r.name} (${r.type})`);

        it("protects every stateful resource of the shipped prod stack", async () => {
            const result = await deploy("prod", { overrides: { cloud } });
            assert.ok(result.resources.some((r) => r.type in STATEFUL_TYPES), "no stateful resource at all: the check would be vacuous");
            assert.deepStrictEqual(unprotected(result.resources), [], "set `protect: production` on these (docs/guardrails.md: protect)");
        });

        it("protects the stateful resources of every optional feature too", async () => {
            const result = await deploy("prod", { overrides: { cloud, ...ALL_FEATURES[cloud] } });
            assert.deepStrictEqual(unprotected(result.resources), [], `with ${JSON.stringify(ALL_FEATURES[cloud])}: set \`protect: production\` on these`);
        });

        it("leaves staging unprotected, so `pulumi destroy -s staging` works", async () => {
            const result = await deploy("staging", { overrides: { cloud } });
            assert.deepStrictEqual(result.resources.filter((r) => r.protect).map((r) => r.name), []);
        });
    });
}

// ---- the guard's own logic, on made-up stacks ----

const P = "urn:pulumi:prod::fastapi-platform::";
const platform = { urn: `${P}fastapi-platform:aws:Platform::fastapi-platform-prod`, type: "fastapi-platform:aws:Platform", name: "fastapi-platform-prod" };
const db = (name: string, type = "aws:rds/instance:Instance", parent: { urn: string; type: string } | null = platform) => ({
    urn: parent ? `${P}${parent.type}$${type}::${name}` : `${P}${type}::${name}`,
    type, name, parent: parent?.urn, kind: "database",
});
const committed: Snapshot = { cloud: "aws", stack: "prod", about: "", resources: [db("fastapi-platform-prod-db")] };
const entries = (resources: ReturnType<typeof db>[], aliases: Record<string, AliasSpec[]> = {}, extra: typeof platform[] = [platform]): CurrentEntry[] => {
    const byUrn = new Map<string, { urn: string; type: string; name: string; parent?: string }>([...extra, ...resources].map((r) => [r.urn, r]));
    const map = new Map(Object.entries(aliases));
    return resources.map((r) => ({ ...r, aliasUrns: aliasUrnsOf(r, byUrn, map) }));
};

describe("replacement guard: what counts as a replacement", () => {
    it("passes an unchanged stack", () => {
        assert.deepStrictEqual(guardProblems(committed, entries([db("fastapi-platform-prod-db")])), []);
    });

    it("fails a rename without an alias, naming the change, the alias to add and how to accept it", () => {
        const [problem] = guardProblems(committed, entries([db("fastapi-platform-prod-postgres")]));
        assert.match(problem, /database fastapi-platform-prod-db \(aws:rds\/instance:Instance\) would be REPLACED/);
        assert.match(problem, /name 'fastapi-platform-prod-db' -> 'fastapi-platform-prod-postgres'/);
        assert.match(problem, /aliases: \[\{ name: "fastapi-platform-prod-db" \}\]/);
        assert.match(problem, /npm run snapshot -- --cloud aws --stack prod/);
    });

    it("passes a rename with an alias", () => {
        const renamed = db("fastapi-platform-prod-postgres");
        assert.deepStrictEqual(guardProblems(committed, entries([renamed], { [renamed.urn]: [{ name: "fastapi-platform-prod-db", parentUrn: platform.urn }] })), []);
    });

    it("fails a type change (aws.s3.Bucket -> BucketV2 style) and a move out of the component", () => {
        assert.match(guardProblems(committed, entries([db("fastapi-platform-prod-db", "aws:rds/cluster:Cluster")]))[0], /type aws:rds\/instance:Instance -> aws:rds\/cluster:Cluster/);
        assert.match(guardProblems(committed, entries([db("fastapi-platform-prod-db", undefined, null)]))[0], /parent fastapi-platform-prod -> \(none\)[\s\S]*parent: <the resource at/);
    });

    it("fails a deletion, and asks for a snapshot when a stateful resource is added", () => {
        assert.match(guardProblems(committed, entries([]))[0], /would be DELETED/);
        assert.match(guardProblems(committed, entries([db("fastapi-platform-prod-db"), db("fastapi-platform-prod-analytics")]))[0], /not in the snapshot yet: database fastapi-platform-prod-analytics/);
    });

    it("accepts children carried over by an alias on their renamed component (name prefix and type chain)", () => {
        const renamedPlatform = { urn: `${P}fastapi-platform:aws:PlatformV2::api-prod`, type: "fastapi-platform:aws:PlatformV2", name: "api-prod" };
        const child = db("api-prod-db", "aws:rds/instance:Instance", renamedPlatform);
        const aliases = { [renamedPlatform.urn]: [{ name: "fastapi-platform-prod", type: "fastapi-platform:aws:Platform", noParent: true }] };
        assert.deepStrictEqual(guardProblems(committed, entries([child], aliases, [renamedPlatform])), []);
        assert.strictEqual(guardProblems(committed, entries([child], {}, [renamedPlatform])).length, 1, "without the alias it is a replacement");
    });

    it("records the aliases a program passes (through the mock monitor)", async () => {
        await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "fastapi-platform", "prod", false);
        class Thing extends pulumi.CustomResource {}
        const parent = new pulumi.ComponentResource("test:index:Parent", "renamed", {}, { aliases: [{ name: "original" }] });
        const child = new Thing("test:index:Thing", "renamed-db", {}, { parent, aliases: [{ name: "legacy-db" }] });
        const urnOf = (r: pulumi.Resource) => new Promise<string>((resolve) => r.urn.apply(resolve));
        const [parentUrn, urn] = await Promise.all([urnOf(parent), urnOf(child)]);
        const byUrn = new Map([[parentUrn, { urn: parentUrn, type: "test:index:Parent", name: "renamed" }]]);
        const resource = { urn, type: "test:index:Thing", name: "renamed-db", parent: parentUrn };
        assert.deepStrictEqual(RECORDED_ALIASES.get(urn)?.map((a) => a.name), ["legacy-db"]);
        assert.deepStrictEqual(aliasUrnsOf(resource, byUrn).sort(), [
            "urn:pulumi:prod::fastapi-platform::test:index:Parent$test:index:Thing::legacy-db",
            "urn:pulumi:prod::fastapi-platform::test:index:Parent$test:index:Thing::original-db",
        ]);
    });
});
