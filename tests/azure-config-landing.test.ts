import { migrationContainerCommand } from "../components/dbroles";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AZURE_OVERRIDES, SCHEMA } from "../config/schema";
import type { RunResult, StackConfigInput } from "../tools/harness";
import { appSettings, azureContainer, containerEnv, onAzure, primaryServer, secretUri, serverParameters, vaultValue, Z } from "./clouds/azure";
import { CLOUD_INDEPENDENT_KEYS, deploy, ofType, only, rejected, run } from "./support";

/**
 * Every configuration key and every `azure` override field lands on the Azure argument it should,
 * or is rejected before any resource with a message naming it - so no key is silently ignored (the
 * Nitric GCP `concurrency` bug). To keep the suite fast, one staging run changes every key that can
 * change together; keys that exclude each other get a production run of their own. The last test
 * fails when a schema key or an Azure override field has no case here.
 */
type Check = (r: RunResult) => void;

const azure = (overrides: Record<string, unknown>, secretOverrides?: Record<string, unknown>): StackConfigInput =>
    ({ overrides: { cloud: "azure", ...overrides }, ...(secretOverrides ? { secretOverrides } : {}) });

/** One staging run with every key below changed from the stack's value (capacity: (15 + 5) x (5 + 3) + 10 = 170). */
const EVERYTHING_CHANGED = azure({
    image: "registry.example.com/api:9.9.9", containerPort: 8080, cpu: 4000, minInstances: 2, maxInstances: 5,
    cpuTargetPercent: 55, memoryTargetPercent: 65, healthCheckPath: "/healthz", workerImage: "registry.example.com/worker:2",
    workerCommand: ["celery", "-A", "app", "worker"], workerCpu: 1000, workerMinInstances: 2, workerMaxInstances: 3,
    migrationCommand: ["python", "-m", "app.migrate"], dbVersion: 15, dbTier: "large", dbStorageGb: 50, dbMaxStorageGb: 300,
    dbBackupDays: 14, dbReadReplica: true, dbName: "orders", dbUser: "svc", dbPoolSize: 15, dbMaxOverflow: 5, dbPoolTimeout: 12,
    dbPoolRecycle: 1800, cacheTier: "large", cacheHa: true, cacheEnabled: false, cacheDefaultTtl: 60, domain: "v2.staging.example.com",
    dnsZone: "example.com", alertEmail: "oncall@example.org", corsOrigins: ["https://a.example.com", "https://b.example.com"],
    logLevel: "WARNING", logRetentionDays: 60, rateLimitPerMinute: 250, env: { FEATURE_X: "on" },
    tags: { "cost-center": "payments" },
    azure: { vnetCidr: "10.60.0.0/16", pgBouncer: true, dnsZoneResourceGroup: "dns-zones" },
}, { secretEnv: { STRIPE_API_KEY: "sk_live_abcdefghijklmnop" } });

/** Production on the staging stack (its floors met), with the production-only edge rate limit and sizes that need a run of their own. */
const PRODUCTION = azure({
    environment: "production", minInstances: 3, maxInstances: 3, dbTier: "medium", dbBackupDays: 7, cacheHa: true,
    edgeRateLimitPerMinute: 300, memoryMb: 16384, workerMemoryMb: 3072, azure: { drRegion: "northeurope" },
});

const api = (r: RunResult) => only(r, Z.webApp);
const settings = (r: RunResult) => appSettings(api(r));
const workerEnv = (r: RunResult) => containerEnv(azureContainer(r, "worker")).plain;
const autoscaleRules = (r: RunResult) =>
    only(r, Z.autoscale).plainInputs.profiles[0].rules.map((rule: any) => `${rule.metricTrigger.metricName} ${rule.metricTrigger.operator} ${rule.metricTrigger.threshold}`);
