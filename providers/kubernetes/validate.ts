import type { PlatformArgs } from "../../components/platform";
import { SCHEMA, type ConfigKey } from "../../config/schema";
import { NGINX_CLASS } from "./edge";

/** Roles CloudNativePG creates itself. */
const CNPG_RESERVED_USERS = ["postgres", "streaming_replica", "cnpg_pooler_pgbouncer"];
const RESERVED_DATABASES = ["postgres", "template0", "template1"];
/** An annotation key's name part (tags become annotations; label values cannot hold free text). */
const ANNOTATION_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** The neutral database keys that have nothing to land on when the database is external. */
const DATABASE_KEYS: [ConfigKey, (a: PlatformArgs) => unknown][] = [
    ["dbVersion", (a) => a.database.version], ["dbTier", (a) => a.database.tier], ["dbStorageGb", (a) => a.database.storageGb],
    ["dbMaxStorageGb", (a) => a.database.maxStorageGb], ["dbBackupDays", (a) => a.database.backupRetentionDays],
    ["dbReadReplica", (a) => a.database.readReplica], ["dbName", (a) => a.database.name], ["dbUser", (a) => a.database.username],
];

/**
 * What only Kubernetes constrains: HPAs cannot scale to zero, in-cluster Redis is a single primary
 * (no automatic failover), production PostgreSQL needs an object store for backups and PITR, keys
 * that have nothing to land on with an external database or cache, ingress-nginx-only settings,
 * and annotation-safe tag keys. One message per problem, naming the config key.
 */
export function validateKubernetes(args: PlatformArgs, project: string): string[] {
    const k = (key: string) => `${project}:${key}`;
    const o = args.overrides.kubernetes;
    const production = args.environment === "production";
    const problems: string[] = [];

    for (const [key, value] of [["minInstances", args.service.minInstances], ["workerMinInstances", args.worker.minInstances]] as const) {
        if (value < 1) problems.push(`${k(key)} is 0; a HorizontalPodAutoscaler cannot scale to zero (minReplicas >= 1) without the cluster's HPAScaleToZero feature gate`);
    }

    if (production && !o.prometheusRules) {
        problems.push(
            `${k("kubernetes.prometheusRules")} is false; production requires its alerts and metrics scraping ` +
                `(the PrometheusRule and PodMonitors need the Prometheus operator; route the alerts in Alertmanager on the alert_email label)`,
        );
    }
    if (args.cache.highAvailability && !o.externalRedisSecret) {
        problems.push(
            `${k("cacheHa")} is true, but the in-cluster Redis is a single primary with persistence, without automatic failover; ` +
                `set ${k("kubernetes.externalRedisSecret")} to a Secret whose REDIS_URL points at a replicated Redis, or set cacheHa false (staging only)`,
        );
    }
    if (o.externalRedisSecret && args.cache.tier !== SCHEMA.cacheTier.default) {
        problems.push(`${k("cacheTier")} is '${args.cache.tier}', but ${k("kubernetes.externalRedisSecret")} brings its own Redis; remove cacheTier from this stack`);
    }

    if (o.externalDatabaseSecret) {
        for (const [key, read] of DATABASE_KEYS) {
            if (read(args) !== SCHEMA[key].default) {
                problems.push(`${k(key)} is set, but ${k("kubernetes.externalDatabaseSecret")} brings its own database, where it has nothing to land on; remove ${key} from this stack`);
            }
        }
        if (o.backupDestinationPath) problems.push(`${k("kubernetes.backupDestinationPath")} is set, but ${k("kubernetes.externalDatabaseSecret")} brings its own database; its backups are its owner's business`);
    } else {
        if (production && !o.backupDestinationPath) {
            problems.push(`${k("kubernetes.backupDestinationPath")} is empty; production PostgreSQL needs an object store for backups and point-in-time recovery (e.g. s3://acme-backups/fastapi), or ${k("kubernetes.externalDatabaseSecret")}`);
        }
        if (CNPG_RESERVED_USERS.includes(args.database.username)) {
            problems.push(`${k("dbUser")} '${args.database.username}' is a role CloudNativePG creates itself; choose another name`);
        }
        if (RESERVED_DATABASES.includes(args.database.name)) {
            problems.push(`${k("dbName")} '${args.database.name}' is a database PostgreSQL already has; choose another name`);
        }
    }
    if (o.backupDestinationPath && !o.backupCredentialsSecret) {
        problems.push(`${k("kubernetes.backupCredentialsSecret")} is empty; name the Secret with ACCESS_KEY_ID and ACCESS_SECRET_KEY for ${k("kubernetes.backupDestinationPath")}`);
    }
    for (const key of ["backupCredentialsSecret", "backupEndpointUrl"] as const) {
        if (o[key] && !o.backupDestinationPath) problems.push(`${k(`kubernetes.${key}`)} is set but ${k("kubernetes.backupDestinationPath")} is empty; set the backup destination or remove ${key}`);
    }

    if (o.ingressClassName !== NGINX_CLASS && args.edgeRateLimitPerMinute !== SCHEMA.edgeRateLimitPerMinute.default) {
        problems.push(
            `${k("edgeRateLimitPerMinute")} is ${args.edgeRateLimitPerMinute}, but only ingress-nginx's rate limit is set by this program and ` +
                `${k("kubernetes.ingressClassName")} is '${o.ingressClassName}'; remove edgeRateLimitPerMinute or use the nginx class`,
        );
    }

    problems.push(...kubernetesDataProtectionProblems(args, project));

    for (const key of Object.keys(args.tags)) {
        if (!ANNOTATION_NAME.test(key)) problems.push(`${k(`tags.${key}`)} cannot be a Kubernetes annotation key (letters, digits, '-', '_', '.'; starting and ending with a letter or digit)`);
    }
    if (args.release.build && !o.imageRegistry) {
        problems.push(`${k("build.context")} is set, but Kubernetes has no registry of its own: set ${k("kubernetes.imageRegistry")} to the repository the built image is pushed to (e.g. ghcr.io/acme/fastapi-backend)`);
    }
    return problems;
}

