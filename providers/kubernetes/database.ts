import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { DB_TIER_SPECS } from "../../components/capacity";
import { databaseSecrets, type AppSecrets } from "../../components/secrets";
import type { DbTier } from "../../config/schema";
import { containerResources, objectMeta, type KubeContext } from "./context";
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
    const cluster = new k8s.apiextensions.CustomResource(`${args.baseName}-postgres`, {
        apiVersion: CNPG_API,
        kind: "Cluster",
        metadata: objectMeta(ctx, CLUSTER_NAME, "postgres"),
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
            bootstrap: { initdb: { database: db.name, owner: db.username, secret: { name: "postgres-app-credentials" } } },
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
            ...(backupStore ? { backup: { barmanObjectStore: backupStore, retentionPolicy: `${db.backupRetentionDays}d` } } : {}),
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
