import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import type { DbTier } from "../../config/schema";
import type { PlatformArgs, RestoreSpec } from "../../components/platform";
import { shortName } from "../../components/naming";
import { gcpLabels } from "./labels";
import type { Network } from "./network";
import type { GcpProject } from "./project";

/**
 * Neutral tiers -> dedicated-core custom machines of at least the memory components/capacity.ts
 * assumes. `small` is the smallest dedicated-core machine: shared-core tiers carry no SLA.
 */
export const CLOUD_SQL_TIER: Record<DbTier, string> = {
    small: "db-custom-1-3840",
    medium: "db-custom-4-16384",
    large: "db-custom-8-32768",
    xlarge: "db-custom-16-65536",
};

export const POSTGRES_PORT = 5432;
/** Cloud SQL instance names have at most 98 characters; 7 go to "-<suffix>". */
const NAME_ROOM = 91;

/** Custom and shared-core tiers exist only in the Enterprise edition, performance-optimized ones only in Enterprise Plus. */
export function cloudSqlEdition(tier: string): "ENTERPRISE" | "ENTERPRISE_PLUS" {
    return tier.startsWith("db-perf-optimized-") ? "ENTERPRISE_PLUS" : "ENTERPRISE";
}

export interface Database {
    instance: gcp.sql.DatabaseInstance;
    readReplica?: gcp.sql.DatabaseInstance;
    /** Absent in restore mode: the database comes with the backup. */
    database?: gcp.sql.Database;
    user: gcp.sql.User;
    host: pulumi.Output<string>;
    port: pulumi.Output<number>;
}

/**
 * Restore mode: a backup run of the source instance (`restore.from` the run's id, `restore.source`
 * the instance), or a clone of the source at `restore.pointInTime` or its latest state, in the
 * private services range like the primary.
 */
export function cloudSqlRestoreInputs(
    restore: RestoreSpec, projectId: string, allocatedIpRange: pulumi.Input<string>,
): Pick<gcp.sql.DatabaseInstanceArgs, "restoreBackupContext" | "clone"> {
    switch (restore.kind) {
        case "backup":
            return { restoreBackupContext: { backupRunId: Number(restore.backupId), instanceId: restore.source, project: projectId } };
        case "pointInTime":
            return { clone: { sourceInstanceName: restore.source, pointInTime: restore.time, allocatedIpRange } };
        case "latest":
            return { clone: { sourceInstanceName: restore.source, allocatedIpRange } };
    }
}

/**
 * Cloud SQL for PostgreSQL on a private address only, TLS required, max_connections from the
 * capacity rule, connection and lock logging, Query Insights and storage autoresize up to
 * dbMaxStorageGb. Production adds a regional (two-zone) primary, point-in-time recovery, deletion
 * protection in Pulumi and in the Cloud SQL API, a final backup and `protect`.
 */
