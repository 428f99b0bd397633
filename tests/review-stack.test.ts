import * as assert from "assert";
import { cloudsUnderTest } from "./clouds";
import { deploy, ofType } from "./support";

/**
 * reviewStackTtlHours: a review stack (from the `pr` template) schedules its own destruction with
 * a Pulumi Cloud TtlSchedule, on every cloud; other stacks create none and never load the SDK.
 */
const TTL = "pulumiservice:index:TtlSchedule";

describe("review stacks: reviewStackTtlHours", () => {
    for (const [cloud] of cloudsUnderTest()) {
        it(`${cloud}: schedules the stack's destruction 48 hours out, then deletes it`, async () => {
            const before = Date.now();
            const r = await deploy("staging", { overrides: { cloud, reviewStackTtlHours: 48 } });
            const ttl = ofType(r, TTL);
            assert.strictEqual(ttl.length, 1);
            assert.strictEqual(ttl[0].plainInputs.stack, "staging");
            assert.strictEqual(ttl[0].plainInputs.project, "fastapi-platform");
            assert.strictEqual(ttl[0].plainInputs.deleteAfterDestroy, true);
            const hours = (Date.parse(ttl[0].plainInputs.timestamp) - before) / 3_600_000;
            assert.ok(hours > 47.9 && hours <= 48.01, `timestamp is ${hours} hours out`);
        });
    }

    it("creates no schedule by default", async () => {
        const r = await deploy("staging");
        assert.strictEqual(ofType(r, TTL).length, 0);
    });
});

/**
 * The review-stack template Pulumi.pr.yaml, which Pulumi Deployments copies into every review
 * stack: it deploys on every cloud with no hand steps (an image is set), staging-like and small,
 * with its TTL, and nothing in it would refuse the destroy that closing the pull request runs:
 * no Pulumi `protect`, no cloud-side deletion protection, deletable registries and secrets.
 */
const DELETION_GUARDS: Record<string, (inputs: Record<string, any>) => unknown> = {
    "aws:rds/instance:Instance": (i) => i.deletionProtection,
    "aws:lb/loadBalancer:LoadBalancer": (i) => i.enableDeletionProtection,
    "gcp:sql/databaseInstance:DatabaseInstance": (i) => i.deletionProtection || i.settings?.deletionProtectionEnabled,
    "gcp:cloudrunv2/service:Service": (i) => i.deletionProtection,
    "gcp:cloudrunv2/job:Job": (i) => i.deletionProtection,
};

describe("review stacks: the pr template", () => {
    for (const [cloud] of cloudsUnderTest()) {
        describe(cloud, () => {
            let r: Awaited<ReturnType<typeof deploy>>;
            before(async () => {
                r = await deploy("pr", { overrides: { cloud } });
            });

            it("plans with no hand steps: staging, the smallest tiers, an image by digest", () => {
                assert.strictEqual(r.outputs.environment, "staging");
                assert.ok(r.resources.length > 20);
                const text = JSON.stringify(r.resources.map((x) => x.plainInputs));
                assert.match(text, /@sha256:[0-9a-f]{64}/);
                // The capacity rule at the template's pool and fleet sizes: (5 + 5) x (1 + 1) + 10.
                assert.strictEqual(r.outputs.databaseMaxConnections, 30);
            });

            it("schedules its own destruction 48 hours out", () => {
                assert.strictEqual(ofType(r, TTL).length, 1);
                assert.strictEqual(ofType(r, TTL)[0].plainInputs.stack, "pr");
            });

            it("destroys cleanly: nothing is protected, by Pulumi or by the cloud", () => {
                assert.deepStrictEqual(r.resources.filter((x) => x.protect).map((x) => `${x.type} ${x.name}`), []);
                assert.deepStrictEqual(ofType(r, "azure-native:authorization:ManagementLockByScope").map((x) => x.name), []);
                const guarded = r.resources.filter((x) => DELETION_GUARDS[x.type]?.(x.plainInputs)).map((x) => `${x.type} ${x.name}`);
                assert.deepStrictEqual(guarded, []);
                for (const repository of ofType(r, "aws:ecr/repository:Repository")) assert.strictEqual(repository.plainInputs.forceDelete, true);
                for (const secret of ofType(r, "aws:secretsmanager/secret:Secret")) assert.strictEqual(secret.plainInputs.recoveryWindowInDays, 0);
                for (const vault of ofType(r, "azure-native:keyvault:Vault")) assert.notStrictEqual(vault.plainInputs.properties.enablePurgeProtection, true);
            });

            it("takes no pre-migration backup (staging)", () => {
                assert.ok(!JSON.stringify(ofType(r, "command:local:Command").map((x) => x.plainInputs.create)).match(/snapshot|backups create|backup create/));
                assert.strictEqual(ofType(r, "kubernetes:postgresql.cnpg.io/v1:Backup").length, 0);
            });
        });
    }
});