const workerScale = (r: RunResult) => only(r, Z.containerApp).plainInputs.template.scale;
const alertCriterion = (r: RunResult, suffix: string) => ofType(r, Z.alert).find((a) => a.name.endsWith(`-${suffix}`))!.plainInputs.criteria.allOf[0];

interface Landing { input?: StackConfigInput; check: Check }

const RESTORE_SOURCE = "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/fastapi-platform-prod-rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/fastapi-platform-prod-pg-566480";
const LANDINGS: Record<string, Landing> = {
    restore: { input: azure({ restore: { pointInTime: "2026-11-27T22:15:00Z", source: RESTORE_SOURCE } }), check: (r) => {
        const server = primaryServer(r).plainInputs;
        assert.strictEqual(server.createMode, "PointInTimeRestore");
        assert.strictEqual(server.sourceServerResourceId, RESTORE_SOURCE);
        assert.strictEqual(server.pointInTimeUTC, "2026-11-27T22:15:00Z");
    } },
    cloud: { input: onAzure, check: (r) => assert.ok(r.resources.some((x) => x.type === Z.platform)) },
    environment: { input: PRODUCTION, check: (r) => {
        assert.strictEqual(primaryServer(r).plainInputs.highAvailability.mode, "ZoneRedundant");
        assert.strictEqual(only(r, Z.plan).plainInputs.zoneRedundant, true);
        assert.strictEqual(settings(r).ENVIRONMENT, "production");
        assert.strictEqual(ofType(r, Z.slot).length, 1);
    } },
    image: { check: (r) => {
        assert.strictEqual(api(r).plainInputs.siteConfig.linuxFxVersion, "DOCKER|registry.example.com/api:9.9.9");
        assert.strictEqual(azureContainer(r, "migrations").image, "registry.example.com/api:9.9.9");
    } },
    containerPort: { check: (r) => {
        assert.strictEqual(settings(r).WEBSITES_PORT, "8080");
        assert.strictEqual(settings(r).PORT, "8080");
        assert.strictEqual(workerEnv(r).PORT, "8080");
    } },
    cpu: { check: (r) => assert.strictEqual(only(r, Z.plan).plainInputs.sku.name, "P2v3") },
    memoryMb: { input: PRODUCTION, check: (r) => assert.strictEqual(only(r, Z.plan).plainInputs.sku.name, "P1mv3") },
    minInstances: { check: (r) => {
        assert.strictEqual(only(r, Z.autoscale).plainInputs.profiles[0].capacity.minimum, "2");
        assert.strictEqual(only(r, Z.plan).plainInputs.sku.capacity, 2);
    } },
    maxInstances: { check: (r) => assert.strictEqual(only(r, Z.autoscale).plainInputs.profiles[0].capacity.maximum, "5") },
    cpuTargetPercent: { check: (r) => {
        assert.ok(autoscaleRules(r).includes("CpuPercentage GreaterThan 55") && autoscaleRules(r).includes("CpuPercentage LessThan 35"));
        assert.strictEqual(workerScale(r).rules.find((rule: any) => rule.name === "cpu").custom.metadata.value, "55");
    } },
    memoryTargetPercent: { check: (r) => {
        assert.ok(autoscaleRules(r).includes("MemoryPercentage GreaterThan 65") && autoscaleRules(r).includes("MemoryPercentage LessThan 45"));
        assert.strictEqual(workerScale(r).rules.find((rule: any) => rule.name === "memory").custom.metadata.value, "65");
    } },
    healthCheckPath: { check: (r) => {
        assert.strictEqual(api(r).plainInputs.siteConfig.healthCheckPath, "/healthz");
        assert.strictEqual(only(r, Z.originGroup).plainInputs.healthProbeSettings.probePath, "/healthz");
        assert.strictEqual(settings(r).WEBSITE_SWAP_WARMUP_PING_PATH, "/healthz");
    } },
    // App Service has one health check: a non-default readinessPath is rejected (below).
    readinessPath: { input: onAzure, check: (r) => assert.ok(!JSON.stringify(r.resources.map((x) => x.plainInputs)).includes("/health/ready")) },
    // Nothing scrapes on Azure: the app exports to Application Insights itself, so non-default values are rejected (below).
    metricsPath: { input: onAzure, check: (r) => {
        assert.strictEqual(settings(r).OTEL_SERVICE_NAME, "fastapi-platform-staging-api");
        assert.strictEqual(workerEnv(r).OTEL_SERVICE_NAME, "fastapi-platform-staging-worker");
        assert.ok(!JSON.stringify(r.resources.map((x) => x.plainInputs)).includes("/metrics"));
    } },
    metricsPort: { input: onAzure, check: (r) => assert.ok(settings(r).APPLICATIONINSIGHTS_CONNECTION_STRING.startsWith("InstrumentationKey=")) },
    workerImage: { check: (r) => {
        assert.strictEqual(azureContainer(r, "worker").image, "registry.example.com/worker:2");
        assert.strictEqual(azureContainer(r, "migrations").image, "registry.example.com/api:9.9.9");
    } },
    workerCommand: { check: (r) => assert.deepStrictEqual(azureContainer(r, "worker").args, ["celery", "-A", "app", "worker"]) },
    workerCpu: { check: (r) => assert.deepStrictEqual(azureContainer(r, "worker").resources, { cpu: 1, memory: "2Gi" }) },
    workerMemoryMb: { input: PRODUCTION, check: (r) => {
        assert.deepStrictEqual(azureContainer(r, "worker").resources, { cpu: 1.5, memory: "3Gi" });
        assert.deepStrictEqual(azureContainer(r, "migrations").resources, { cpu: 1.5, memory: "3Gi" });
    } },
    workerMinInstances: { check: (r) => assert.strictEqual(workerScale(r).minReplicas, 2) },
    workerMaxInstances: { check: (r) => assert.strictEqual(workerScale(r).maxReplicas, 3) },
    migrationCommand: { check: (r) => assert.deepStrictEqual(azureContainer(r, "migrations").args, migrationContainerCommand(["python", "-m", "app.migrate"])) },
    dbVersion: { check: (r) => assert.ok(ofType(r, Z.server).every((s) => s.plainInputs.version === "15")) },
    dbTier: { check: (r) => assert.deepStrictEqual(primaryServer(r).plainInputs.sku, { name: "Standard_E4ds_v5", tier: "MemoryOptimized" }) },
    dbStorageGb: { check: (r) => assert.strictEqual(primaryServer(r).plainInputs.storage.storageSizeGB, 64) },
    dbMaxStorageGb: { check: (r) => {
        const ceiling = alertCriterion(r, "db-storage-ceiling");
        assert.deepStrictEqual([ceiling.metricName, ceiling.threshold], ["storage_used", 270e9]);
    } },
    dbBackupDays: { check: (r) => assert.strictEqual(primaryServer(r).plainInputs.backup.backupRetentionDays, 14) },
    dbReadReplica: { check: (r) => {
        const replica = ofType(r, Z.server).find((s) => s.plainInputs.createMode === "Replica")!;
        assert.strictEqual(replica.plainInputs.sourceServerResourceId, primaryServer(r).state.id);
        assert.strictEqual(settings(r).DATABASE_READ_URL, `@Microsoft.KeyVault(SecretUri=${secretUri(r, "DATABASE_READ_URL")})`);
        assert.ok(vaultValue(r, "DATABASE_READ_URL").includes(`@${replica.state.fullyQualifiedDomainName}:`));
        assert.strictEqual(r.outputs.databaseReadReplicaHost, replica.state.fullyQualifiedDomainName);
    } },
    dbName: { check: (r) => {
        assert.strictEqual(only(r, Z.database).plainInputs.databaseName, "orders");
        assert.match(vaultValue(r, "DATABASE_URL"), /\/orders\?ssl=require$/);
    } },
    dbUser: { check: (r) => {
        assert.strictEqual(primaryServer(r).plainInputs.administratorLogin, "svc");
        assert.match(vaultValue(r, "DATABASE_URL"), /^postgresql\+asyncpg:\/\/svc_runtime:/);
    } },
    dbPoolSize: { check: (r) => {
        assert.strictEqual(settings(r).DB_POOL_SIZE, "15");
        assert.strictEqual(serverParameters(r, primaryServer(r)).max_connections, String((15 + 5) * (5 + 3) + 10 + 15));
    } },
    dbMaxOverflow: { check: (r) => {
        assert.strictEqual(workerEnv(r).DB_MAX_OVERFLOW, "5");
        assert.strictEqual(alertCriterion(r, "db-connections").threshold, Math.floor(((15 + 5) * (5 + 3) + 10) * 0.8));
    } },
    dbPoolTimeout: { check: (r) => assert.strictEqual(settings(r).DB_POOL_TIMEOUT, "12") },
    dbPoolRecycle: { check: (r) => assert.strictEqual(workerEnv(r).DB_POOL_RECYCLE, "1800") },
    cacheTier: { check: (r) => assert.deepStrictEqual(only(r, Z.redis).plainInputs.sku, { name: "Premium", family: "P", capacity: 3 }) },
    cacheHa: { check: (r) => {
        const redis = only(r, Z.redis).plainInputs;
        assert.deepStrictEqual([redis.sku.name, redis.replicasPerPrimary, redis.zonalAllocationPolicy], ["Premium", 1, "Automatic"]);
    } },
    cacheEnabled: { check: (r) => assert.strictEqual(settings(r).CACHE_ENABLED, "false") },
    cacheDefaultTtl: { check: (r) => assert.strictEqual(workerEnv(r).CACHE_DEFAULT_TTL, "60") },
    domain: { check: (r) => {
        assert.strictEqual(only(r, Z.customDomain).plainInputs.hostName, "v2.staging.example.com");
        assert.strictEqual(r.outputs.url, "https://v2.staging.example.com");
    } },
    dnsZone: { check: (r) => {
        const lookup = r.invokes.find((i) => i.token === "azure-native:dns:getZone")!;
        assert.deepStrictEqual([lookup.inputs.zoneName, lookup.inputs.resourceGroupName], ["example.com", "dns-zones"]);
        const records = ofType(r, Z.recordSet).map((x) => `${x.plainInputs.recordType} ${x.plainInputs.relativeRecordSetName} @ ${x.plainInputs.zoneName}`).sort();
        assert.deepStrictEqual(records, ["CNAME v2.staging @ example.com", "TXT _dnsauth.v2.staging @ example.com"]);
    } },
    alertEmail: { check: (r) => assert.deepStrictEqual(only(r, Z.actionGroup).plainInputs.emailReceivers.map((e: { emailAddress: string }) => e.emailAddress), ["oncall@example.org"]) },
    corsOrigins: { check: (r) => assert.strictEqual(settings(r).CORS_ORIGINS, "https://a.example.com,https://b.example.com") },
    maxRequestBodyMb: { input: { ...PRODUCTION, overrides: { ...PRODUCTION.overrides, maxRequestBodyMb: 20 } }, check: (r) => {
        const rule = only(r, Z.waf).plainInputs.customRules.rules.find((x: { name: string }) => x.name === "MaxRequestBody");
        assert.deepStrictEqual(rule.matchConditions[0], { matchVariable: "RequestHeader", selector: "Content-Length", operator: "GreaterThan", matchValue: [String(20 * 1024 * 1024)] });
    } },
    requestTimeoutSeconds: { input: azure({ requestTimeoutSeconds: 120 }), check: (r) => assert.strictEqual(only(r, "azure-native:cdn:Profile").plainInputs.originResponseTimeoutSeconds, 120) },
    databaseUrlStyle: { input: azure({ databaseUrlStyle: "psycopg" }), check: (r) => assert.match(vaultValue(r, "DATABASE_URL"), /^postgresql\+psycopg2:\/\/app_runtime:.*\?sslmode=require$/) },
    templateEnvAliases: { input: azure({ templateEnvAliases: true }), check: (r) => assert.strictEqual(settings(r).POSTGRES_USER, "app_runtime") },
    logLevel: { check: (r) => {
        assert.strictEqual(settings(r).LOG_LEVEL, "WARNING");
        assert.strictEqual(containerEnv(azureContainer(r, "migrations")).plain.LOG_LEVEL, "WARNING");
    } },
    logRetentionDays: { check: (r) => assert.strictEqual(only(r, Z.workspace).plainInputs.retentionInDays, 60) },
    rateLimitPerMinute: { check: (r) => assert.strictEqual(settings(r).RATE_LIMIT_PER_MINUTE, "250") },
    edgeRateLimitPerMinute: { input: PRODUCTION, check: (r) => assert.strictEqual(only(r, Z.waf).plainInputs.customRules.rules[0].rateLimitThreshold, 300) },
    env: { check: (r) => {
        assert.strictEqual(settings(r).FEATURE_X, "on");
        for (const role of ["worker", "migrations"] as const) assert.strictEqual(containerEnv(azureContainer(r, role)).plain.FEATURE_X, "on");
    } },
    secretEnv: { check: (r) => {
        assert.strictEqual(vaultValue(r, "STRIPE_API_KEY"), "sk_live_abcdefghijklmnop");
        assert.strictEqual(settings(r).STRIPE_API_KEY, `@Microsoft.KeyVault(SecretUri=${secretUri(r, "STRIPE_API_KEY")})`);
        assert.strictEqual(containerEnv(azureContainer(r, "worker")).secretRefs.STRIPE_API_KEY, "stripe-api-key");
        for (const resource of [api(r), only(r, Z.containerApp), only(r, Z.job)]) assert.ok(!JSON.stringify(resource.plainInputs).includes("sk_live_"));
    } },
    tags: { check: (r) => {
        assert.strictEqual(only(r, Z.vnet).plainInputs.tags["cost-center"], "payments");
        assert.strictEqual(primaryServer(r).plainInputs.tags["cost-center"], "payments");
        assert.strictEqual(primaryServer(r).plainInputs.tags["managed-by"], "pulumi");
    } },
};

