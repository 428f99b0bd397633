import { migrationContainerCommand } from "../components/dbroles";
import * as assert from "assert";
import { GCP_OVERRIDES, SCHEMA } from "../config/schema";
import type { RunResult, StackConfigInput } from "../tools/harness";
import { G, gcpContainer, plainEnvOf, secretEnvOf, secretValueOf, sqlFlags } from "./clouds/gcp";
import { CLOUD_INDEPENDENT_KEYS, deploy, ofType, only, rejected, run } from "./support";

/**
 * Every configuration key lands on the GCP argument it should, or is rejected before any resource
 * with a message naming it - so no key is silently ignored (the Nitric GCP `concurrency` bug). To
 * keep the suite fast, one staging run changes every key that can change together; the keys that
 * exclude each other get three more runs. The last test fails when a schema key or a GCP override
 * field has no case here.
 */
type Check = (r: RunResult) => void;

const gcp = (overrides: Record<string, unknown>, secretOverrides?: Record<string, unknown>): StackConfigInput =>
    ({ overrides: { cloud: "gcp", ...overrides }, secretOverrides });

/** One staging run with every key below changed from the stack's value (capacity: (15 + 5) x (5 + 3) + 10 = 170). */
const EVERYTHING_CHANGED = gcp({
    image: "registry.example.com/api:9.9.9", containerPort: 8080, cpu: 2000, memoryMb: 6144, minInstances: 2, maxInstances: 5,
    cpuTargetPercent: 55, healthCheckPath: "/healthz", readinessPath: "/readyz", workerImage: "registry.example.com/worker:2",
    workerCommand: ["celery", "-A", "app", "worker"], workerCpu: 2000, workerMemoryMb: 1536, workerMinInstances: 0, workerMaxInstances: 3,
    migrationCommand: ["python", "-m", "app.migrate"], dbVersion: 15, dbTier: "large", dbStorageGb: 50, dbMaxStorageGb: 300,
    dbBackupDays: 14, dbReadReplica: true, dbName: "orders", dbUser: "svc", dbPoolSize: 15, dbMaxOverflow: 5, dbPoolTimeout: 12,
    dbPoolRecycle: 1800, cacheTier: "large", cacheHa: true, cacheEnabled: false, cacheDefaultTtl: 60, domain: "v2.staging.example.com",
    dnsZone: "example.com", alertEmail: "oncall@example.org", corsOrigins: ["https://a.example.com", "https://b.example.com"],
    logLevel: "WARNING", logRetentionDays: 30, rateLimitPerMinute: 250, env: { FEATURE_X: "on" },
    tags: { "cost-center": "payments", "Team.Name": "Core API" }, gcp: { subnetCidr: "10.99.0.0/20" },
}, { secretEnv: { STRIPE_API_KEY: "sk_live_abcdefghijklmnop" } });

/** Production on the staging stack (floors met), with the production-only edge rate limit and a named DNS zone. */
const PRODUCTION = gcp({
    environment: "production", minInstances: 2, dbBackupDays: 7, cacheHa: true, edgeRateLimitPerMinute: 300,
    gcp: { dnsManagedZone: "acme-staging-zone", drRegion: "europe-west4" },
});

/** A domain whose DNS lives elsewhere, and an Enterprise Plus machine type. */
const OWN_DNS_AND_SQL_TIER = gcp({ dnsZone: "", gcp: { sqlTier: "db-perf-optimized-N-8" } });

const apiScaling = (r: RunResult) => only(r, G.run, "-api").plainInputs.template.scaling;
const workerScaling = (r: RunResult) => only(r, G.run, "-worker").plainInputs.template.scaling;
const primary = (r: RunResult) => only(r, G.sql, "-db").plainInputs;
const alertThreshold = (r: RunResult, policy: string) =>
    ofType(r, G.alert).find((p) => p.name.endsWith(`-${policy}`))!.plainInputs.conditions[0].conditionThreshold.thresholdValue;

/** The Managed Service for Prometheus sidecar's RunMonitoring document, as stored in Secret Manager. */
const runMonitoring = (r: RunResult) => JSON.parse(secretValueOf(r, "RUN_MONITORING_CONFIG"));