/** A CloudNativePG / Barman backup id: the backup's start time, e.g. 20261128T020000. */
const BARMAN_BACKUP_ID = /^\d{8}T\d{6}$/;
const SERVER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The application's object storage Secret (production), backups that leave the cluster's region
 * (production, in-cluster database), and restore mode, which reads the object store.
 */
function kubernetesDataProtectionProblems(args: PlatformArgs, project: string): string[] {
    const k = (key: string) => `${project}:${key}`;
    const o = args.overrides.kubernetes;
    const production = args.environment === "production";
    const problems: string[] = [];
    if (production && !o.objectStorageSecret) {
        problems.push(`${k("kubernetes.objectStorageSecret")} is empty; production requires the application's S3-compatible bucket (a Secret with MINIO_ENDPOINT, MINIO_BUCKET, MINIO_ACCESS_KEY, MINIO_SECRET_KEY)`);
    }
    if (production && !o.externalDatabaseSecret) {
        for (const key of ["clusterRegion", "drRegion"] as const) {
            if (!o[key]) problems.push(`${k(`kubernetes.${key}`)} is empty; production requires the cluster's region and the region of the backup bucket (${k("kubernetes.backupDestinationPath")}) so backups are known to leave the cluster's region`);
        }
    }
    if (o.drRegion && o.clusterRegion && o.drRegion === o.clusterRegion) {
        problems.push(`${k("kubernetes.drRegion")} is '${o.drRegion}', the same as ${k("kubernetes.clusterRegion")}; PostgreSQL backups must be kept in another region`);
    }
    const restore = args.restore;
    if (restore) {
        if (o.externalDatabaseSecret) problems.push(`${k("restore")} is set, but ${k("kubernetes.externalDatabaseSecret")} brings its own database, which this stack cannot restore`);
        else if (!o.backupDestinationPath) problems.push(`${k("restore")} is set, but ${k("kubernetes.backupDestinationPath")} is empty; CloudNativePG recovers from the object store the source archived to`);
        if (restore.kind === "backup" && !BARMAN_BACKUP_ID.test(restore.backupId)) {
            problems.push(`${k("restore.from")} is '${restore.backupId}', which is not a CloudNativePG backup id (its start time, e.g. 20261128T020000)`);
        }
        if (restore.source && !SERVER_NAME.test(restore.source)) {
            problems.push(`${k("restore.source")} is '${restore.source}', which is not a CloudNativePG server name (the source cluster's name, lower-case letters, digits and '-')`);
        }
    }
    return problems;
}