export function createDatabase(
    name: string, args: PlatformArgs, project: GcpProject, network: Network, uniqueSuffix: pulumi.Output<string>,
    password: pulumi.Output<string>, parent: pulumi.Resource,
): Database {
    const db = args.database;
    const production = args.environment === "production";
    const stateful = { parent, protect: production };
    const tier = args.overrides.gcp.sqlTier || CLOUD_SQL_TIER[db.tier];
    const labels = gcpLabels(args.tags);

    const common = {
        tier,
        edition: cloudSqlEdition(tier),
        diskType: "PD_SSD",
        diskSize: db.storageGb,
        diskAutoresize: true,
        diskAutoresizeLimit: db.maxStorageGb,
        ipConfiguration: {
            ipv4Enabled: false,
            privateNetwork: network.vpc.id,
            allocatedIpRange: network.privateServiceRange.name,
            sslMode: "ENCRYPTED_ONLY",
        },
        insightsConfig: { queryInsightsEnabled: true, queryStringLength: 1024, recordApplicationTags: true, recordClientAddress: true },
        databaseFlags: [
            // A replica must allow at least the primary's max_connections, so both carry the same flags.
            { name: "max_connections", value: String(db.maxConnections) },
            { name: "log_connections", value: "on" },
            { name: "log_disconnections", value: "on" },
            { name: "log_checkpoints", value: "on" },
            { name: "log_lock_waits", value: "on" },
            { name: "log_min_duration_statement", value: "1000" },
        ],
        deletionProtectionEnabled: db.deletionProtection,
        userLabels: labels,
    };
    // Autoresize grows the disk past diskSize; without this, the next `pulumi up` would try to shrink it back.
    const keepGrownDisk = ["settings.diskSize"];

    const instance = new gcp.sql.DatabaseInstance(`${name}-db`, {
        // Cloud SQL keeps a deleted instance's name for a week: the suffix lets a stack be re-created at once.
        name: pulumi.interpolate`${shortName(args.baseName, "db", NAME_ROOM)}-${uniqueSuffix}`,
        databaseVersion: `POSTGRES_${db.version}`,
        region: project.region,
        deletionProtection: db.deletionProtection,
        ...(args.restore ? cloudSqlRestoreInputs(args.restore, project.id, network.privateServiceRange.name) : {}),
        settings: {
            ...common,
            availabilityType: db.highAvailability ? "REGIONAL" : "ZONAL",
            backupConfiguration: {
                enabled: true,
                startTime: "02:00",
                pointInTimeRecoveryEnabled: production,
                // Cloud SQL requires more retained backups than days of transaction logs.
                transactionLogRetentionDays: production ? Math.min(7, db.backupRetentionDays - 1) : undefined,
                backupRetentionSettings: { retainedBackups: db.backupRetentionDays, retentionUnit: "COUNT" },
                // Production keeps its backups in gcp.drRegion, so they survive the loss of this region
                // and restore there (cloud.google.com/sql/docs/postgres/backup-recovery/backups#custom-locations).
                ...(production && args.overrides.gcp.drRegion ? { location: args.overrides.gcp.drRegion } : {}),
            },
            maintenanceWindow: { day: 7, hour: 3, updateTrack: "stable" },
            retainBackupsOnDelete: production,
            finalBackupConfig: production ? { enabled: true, retentionDays: db.backupRetentionDays } : undefined,
        },
    }, { ...stateful, dependsOn: [network.privateServiceConnection, project.apis.sqlAdmin], ignoreChanges: keepGrownDisk });

    const readReplica = db.readReplica
        ? new gcp.sql.DatabaseInstance(`${name}-db-replica`, {
              name: pulumi.interpolate`${shortName(args.baseName, "db-replica", NAME_ROOM)}-${uniqueSuffix}`,
              databaseVersion: `POSTGRES_${db.version}`,
              region: project.region,
              masterInstanceName: instance.name,
              replicaConfiguration: { failoverTarget: false },
              deletionProtection: db.deletionProtection,
              // A replica has no backups of its own; the primary's hold the data.
              settings: { ...common, availabilityType: "ZONAL" },
          }, { ...stateful, ignoreChanges: keepGrownDisk })
        : undefined;

    // ABANDON: PostgreSQL refuses to drop a database with open connections or a role that owns
    // objects; both go with the instance when it is deleted. A restored instance brings the
    // database with the backup, so only the user (its password set to this stack's) is managed.
    const database = args.restore
        ? undefined
        : new gcp.sql.Database(`${name}-db-app`, { instance: instance.name, name: db.name, deletionPolicy: "ABANDON" }, { parent });
    const user = new gcp.sql.User(`${name}-db-user`, {
        instance: instance.name, name: db.username, type: "BUILT_IN", password, deletionPolicy: "ABANDON",
    }, { parent, dependsOn: database ? [database] : [instance] });

    return {
        instance, readReplica, database, user,
        host: instance.privateIpAddress,
        port: pulumi.output(POSTGRES_PORT),
    };
}