const AZURE_LANDINGS: Record<keyof typeof AZURE_OVERRIDES, Landing> = {
    // Azure chooses the secondary region itself (the pair); drRegion is checked against it and the
    // production resources that copy there are the landing.
    drRegion: { input: PRODUCTION, check: (r) => {
        assert.strictEqual(only(r, "azure-native:storage:StorageAccount").plainInputs.sku.name, "Standard_RAGZRS");
        assert.strictEqual(primaryServer(r).plainInputs.backup.geoRedundantBackup, "Enabled");
    } },
    vnetCidr: { check: (r) => {
        assert.deepStrictEqual(only(r, Z.vnet).plainInputs.addressSpace.addressPrefixes, ["10.60.0.0/16"]);
        assert.ok(only(r, Z.vnet).plainInputs.subnets.every((s: { addressPrefix: string }) => s.addressPrefix.startsWith("10.60.")));
    } },
    pgBouncer: { check: (r) => {
        for (const server of ofType(r, Z.server)) assert.strictEqual(serverParameters(r, server)["pgbouncer.enabled"], "true", server.name);
        assert.match(vaultValue(r, "DATABASE_URL"), /:6432\/orders\?ssl=require$/);
        assert.match(vaultValue(r, "DATABASE_READ_URL"), /:6432\/orders\?ssl=require$/);
        assert.strictEqual(r.outputs.databasePort, 6432);
    } },
    dnsZoneResourceGroup: { check: (r) => {
        assert.ok(ofType(r, Z.recordSet).every((x) => x.plainInputs.resourceGroupName === "dns-zones"));
        assert.match(only(r, Z.customDomain).plainInputs.azureDnsZone.id, /\/resourceGroups\/dns-zones\/providers\/Microsoft\.Network\/dnszones\/example\.com$/);
    } },
};

