import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { labelValue, shortName } from "../../components/naming";
import { PlatformComponent, type PlatformArgs } from "../../components/platform";
import { createAppSecrets } from "../../components/secrets";
import { createCache, REDIS_PORT, type Cache } from "./cache";
import { ANNOTATION_PREFIX, type KubeContext } from "./context";
import { createDatabase, POSTGRES_PORT, type Database } from "./database";
import { createEdge } from "./edge";
import { shellCommand } from "../../components/shell";
import { createDashboard } from "./dashboard";
import { createScrapePolicies } from "./metrics-network";
import { createAlertRules, createPodMonitor, PROMETHEUS_RULE } from "./monitoring";
import { createNetworkPolicies, createStorageQuota } from "./network";
import { createPreMigrationBackup } from "./release";
import { createScaling } from "./scaling";
import { withReleaseImage } from "../../components/release";
import { createSecret } from "./secrets";
import { createWorkloads, type SecretEnvSources } from "./workloads";

export const APP_SECRET = "app-env";
/** The standard tags that are also labels (their values are label-safe); every tag is an annotation. */
const LABEL_TAGS = ["project", "stack", "environment", "managed-by"];

/**
 * The FastAPI platform on any Kubernetes cluster the default provider points at (kubernetes:context
 * / KUBECONFIG): one namespace under the restricted Pod Security Standard with the API, worker and
 * migrations Job, HPAs, a PodDisruptionBudget, default-deny NetworkPolicies, an Ingress with
 * cert-manager TLS, CloudNativePG PostgreSQL behind PgBouncer, Redis, Secrets generated here, and
 * optionally a PrometheusRule. Needs the CloudNativePG operator, cert-manager and an ingress
 * controller in the cluster. The underlying resources are public fields, as escape hatches.
 */
export class KubernetesPlatform extends PlatformComponent {

    readonly namespace: k8s.core.v1.Namespace;
    readonly apiDeployment: k8s.apps.v1.Deployment;
    readonly workerDeployment: k8s.apps.v1.Deployment;
    readonly migrationJob: k8s.batch.v1.Job;
    readonly appSecret: k8s.core.v1.Secret;
    readonly ingress?: k8s.networking.v1.Ingress;
    readonly postgresCluster?: k8s.apiextensions.CustomResource;
    readonly redisStatefulSet?: k8s.apps.v1.StatefulSet;
    readonly alertRules?: k8s.apiextensions.CustomResource;
    readonly podMonitor?: k8s.apiextensions.CustomResource;
    readonly dashboardConfigMap: k8s.core.v1.ConfigMap;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fastapi-platform:kubernetes:Platform", name, {}, opts);
        const production = args.environment === "production";
        const o = args.overrides.kubernetes;
        const namespaceName = shortName(args.baseName, "", 63);
        // Label values have tighter rules than tags (63 characters, letters or digits at both ends).
        const labels = Object.fromEntries(LABEL_TAGS.filter((key) => key in args.tags).map((key) => [key, labelValue(args.tags[key])]));
        const annotations = { ...args.tags };

        this.namespace = new k8s.core.v1.Namespace(`${name}-namespace`, {
            metadata: {
                name: namespaceName,
                labels: { ...labels, "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" },
                annotations: {
                    ...annotations,
                    ...(args.alertEmail ? { [`${ANNOTATION_PREFIX}/alert-email`]: args.alertEmail } : {}),
                    [`${ANNOTATION_PREFIX}/log-retention-days`]: String(args.logRetentionDays),
                },
            },
        }, { parent: this, protect: production });

        // Built from source: pushed to the external registry (kubernetes.imageRegistry), run by digest.
        args = withReleaseImage(name, args, o.imageRegistry, this);
        const ctx: KubeContext = { args, namespace: this.namespace.metadata.name, namespaceName, labels, annotations, production, parent: this };
        const generated = createAppSecrets(name, args, this);
        const database: Database | undefined = o.externalDatabaseSecret ? undefined : createDatabase(ctx, generated);
        const cache: Cache | undefined = o.externalRedisSecret ? undefined : createCache(ctx);

