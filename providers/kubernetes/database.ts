import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { DB_TIER_SPECS } from "../../components/capacity";
import { databaseSecrets, type AppSecrets } from "../../components/secrets";
import type { DbTier } from "../../config/schema";
import type { RestoreSpec } from "../../components/platform";
import { ANNOTATION_PREFIX, containerResources, contentHash, objectMeta, type KubeContext } from "./context";
import { createSecret } from "./secrets";

export const CNPG_API = "postgresql.cnpg.io/v1";
export const CLUSTER_NAME = "postgres";
export const POOLER_RW = "postgres-pooler-rw";
export const POOLER_RO = "postgres-pooler-ro";
export const POSTGRES_PORT = 5432;
/**
 * Seed 000's PgBouncer settings, plus prepared-statement tracking (PgBouncer 1.21+, a Pooler
 * parameter since CloudNativePG 1.22): in transaction mode psycopg 3 and asyncpg prepare
 * statements at the protocol level, which PgBouncer then carries to whichever server
 * connection runs them; without it a libpq-style URL (which cannot switch preparing off) fails.
 */
export const PGBOUNCER_PARAMETERS = { max_client_conn: "1000", default_pool_size: "20", max_prepared_statements: "200" };
/** The Secret CloudNativePG sets the runtime role's password from (a managed role). */
export const RUNTIME_CREDENTIALS_SECRET = "postgres-runtime-credentials";
/** Neutral tiers -> vCPU of the PostgreSQL pods (memory comes from components/capacity.ts). */
export const POSTGRES_CPU_MILLICORES: Record<DbTier, number> = { small: 1000, medium: 4000, large: 8000, xlarge: 16000 };
/** Base backup every night at 02:00 (CloudNativePG schedules have a seconds field). */
const BACKUP_SCHEDULE = "0 0 2 * * *";

/** Annotations on the CloudNativePG cluster naming the cluster's region and its backup bucket's region. */
export const CLUSTER_REGION_ANNOTATION = `${ANNOTATION_PREFIX}/cluster-region`;
export const BACKUP_REGION_ANNOTATION = `${ANNOTATION_PREFIX}/backup-region`;

function regionAnnotations(k: { clusterRegion: string; drRegion: string }): Record<string, string> {
    return {
        ...(k.clusterRegion ? { [CLUSTER_REGION_ANNOTATION]: k.clusterRegion } : {}),
        ...(k.drRegion ? { [BACKUP_REGION_ANNOTATION]: k.drRegion } : {}),
    };
}

/** The external cluster a restore reads from: the object store under the source's server name. */
export const RECOVERY_SOURCE = "origin";

/**
 * Restore mode: CloudNativePG's recovery bootstrap from the object store (base backup plus WAL),
 * to `restore.pointInTime`, to the end of one backup (`restore.from`, a backup id such as
 * 20261128T020000), or to the end of the archived WAL. `restore.source` is the server name the
 * backups were written under (the source cluster's name, "postgres", unless it was changed). The
 * owner's password is reset from this stack's credentials Secret.
 */
export function recoveryBootstrap(restore: RestoreSpec, store: Record<string, unknown>, database: string, owner: string): Record<string, unknown> {
    const recoveryTarget = restore.kind === "pointInTime"
        ? { targetTime: restore.time }
        : restore.kind === "backup" ? { backupID: restore.backupId } : undefined;
    const serverName = restore.source || CLUSTER_NAME;
    return {
        bootstrap: {
            recovery: {
                source: RECOVERY_SOURCE, database, owner, secret: { name: "postgres-app-credentials" },
                ...(recoveryTarget ? { recoveryTarget } : {}),
            },
        },
        externalClusters: [{ name: RECOVERY_SOURCE, barmanObjectStore: { ...store, serverName } }],
    };
}

/**
 * Where this cluster archives: a restored cluster writes under its own server name, since
 * CloudNativePG refuses to archive into a folder that already holds another server's WAL.
 */
function ownBackupStore(restore: RestoreSpec | undefined, store: Record<string, unknown>): Record<string, unknown> {
    return restore ? { ...store, serverName: `${CLUSTER_NAME}-restored-${contentHash(restore, 6)}` } : store;
}

export interface Database {
    cluster: k8s.apiextensions.CustomResource;
    pooler: k8s.apiextensions.CustomResource;
    readPooler?: k8s.apiextensions.CustomResource;
    scheduledBackup?: k8s.apiextensions.CustomResource;
    credentials: k8s.core.v1.Secret;
    host: string;
    readHost?: string;
    instances: number;
    /** DATABASE_URL (and DATABASE_READ_URL) through PgBouncer, as Pulumi secrets: the runtime role's, and the owner's for migrations. */
    urls: Record<string, pulumi.Output<string>>;
}

const serviceHost = (ctx: KubeContext, service: string) => `${service}.${ctx.namespaceName}.svc.cluster.local`;

/**
 * A CloudNativePG cluster: 3 instances in production (synchronous standby, spread across zones),
 * 1 in staging (2 with a read replica); max_connections from the capacity rule; the app user's
 * password from the generated secret; continuous WAL archiving and nightly base backups to the
 * object store for point-in-time recovery. PgBouncer Poolers in transaction mode sit in front.
 */
