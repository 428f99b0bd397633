import { migrationContainerCommand } from "../components/dbroles";
import * as assert from "assert";
import { KUBERNETES_OVERRIDES, SCHEMA } from "../config/schema";
import type { RunResult, StackConfigInput } from "../tools/harness";
import { K, K8S_PRODUCTION_OVERRIDES, appSecretData, k8sContainer, named, plainEnv, podSpecOf, secretRefs } from "./clouds/kubernetes";
import { CLOUD_INDEPENDENT_KEYS, deploy, ofType, only, rejected } from "./support";

/**
 * Every configuration key lands on the Kubernetes field it should, or is rejected before any
 * resource with a message naming it. One staging run changes every key that can change together;
 * the last test fails when a schema key or a Kubernetes override field has no case here.
 */
type Check = (r: RunResult) => void;
const k8s = (overrides: Record<string, unknown>, kubernetes: Record<string, unknown> = {}, secretOverrides?: Record<string, unknown>): StackConfigInput =>
    ({ overrides: { cloud: "kubernetes", ...overrides, kubernetes }, secretOverrides });

/** Capacity: (15 + 5) x (5 + 3) + 10 = 170. */
const EVERYTHING_CHANGED = k8s({
    image: "registry.example.com/api:9.9.9", containerPort: 8080, cpu: 2000, memoryMb: 6144, minInstances: 2, maxInstances: 5,
    cpuTargetPercent: 55, memoryTargetPercent: 65, healthCheckPath: "/healthz", readinessPath: "/readyz", workerImage: "registry.example.com/worker:2",
    workerCommand: ["celery", "-A", "app", "worker"], workerCpu: 2000, workerMemoryMb: 1536, workerMinInstances: 1, workerMaxInstances: 3,
    migrationCommand: ["python", "-m", "app.migrate"], dbVersion: 15, dbTier: "large", dbStorageGb: 50, dbMaxStorageGb: 300,
    dbBackupDays: 14, dbReadReplica: true, dbName: "orders", dbUser: "svc", dbPoolSize: 15, dbMaxOverflow: 5, dbPoolTimeout: 12,
    dbPoolRecycle: 1800, cacheTier: "large", cacheHa: false, cacheEnabled: false, cacheDefaultTtl: 60, domain: "v2.staging.example.com",
    dnsZone: "example.com", alertEmail: "oncall@example.org", corsOrigins: ["https://a.example.com", "https://b.example.com"],
    logLevel: "WARNING", logRetentionDays: 30, rateLimitPerMinute: 250, edgeRateLimitPerMinute: 300, env: { FEATURE_X: "on" },
    tags: { "cost-center": "payments", "Team.Name": "Core API" }, metricsPath: "/internal/metrics", metricsPort: 9100,
}, {
    ingressClassName: "nginx", ingressNamespace: "edge", clusterIssuer: "corp-ca", storageClassName: "fast-ssd", operatorNamespace: "operators",
    backupDestinationPath: "s3://backups/staging", backupCredentialsSecret: "s3-creds", backupEndpointUrl: "https://minio.example.com", prometheusRules: true,
    imagePullSecret: "regcred",
    prometheusNamespace: "observability", grafanaUrl: "https://grafana.example.com/",
}, { secretEnv: { STRIPE_API_KEY: "sk_live_abcdefghijklmnop" } });

/** Production with the object store and an external replicated Redis. */
const PRODUCTION = k8s({ environment: "production", minInstances: 2, dbBackupDays: 7, cacheHa: true, cacheTier: "medium" }, K8S_PRODUCTION_OVERRIDES);
/** A database and a cache run elsewhere. */
const EXTERNAL = k8s({ dbTier: "medium", dbStorageGb: 100, dbMaxStorageGb: 500, dbBackupDays: 30, cacheTier: "medium" }, { externalDatabaseSecret: "rds-url", externalRedisSecret: "redis-url" });

/** Built from source and pushed to an external registry. */
const BUILT = k8s({ image: "", build: { context: "app", tag: "c0ffee123456" } }, { imageRegistry: "registry.example.com/acme/api" });
/** One key changed on a staging stack with a domain behind ingress-nginx. */
const k8sLanding = (overrides: Record<string, unknown>) => k8s({ domain: "v2.staging.example.com", ...overrides }, { ingressClassName: "nginx" });

const cluster = (r: RunResult) => only(r, K.cluster).plainInputs.spec;
const hpa = (r: RunResult, name: string) => named(r, K.hpa, name).plainInputs.spec;
const api = (r: RunResult) => k8sContainer(r, "api");