        const stored: Record<string, pulumi.Output<string>> = {
            ...(database?.urls ?? {}),
            ...(cache ? { REDIS_URL: cache.url } : {}),
            ...generated.appEnv,
        };
        this.appSecret = createSecret(ctx, `${name}-app-env`, APP_SECRET, "fastapi", stored);
        const sources: SecretEnvSources = {
            ...(o.externalDatabaseSecret ? { DATABASE_URL: { secret: o.externalDatabaseSecret, key: "DATABASE_URL" } } : {}),
            ...(o.externalRedisSecret ? { REDIS_URL: { secret: o.externalRedisSecret, key: "REDIS_URL" } } : {}),
            ...Object.fromEntries(Object.keys(stored).map((key) => [key, { secret: this.appSecret.metadata.name, key }])),
        };

        const dataServices = [database?.pooler, database?.readPooler, cache?.statefulSet].filter((r): r is NonNullable<typeof r> => r !== undefined);
        const endpoints = {
            ...(database ? { database: { host: database.host, port: POSTGRES_PORT } } : {}),
            ...(cache ? { cache: { host: cache.host, port: REDIS_PORT } } : {}),
        };
        // Production: a CloudNativePG backup named after the release completes before the migrations Job.
        const backup = args.release.backupBeforeMigration && database?.scheduledBackup ? createPreMigrationBackup(ctx, database) : [];
        const workloads = createWorkloads(ctx, sources, endpoints, [this.appSecret, ...dataServices, ...backup]);
        createScaling(ctx, workloads.api, workloads.worker);
        const edge = createEdge(ctx, args.domain);
        createNetworkPolicies(ctx, { database: database !== undefined, cache: cache !== undefined });
        if (database || cache) createStorageQuota(ctx, database ? database.instances : 0, cache ? cache.storageGb : 0);
        // Scraping and alerting need the Prometheus operator; production requires them (validate.ts).
        const monitored = { database: database !== undefined, replicas: database !== undefined && database.instances > 1 };
        if (o.prometheusRules) {
            this.alertRules = createAlertRules(ctx, monitored);
            this.podMonitor = createPodMonitor(ctx);
            createScrapePolicies(ctx, monitored.database);
        }
        const dashboard = createDashboard(ctx, { database: monitored.database, replica: monitored.replicas, cache: false });
        this.dashboardConfigMap = dashboard.configMap;

        const external = (secret: string) => pulumi.output(`external (Secret ${namespaceName}/${secret})`);
        this.publish({
            url: pulumi.output(edge.url),
            database: {
                host: database ? pulumi.output(database.host) : external(o.externalDatabaseSecret),
                port: pulumi.output(POSTGRES_PORT),
                name: pulumi.output(args.database.name),
                ...(database?.readHost ? { readReplicaHost: pulumi.output(database.readHost) } : {}),
            },
            cache: { host: cache ? pulumi.output(cache.host) : external(o.externalRedisSecret), port: pulumi.output(REDIS_PORT) },
            secretIds: pulumi.output(Object.fromEntries(Object.entries(sources).map(([env, s]) => [env, pulumi.interpolate`${namespaceName}/${s.secret}#${s.key}`])))
                .apply((ids) => ids as Record<string, string>),
            migrationCommand: pulumi.output(workloads.migrationCommand),
            alertTarget: pulumi.output(o.prometheusRules ? `PrometheusRule ${namespaceName}/${PROMETHEUS_RULE} (routed by the cluster's Alertmanager)` : ""),
            dashboardUrl: pulumi.output(dashboard.url),
            logsCommand: pulumi.output(shellCommand(["kubectl", "logs", "-n", namespaceName, "-l", "app.kubernetes.io/name=api", "-c", "api", "-f", "--max-log-requests", String(Math.max(args.service.maxInstances, 5)), "--prefix"])),
        });

        this.apiDeployment = workloads.api;
        this.workerDeployment = workloads.worker;
        this.migrationJob = workloads.migrationJob;
        this.ingress = edge.ingress;
        this.postgresCluster = database?.cluster;
        this.redisStatefulSet = cache?.statefulSet;
    }
}