export function createDatabase(ctx: KubeContext, secrets: AppSecrets): Database {
    const password = secrets.dbPassword;
    const { args, production, parent } = ctx;
    const db = args.database;
    const k = args.overrides.kubernetes;
    const instances = production ? 3 : db.readReplica ? 2 : 1;

    const credentials = createSecret(ctx, `${args.baseName}-postgres-app-credentials`, "postgres-app-credentials", "postgres",
        { username: db.username, password }, "kubernetes.io/basic-auth");
    // The runtime role is a CloudNativePG managed role: the operator creates it and keeps its
    // password in step with this Secret; the owner (no CREATEROLE here) then only grants to it.
    const runtimeCredentials = createSecret(ctx, `${args.baseName}-postgres-runtime-credentials`, RUNTIME_CREDENTIALS_SECRET, "postgres",
        { username: db.runtimeUsername, password: secrets.dbRuntimePassword }, "kubernetes.io/basic-auth");

    const backupStore = k.backupDestinationPath
        ? {
              destinationPath: k.backupDestinationPath,
              ...(k.backupEndpointUrl ? { endpointURL: k.backupEndpointUrl } : {}),
              s3Credentials: {
                  accessKeyId: { name: k.backupCredentialsSecret, key: "ACCESS_KEY_ID" },
                  secretAccessKey: { name: k.backupCredentialsSecret, key: "ACCESS_SECRET_KEY" },
              },
              wal: { compression: "gzip" },
              data: { compression: "gzip" },
          }
        : undefined;
    if (!backupStore) {
        pulumi.log.warn(`${pulumi.getProject()}:dbBackupDays (${db.backupRetentionDays}) has no effect: this staging stack has no ${pulumi.getProject()}:kubernetes.backupDestinationPath, so PostgreSQL is not backed up`);
    }

    const memoryMb = DB_TIER_SPECS[db.tier].memoryGiB * 1024;
    const clusterMeta = objectMeta(ctx, CLUSTER_NAME, "postgres");
    const cluster = new k8s.apiextensions.CustomResource(`${args.baseName}-postgres`, {
        apiVersion: CNPG_API,
        kind: "Cluster",
        // Where the cluster and its backups live, as declared in config: the cluster cannot see
        // the bucket's region, so reviewers and the policy pack read it here.
        metadata: { ...clusterMeta, annotations: { ...ctx.annotations, ...regionAnnotations(k) } },
        spec: {
            instances,
            imageName: `ghcr.io/cloudnative-pg/postgresql:${db.version}`,
            primaryUpdateStrategy: "unsupervised",
            enableSuperuserAccess: false,
            postgresql: {
                parameters: {
                    max_connections: String(db.maxConnections),
                    log_connections: "on",
                    log_disconnections: "on",
                    log_checkpoints: "on",
                    log_lock_waits: "on",
                    log_min_duration_statement: "1000",
                },
                ...(production ? { synchronous: { method: "any", number: 1 } } : {}),
            },
            ...(args.restore && backupStore
                ? recoveryBootstrap(args.restore, backupStore, db.name, db.username)
                : { bootstrap: { initdb: { database: db.name, owner: db.username, secret: { name: "postgres-app-credentials" } } } }),
            managed: {
                roles: [{
                    name: db.runtimeUsername, ensure: "present", login: true, inherit: false,
                    superuser: false, createdb: false, createrole: false, replication: false,
                    passwordSecret: { name: RUNTIME_CREDENTIALS_SECRET },
                }],
            },
            storage: { size: `${db.storageGb}Gi`, ...(k.storageClassName ? { storageClass: k.storageClassName } : {}) },
            resources: containerResources(POSTGRES_CPU_MILLICORES[db.tier], memoryMb),
            affinity: { enablePodAntiAffinity: true, topologyKey: "topology.kubernetes.io/zone", podAntiAffinityType: "preferred" },
            inheritedMetadata: { labels: ctx.labels },
            ...(k.prometheusRules ? { monitoring: { enablePodMonitor: true } } : {}),
            ...(backupStore ? { backup: { barmanObjectStore: ownBackupStore(args.restore, backupStore), retentionPolicy: `${db.backupRetentionDays}d` } } : {}),
        },
    }, { parent, protect: production, dependsOn: [credentials, runtimeCredentials] });

    const scheduledBackup = backupStore
        ? new k8s.apiextensions.CustomResource(`${args.baseName}-postgres-nightly-backup`, {
              apiVersion: CNPG_API,
              kind: "ScheduledBackup",
              metadata: objectMeta(ctx, "postgres-nightly", "postgres"),
              spec: { schedule: BACKUP_SCHEDULE, immediate: true, backupOwnerReference: "self", method: "barmanObjectStore", cluster: { name: CLUSTER_NAME } },
          }, { parent, dependsOn: [cluster] })
        : undefined;

    const pooler = (poolerName: string, type: "rw" | "ro") => new k8s.apiextensions.CustomResource(`${args.baseName}-${poolerName}`, {
        apiVersion: CNPG_API,
        kind: "Pooler",
        metadata: objectMeta(ctx, poolerName, "postgres-pooler"),
        spec: {
            cluster: { name: CLUSTER_NAME },
            instances: production ? 2 : 1,
            type,
            pgbouncer: { poolMode: "transaction", parameters: PGBOUNCER_PARAMETERS },
        },
    }, { parent, dependsOn: [cluster] });

    const rw = pooler(POOLER_RW, "rw");
    const ro = db.readReplica ? pooler(POOLER_RO, "ro") : undefined;
    const host = serviceHost(ctx, POOLER_RW);
    const readHost = ro ? serviceHost(ctx, POOLER_RO) : undefined;
    return {
        cluster, pooler: rw, readPooler: ro, scheduledBackup, credentials, host, readHost, instances,
        urls: databaseSecrets(args, secrets, {
            host, port: POSTGRES_PORT, ...(readHost ? { readHost } : {}), path: "transaction-pooler",
        }),
    };
}