const podMonitorEndpoints = (r: RunResult) => named(r, K.podMonitor, "fastapi-app").plainInputs.spec.podMetricsEndpoints;

const LANDINGS: Record<string, [StackConfigInput, Check]> = {
    restore: [k8s({ restore: { pointInTime: "2026-11-27T22:15:00Z", source: "postgres" } }, { backupDestinationPath: "s3://backups/prod", backupCredentialsSecret: "s3-creds" }), (r) => {
        const spec = cluster(r);
        assert.deepStrictEqual(spec.bootstrap.recovery.recoveryTarget, { targetTime: "2026-11-27T22:15:00Z" });
        assert.strictEqual(spec.externalClusters[0].barmanObjectStore.serverName, "postgres");
        assert.strictEqual(spec.externalClusters[0].barmanObjectStore.destinationPath, "s3://backups/prod");
        assert.strictEqual(spec.bootstrap.initdb, undefined);
    }],
    cloud: [EVERYTHING_CHANGED, (r) => assert.ok(r.resources.some((x) => x.type === K.platform))],
    environment: [PRODUCTION, (r) => {
        assert.strictEqual(cluster(r).instances, 3);
        assert.deepStrictEqual(cluster(r).postgresql.synchronous, { method: "any", number: 1 });
        assert.strictEqual(only(r, K.namespace).protect, true);
        assert.strictEqual(plainEnv(api(r)).ENVIRONMENT, "production");
    }],
    image: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(api(r).image, "registry.example.com/api:9.9.9");
        assert.strictEqual(k8sContainer(r, "migrations").image, "registry.example.com/api:9.9.9");
    }],
    containerPort: [EVERYTHING_CHANGED, (r) => {
        assert.deepStrictEqual(api(r).ports[0], { name: "http", containerPort: 8080 });
        assert.strictEqual(plainEnv(api(r)).PORT, "8080");
    }],
    cpu: [EVERYTHING_CHANGED, (r) => assert.strictEqual(api(r).resources.limits.cpu, "2000m")],
    memoryMb: [EVERYTHING_CHANGED, (r) => assert.strictEqual(api(r).resources.requests.memory, "6144Mi")],
    minInstances: [EVERYTHING_CHANGED, (r) => assert.strictEqual(hpa(r, "api").minReplicas, 2)],
    maxInstances: [EVERYTHING_CHANGED, (r) => assert.strictEqual(hpa(r, "api").maxReplicas, 5)],
    cpuTargetPercent: [EVERYTHING_CHANGED, (r) => assert.strictEqual(hpa(r, "worker").metrics[0].resource.target.averageUtilization, 55)],
    memoryTargetPercent: [EVERYTHING_CHANGED, (r) => assert.strictEqual(hpa(r, "api").metrics[1].resource.target.averageUtilization, 65)],
    healthCheckPath: [EVERYTHING_CHANGED, (r) => assert.strictEqual(api(r).livenessProbe.httpGet.path, "/healthz")],
    readinessPath: [EVERYTHING_CHANGED, (r) => assert.strictEqual(api(r).readinessProbe.httpGet.path, "/readyz")],
    workerImage: [EVERYTHING_CHANGED, (r) => assert.strictEqual(k8sContainer(r, "worker").image, "registry.example.com/worker:2")],
    workerCommand: [EVERYTHING_CHANGED, (r) => assert.deepStrictEqual(k8sContainer(r, "worker").command, ["celery", "-A", "app", "worker"])],
    workerCpu: [EVERYTHING_CHANGED, (r) => assert.strictEqual(k8sContainer(r, "worker").resources.limits.cpu, "2000m")],
    workerMemoryMb: [EVERYTHING_CHANGED, (r) => assert.strictEqual(k8sContainer(r, "migrations").resources.limits.memory, "1536Mi")],
    workerMinInstances: [EVERYTHING_CHANGED, (r) => assert.strictEqual(hpa(r, "worker").minReplicas, 1)],
    workerMaxInstances: [EVERYTHING_CHANGED, (r) => assert.strictEqual(hpa(r, "worker").maxReplicas, 3)],
    metricsPath: [EVERYTHING_CHANGED, (r) => assert.deepStrictEqual(podMonitorEndpoints(r).map((e: { path: string }) => e.path), ["/internal/metrics", "/internal/metrics"])],
    metricsPort: [EVERYTHING_CHANGED, (r) => {
        assert.deepStrictEqual(api(r).ports, [{ name: "http", containerPort: 8080 }, { name: "metrics", containerPort: 9100 }]);
        assert.deepStrictEqual(k8sContainer(r, "worker").ports, [{ name: "metrics", containerPort: 9100 }]);
        assert.deepStrictEqual(podMonitorEndpoints(r).map((e: { port: string }) => e.port), ["metrics", "metrics"]);
        assert.deepStrictEqual(named(r, K.networkPolicy, "app-metrics-from-prometheus").plainInputs.spec.ingress[0].ports, [{ protocol: "TCP", port: 9100 }]);
    }],
    migrationCommand: [EVERYTHING_CHANGED, (r) => assert.deepStrictEqual(k8sContainer(r, "migrations").command, migrationContainerCommand(["python", "-m", "app.migrate"]))],
    dbVersion: [EVERYTHING_CHANGED, (r) => assert.strictEqual(cluster(r).imageName, "ghcr.io/cloudnative-pg/postgresql:15")],
    dbTier: [EVERYTHING_CHANGED, (r) => assert.deepStrictEqual(cluster(r).resources.limits, { cpu: "8000m", memory: "32768Mi" })],
    dbStorageGb: [EVERYTHING_CHANGED, (r) => assert.strictEqual(cluster(r).storage.size, "50Gi")],
    dbMaxStorageGb: [EVERYTHING_CHANGED, (r) => assert.strictEqual(only(r, K.quota).plainInputs.spec.hard["requests.storage"], `${300 * 2 + 52}Gi`)],
    dbBackupDays: [EVERYTHING_CHANGED, (r) => assert.strictEqual(cluster(r).backup.retentionPolicy, "14d")],
    dbReadReplica: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(cluster(r).instances, 2);
        assert.strictEqual(named(r, K.pooler, "postgres-pooler-ro").plainInputs.spec.type, "ro");
        assert.deepStrictEqual(secretRefs(api(r)).DATABASE_READ_URL, { name: "app-env", key: "DATABASE_READ_URL" });
    }],
    dbName: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(cluster(r).bootstrap.initdb.database, "orders");
        assert.match(appSecretData(r).DATABASE_URL, /\/orders\?ssl=require/);
    }],
    dbUser: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(cluster(r).bootstrap.initdb.owner, "svc");
        assert.strictEqual(named(r, K.secret, "postgres-app-credentials").plainInputs.stringData.username, "svc");
    }],
    dbPoolSize: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(plainEnv(api(r)).DB_POOL_SIZE, "15");
        assert.strictEqual(cluster(r).postgresql.parameters.max_connections, "170");
    }],
    dbMaxOverflow: [EVERYTHING_CHANGED, (r) => assert.strictEqual(plainEnv(k8sContainer(r, "worker")).DB_MAX_OVERFLOW, "5")],
    dbPoolTimeout: [EVERYTHING_CHANGED, (r) => assert.strictEqual(plainEnv(api(r)).DB_POOL_TIMEOUT, "12")],
    dbPoolRecycle: [EVERYTHING_CHANGED, (r) => assert.strictEqual(plainEnv(k8sContainer(r, "migrations")).DB_POOL_RECYCLE, "1800")],
    cacheTier: [EVERYTHING_CHANGED, (r) => {
        assert.match(named(r, K.secret, "redis-config").plainInputs.stringData["redis.conf"], /^maxmemory 26624mb$/m);
        assert.strictEqual(only(r, K.statefulSet).plainInputs.spec.volumeClaimTemplates[0].spec.resources.requests.storage, "52Gi");
    }],
    cacheHa: [PRODUCTION, (r) => {
        assert.deepStrictEqual(ofType(r, K.statefulSet), []);
        assert.deepStrictEqual(secretRefs(api(r)).REDIS_URL, { name: "managed-redis", key: "REDIS_URL" });
    }],
    cacheEnabled: [EVERYTHING_CHANGED, (r) => assert.strictEqual(plainEnv(api(r)).CACHE_ENABLED, "false")],
    cacheDefaultTtl: [EVERYTHING_CHANGED, (r) => assert.strictEqual(plainEnv(api(r)).CACHE_DEFAULT_TTL, "60")],
    domain: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(only(r, K.ingress).plainInputs.spec.rules[0].host, "v2.staging.example.com");
        assert.strictEqual(r.outputs.url, "https://v2.staging.example.com");
    }],
    dnsZone: [EVERYTHING_CHANGED, (r) => assert.strictEqual(only(r, K.ingress).plainInputs.metadata.annotations["external-dns.alpha.kubernetes.io/hostname"], "v2.staging.example.com")],
    alertEmail: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(only(r, K.namespace).plainInputs.metadata.annotations["fastapi-platform/alert-email"], "oncall@example.org");
        assert.strictEqual(only(r, K.prometheusRule).plainInputs.spec.groups[0].rules[0].labels.alert_email, "oncall@example.org");
    }],
    corsOrigins: [EVERYTHING_CHANGED, (r) => assert.strictEqual(plainEnv(api(r)).CORS_ORIGINS, "https://a.example.com,https://b.example.com")],
    maxRequestBodyMb: [k8sLanding({ maxRequestBodyMb: 25 }), (r) => assert.strictEqual(only(r, K.ingress).plainInputs.metadata.annotations["nginx.ingress.kubernetes.io/proxy-body-size"], "25m")],
    requestTimeoutSeconds: [k8sLanding({ requestTimeoutSeconds: 120 }), (r) => {
        const annotations = only(r, K.ingress).plainInputs.metadata.annotations;
        assert.deepStrictEqual([annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"], annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"]], ["120", "120"]);
    }],
    databaseUrlStyle: [k8sLanding({ databaseUrlStyle: "asyncpg" }), (r) => assert.match(appSecretData(r).DATABASE_URL, /^postgresql\+asyncpg:\/\/.*\?ssl=require&prepared_statement_cache_size=0$/)],
    templateEnvAliases: [k8sLanding({ templateEnvAliases: true }), (r) => assert.strictEqual(plainEnv(k8sContainer(r, "api")).POSTGRES_USER, "app_runtime")],
    logLevel: [EVERYTHING_CHANGED, (r) => assert.strictEqual(plainEnv(k8sContainer(r, "worker")).LOG_LEVEL, "WARNING")],
    logRetentionDays: [EVERYTHING_CHANGED, (r) => assert.strictEqual(only(r, K.namespace).plainInputs.metadata.annotations["fastapi-platform/log-retention-days"], "30")],
    rateLimitPerMinute: [EVERYTHING_CHANGED, (r) => assert.strictEqual(plainEnv(api(r)).RATE_LIMIT_PER_MINUTE, "250")],
    edgeRateLimitPerMinute: [EVERYTHING_CHANGED, (r) => assert.strictEqual(only(r, K.ingress).plainInputs.metadata.annotations["nginx.ingress.kubernetes.io/limit-rpm"], "300")],
    env: [EVERYTHING_CHANGED, (r) => {
        for (const role of ["api", "worker", "migrations"] as const) assert.strictEqual(plainEnv(k8sContainer(r, role)).FEATURE_X, "on");
    }],
    secretEnv: [EVERYTHING_CHANGED, (r) => {
        assert.deepStrictEqual(secretRefs(api(r)).STRIPE_API_KEY, { name: "app-env", key: "STRIPE_API_KEY" });
        assert.strictEqual(appSecretData(r).STRIPE_API_KEY, "sk_live_abcdefghijklmnop");
        assert.ok(!JSON.stringify(podSpecOf(r, "api")).includes("sk_live_"));
    }],
    tags: [EVERYTHING_CHANGED, (r) => {
        const annotations = named(r, K.deployment, "api").plainInputs.metadata.annotations;
        assert.strictEqual(annotations["cost-center"], "payments");
        assert.strictEqual(annotations["Team.Name"], "Core API");
        assert.strictEqual(named(r, K.deployment, "api").plainInputs.metadata.labels["managed-by"], "pulumi");
    }],
};

