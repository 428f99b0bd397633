import { migrationContainerCommand } from "../components/dbroles";
import * as assert from "assert";
import type { RunResult } from "../tools/harness";
import { K, K8S_PRODUCTION_OVERRIDES, appSecretData, k8sContainer, named, onKubernetes, plainEnv, podSpecOf, secretRefs } from "./clouds/kubernetes";
import { deploy, ofType, only, rejected } from "./support";

type Validator = new (data: unknown) => { validate(): void };
/** kubernetes-models is ESM-only; this CommonJS suite reaches it through a real dynamic import. */
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<Record<string, Validator>>;

/** Resource type -> the kubernetes-models module of its kind, whose class validates against the Kubernetes OpenAPI schema. */
const MODELS: Record<string, string> = {
    [K.namespace]: "v1/Namespace", [K.configMap]: "v1/ConfigMap", [K.quota]: "v1/ResourceQuota", [K.secret]: "v1/Secret", [K.service]: "v1/Service",
    [K.serviceAccount]: "v1/ServiceAccount", [K.deployment]: "apps/v1/Deployment", [K.statefulSet]: "apps/v1/StatefulSet",
    [K.hpa]: "autoscaling/v2/HorizontalPodAutoscaler", [K.cronJob]: "batch/v1/CronJob", [K.job]: "batch/v1/Job",
    [K.ingress]: "networking.k8s.io/v1/Ingress", [K.networkPolicy]: "networking.k8s.io/v1/NetworkPolicy", [K.pdb]: "policy/v1/PodDisruptionBudget",
};
const VALIDATORS: Record<string, Validator> = {};
before(async () => {
    for (const [type, model] of Object.entries(MODELS)) {
        const kind = model.split("/").pop()!;
        VALIDATORS[type] = (await importEsm(`kubernetes-models/${model}`))[kind];
    }
});
const CUSTOM = [K.cluster, K.pooler, K.scheduledBackup, K.prometheusRule, K.podMonitor, "kubernetes:postgresql.cnpg.io/v1:Backup"];

const STAGING = onKubernetes();
const PROD_INPUT = onKubernetes({}, K8S_PRODUCTION_OVERRIDES);
const WITH_ALERTS = onKubernetes({}, { ...K8S_PRODUCTION_OVERRIDES, prometheusRules: true });
const CASES: [string, string, ReturnType<typeof onKubernetes>][] = [["staging", "staging", STAGING], ["prod", "prod", PROD_INPUT], ["prod with alerts", "prod", WITH_ALERTS]];

for (const [title, stack, input] of CASES) {
    describe(`Kubernetes manifests validate against the Kubernetes OpenAPI schemas (${title})`, () => {
        let r: RunResult;
        before(async () => { r = await deploy(stack, input); });

        it("every core object passes its kubernetes-models validator", () => {
            const k8sObjects = r.resources.filter((x) => x.type.startsWith("kubernetes:"));
            const unknown = k8sObjects.filter((x) => !MODELS[x.type] && !CUSTOM.includes(x.type)).map((x) => x.type);
            assert.deepStrictEqual(unknown, [], "a kind without a validator");
            for (const object of k8sObjects.filter((x) => VALIDATORS[x.type])) {
                const manifest = JSON.parse(JSON.stringify(object.plainInputs));
                assert.doesNotThrow(() => new VALIDATORS[object.type](manifest).validate(), `${object.type} ${object.name}`);
            }
        });

        it("the validators reject a broken manifest (the check above is not vacuous)", () => {
            const api = JSON.parse(JSON.stringify(named(r, K.deployment, "api").plainInputs));
            api.spec.template.spec.containers[0].ports[0].containerPort = "eight thousand";
            assert.throws(() => new VALIDATORS[K.deployment](api).validate());
        });

        it("custom resources carry their API version, kind, a name in the namespace and a spec", () => {
            for (const object of r.resources.filter((x) => CUSTOM.includes(x.type))) {
                const [, group, kind] = object.type.split(":");
                assert.strictEqual(`${object.plainInputs.apiVersion}`, group, object.name);
                assert.strictEqual(object.plainInputs.kind, kind);
                assert.match(object.plainInputs.metadata.name, /^[a-z0-9-]{1,63}$/);
                assert.strictEqual(object.plainInputs.metadata.namespace, only(r, K.namespace).plainInputs.metadata.name);
                assert.strictEqual(typeof object.plainInputs.spec, "object");
            }
        });
    });
}

