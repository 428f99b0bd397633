import { migrationContainerCommand } from "../components/dbroles";
import * as assert from "assert";
import { SCHEMA, AWS_OVERRIDES } from "../config/schema";
import type { RunResult } from "../tools/harness";
import { CLOUD_INDEPENDENT_KEYS, container, deploy, envOf, ofType, only, secretRefsOf } from "./support";

/**
 * Every configuration key, set to a non-default value, lands on the AWS argument it should - so
 * no key is silently ignored (the Nitric GCP `concurrency` bug). Each case changes one key on the
 * staging stack and reads the provider input back; the last test fails when a schema key has no
 * case here.
 */
type Check = (r: RunResult) => void;
interface Landing { overrides: Record<string, unknown>; secretOverrides?: Record<string, unknown>; check: Check }

const T = {
    rds: "aws:rds/instance:Instance",
    redis: "aws:elasticache/replicationGroup:ReplicationGroup",
    target: "aws:appautoscaling/target:Target",
    policy: "aws:appautoscaling/policy:Policy",
    taskDef: "aws:ecs/taskDefinition:TaskDefinition",
    service: "aws:ecs/service:Service",
};
const scaling = (r: RunResult, role: string) => ofType(r, T.target).find((t) => t.name.includes(`-${role}-`))!.plainInputs;
const taskDef = (r: RunResult, role: string) => only(r, T.taskDef, `-${role}`).plainInputs;
const dbParams = (r: RunResult) =>
    Object.fromEntries((only(r, "aws:rds/parameterGroup:ParameterGroup").plainInputs.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]));
const primaryDb = (r: RunResult) => only(r, T.rds, "-db").plainInputs;
const secretValue = (r: RunResult, envName: string) =>
    ofType(r, "aws:secretsmanager/secretVersion:SecretVersion").find((v) => v.name.endsWith(`-${envName.toLowerCase().replace(/_/g, "-")}`))!.plainInputs.secretString as string;

/** The scrape job of the metrics collector sidecar (ADOT) in the task definition for `role`. */
const scrapeJob = (r: RunResult, role: "api" | "worker") => {
    const sidecar = JSON.parse(taskDef(r, role).containerDefinitions).find((c: { name: string }) => c.name === "otel-collector");
    const config = JSON.parse(sidecar.environment.find((e: { name: string }) => e.name === "AOT_CONFIG_CONTENT").value);
    return config.receivers.prometheus.config.scrape_configs[0];
};