const LANDINGS: Record<string, [StackConfigInput, Check]> = {
    restore: [gcp({ restore: { from: "1732762800000", source: "fastapi-platform-prod-db-566480" } }), (r) => {
        assert.deepStrictEqual(primary(r).restoreBackupContext, { backupRunId: 1732762800000, instanceId: "fastapi-platform-prod-db-566480", project: "acme-fastapi-staging" });
        assert.strictEqual(ofType(r, "gcp:sql/database:Database").length, 0, "the database comes with the backup");
    }],
    cloud: [EVERYTHING_CHANGED, (r) => assert.ok(r.resources.some((x) => x.type === "fastapi-platform:gcp:Platform"))],
    environment: [PRODUCTION, (r) => {
        assert.strictEqual(primary(r).settings.availabilityType, "REGIONAL");
        assert.strictEqual(primary(r).settings.backupConfiguration.transactionLogRetentionDays, 6, "fewer log days than the 7 retained backups");
        assert.strictEqual(plainEnvOf(gcpContainer(r, "api")).ENVIRONMENT, "production");
        assert.strictEqual(only(r, G.redis).protect, true);
    }],
    image: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(gcpContainer(r, "api").image, "registry.example.com/api:9.9.9");
        assert.strictEqual(gcpContainer(r, "migrations").image, "registry.example.com/api:9.9.9");
    }],
    containerPort: [EVERYTHING_CHANGED, (r) => {
        const api = gcpContainer(r, "api");
        assert.strictEqual(api.ports.containerPort, 8080);
        for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) assert.strictEqual(api[probe].httpGet.port, 8080, probe);
        assert.strictEqual(gcpContainer(r, "worker").ports.containerPort, 8080);
        assert.strictEqual(gcpContainer(r, "worker").startupProbe.tcpSocket.port, 8080);
    }],
    cpu: [EVERYTHING_CHANGED, (r) => assert.strictEqual(gcpContainer(r, "api").resources.limits.cpu, "2")],
    memoryMb: [EVERYTHING_CHANGED, (r) => assert.strictEqual(gcpContainer(r, "api").resources.limits.memory, "6144Mi")],
    minInstances: [EVERYTHING_CHANGED, (r) => assert.strictEqual(apiScaling(r).minInstanceCount, 2)],
    maxInstances: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(apiScaling(r).maxInstanceCount, 5);
        assert.strictEqual(alertThreshold(r, "api-at-max-instances"), 4);
    }],
    cpuTargetPercent: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(apiScaling(r).cpuUtilization, 0.55);
        assert.strictEqual(workerScaling(r).cpuUtilization, 0.55);
    }],
    healthCheckPath: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(gcpContainer(r, "api").startupProbe.httpGet.path, "/healthz");
        assert.strictEqual(gcpContainer(r, "api").livenessProbe.httpGet.path, "/healthz");
        assert.strictEqual(only(r, G.uptime).plainInputs.httpCheck.path, "/healthz");
    }],
    readinessPath: [EVERYTHING_CHANGED, (r) => assert.strictEqual(gcpContainer(r, "api").readinessProbe.httpGet.path, "/readyz")],
    workerImage: [EVERYTHING_CHANGED, (r) => assert.strictEqual(gcpContainer(r, "worker").image, "registry.example.com/worker:2")],
    workerCommand: [EVERYTHING_CHANGED, (r) => assert.deepStrictEqual(gcpContainer(r, "worker").args, ["celery", "-A", "app", "worker"])],
    workerCpu: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(gcpContainer(r, "worker").resources.limits.cpu, "2");
        assert.strictEqual(gcpContainer(r, "migrations").resources.limits.cpu, "2");
    }],
    workerMemoryMb: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(gcpContainer(r, "worker").resources.limits.memory, "1536Mi");
        assert.strictEqual(gcpContainer(r, "migrations").resources.limits.memory, "1536Mi");
    }],
    workerMinInstances: [EVERYTHING_CHANGED, (r) => assert.strictEqual(workerScaling(r).minInstanceCount, 0)],
    workerMaxInstances: [EVERYTHING_CHANGED, (r) => assert.strictEqual(workerScaling(r).maxInstanceCount, 3)],
    migrationCommand: [EVERYTHING_CHANGED, (r) => assert.deepStrictEqual(gcpContainer(r, "migrations").args, migrationContainerCommand(["python", "-m", "app.migrate"]))],
    dbVersion: [EVERYTHING_CHANGED, (r) => {
        for (const db of ofType(r, G.sql)) assert.strictEqual(db.plainInputs.databaseVersion, "POSTGRES_15");
    }],
    dbTier: [EVERYTHING_CHANGED, (r) => assert.strictEqual(primary(r).settings.tier, "db-custom-8-32768")],
    dbStorageGb: [EVERYTHING_CHANGED, (r) => assert.strictEqual(primary(r).settings.diskSize, 50)],
    dbMaxStorageGb: [EVERYTHING_CHANGED, (r) => assert.strictEqual(primary(r).settings.diskAutoresizeLimit, 300)],
    dbBackupDays: [EVERYTHING_CHANGED, (r) => assert.strictEqual(primary(r).settings.backupConfiguration.backupRetentionSettings.retainedBackups, 14)],
    dbReadReplica: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(ofType(r, G.sql).filter((db) => db.plainInputs.masterInstanceName).length, 1);
        assert.ok(secretEnvOf(gcpContainer(r, "api")).DATABASE_READ_URL);
    }],
    dbName: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(only(r, G.sqlDatabase).plainInputs.name, "orders");
        assert.match(secretValueOf(r, "DATABASE_URL"), /\/orders\?ssl=require$/);
    }],
    dbUser: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(only(r, G.sqlUser).plainInputs.name, "svc");
        assert.match(secretValueOf(r, "DATABASE_URL"), /^postgresql\+asyncpg:\/\/svc_runtime:/);
    }],
    dbPoolSize: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(plainEnvOf(gcpContainer(r, "api")).DB_POOL_SIZE, "15");
        assert.strictEqual(sqlFlags(only(r, G.sql, "-db")).max_connections, "170");
    }],
    dbMaxOverflow: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(plainEnvOf(gcpContainer(r, "worker")).DB_MAX_OVERFLOW, "5");
        assert.strictEqual(sqlFlags(only(r, G.sql, "-db-replica")).max_connections, "170");
        assert.strictEqual(alertThreshold(r, "db-connections"), 136);
    }],
    dbPoolTimeout: [EVERYTHING_CHANGED, (r) => assert.strictEqual(plainEnvOf(gcpContainer(r, "api")).DB_POOL_TIMEOUT, "12")],
    dbPoolRecycle: [EVERYTHING_CHANGED, (r) => assert.strictEqual(plainEnvOf(gcpContainer(r, "migrations")).DB_POOL_RECYCLE, "1800")],
    cacheTier: [EVERYTHING_CHANGED, (r) => assert.strictEqual(only(r, G.redis).plainInputs.memorySizeGb, 26)],
    cacheHa: [EVERYTHING_CHANGED, (r) => assert.strictEqual(only(r, G.redis).plainInputs.tier, "STANDARD_HA")],
    cacheEnabled: [EVERYTHING_CHANGED, (r) => assert.strictEqual(plainEnvOf(gcpContainer(r, "api")).CACHE_ENABLED, "false")],
    cacheDefaultTtl: [EVERYTHING_CHANGED, (r) => assert.strictEqual(plainEnvOf(gcpContainer(r, "api")).CACHE_DEFAULT_TTL, "60")],
    domain: [EVERYTHING_CHANGED, (r) => {
        assert.deepStrictEqual(only(r, G.certificate).plainInputs.managed.domains, ["v2.staging.example.com"]);
        assert.strictEqual(only(r, G.record).plainInputs.name, "v2.staging.example.com.");
        assert.strictEqual(only(r, G.uptime).plainInputs.monitoredResource.labels.host, "v2.staging.example.com");
        assert.strictEqual(r.outputs.url, "https://v2.staging.example.com");
    }],
    dnsZone: [EVERYTHING_CHANGED, (r) => {
        assert.ok(r.invokes.some((i) => i.token === "gcp:dns/getManagedZones:getManagedZones"));
        assert.strictEqual(only(r, G.record).plainInputs.managedZone, "example-com");
    }],
    alertEmail: [EVERYTHING_CHANGED, (r) => assert.deepStrictEqual(only(r, G.channel).plainInputs.labels, { email_address: "oncall@example.org" })],
    corsOrigins: [EVERYTHING_CHANGED, (r) => assert.strictEqual(plainEnvOf(gcpContainer(r, "api")).CORS_ORIGINS, "https://a.example.com,https://b.example.com")],
    maxRequestBodyMb: [gcp({ environment: "production", minInstances: 2, dbBackupDays: 7, cacheHa: true, maxRequestBodyMb: 20, gcp: { drRegion: "europe-west4" } }), (r) => {
        const rule = only(r, G.armor).plainInputs.rules.find((x: { priority: number }) => x.priority === 900);
        const pattern = /matches\('([^']+)'\)/.exec(rule.match.expr.expression)![1];
        assert.deepStrictEqual([new RegExp(pattern).test(String(20 * 1024 * 1024)), new RegExp(pattern).test(String(20 * 1024 * 1024 + 1))], [false, true]);
    }],
    requestTimeoutSeconds: [gcp({ requestTimeoutSeconds: 120 }), (r) => assert.strictEqual(only(r, G.run, "-api").plainInputs.template.timeout, "120s")],
    databaseUrlStyle: [gcp({ databaseUrlStyle: "libpq" }), (r) => assert.match(secretValueOf(r, "DATABASE_URL"), /^postgresql:\/\/app_runtime:.*\?sslmode=require$/)],
    templateEnvAliases: [gcp({ templateEnvAliases: true }), (r) => assert.strictEqual(plainEnvOf(gcpContainer(r, "api")).POSTGRES_USER, "app_runtime")],
    logLevel: [EVERYTHING_CHANGED, (r) => assert.strictEqual(plainEnvOf(gcpContainer(r, "worker")).LOG_LEVEL, "WARNING")],
    logRetentionDays: [EVERYTHING_CHANGED, (r) => assert.strictEqual(only(r, G.logBucket).plainInputs.retentionDays, 30)],
    rateLimitPerMinute: [EVERYTHING_CHANGED, (r) => assert.strictEqual(plainEnvOf(gcpContainer(r, "api")).RATE_LIMIT_PER_MINUTE, "250")],
    edgeRateLimitPerMinute: [PRODUCTION, (r) => {
        const rule = only(r, G.armor).plainInputs.rules.find((x: { rateLimitOptions?: unknown }) => x.rateLimitOptions);
        assert.deepStrictEqual(rule.rateLimitOptions.rateLimitThreshold, { count: 300, intervalSec: 60 });
    }],
    env: [EVERYTHING_CHANGED, (r) => {
        for (const role of ["api", "worker", "migrations"] as const) assert.strictEqual(plainEnvOf(gcpContainer(r, role)).FEATURE_X, "on");
    }],
    secretEnv: [EVERYTHING_CHANGED, (r) => {
        assert.deepStrictEqual(secretEnvOf(gcpContainer(r, "api")).STRIPE_API_KEY, { secret: "fastapi-platform-staging-STRIPE_API_KEY", version: "1" });
        assert.strictEqual(secretValueOf(r, "STRIPE_API_KEY"), "sk_live_abcdefghijklmnop");
        assert.ok(!JSON.stringify(gcpContainer(r, "api")).includes("sk_live_"));
    }],
    metricsPath: [gcp({ metricsPath: "/internal/metrics" }), (r) => assert.strictEqual(runMonitoring(r).spec.endpoints[0].path, "/internal/metrics")],
    metricsPort: [gcp({ metricsPort: 9100 }), (r) => assert.strictEqual(runMonitoring(r).spec.endpoints[0].port, 9100)],
    tags: [EVERYTHING_CHANGED, (r) => {
        const labels = only(r, G.redis).plainInputs.labels;
        assert.strictEqual(labels["cost-center"], "payments");
        assert.strictEqual(labels.team_name, "core_api", "label keys and values are lower-case, other characters become '_'");
        assert.strictEqual(only(r, G.run, "-api").plainInputs.labels["managed-by"], "pulumi");
    }],
};