describe("Azure: every config key lands on its provider argument", () => {
    for (const [key, landing] of Object.entries(LANDINGS)) {
        it(key, async () => landing.check(await deploy("staging", landing.input ?? EVERYTHING_CHANGED)));
    }
    for (const [field, landing] of Object.entries(AZURE_LANDINGS)) {
        it(`azure.${field}`, async () => landing.check(await deploy("staging", landing.input ?? EVERYTHING_CHANGED)));
    }

    it("has a landing case for every schema key and every Azure override field", () => {
        // The per-cloud override blocks (aws, gcp, azure, ...) are checked field by field, Azure's below.
        const overrideBlocks = Object.entries(SCHEMA).filter(([, spec]) => spec.type === "object" && "fields" in spec).map(([key]) => key);
        assert.deepStrictEqual(Object.keys(SCHEMA).filter((k) => !overrideBlocks.includes(k) && !CLOUD_INDEPENDENT_KEYS.includes(k) && !(k in LANDINGS)), []);
        assert.deepStrictEqual(Object.keys(AZURE_OVERRIDES).filter((k) => !(k in AZURE_LANDINGS)), []);
    });
});

describe("Azure: values Azure serves differently are applied and reported at preview", () => {
    it("raises dbBackupDays and logRetentionDays to Azure's floors and names the DNS records to create, as warnings naming the keys", async () => {
        const warnings: string[] = [];
        const log = pulumi.log as { warn: typeof pulumi.log.warn };
        const warn = log.warn;
        log.warn = async (message: string) => void warnings.push(message);
        const r = await deploy("staging", azure({ alertEmail: "notices@example.com" })).finally(() => {
            log.warn = warn;
        });
        assert.strictEqual(primaryServer(r).plainInputs.backup.backupRetentionDays, 7);
        assert.strictEqual(only(r, Z.workspace).plainInputs.retentionInDays, 30);
        assert.strictEqual(ofType(r, Z.recordSet).length, 0);
        assert.match(warnings.join("\n"), /fastapi-platform:dbBackupDays is 3; .* keeps 7/);
        assert.match(warnings.join("\n"), /fastapi-platform:logRetentionDays is 14; .* keeps 30/);
        assert.match(warnings.join("\n"), /fastapi-platform:domain 'api\.staging\.example\.com'.*fastapi-platform:azure\.dnsZoneResourceGroup.*_dnsauth\.api\.staging\.example\.com/);
    });
});

