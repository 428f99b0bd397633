import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import type { DbTier } from "../../config/schema";
import type { RestoreSpec } from "../../components/platform";
import { globalName, type AzureContext } from "./context";
import type { Network } from "./network";

/** Neutral tiers -> Flexible Server compute of the memory components/capacity.ts assumes (vCores / GiB). */
export const POSTGRES_SKU: Record<DbTier, { name: string; tier: "Burstable" | "GeneralPurpose" | "MemoryOptimized" }> = {
    small: { name: "Standard_B1ms", tier: "Burstable" }, // 1 / 2
    medium: { name: "Standard_E2ds_v5", tier: "MemoryOptimized" }, // 2 / 16
    large: { name: "Standard_E4ds_v5", tier: "MemoryOptimized" }, // 4 / 32
    xlarge: { name: "Standard_E8ds_v5", tier: "MemoryOptimized" }, // 8 / 64
};

/** Premium SSD sizes a Flexible Server can have, in GiB; anything else is rejected by Azure. */
export const POSTGRES_STORAGE_SIZES_GB = [32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767];

/** The smallest Premium SSD size that holds `gb` (validate.ts rejects what no size holds). */
export function postgresStorageSize(gb: number): number | undefined {
    return POSTGRES_STORAGE_SIZES_GB.find((size) => size >= gb);
}

/** Azure's floor for backup retention; shorter stack values are raised to it (validate.ts warns). */
export const POSTGRES_MIN_BACKUP_DAYS = 7;

/**
 * Connections Azure keeps for itself (replication and monitoring, "concepts-limits"): the server
 * gets the capacity rule's max_connections plus these, so the application can open all of its.
 */
export const AZURE_RESERVED_CONNECTIONS = 15;

/** The max_connections server parameter: the capacity rule's number plus Azure's own connections. */
export function postgresMaxConnections(ruleMaxConnections: number): number {
    return ruleMaxConnections + AZURE_RESERVED_CONNECTIONS;
}

/** PostgreSQL's highest accepted max_connections on Flexible Server. */
export const POSTGRES_MAX_CONNECTIONS_LIMIT = 5000;

export const PGBOUNCER_PORT = 6432;
/** PostgreSQL itself; the migrations job connects here even when the API goes through PgBouncer. */
export const POSTGRES_PORT = 5432;

export interface Database {
    server: dbforpostgresql.Server;
    database: dbforpostgresql.Database;
    configurations: dbforpostgresql.Configuration[];
    readReplica?: dbforpostgresql.Server;
    lock?: authorization.ManagementLockByScope;
    host: pulumi.Output<string>;
    /** 5432, or 6432 when the application goes through the built-in PgBouncer. */
    port: pulumi.Output<number>;
    replicaHost?: pulumi.Output<string>;
}

/**
 * PostgreSQL Flexible Server with private access only (delegated subnet, private DNS zone, public
 * access disabled), TLS required, max_connections from the capacity rule, storage auto-grow and a
 * maintenance window; production adds zone-redundant HA, geo-redundant backups, a CanNotDelete
 * lock and `protect`. Optional read replica and built-in PgBouncer.
 */