const LANDINGS: Record<string, Landing> = {
    restore: { overrides: { restore: { pointInTime: "2026-11-27T22:15:00Z", source: "fastapi-platform-prod-db" } }, check: (r) => {
        assert.deepStrictEqual(primaryDb(r).restoreToPointInTime, { sourceDbInstanceIdentifier: "fastapi-platform-prod-db", restoreTime: "2026-11-27T22:15:00Z" });
        assert.strictEqual(primaryDb(r).dbName, undefined, "the database comes with the backup");
    } },
    cloud: { overrides: { cloud: "aws" }, check: (r) => assert.ok(r.resources.some((x) => x.type === "fastapi-platform:aws:Platform")) },
    environment: { overrides: { environment: "production", minInstances: 2, dbBackupDays: 7, cacheHa: true, workerMinInstances: 1, aws: { drRegion: "eu-central-1" } }, check: (r) => assert.strictEqual(primaryDb(r).multiAz, true) },
    image: { overrides: { image: "registry.example.com/api:9.9.9" }, check: (r) => {
        assert.strictEqual(container(r, "api").image, "registry.example.com/api:9.9.9");
        assert.strictEqual(container(r, "migrations").image, "registry.example.com/api:9.9.9");
    } },
    containerPort: { overrides: { containerPort: 8080 }, check: (r) => {
        assert.strictEqual(only(r, "aws:lb/targetGroup:TargetGroup").plainInputs.port, 8080);
        assert.strictEqual(container(r, "api").portMappings[0].containerPort, 8080);
        assert.strictEqual(envOf(container(r, "api")).PORT, "8080");
    } },
    cpu: { overrides: { cpu: 2000, memoryMb: 4096 }, check: (r) => assert.strictEqual(taskDef(r, "api").cpu, "2048") },
    memoryMb: { overrides: { memoryMb: 3072 }, check: (r) => assert.strictEqual(taskDef(r, "api").memory, "3072") },
    minInstances: { overrides: { minInstances: 2 }, check: (r) => {
        assert.strictEqual(scaling(r, "api").minCapacity, 2);
        assert.strictEqual(only(r, T.service, "-api").plainInputs.desiredCount, 2);
    } },
    maxInstances: { overrides: { maxInstances: 5 }, check: (r) => assert.strictEqual(scaling(r, "api").maxCapacity, 5) },
    cpuTargetPercent: { overrides: { cpuTargetPercent: 55 }, check: (r) => assert.ok(ofType(r, T.policy).some((p) => p.plainInputs.targetTrackingScalingPolicyConfiguration.targetValue === 55)) },
    memoryTargetPercent: { overrides: { memoryTargetPercent: 65 }, check: (r) => assert.ok(ofType(r, T.policy).some((p) => p.plainInputs.targetTrackingScalingPolicyConfiguration.targetValue === 65)) },
    healthCheckPath: { overrides: { healthCheckPath: "/healthz" }, check: (r) => {
        assert.strictEqual(only(r, "aws:lb/targetGroup:TargetGroup").plainInputs.healthCheck.path, "/healthz");
        assert.match(container(r, "api").healthCheck.command[1], /localhost:8000\/healthz/);
    } },
    // AWS has no separate readiness probe: a non-default value is rejected (tests/config.test.ts).
    readinessPath: { overrides: { readinessPath: "/health/ready" }, check: (r) => assert.ok(!JSON.stringify(r.resources.map((x) => x.plainInputs)).includes("/health/ready")) },
    workerImage: { overrides: { workerImage: "registry.example.com/worker:2" }, check: (r) => assert.strictEqual(container(r, "worker").image, "registry.example.com/worker:2") },
    workerCommand: { overrides: { workerCommand: ["celery", "-A", "app", "worker"] }, check: (r) => assert.deepStrictEqual(container(r, "worker").command, ["celery", "-A", "app", "worker"]) },
    workerCpu: { overrides: { workerCpu: 1000, workerMemoryMb: 2048 }, check: (r) => assert.strictEqual(taskDef(r, "worker").cpu, "1024") },
    workerMemoryMb: { overrides: { workerMemoryMb: 1536 }, check: (r) => assert.strictEqual(taskDef(r, "worker").memory, "1536") },
    workerMinInstances: { overrides: { workerMinInstances: 0 }, check: (r) => assert.strictEqual(scaling(r, "worker").minCapacity, 0) },
    workerMaxInstances: { overrides: { workerMaxInstances: 3 }, check: (r) => assert.strictEqual(scaling(r, "worker").maxCapacity, 3) },
    migrationCommand: { overrides: { migrationCommand: ["python", "-m", "app.migrate"] }, check: (r) => assert.deepStrictEqual(container(r, "migrations").command, migrationContainerCommand(["python", "-m", "app.migrate"])) },
    dbVersion: { overrides: { dbVersion: 15 }, check: (r) => {
        assert.strictEqual(primaryDb(r).engineVersion, "15");
        assert.strictEqual(only(r, "aws:rds/parameterGroup:ParameterGroup").plainInputs.family, "postgres15");
    } },
    dbTier: { overrides: { dbTier: "large" }, check: (r) => assert.strictEqual(primaryDb(r).instanceClass, "db.r7g.xlarge") },
    dbStorageGb: { overrides: { dbStorageGb: 50 }, check: (r) => assert.strictEqual(primaryDb(r).allocatedStorage, 50) },
    dbMaxStorageGb: { overrides: { dbMaxStorageGb: 300 }, check: (r) => assert.strictEqual(primaryDb(r).maxAllocatedStorage, 300) },
    dbBackupDays: { overrides: { dbBackupDays: 14 }, check: (r) => assert.strictEqual(primaryDb(r).backupRetentionPeriod, 14) },
    dbReadReplica: { overrides: { dbReadReplica: true }, check: (r) => {
        assert.strictEqual(ofType(r, T.rds).filter((d) => d.plainInputs.replicateSourceDb).length, 1);
        assert.ok(secretRefsOf(container(r, "api")).DATABASE_READ_URL);
    } },
    dbName: { overrides: { dbName: "orders" }, check: (r) => {
        assert.strictEqual(primaryDb(r).dbName, "orders");
        assert.match(secretValue(r, "DATABASE_URL"), /\/orders\?ssl=require$/);
    } },
    dbUser: { overrides: { dbUser: "svc" }, check: (r) => {
        assert.strictEqual(primaryDb(r).username, "svc");
        assert.match(secretValue(r, "DATABASE_URL"), /^postgresql\+asyncpg:\/\/svc_runtime:/);
    } },
    dbPoolSize: { overrides: { dbPoolSize: 15 }, check: (r) => {
        assert.strictEqual(envOf(container(r, "api")).DB_POOL_SIZE, "15");
        assert.strictEqual(dbParams(r).max_connections, String((15 + 20) * 3 + 10));
    } },
    dbMaxOverflow: { overrides: { dbMaxOverflow: 5 }, check: (r) => {
        assert.strictEqual(envOf(container(r, "worker")).DB_MAX_OVERFLOW, "5");
        assert.strictEqual(dbParams(r).max_connections, String((10 + 5) * 3 + 10));
    } },
    dbPoolTimeout: { overrides: { dbPoolTimeout: 12 }, check: (r) => assert.strictEqual(envOf(container(r, "api")).DB_POOL_TIMEOUT, "12") },
    dbPoolRecycle: { overrides: { dbPoolRecycle: 1800 }, check: (r) => assert.strictEqual(envOf(container(r, "api")).DB_POOL_RECYCLE, "1800") },
    cacheTier: { overrides: { cacheTier: "large" }, check: (r) => assert.strictEqual(only(r, T.redis).plainInputs.nodeType, "cache.r7g.xlarge") },
    cacheHa: { overrides: { cacheHa: true }, check: (r) => assert.strictEqual(only(r, T.redis).plainInputs.automaticFailoverEnabled, true) },
    cacheEnabled: { overrides: { cacheEnabled: false }, check: (r) => assert.strictEqual(envOf(container(r, "api")).CACHE_ENABLED, "false") },
    cacheDefaultTtl: { overrides: { cacheDefaultTtl: 60 }, check: (r) => assert.strictEqual(envOf(container(r, "api")).CACHE_DEFAULT_TTL, "60") },
    domain: { overrides: { domain: "v2.staging.example.com" }, check: (r) => {
        assert.strictEqual(only(r, "aws:acm/certificate:Certificate").plainInputs.domainName, "v2.staging.example.com");
        assert.strictEqual(only(r, "aws:route53/record:Record", "-alias").plainInputs.name, "v2.staging.example.com");
        assert.strictEqual(r.outputs.url, "https://v2.staging.example.com");
    } },
    dnsZone: { overrides: { dnsZone: "example.com" }, check: (r) => assert.ok(r.invokes.some((i) => i.token === "aws:route53/getZone:getZone" && i.inputs.name === "example.com")) },
    alertEmail: { overrides: { alertEmail: "oncall@example.org" }, check: (r) => assert.strictEqual(only(r, "aws:sns/topicSubscription:TopicSubscription").plainInputs.endpoint, "oncall@example.org") },
    corsOrigins: { overrides: { corsOrigins: ["https://a.example.com", "https://b.example.com"] }, check: (r) => assert.strictEqual(envOf(container(r, "api")).CORS_ORIGINS, "https://a.example.com,https://b.example.com") },
    maxRequestBodyMb: { overrides: { environment: "production", minInstances: 2, dbBackupDays: 7, cacheHa: true, maxRequestBodyMb: 25, aws: { drRegion: "eu-central-1" } }, check: (r) => {
        const rules = only(r, "aws:wafv2/webAcl:WebAcl").plainInputs.rules as any[];
        const limit = new RegExp(rules.find((x) => x.name === "max-request-body").statement.regexMatchStatement.regexString);
        assert.deepStrictEqual([limit.test(String(25 * 1024 * 1024)), limit.test(String(25 * 1024 * 1024 + 1))], [false, true]);
        const common = rules.find((x) => x.name === "AWSManagedRulesCommonRuleSet").statement.managedRuleGroupStatement;
        assert.deepStrictEqual(common.ruleActionOverrides, [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]);
    } },
    requestTimeoutSeconds: { overrides: { requestTimeoutSeconds: 120 }, check: (r) => assert.strictEqual(only(r, "aws:lb/loadBalancer:LoadBalancer").plainInputs.idleTimeout, 120) },
    databaseUrlStyle: { overrides: { databaseUrlStyle: "psycopg" }, check: (r) => assert.match(secretValue(r, "DATABASE_URL"), /^postgresql\+psycopg2:\/\/app_runtime:.*\?sslmode=require$/) },
    templateEnvAliases: { overrides: { templateEnvAliases: true }, check: (r) => {
        assert.strictEqual(envOf(container(r, "api")).POSTGRES_USER, "app_runtime");
        assert.strictEqual(envOf(container(r, "migrations")).POSTGRES_USER, "app");
    } },
    logLevel: { overrides: { logLevel: "WARNING" }, check: (r) => assert.strictEqual(envOf(container(r, "worker")).LOG_LEVEL, "WARNING") },
    logRetentionDays: { overrides: { logRetentionDays: 30 }, check: (r) => assert.ok(ofType(r, "aws:cloudwatch/logGroup:LogGroup").every((g) => g.plainInputs.retentionInDays === 30)) },
    rateLimitPerMinute: { overrides: { rateLimitPerMinute: 250 }, check: (r) => assert.strictEqual(envOf(container(r, "api")).RATE_LIMIT_PER_MINUTE, "250") },
    edgeRateLimitPerMinute: { overrides: { environment: "production", minInstances: 2, dbBackupDays: 7, cacheHa: true, edgeRateLimitPerMinute: 300, aws: { drRegion: "eu-central-1" } }, check: (r) =>
        assert.strictEqual(only(r, "aws:wafv2/webAcl:WebAcl").plainInputs.rules[0].statement.rateBasedStatement.limit, 300) },
    env: { overrides: { env: { FEATURE_X: "on" } }, check: (r) => {
        for (const role of ["api", "worker", "migrations"]) assert.strictEqual(envOf(container(r, role)).FEATURE_X, "on");
    } },
    secretEnv: { overrides: {}, secretOverrides: { secretEnv: { STRIPE_API_KEY: "sk_live_abcdefghijklmnop" } }, check: (r) => {
        assert.match(secretRefsOf(container(r, "api")).STRIPE_API_KEY, /^arn:aws:secretsmanager:/);
        assert.strictEqual(secretValue(r, "STRIPE_API_KEY"), "sk_live_abcdefghijklmnop");
        assert.ok(!JSON.stringify(container(r, "api")).includes("sk_live_"));
    } },
    metricsPath: { overrides: { metricsPath: "/internal/metrics" }, check: (r) => {
        for (const role of ["api", "worker"] as const) assert.strictEqual(scrapeJob(r, role).metrics_path, "/internal/metrics");
    } },
    metricsPort: { overrides: { metricsPort: 9100 }, check: (r) => {
        for (const role of ["api", "worker"] as const) assert.deepStrictEqual(scrapeJob(r, role).static_configs[0].targets, ["localhost:9100"]);
    } },
    tags: { overrides: { tags: { "cost-center": "payments" } }, check: (r) => {
        assert.strictEqual(only(r, "aws:ec2/vpc:Vpc").plainInputs.tags["cost-center"], "payments");
        assert.strictEqual(primaryDb(r).tags["managed-by"], "pulumi");
    } },
};