const KUBERNETES_LANDINGS: Record<string, [StackConfigInput, Check]> = {
    objectStorageSecret: [PRODUCTION, (r) => {
        assert.deepStrictEqual(secretRefs(api(r)).MINIO_BUCKET, { name: "app-object-storage", key: "MINIO_BUCKET" });
        assert.deepStrictEqual(secretRefs(k8sContainer(r, "worker")).STORAGE_SECRET_KEY, { name: "app-object-storage", key: "MINIO_SECRET_KEY" });
        assert.strictEqual(plainEnv(k8sContainer(r, "migrations")).STORAGE_ENDPOINT, "https://$(MINIO_ENDPOINT)");
    }],
    clusterRegion: [PRODUCTION, (r) => assert.strictEqual(only(r, K.cluster).plainInputs.metadata.annotations["fastapi-platform/cluster-region"], "eu-west-1")],
    drRegion: [PRODUCTION, (r) => assert.strictEqual(only(r, K.cluster).plainInputs.metadata.annotations["fastapi-platform/backup-region"], "eu-central-1")],
    ingressClassName: [EVERYTHING_CHANGED, (r) => assert.strictEqual(only(r, K.ingress).plainInputs.spec.ingressClassName, "nginx")],
    ingressNamespace: [EVERYTHING_CHANGED, (r) =>
        assert.deepStrictEqual(named(r, K.networkPolicy, "api-from-ingress").plainInputs.spec.ingress[0].from[0].namespaceSelector.matchLabels, { "kubernetes.io/metadata.name": "edge" })],
    clusterIssuer: [EVERYTHING_CHANGED, (r) => assert.strictEqual(only(r, K.ingress).plainInputs.metadata.annotations["cert-manager.io/cluster-issuer"], "corp-ca")],
    storageClassName: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(cluster(r).storage.storageClass, "fast-ssd");
        assert.strictEqual(only(r, K.statefulSet).plainInputs.spec.volumeClaimTemplates[0].spec.storageClassName, "fast-ssd");
    }],
    operatorNamespace: [EVERYTHING_CHANGED, (r) =>
        assert.deepStrictEqual(named(r, K.networkPolicy, "postgres").plainInputs.spec.ingress.find((rule: any) => rule.from[0].namespaceSelector).from[0].namespaceSelector.matchLabels, { "kubernetes.io/metadata.name": "operators" })],
    backupDestinationPath: [EVERYTHING_CHANGED, (r) => {
        assert.strictEqual(cluster(r).backup.barmanObjectStore.destinationPath, "s3://backups/staging");
        assert.strictEqual(only(r, K.scheduledBackup).plainInputs.spec.method, "barmanObjectStore");
    }],
    backupCredentialsSecret: [EVERYTHING_CHANGED, (r) => assert.strictEqual(cluster(r).backup.barmanObjectStore.s3Credentials.secretAccessKey.name, "s3-creds")],
    backupEndpointUrl: [EVERYTHING_CHANGED, (r) => assert.strictEqual(cluster(r).backup.barmanObjectStore.endpointURL, "https://minio.example.com")],
    externalDatabaseSecret: [EXTERNAL, (r) => {
        assert.deepStrictEqual(ofType(r, K.cluster), []);
        assert.deepStrictEqual(secretRefs(api(r)).DATABASE_URL, { name: "rds-url", key: "DATABASE_URL" });
        assert.ok(!("DATABASE_URL" in appSecretData(r)));
    }],
    externalRedisSecret: [EXTERNAL, (r) => assert.deepStrictEqual(secretRefs(k8sContainer(r, "worker")).REDIS_URL, { name: "redis-url", key: "REDIS_URL" })],
    imageRegistry: [BUILT, (r) => {
        assert.deepStrictEqual(only(r, "docker-build:index:Image").plainInputs.tags, ["registry.example.com/acme/api:c0ffee123456"]);
        assert.match(api(r).image, /^registry\.example\.com\/acme\/api@sha256:[0-9a-f]{64}$/);
    }],
    imagePullSecret: [EVERYTHING_CHANGED, (r) => {
        for (const role of ["api", "worker", "migrations"] as const) assert.deepStrictEqual(podSpecOf(r, role).imagePullSecrets, [{ name: "regcred" }]);
    }],
    prometheusRules: [k8s({}, { prometheusRules: false }), (r) => {
        for (const type of [K.prometheusRule, K.podMonitor]) assert.deepStrictEqual(ofType(r, type), []);
        assert.strictEqual(cluster(r).monitoring, undefined);
        assert.ok(!ofType(r, K.networkPolicy).some((p) => p.plainInputs.metadata.name.endsWith("-from-prometheus")));
        assert.strictEqual(r.outputs.alertTarget, "");
    }],
    prometheusNamespace: [EVERYTHING_CHANGED, (r) => {
        for (const name of ["app-metrics-from-prometheus", "postgres-metrics-from-prometheus"]) {
            assert.deepStrictEqual(named(r, K.networkPolicy, name).plainInputs.spec.ingress[0].from, [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } } }]);
        }
    }],
    grafanaUrl: [EVERYTHING_CHANGED, (r) => assert.match(String(r.outputs.dashboardUrl), /^https:\/\/grafana\.example\.com\/d\/fastapi-[0-9a-f]{12}$/)],
};