export function createDatabase(ctx: AzureContext, net: Network, password: pulumi.Output<string>): Database {
    const { args, production, location, resourceGroupName, parent } = ctx;
    const db = args.database;
    const pgBouncer = args.overrides.azure.pgBouncer;
    const sku = POSTGRES_SKU[db.tier];
    const storage = {
        storageSizeGB: postgresStorageSize(db.storageGb),
        autoGrow: "Enabled",
        type: "Premium_LRS",
    };
    const network = {
        delegatedSubnetResourceId: net.subnetIds.postgres,
        privateDnsZoneArmResourceId: net.postgresDnsZone.id,
        publicNetworkAccess: "Disabled",
    };
    const stateful = { parent, protect: production };

    const server = new dbforpostgresql.Server(`${ctx.name}-postgres`, {
        serverName: globalName(ctx, "pg", 63),
        resourceGroupName, location,
        version: String(db.version),
        sku,
        administratorLogin: db.username,
        administratorLoginPassword: pulumi.secret(password),
        authConfig: { passwordAuth: "Enabled", activeDirectoryAuth: "Disabled" },
        storage,
        backup: {
            backupRetentionDays: Math.max(db.backupRetentionDays, POSTGRES_MIN_BACKUP_DAYS),
            geoRedundantBackup: production ? "Enabled" : "Disabled",
        },
        highAvailability: { mode: db.highAvailability ? "ZoneRedundant" : "Disabled" },
        network,
        maintenanceWindow: { customWindow: "Enabled", dayOfWeek: 0, startHour: 3, startMinute: 30 },
        ...(args.restore ? flexibleServerRestoreInputs(args.restore, new Date()) : {}),
        tags: args.tags,
    }, {
        ...stateful,
        dependsOn: net.dnsZoneLinks,
        // The restore inputs only matter when the server is created; a later `pulumi up` must not
        // replace the restored server because "now" moved on.
        ignoreChanges: args.restore ? ["createMode", "sourceServerResourceId", "pointInTimeUTC"] : [],
    });

    const maxConnections = String(postgresMaxConnections(db.maxConnections));
    const parameters: Record<string, string> = {
        require_secure_transport: "on",
        ssl_min_protocol_version: "TLSv1.2",
        // Static: Azure applies it at the next restart (docs/azure.md, "max_connections").
        max_connections: maxConnections,
        log_connections: "on",
        log_disconnections: "on",
        log_lock_waits: "on",
        log_min_duration_statement: "1000",
        ...(pgBouncer ? pgBouncerParameters() : {}),
    };
    const configurations = configure(ctx, "postgres", server, parameters);

    const database = new dbforpostgresql.Database(`${ctx.name}-postgres-db`, {
        serverName: server.name, resourceGroupName,
        databaseName: db.name, charset: "UTF8", collation: "en_US.utf8",
    }, { ...stateful, dependsOn: configurations });

    const lock = db.deletionProtection
        ? new authorization.ManagementLockByScope(`${ctx.name}-postgres-lock`, {
              scope: server.id,
              lockName: "do-not-delete",
              level: "CanNotDelete",
              notes: `Production database of ${args.baseName}: remove this lock (and Pulumi's protect) only to retire the stack on purpose.`,
          }, { parent, dependsOn: [database, ...configurations] }) // so that a destroy removes the lock before the server's children
        : undefined;

    let readReplica: dbforpostgresql.Server | undefined;
    if (db.readReplica) {
        readReplica = new dbforpostgresql.Server(`${ctx.name}-postgres-replica`, {
            serverName: globalName(ctx, "pg-replica", 63),
            resourceGroupName, location,
            createMode: "Replica",
            sourceServerResourceId: server.id,
            version: String(db.version),
            sku,
            storage,
            network,
            tags: args.tags,
        }, { ...stateful, dependsOn: [...configurations, database] });
        // A hot standby refuses to start with fewer connections than its primary.
        configure(ctx, "postgres-replica", readReplica, {
            require_secure_transport: "on",
            max_connections: maxConnections,
            ...(pgBouncer ? pgBouncerParameters() : {}),
        });
    }

    const port = pgBouncer ? PGBOUNCER_PORT : POSTGRES_PORT;
    return {
        server, database, configurations, readReplica, lock,
        host: server.fullyQualifiedDomainName,
        port: pulumi.output(port),
        replicaHost: readReplica?.fullyQualifiedDomainName,
    };
}

/**
 * Restore mode: a point in time of the source server in this region (PointInTimeRestore), or the
 * latest geo-redundant backup of a server in the paired region (GeoRestore, which Azure runs in
 * the source's paired region). Azure asks for a time with both; a geo-restore takes the latest
 * backup at or before it, so `now` means "the latest".
 */
export function flexibleServerRestoreInputs(
    restore: RestoreSpec, now: Date,
): Pick<dbforpostgresql.ServerArgs, "createMode" | "sourceServerResourceId" | "pointInTimeUTC"> {
    if (restore.kind === "backup") throw new Error("unreachable: validate() rejects restore.from on Azure");
    return restore.kind === "pointInTime"
        ? { createMode: "PointInTimeRestore", sourceServerResourceId: restore.source, pointInTimeUTC: restore.time }
        : { createMode: "GeoRestore", sourceServerResourceId: restore.source, pointInTimeUTC: now.toISOString() };
}

/**
 * PgBouncer in transaction mode: asyncpg (SQLAlchemy's async driver) uses named prepared
 * statements, which PgBouncer passes through only when it tracks them.
 */
function pgBouncerParameters(): Record<string, string> {
    return { "pgbouncer.enabled": "true", "pgbouncer.max_prepared_statements": "200" };
}

/** Server parameters, one at a time: a Flexible Server rejects a parameter change while another is running. */
function configure(ctx: AzureContext, role: string, server: dbforpostgresql.Server, parameters: Record<string, string>): dbforpostgresql.Configuration[] {
    const created: dbforpostgresql.Configuration[] = [];
    for (const [parameter, value] of Object.entries(parameters)) {
        created.push(new dbforpostgresql.Configuration(`${ctx.name}-${role}-${parameter.replace(/[._]/g, "-")}`, {
            serverName: server.name,
            resourceGroupName: ctx.resourceGroupName,
            configurationName: parameter,
            value,
            source: "user-override",
        }, { parent: ctx.parent, dependsOn: created.length > 0 ? [created[created.length - 1]] : [server] }));
    }
    return created;
}