describe("Kubernetes: the platform a reviewer expects", () => {
    let staging: RunResult;
    let prod: RunResult;
    before(async () => {
        staging = await deploy("staging", STAGING);
        prod = await deploy("prod", PROD_INPUT);
    });

    it("runs the API hardened: non-root, read-only root with /tmp, no token, seccomp, no capabilities", () => {
        for (const role of ["api", "worker", "migrations"] as const) {
            const pod = podSpecOf(prod, role);
            const c = k8sContainer(prod, role);
            assert.strictEqual(pod.automountServiceAccountToken, false, role);
            assert.strictEqual(pod.securityContext.runAsNonRoot, true);
            assert.strictEqual(pod.securityContext.seccompProfile.type, "RuntimeDefault");
            assert.strictEqual(c.securityContext.readOnlyRootFilesystem, true);
            assert.strictEqual(c.securityContext.allowPrivilegeEscalation, false);
            assert.deepStrictEqual(c.securityContext.capabilities.drop, ["ALL"]);
            assert.deepStrictEqual(c.volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
            assert.ok(pod.volumes.some((v: any) => v.name === "tmp" && v.emptyDir));
        }
        assert.strictEqual(only(prod, K.namespace).plainInputs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
    });

    it("probes readiness on /health/ready and liveness on /health, drains on preStop and waits 60 s", () => {
        const api = k8sContainer(prod, "api");
        assert.strictEqual(api.readinessProbe.httpGet.path, "/health/ready");
        assert.strictEqual(api.livenessProbe.httpGet.path, "/health");
        assert.strictEqual(api.startupProbe.httpGet.path, "/health");
        assert.deepStrictEqual(api.lifecycle.preStop.exec.command, ["sleep", "10"]);
        assert.strictEqual(podSpecOf(prod, "api").terminationGracePeriodSeconds, 60);
        assert.deepStrictEqual(api.resources, { requests: { cpu: "1000m", memory: "2048Mi" }, limits: { cpu: "1000m", memory: "2048Mi" } });
        assert.deepStrictEqual(podSpecOf(prod, "api").topologySpreadConstraints.map((t: any) => t.topologyKey), ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
    });

    it("delivers every secret by secretKeyRef and none as a plain value", () => {
        for (const role of ["api", "worker", "migrations"] as const) {
            const c = k8sContainer(staging, role);
            const databaseRefs = role === "migrations" ? ["DATABASE_RUNTIME_URL", "DATABASE_URL"] : ["DATABASE_URL"];
            assert.deepStrictEqual(Object.keys(secretRefs(c)).sort(), [...databaseRefs, "JWT_SECRET_KEY", "REDIS_URL", "SECRET_KEY"].sort());
            for (const name of ["DATABASE_URL", "REDIS_URL", "SECRET_KEY", "JWT_SECRET_KEY"]) assert.ok(!(name in plainEnv(c)), name);
        }
        for (const secret of ofType(staging, K.secret)) assert.ok(secret.secretPaths.includes("stringData"), secret.name);
    });

    it("points DATABASE_URL at PgBouncer in transaction mode with seed 000's settings", () => {
        const url = appSecretData(prod).DATABASE_URL;
        assert.match(url, /^postgresql\+asyncpg:\/\/app_runtime:[^@]+@postgres-pooler-rw\.fastapi-platform-prod\.svc\.cluster\.local:5432\/app\?ssl=require&prepared_statement_cache_size=0$/);
        const pooler = named(prod, K.pooler, "postgres-pooler-rw").plainInputs.spec;
        assert.strictEqual(pooler.pgbouncer.poolMode, "transaction");
        assert.deepStrictEqual(pooler.pgbouncer.parameters, { max_client_conn: "1000", default_pool_size: "20", max_prepared_statements: "200" });
        assert.match(appSecretData(prod).DATABASE_READ_URL, /@postgres-pooler-ro\./);
    });

    it("runs 3 PostgreSQL instances with backups and a ScheduledBackup in production, 1 in staging", () => {
        const cluster = only(prod, K.cluster).plainInputs.spec;
        assert.strictEqual(cluster.instances, 3);
        assert.strictEqual(cluster.postgresql.parameters.max_connections, String(prod.outputs.databaseMaxConnections));
        assert.strictEqual(cluster.backup.barmanObjectStore.destinationPath, "s3://acme-backups/fastapi-prod");
        assert.strictEqual(cluster.backup.barmanObjectStore.s3Credentials.accessKeyId.name, "backup-credentials");
        assert.strictEqual(cluster.backup.retentionPolicy, "30d");
        assert.strictEqual(cluster.bootstrap.initdb.secret.name, "postgres-app-credentials");
        assert.deepStrictEqual(cluster.managed.roles.map((role: any) => [role.name, role.login, role.createrole, role.passwordSecret.name]),
            [["app_runtime", true, false, "postgres-runtime-credentials"]]);
        assert.strictEqual(only(prod, K.scheduledBackup).plainInputs.spec.cluster.name, "postgres");
        assert.strictEqual(only(staging, K.cluster).plainInputs.spec.instances, 1);
        assert.deepStrictEqual(ofType(staging, K.scheduledBackup), []);
    });

    it("protects the namespace, the database and the secrets in production, nothing in staging", () => {
        for (const type of [K.namespace, K.cluster, K.secret]) {
            for (const x of ofType(prod, type)) assert.strictEqual(x.protect, true, `${type} ${x.name}`);
        }
        assert.deepStrictEqual(staging.resources.filter((x) => x.protect).map((x) => x.name), []);
        assert.strictEqual(only(staging, K.statefulSet).protect, false);
    });

    it("runs migrations as a Job named by a hash of image and command, before the API rolls out", async () => {
        const job = only(staging, K.job);
        assert.match(job.plainInputs.metadata.name, /^migrate-[0-9a-f]{10}$/);
        assert.strictEqual(job.plainInputs.spec.backoffLimit, 2);
        assert.strictEqual(job.plainInputs.spec.ttlSecondsAfterFinished, 86400);
        assert.deepStrictEqual(k8sContainer(staging, "migrations").command, migrationContainerCommand(["alembic", "upgrade", "head"]));
        const other = await deploy("staging", onKubernetes({ image: "ghcr.io/acme/fastapi-backend:1.5.0" }));
        assert.notStrictEqual(only(other, K.job).plainInputs.metadata.name, job.plainInputs.metadata.name);
        assert.match(String(staging.outputs.migrationCommand), /^kubectl -n fastapi-platform-staging create job --from=cronjob\/migrations /);
        assert.strictEqual(only(staging, K.cronJob).plainInputs.spec.suspend, true);
    });

    it("scales API and worker with autoscaling/v2 on CPU and memory, with a disruption budget", () => {
        const api = named(prod, K.hpa, "api").plainInputs.spec;
        assert.deepStrictEqual([api.minReplicas, api.maxReplicas], [3, 10]);
        assert.deepStrictEqual(api.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization]), [["cpu", 70], ["memory", 80]]);
        assert.strictEqual(named(prod, K.hpa, "worker").plainInputs.spec.scaleTargetRef.name, "worker");
        assert.strictEqual(only(prod, K.pdb).plainInputs.spec.maxUnavailable, 1);
    });

    it("denies all traffic by default and lets only the ingress namespace reach the API", () => {
        const deny = named(staging, K.networkPolicy, "default-deny").plainInputs.spec;
        assert.deepStrictEqual(deny, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        const api = named(staging, K.networkPolicy, "api-from-ingress").plainInputs.spec;
        assert.deepStrictEqual(api.ingress[0].from, [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }]);
        const redis = named(staging, K.networkPolicy, "redis-from-app").plainInputs.spec;
        assert.deepStrictEqual(redis.ingress[0].from, [{ podSelector: { matchLabels: { "fastapi-platform/data-client": "true" } } }]);
        assert.ok(named(staging, K.networkPolicy, "allow-dns").plainInputs.spec.egress[0].ports.some((p: any) => p.port === 53 && p.protocol === "UDP"));
    });

    it("serves the domain over TLS from the configured ClusterIssuer", () => {
        const ingress = only(prod, K.ingress).plainInputs;
        assert.strictEqual(ingress.metadata.annotations["cert-manager.io/cluster-issuer"], "letsencrypt-prod");
        assert.deepStrictEqual(ingress.spec.tls, [{ hosts: ["api.example.com"], secretName: "api-tls" }]);
        assert.strictEqual(ingress.spec.ingressClassName, "nginx");
        assert.strictEqual(prod.outputs.url, "https://api.example.com");
    });

    it("runs Redis with AUTH from a generated secret and a persistent volume", () => {
        const conf = named(staging, K.secret, "redis-config").plainInputs.stringData["redis.conf"];
        assert.match(conf, /^requirepass Mock0Secret/m);
        assert.match(conf, /^appendonly yes$/m);
        assert.strictEqual(only(staging, K.statefulSet).plainInputs.spec.volumeClaimTemplates[0].spec.resources.requests.storage, "3Gi");
        assert.ok(!JSON.stringify(only(staging, K.statefulSet).plainInputs).includes("Mock0Secret"));
        assert.match(appSecretData(staging).REDIS_URL, /^redis:\/\/:Mock0Secret[^@]+@redis\.fastapi-platform-staging\.svc\.cluster\.local:6379\/0$/);
    });

    it("alerts in production by default (the shipped prod stack), routed on the alert_email label", async () => {
        const rules = only(prod, K.prometheusRule).plainInputs.spec.groups[0].rules;
        assert.deepStrictEqual(rules.map((x: any) => x.alert), [
            "ApiHigh5xxRate", "ApiHighP99Latency", "ApiPodsUnavailable", "WorkerBelowMinimum", "ApiHighCpu", "ApiHighMemory",
            "WorkerHighCpu", "WorkerHighMemory", "DatabaseConnectionsHigh", "DatabaseStorageHigh", "DatabaseReplicationLagHigh",
        ]);
        for (const rule of rules) assert.strictEqual(rule.labels.alert_email, "platform-alerts@example.com", rule.alert);
        assert.match(String(prod.outputs.alertTarget), /PrometheusRule fastapi-platform-prod\/fastapi-alerts/);
        assert.strictEqual(only(prod, K.podMonitor).plainInputs.metadata.name, "fastapi-app");
    });

    it("lets a staging stack without the Prometheus operator turn alerts and scraping off, and refuses that in production", async () => {
        const off = await deploy("staging", onKubernetes({}, { prometheusRules: false }));
        for (const type of [K.prometheusRule, K.podMonitor]) assert.deepStrictEqual(ofType(off, type), []);
        const message = await rejected("prod", onKubernetes({}, { ...K8S_PRODUCTION_OVERRIDES, prometheusRules: false }));
        assert.match(message, /fastapi-platform:kubernetes\.prometheusRules is false; production requires its alerts/);
    });

    it("rejects a production stack without a backup store or with in-cluster Redis, naming the keys", async () => {
        const message = await rejected("prod", onKubernetes());
        assert.match(message, /fastapi-platform:kubernetes\.backupDestinationPath is empty/);
        assert.match(message, /fastapi-platform:cacheHa is true.*fastapi-platform:kubernetes\.externalRedisSecret/);
    });
});