const AWS_LANDINGS: Record<keyof typeof AWS_OVERRIDES, Landing> = {
    drRegion: { overrides: { environment: "production", minInstances: 2, dbBackupDays: 7, cacheHa: true, aws: { drRegion: "us-east-2" } }, check: (r) => {
        assert.strictEqual(only(r, "aws:s3/bucket:Bucket", "-app-dr-bucket").plainInputs.region, "us-east-2");
        assert.strictEqual(only(r, "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication").plainInputs.region, "us-east-2");
    } },
    vpcCidr: { overrides: { aws: { vpcCidr: "10.99.0.0/16" } }, check: (r) => {
        assert.strictEqual(only(r, "aws:ec2/vpc:Vpc").plainInputs.cidrBlock, "10.99.0.0/16");
        assert.ok(ofType(r, "aws:ec2/subnet:Subnet").every((s) => s.plainInputs.cidrBlock.startsWith("10.99.")));
    } },
    availabilityZones: { overrides: { aws: { availabilityZones: 3 } }, check: (r) => assert.strictEqual(ofType(r, "aws:ec2/subnet:Subnet").length, 9) },
    certificateArn: { overrides: { dnsZone: "", aws: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555" } }, check: (r) => {
        assert.strictEqual(ofType(r, "aws:acm/certificate:Certificate").length, 0);
        const https = ofType(r, "aws:lb/listener:Listener").find((l) => l.plainInputs.port === 443)!;
        assert.match(https.plainInputs.certificateArn, /11111111-2222/);
    } },
    dbInstanceClass: { overrides: { aws: { dbInstanceClass: "db.m7g.large" } }, check: (r) => assert.strictEqual(primaryDb(r).instanceClass, "db.m7g.large") },
    cacheNodeType: { overrides: { aws: { cacheNodeType: "cache.m7g.large" } }, check: (r) => assert.strictEqual(only(r, T.redis).plainInputs.nodeType, "cache.m7g.large") },
    rdsProxy: { overrides: { aws: { rdsProxy: true } }, check: (r) => {
        const proxy = only(r, "aws:rds/proxy:Proxy");
        assert.strictEqual(proxy.plainInputs.requireTls, true);
        assert.ok(secretValue(r, "DATABASE_URL").includes(`@${proxy.state.endpoint}:5432/`), "the app connects through the proxy");
    } },
    albAccessLogs: { overrides: { environment: "production", minInstances: 2, dbBackupDays: 7, cacheHa: true, aws: { albAccessLogs: false, drRegion: "eu-central-1" } }, check: (r) => {
        assert.deepStrictEqual(ofType(r, "aws:s3/bucket:Bucket").map((b) => b.name).filter((n) => n.includes("alb-logs")), []);
        assert.strictEqual(only(r, "aws:lb/loadBalancer:LoadBalancer").plainInputs.accessLogs, undefined);
    } },
};

describe("AWS: every config key lands on its provider argument", () => {
    for (const [key, landing] of Object.entries(LANDINGS)) {
        it(`${key}`, async () => landing.check(await deploy("staging", { overrides: landing.overrides, secretOverrides: landing.secretOverrides })));
    }
    for (const [field, landing] of Object.entries(AWS_LANDINGS)) {
        it(`aws.${field}`, async () => landing.check(await deploy("staging", { overrides: landing.overrides })));
    }

    it("has a landing case for every schema key and every AWS override field", () => {
        const otherClouds = ["gcp", "azure", "kubernetes", ...CLOUD_INDEPENDENT_KEYS];
        assert.deepStrictEqual(Object.keys(SCHEMA).filter((k) => k !== "aws" && !otherClouds.includes(k) && !(k in LANDINGS)), []);
        assert.deepStrictEqual(Object.keys(AWS_OVERRIDES).filter((k) => !(k in AWS_LANDINGS)), []);
    });
});