const GCP_LANDINGS: Record<keyof typeof GCP_OVERRIDES, [StackConfigInput, Check]> = {
    drRegion: [PRODUCTION, (r) => {
        assert.deepStrictEqual(only(r, "gcp:storage/bucket:Bucket", "-app-bucket").plainInputs.customPlacementConfig.dataLocations, ["EUROPE-WEST1", "EUROPE-WEST4"]);
        assert.strictEqual(primary(r).settings.backupConfiguration.location, "europe-west4");
    }],
    subnetCidr: [EVERYTHING_CHANGED, (r) => assert.strictEqual(only(r, G.subnet).plainInputs.ipCidrRange, "10.99.0.0/20")],
    sqlTier: [OWN_DNS_AND_SQL_TIER, (r) => {
        assert.strictEqual(primary(r).settings.tier, "db-perf-optimized-N-8");
        assert.strictEqual(primary(r).settings.edition, "ENTERPRISE_PLUS");
    }],
    dnsManagedZone: [PRODUCTION, (r) => {
        assert.strictEqual(only(r, G.record).plainInputs.managedZone, "acme-staging-zone");
        assert.ok(!r.invokes.some((i) => i.token === "gcp:dns/getManagedZones:getManagedZones"), "a named zone is not looked up");
    }],
};