const K = (key: string) => new RegExp(`fastapi-platform:${key.replace(/[.]/g, "\\.")}\\b`);

interface BadCase {
    title: string;
    stack?: string;
    overrides?: Record<string, unknown>;
    remove?: string[];
    /** Every pattern must appear in the message. */
    expect: RegExp[];
}

const BAD: BadCase[] = [
    { title: "a metrics path nothing scrapes", overrides: { metricsPath: "/internal/metrics" }, expect: [K("metricsPath"), /Application Insights/] },
    { title: "a metrics port nothing scrapes", overrides: { metricsPort: 9100 }, expect: [K("metricsPort"), /Azure Monitor OpenTelemetry/] },
    { title: "a readiness path App Service cannot probe", overrides: { readinessPath: "/ready" }, expect: [K("readinessPath"), /no separate readiness probe/, K("healthCheckPath")] },
    { title: "no API instance at all", overrides: { minInstances: 0 }, expect: [K("minInstances"), /at least 1 instance/] },
    { title: "a production API below one instance per zone", stack: "prod", overrides: { minInstances: 2 }, expect: [K("minInstances"), /zone-redundant/, /3 or more/] },
    { title: "more API instances than Premium v3 runs", overrides: { maxInstances: 40, dbTier: "medium" }, expect: [K("maxInstances"), /at most 30/] },
    { title: "a worker that would scale from zero", overrides: { workerMinInstances: 0 }, expect: [K("workerMinInstances"), /zero replicas/] },
    { title: "a worker larger than Container Apps offers", overrides: { workerMemoryMb: 12288 }, expect: [K("workerMemoryMb"), /4 vCPU with 8192 MiB/, K("workerCpu")] },
    { title: "a Burstable database in production", stack: "prod", overrides: { dbTier: "small", dbPoolSize: 5, dbMaxOverflow: 5 }, expect: [K("dbTier"), /Burstable/, /zone-redundant high availability/] },
    { title: "PgBouncer on the Burstable tier", overrides: { azure: { pgBouncer: true } }, expect: [K("azure.pgBouncer"), K("dbTier"), /Burstable/] },
    { title: "a storage ceiling beyond the largest disk", overrides: { dbMaxStorageGb: 40000 }, expect: [K("dbMaxStorageGb"), /32767 GiB/] },
    { title: "a disk size that already reaches the storage ceiling", overrides: { dbStorageGb: 100, dbMaxStorageGb: 120 }, expect: [K("dbStorageGb"), K("dbMaxStorageGb"), /128 GiB disk/] },
    {
        title: "a capacity rule that Azure's reserved connections push past 5000",
        overrides: { dbTier: "xlarge", dbPoolSize: 100, dbMaxOverflow: 149, maxInstances: 19 },
        expect: [/4990 \(capacity rule\) \+ 15 \(kept by Azure\) = 5005/, K("dbPoolSize"), K("maxInstances")],
    },
    { title: "an administrator login Azure reserves", overrides: { dbUser: "admin" }, expect: [K("dbUser"), /'admin'/, /reserves/] },
    { title: "a log retention beyond Log Analytics", overrides: { logRetentionDays: 1096 }, expect: [K("logRetentionDays"), /at most 730/] },
    { title: "a DNS zone resource group without a DNS zone", overrides: { dnsZone: "", azure: { dnsZoneResourceGroup: "dns-zones" } }, expect: [K("azure.dnsZoneResourceGroup"), K("dnsZone")] },
    { title: "a stack without an Azure region", remove: ["azure-native:location"], expect: [/azure-native:location is not set/] },
    { title: "an unknown Azure override field (with a suggestion)", overrides: { azure: { pgBouncr: true } }, expect: [K("azure.pgBouncr"), /allowed fields: vnetCidr, pgBouncer, dnsZoneResourceGroup/, /did you mean 'pgBouncer'/] },
    { title: "a VNet too small for its four subnets", overrides: { azure: { vnetCidr: "10.50.0.0/24" } }, expect: [K("azure.vnetCidr"), /\/16 to \/21/] },
    { title: "a malformed resource group name", overrides: { azure: { dnsZoneResourceGroup: "dns zones." } }, expect: [K("azure.dnsZoneResourceGroup"), /resource group name/] },
];

describe("Azure: configuration Azure cannot serve is rejected before any resource", () => {
    for (const c of BAD) {
        it(`rejects ${c.title}, naming the key`, async () => {
            const message = await rejected(c.stack ?? "staging", { overrides: { cloud: "azure", ...c.overrides }, remove: c.remove });
            for (const pattern of c.expect) assert.match(message, pattern);
        });
    }

    it("reports every Azure problem at once", async () => {
        const message = await rejected("staging", { overrides: { cloud: "azure", minInstances: 0, workerMinInstances: 0, dbUser: "root" } });
        assert.match(message, /\(3 problems\)/);
    });

    it("accepts both shipped stacks with only `cloud` changed", async () => {
        for (const stack of ["staging", "prod"]) assert.strictEqual((await run(stack, onAzure)).error, undefined);
    });
});