const KEY = (key: string) => new RegExp(`fastapi-platform:${key.replace(/[.]/g, "\\.")}\\b`);
const REJECTED: { title: string; input: StackConfigInput; expect: RegExp[] }[] = [
    { title: "an API that scales to zero", input: k8s({ minInstances: 0 }), expect: [KEY("minInstances"), /cannot scale to zero/] },
    { title: "a worker that scales to zero", input: k8s({ workerMinInstances: 0 }), expect: [KEY("workerMinInstances")] },
    { title: "cacheHa with the in-cluster Redis", input: k8s({ cacheHa: true }), expect: [KEY("cacheHa"), KEY("kubernetes.externalRedisSecret")] },
    { title: "production without a backup store", input: k8s({ environment: "production", minInstances: 2, dbBackupDays: 7, cacheHa: true }, { externalRedisSecret: "r" }), expect: [KEY("kubernetes.backupDestinationPath")] },
    { title: "a backup path without credentials", input: k8s({}, { backupDestinationPath: "s3://b/p" }), expect: [KEY("kubernetes.backupCredentialsSecret")] },
    { title: "backup credentials without a path", input: k8s({}, { backupCredentialsSecret: "c" }), expect: [KEY("kubernetes.backupCredentialsSecret"), KEY("kubernetes.backupDestinationPath")] },
    { title: "database keys with an external database", input: k8s({}, { externalDatabaseSecret: "db" }), expect: [KEY("dbTier"), KEY("dbStorageGb"), KEY("kubernetes.externalDatabaseSecret")] },
    { title: "cacheTier with an external Redis", input: k8s({}, { externalRedisSecret: "r" }), expect: [KEY("cacheTier"), KEY("kubernetes.externalRedisSecret")] },
    { title: "an edge rate limit without ingress-nginx", input: k8s({ edgeRateLimitPerMinute: 500 }, { ingressClassName: "traefik" }), expect: [KEY("edgeRateLimitPerMinute"), KEY("kubernetes.ingressClassName")] },
    { title: "a tag key that is no annotation key", input: k8s({ tags: { "team:name": "core" } }), expect: [KEY("tags.team:name")] },
    { title: "a role CloudNativePG creates", input: k8s({ dbUser: "postgres" }), expect: [KEY("dbUser"), /CloudNativePG creates itself/] },
    { title: "a database PostgreSQL already has", input: k8s({ dbName: "postgres" }), expect: [KEY("dbName")] },
    { title: "an unknown Kubernetes override field", input: k8s({}, { namespace: "x" }), expect: [KEY("kubernetes.namespace"), /allowed fields: ingressClassName/] },
    { title: "a build without a registry to push to", input: k8s({ image: "", build: { context: "app" } }), expect: [KEY("build.context"), KEY("kubernetes.imageRegistry")] },
    { title: "production without alerts", input: k8s({ environment: "production", minInstances: 2, dbBackupDays: 7, cacheHa: true }, { ...K8S_PRODUCTION_OVERRIDES, prometheusRules: false }), expect: [KEY("kubernetes.prometheusRules"), /production requires its alerts/] },
    { title: "a backup path that is not an object store", input: k8s({}, { backupDestinationPath: "/mnt/backups" }), expect: [KEY("kubernetes.backupDestinationPath"), /object store path/] },
];

describe("Kubernetes: every config key lands on its manifest field", () => {
    for (const [key, [input, check]] of Object.entries(LANDINGS)) {
        it(key, async () => check(await deploy("staging", input)));
    }
    for (const [field, [input, check]] of Object.entries(KUBERNETES_LANDINGS)) {
        it(`kubernetes.${field}`, async () => check(await deploy("staging", input)));
    }
    for (const c of REJECTED) {
        it(`rejects ${c.title}, naming the key, before any resource`, async () => {
            const message = await rejected("staging", c.input);
            for (const pattern of c.expect) assert.match(message, pattern);
        });
    }

    it("has a landing for every schema key and every Kubernetes override field", () => {
        const blocks = ["aws", "gcp", "azure", "kubernetes", ...CLOUD_INDEPENDENT_KEYS];
        assert.deepStrictEqual(Object.keys(SCHEMA).filter((k) => !blocks.includes(k) && !(k in LANDINGS)), []);
        assert.deepStrictEqual(Object.keys(KUBERNETES_OVERRIDES).filter((k) => !(k in KUBERNETES_LANDINGS)), []);
    });
});