const K = (key: string) => new RegExp(`fastapi-platform:${key.replace(/[.]/g, "\\.")}\\b`);

interface BadCase { title: string; input: StackConfigInput; expect: RegExp[] }

/** Keys GCP cannot honour, and values GCP does not allow: each fails before any resource, naming the key. */
const REJECTED: Record<string, BadCase> = {
    memoryTargetPercent: {
        title: "a memory scaling target (Cloud Run does not scale on memory)",
        input: gcp({ memoryTargetPercent: 65 }),
        expect: [K("memoryTargetPercent"), /does not scale on memory/, K("cpuTargetPercent")],
    },
};

const BAD_INPUT: BadCase[] = [
    { title: "more memory than Cloud Run gives 1 vCPU", input: gcp({ cpu: 1000, memoryMb: 8192 }), expect: [K("memoryMb"), K("cpu"), /allowed: 512 to 4096 MiB/] },
    { title: "less memory than Cloud Run needs with 4 vCPU", input: gcp({ workerCpu: 4000, workerMemoryMb: 1024 }), expect: [K("workerMemoryMb"), K("workerCpu"), /allowed: 2048 to 16384 MiB/] },
    { title: "a log retention beyond Cloud Logging's 3650 days", input: gcp({ logRetentionDays: 3653 }), expect: [K("logRetentionDays"), /at most 3650 days/] },
    { title: "a rate limit beyond Cloud Armor's ceiling", input: gcp({ edgeRateLimitPerMinute: 5_000_000 }), expect: [K("edgeRateLimitPerMinute"), /at most 1000000/] },
    { title: "two tags that become the same label", input: gcp({ tags: { Team: "a", team: "b" } }), expect: [K("tags.Team"), K("tags.team"), /GCP label 'team'/] },
    { title: "an env var Cloud Run sets itself", input: gcp({ env: { K_SERVICE: "api" } }), expect: [K("env.K_SERVICE"), /set by Cloud Run/] },
    { title: "a secret env var Cloud Run sets itself", input: gcp({}, { secretEnv: { CLOUD_RUN_JOB: "x" } }), expect: [K("secretEnv.CLOUD_RUN_JOB"), /set by Cloud Run/] },
    { title: "a secret named like the Memorystore CA secret", input: gcp({}, { secretEnv: { REDIS_CA_CERT: "x" } }), expect: [K("secretEnv.REDIS_CA_CERT"), /Memorystore's CA certificate/] },
    { title: "a database user Cloud SQL creates itself", input: gcp({ dbUser: "postgres" }), expect: [K("dbUser"), /'postgres' is a role Cloud SQL creates or reserves/] },
    { title: "a database user in Cloud SQL's reserved prefix", input: gcp({ dbUser: "cloudsqlapp" }), expect: [K("dbUser"), /Cloud SQL creates or reserves/] },
    { title: "a database Cloud SQL already has", input: gcp({ dbName: "postgres" }), expect: [K("dbName"), /already has/] },
    { title: "a public subnet range", input: gcp({ gcp: { subnetCidr: "203.0.113.0/24" } }), expect: [K("gcp.subnetCidr"), /not a private \(RFC 1918\) range/] },
    { title: "a subnet range with host bits set", input: gcp({ gcp: { subnetCidr: "10.50.1.0/20" } }), expect: [K("gcp.subnetCidr"), /host bits are set/] },
    { title: "a subnet too small for direct VPC egress", input: gcp({ gcp: { subnetCidr: "10.50.0.0/28" } }), expect: [K("gcp.subnetCidr"), /from \/16 to \/24/] },
    { title: "a Cloud SQL tier that is not one", input: gcp({ gcp: { sqlTier: "n2-standard-4" } }), expect: [K("gcp.sqlTier"), /a Cloud SQL tier such as/] },
    { title: "a named Cloud DNS zone without dnsZone", input: gcp({ dnsZone: "", gcp: { dnsManagedZone: "example-com" } }), expect: [K("gcp.dnsManagedZone"), K("dnsZone")] },
    { title: "an unknown GCP override field", input: gcp({ gcp: { vpcCidr: "10.1.0.0/16" } }), expect: [K("gcp.vpcCidr"), /allowed fields: subnetCidr, sqlTier, dnsManagedZone/] },
    { title: "a stack without gcp:project", input: { ...gcp({}), remove: ["gcp:project"] }, expect: [/gcp:project is not set/] },
    { title: "a stack without gcp:region", input: { ...gcp({}), remove: ["gcp:region"] }, expect: [/gcp:region is not set/] },
];

describe("GCP: every config key lands on its provider argument", () => {
    for (const [key, [input, check]] of Object.entries(LANDINGS)) {
        it(key, async () => check(await deploy("staging", input)));
    }
    for (const [field, [input, check]] of Object.entries(GCP_LANDINGS)) {
        it(`gcp.${field}`, async () => check(await deploy("staging", input)));
    }

    it("serves the run.app URL, open to the internet, when a staging stack has no domain", async () => {
        const r = await deploy("staging", gcp({ domain: "", dnsZone: "" }));
        const api = only(r, G.run, "-api");
        assert.strictEqual(r.outputs.url, api.state.uri);
        assert.match(String(r.outputs.url), /\.run\.app$/);
        assert.strictEqual(api.plainInputs.ingress, "INGRESS_TRAFFIC_ALL");
        for (const type of [G.forwardingRule, G.certificate, G.record, G.uptime]) assert.deepStrictEqual(ofType(r, type), [], type);
    });

    it("leaves the A record to the team when the domain's DNS is not in a zone of this stack", async () => {
        const r = await deploy("staging", OWN_DNS_AND_SQL_TIER);
        assert.deepStrictEqual(ofType(r, G.record), []);
        assert.deepStrictEqual(only(r, G.certificate).plainInputs.managed.domains, ["api.staging.example.com"]);
    });

    it("fails the preview, naming dnsZone, when the project has no Cloud DNS zone for it", async () => {
        const r = await run("staging", gcp({ domain: "api.other.org", dnsZone: "other.org" }));
        assert.match(r.error?.message ?? "", /no public Cloud DNS zone for 'other\.org'.*fastapi-platform:dnsZone.*fastapi-platform:gcp\.dnsManagedZone/);
    });

    for (const [key, c] of Object.entries(REJECTED)) {
        it(`${key}: rejects ${c.title}, naming the key, before any resource`, async () => {
            const message = await rejected("staging", c.input);
            for (const pattern of c.expect) assert.match(message, pattern);
        });
    }

    it("accepts memoryTargetPercent at its default, which nothing on GCP reads (as AWS treats readinessPath)", async () => {
        await deploy("staging", gcp({}));
    });

    it("has a landing or a rejection for every schema key, and a landing for every GCP override field", () => {
        const blocks = ["aws", "gcp", "azure", "kubernetes", ...CLOUD_INDEPENDENT_KEYS];
        assert.deepStrictEqual(Object.keys(SCHEMA).filter((k) => !blocks.includes(k) && !(k in LANDINGS) && !(k in REJECTED)), []);
        assert.deepStrictEqual(Object.keys(GCP_OVERRIDES).filter((k) => !(k in GCP_LANDINGS)), []);
    });
});

describe("GCP: bad configuration fails before any resource, naming the key", () => {
    for (const c of BAD_INPUT) {
        it(`rejects ${c.title}`, async () => {
            const message = await rejected("staging", c.input);
            for (const pattern of c.expect) assert.match(message, pattern);
        });
    }
});
