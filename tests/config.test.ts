import * as assert from "assert";
import { CLOUDS } from "../config/schema";
import { availableClouds } from "../providers";
import { rejected, run, STACKS } from "./support";

/**
 * Bad configuration fails before any resource is registered, with one line per problem that
 * names the key (as the user types it), the value and what is allowed.
 */
interface BadCase {
    title: string;
    stack?: string;
    overrides?: Record<string, unknown>;
    secretOverrides?: Record<string, unknown>;
    remove?: string[];
    /** Every pattern must appear in the message. */
    expect: RegExp[];
}

const K = (key: string) => new RegExp(`fastapi-platform:${key.replace(/[.]/g, "\\.")}\\b`);

const CASES: BadCase[] = [
    { title: "an unknown cloud", overrides: { cloud: "digitalocean" }, expect: [K("cloud"), /'digitalocean'/, /allowed values: aws, gcp, azure, kubernetes/] },
    { title: "an unknown environment", overrides: { environment: "prod" }, expect: [K("environment"), /'prod'/, /allowed values: staging, production/] },
    { title: "minInstances above maxInstances", overrides: { minInstances: 5, maxInstances: 3 }, expect: [K("minInstances"), K("maxInstances"), /\(5\).*\(3\)/] },
    { title: "workerMinInstances above workerMaxInstances", overrides: { workerMinInstances: 3, workerMaxInstances: 2 }, expect: [K("workerMinInstances"), K("workerMaxInstances")] },
    {
        title: "a supplied SECRET_KEY shorter than 32 characters",
        secretOverrides: { secretEnv: { SECRET_KEY: "too-short" } },
        expect: [K("secretEnv.SECRET_KEY"), /9 characters long; it must be at least 32/],
    },
    {
        title: "identical SECRET_KEY and JWT_SECRET_KEY",
        secretOverrides: { secretEnv: { SECRET_KEY: "a".repeat(40), JWT_SECRET_KEY: "a".repeat(40) } },
        expect: [K("secretEnv.SECRET_KEY"), K("secretEnv.JWT_SECRET_KEY"), /must differ/],
    },
    {
        title: "a broken capacity rule",
        overrides: { dbTier: "small", maxInstances: 20 },
        expect: [/capacity rule \(seed 004\)/, /\(dbPoolSize 10 \+ dbMaxOverflow 20\) x \(maxInstances 20 \+ workerMaxInstances 1\) \+ 10 = 640/, K("dbTier"), /allows at most 200/, /Use dbTier 'medium'/],
    },
    {
        title: "a capacity no tier can hold",
        overrides: { dbPoolSize: 100, dbMaxOverflow: 200, maxInstances: 50 },
        expect: [/= 15310/, /No tier is large enough/],
    },
    { title: "an unknown override field", overrides: { aws: { vpcCidr: "10.1.0.0/16", natPerAz: true } }, expect: [K("aws.natPerAz"), /allowed fields: vpcCidr, availabilityZones/] },
    { title: "a mistyped override value", overrides: { aws: { availabilityZones: 5 } }, expect: [K("aws.availabilityZones"), /allowed range: 2 to 3/] },
    { title: "production without a domain", stack: "prod", remove: ["domain", "dnsZone"], expect: [K("domain"), /production requires a domain/] },
    { title: "production without an alert address", stack: "prod", remove: ["alertEmail"], expect: [K("alertEmail"), /production requires an address/] },
    { title: "production below the instance floor", stack: "prod", overrides: { minInstances: 1 }, expect: [K("minInstances"), /production requires at least 2/] },
    { title: "production with short backups", stack: "prod", overrides: { dbBackupDays: 3 }, expect: [K("dbBackupDays"), /production requires at least 7/] },
    { title: "production without cache HA", stack: "prod", overrides: { cacheHa: false }, expect: [K("cacheHa"), /replicated cache/] },
    { title: "a domain with neither a DNS zone nor a certificate", overrides: { dnsZone: "" }, expect: [K("domain"), K("dnsZone"), K("aws.certificateArn")] },
    { title: "a domain outside its zone", overrides: { domain: "api.other.org" }, expect: [K("domain"), /is not inside/, K("dnsZone")] },
    { title: "an unknown key (with a suggestion)", overrides: { minInstance: 2 }, expect: [K("minInstance"), /not a configuration key/, /did you mean 'minInstances'/] },
    { title: "a non-integer", overrides: { maxInstances: "ten" }, expect: [K("maxInstances"), /whole number, got 'ten'/] },
    { title: "a non-boolean", overrides: { dbReadReplica: "yes" }, expect: [K("dbReadReplica"), /true or false, got 'yes'/] },
    { title: "a CPU size Fargate does not have", overrides: { cpu: 750 }, expect: [K("cpu"), /allowed values: 250, 500, 1000, 2000, 4000/] },
    { title: "a memory size Fargate does not pair with the CPU", overrides: { cpu: 1000, memoryMb: 1024 }, expect: [K("memoryMb"), K("cpu"), /2048 to 8192 MiB in steps of 1024/] },
    { title: "a platform-owned env var in env", overrides: { env: { DATABASE_URL: "postgres://x" } }, expect: [K("env.DATABASE_URL"), /set by the platform/] },
    { title: "a lower-case env var name", overrides: { env: { feature_flag: "on" } }, expect: [K("env.feature_flag"), /upper-case environment variable names/] },
    { title: "a readiness path AWS cannot probe", overrides: { readinessPath: "/ready" }, expect: [K("readinessPath"), /no separate readiness probe/, K("healthCheckPath")] },
    { title: "a missing image", remove: ["image"], expect: [K("image"), /is required/] },
    { title: "dbMaxStorageGb not above dbStorageGb", overrides: { dbStorageGb: 200, dbMaxStorageGb: 100 }, expect: [K("dbMaxStorageGb"), K("dbStorageGb"), /must be greater/] },
    { title: "an origin with a path", overrides: { corsOrigins: ["https://app.example.com/x"] }, expect: [K("corsOrigins"), /scheme and host, no path/] },
];

describe("configuration errors", () => {
    it("builds every cloud the schema names (aws, gcp, azure, kubernetes)", () => {
        assert.deepStrictEqual(availableClouds(), [...CLOUDS]);
    });

    for (const c of CASES) {
        it(`rejects ${c.title}, naming the key, before any resource`, async () => {
            const message = await rejected(c.stack ?? "staging", { overrides: c.overrides, secretOverrides: c.secretOverrides, remove: c.remove });
            for (const pattern of c.expect) assert.match(message, pattern);
        });
    }

    it("reports every problem at once, not just the first", async () => {
        const message = await rejected("prod", { overrides: { minInstances: 1, dbBackupDays: 2, cacheHa: false } });
        assert.match(message, /\(3 problems\)/);
    });

    for (const stack of STACKS) {
        it(`accepts the shipped ${stack} stack as it is`, async () => {
            const result = await run(stack);
            assert.strictEqual(result.error, undefined, result.error?.message);
            assert.ok(result.resources.length > 50);
        });
    }
});
