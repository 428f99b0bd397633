import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import type { DbTier } from "../../config/schema";
import { shortName } from "../../components/naming";
import type { PlatformArgs, RestoreSpec } from "../../components/platform";
import type { Network } from "./network";

/** Neutral tiers -> Graviton classes of the memory components/capacity.ts assumes. */
export const RDS_INSTANCE_CLASS: Record<DbTier, string> = {
    small: "db.t4g.small",
    medium: "db.r7g.large",
    large: "db.r7g.xlarge",
    xlarge: "db.r7g.2xlarge",
};

export interface Database {
    instance: aws.rds.Instance;
    parameterGroup: aws.rds.ParameterGroup;
    readReplica?: aws.rds.Instance;
    /** Production: automated backups (snapshots and transaction logs) copied to aws.drRegion. */
    backupReplication?: aws.rds.InstanceAutomatedBackupsReplication;
    /** RDS Proxy in front of the primary, when aws.rdsProxy is on. */
    proxy?: aws.rds.Proxy;
    /** Where the application connects: the proxy endpoint when there is one, else the instance. */
    host: pulumi.Output<string>;
    port: pulumi.Output<number>;
}

/**
 * RDS PostgreSQL: private, encrypted, TLS forced, max_connections from the capacity rule, storage
 * autoscaling; production adds Multi-AZ, deletion protection, a final snapshot, Performance
 * Insights and `protect`, so neither `pulumi destroy` nor a refactor can drop the data.
 */
export function createDatabase(
    name: string, args: PlatformArgs, network: Network, password: pulumi.Output<string>, runtimePassword: pulumi.Output<string>, parent: pulumi.Resource,
): Database {
    const db = args.database;
    const production = args.environment === "production";
    const opts = { parent };
    const stateful = { parent, protect: production };
    const instanceClass = args.overrides.aws.dbInstanceClass || RDS_INSTANCE_CLASS[db.tier];

    const subnetGroup = new aws.rds.SubnetGroup(`${name}-db-subnets`, {
        subnetIds: network.dataSubnets.map((s) => s.id), tags: args.tags,
    }, opts);

    const parameterGroup = new aws.rds.ParameterGroup(`${name}-db-params`, {
        family: `postgres${db.version}`,
        description: `${args.baseName}: TLS only, max_connections by the capacity rule`,
        parameters: [
            { name: "rds.force_ssl", value: "1" },
            // Static parameter: takes effect at the next reboot, which RDS does in the maintenance window.
            { name: "max_connections", value: String(db.maxConnections), applyMethod: "pending-reboot" },
            { name: "log_connections", value: "1" },
            { name: "log_disconnections", value: "1" },
            { name: "log_lock_waits", value: "1" },
            { name: "log_min_duration_statement", value: "1000" },
        ],
        tags: args.tags,
    }, opts);

    const finalSnapshotSuffix = new random.RandomId(`${name}-db-final-snapshot`, { byteLength: 4 }, opts);
    const common = {
        instanceClass,
        parameterGroupName: parameterGroup.name,
        vpcSecurityGroupIds: [network.securityGroups.database.id],
        publiclyAccessible: false,
        storageEncrypted: true,
        autoMinorVersionUpgrade: true,
        performanceInsightsEnabled: production,
        performanceInsightsRetentionPeriod: production ? 7 : undefined,
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        caCertIdentifier: "rds-ca-rsa2048-g1",
        copyTagsToSnapshot: true,
        applyImmediately: !production,
        tags: args.tags,
    };

    const instance = new aws.rds.Instance(`${name}-db`, {
        ...common,
        engine: "postgres",
        engineVersion: String(db.version),
        // A restored instance takes its database and master user from the backup; RDS then sets
        // `password` on it, so the stack's own DATABASE_URL works against the restored data.
        ...(args.restore ? rdsRestoreInputs(args.restore) : { dbName: db.name, username: db.username }),
        password,
        port: 5432,
        dbSubnetGroupName: subnetGroup.name,
        allocatedStorage: db.storageGb,
        maxAllocatedStorage: db.maxStorageGb,
        storageType: "gp3",
        multiAz: db.highAvailability,
        backupRetentionPeriod: db.backupRetentionDays,
        backupWindow: "02:00-03:00",
        maintenanceWindow: "sun:03:30-sun:04:30",
        deletionProtection: db.deletionProtection,
        skipFinalSnapshot: !production,
        finalSnapshotIdentifier: pulumi.interpolate`${args.baseName}-db-final-${finalSnapshotSuffix.hex}`,
    }, { ...stateful, additionalSecretOutputs: ["password"] });

    const readReplica = db.readReplica
        ? new aws.rds.Instance(`${name}-db-replica`, {
              ...common,
              replicateSourceDb: instance.identifier,
              multiAz: false,
              // A replica has no backups of its own to keep; the primary's final snapshot holds the data.
              skipFinalSnapshot: true,
              deletionProtection: db.deletionProtection,
          }, stateful)
        : undefined;

    const backupReplication = production && args.overrides.aws.drRegion
        ? createBackupReplication(name, args, instance, parent)
        : undefined;

    const proxy = args.overrides.aws.rdsProxy ? createProxy(name, args, network, instance, password, runtimePassword, parent) : undefined;
    return {
        instance, parameterGroup, readReplica, backupReplication, proxy,
        host: proxy ? proxy.endpoint : instance.address,
        port: instance.port,
    };
}

/**
 * Restore mode: a snapshot (`restore.from`: identifier or ARN), or a point in time of a source
 * (`restore.source`: an instance identifier in this region, or the ARN of automated backups
 * replicated here from another region), at `restore.pointInTime` or the latest restorable time.
 */
export function rdsRestoreInputs(restore: RestoreSpec): Pick<aws.rds.InstanceArgs, "snapshotIdentifier" | "restoreToPointInTime"> {
    if (restore.kind === "backup") return { snapshotIdentifier: restore.backupId };
    const source = restore.source.startsWith("arn:")
        ? { sourceDbInstanceAutomatedBackupsArn: restore.source }
        : { sourceDbInstanceIdentifier: restore.source };
    return {
        restoreToPointInTime: restore.kind === "pointInTime"
            ? { ...source, restoreTime: restore.time }
            : { ...source, useLatestRestorableTime: true },
    };
}

/**
 * Cross-region automated backups: RDS copies every snapshot and the transaction logs to
 * aws.drRegion, so the database can be restored to a point in time there when this region is
 * lost. The storage is encrypted, so the copies need a KMS key in the destination region.
 */
function createBackupReplication(
    name: string, args: PlatformArgs, instance: aws.rds.Instance, parent: pulumi.Resource,
): aws.rds.InstanceAutomatedBackupsReplication {
    const drRegion = args.overrides.aws.drRegion;
    const key = new aws.kms.Key(`${name}-db-backups-dr-key`, {
        region: drRegion,
        description: `${args.baseName}: RDS automated backups replicated to ${drRegion}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags: args.tags,
    }, { parent, protect: true });
    return new aws.rds.InstanceAutomatedBackupsReplication(`${name}-db-backups-dr`, {
        region: drRegion,
        sourceDbInstanceArn: instance.arn,
        kmsKeyId: key.arn,
        retentionPeriod: args.database.backupRetentionDays,
    }, { parent, protect: true });
}

/**
 * RDS Proxy pools connections for bursty fleets. It authenticates each role (the owner for the
 * migrations, the runtime role for the API and worker) with a Secrets Manager secret holding
 * that role's credentials, readable only by the proxy's own role, and requires TLS.
 */
function createProxy(
    name: string, args: PlatformArgs, network: Network, instance: aws.rds.Instance, password: pulumi.Output<string>,
    runtimePassword: pulumi.Output<string>, parent: pulumi.Resource,
): aws.rds.Proxy {
    const opts = { parent };
    const production = args.environment === "production";
    const credentialSecret = (suffix: string, username: string, secretPassword: pulumi.Output<string>) => {
        const secret = new aws.secretsmanager.Secret(`${name}-db-proxy-${suffix}`, {
            // Secrets Manager names hold at most 512 characters (AWS Secrets Manager CreateSecret API reference).
            name: `${shortName(args.baseName, "", 512 - `/rds-proxy-${suffix}`.length)}/rds-proxy-${suffix}`,
            description: `Credentials of ${username} that RDS Proxy uses to reach PostgreSQL`,
            recoveryWindowInDays: production ? 30 : 0,
            tags: args.tags,
        }, { parent, protect: production });
        new aws.secretsmanager.SecretVersion(`${name}-db-proxy-${suffix}`, {
            secretId: secret.id,
            secretString: pulumi.secret(pulumi.jsonStringify({ username, password: secretPassword })),
        }, opts);
        return secret;
    };
    const credentials = credentialSecret("credentials", args.database.username, password);
    const runtimeCredentials = credentialSecret("runtime-credentials", args.database.runtimeUsername, runtimePassword);
    const role = new aws.iam.Role(`${name}-db-proxy-role`, {
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "rds.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        tags: args.tags,
    }, opts);
    new aws.iam.RolePolicy(`${name}-db-proxy-read-credentials`, {
        role: role.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [credentials.arn, runtimeCredentials.arn] }],
        }),
    }, opts);
    // The proxy sits in the database's security group, so that group must admit itself.
    new aws.vpc.SecurityGroupIngressRule(`${name}-db-from-proxy`, {
        securityGroupId: network.securityGroups.database.id, referencedSecurityGroupId: network.securityGroups.database.id,
        ipProtocol: "tcp", fromPort: 5432, toPort: 5432, description: "PostgreSQL from RDS Proxy",
    }, opts);
    const proxy = new aws.rds.Proxy(`${name}-db-proxy`, {
        engineFamily: "POSTGRESQL",
        requireTls: true,
        roleArn: role.arn,
        vpcSubnetIds: network.dataSubnets.map((s) => s.id),
        vpcSecurityGroupIds: [network.securityGroups.database.id],
        auths: [credentials, runtimeCredentials].map((secret) => ({ authScheme: "SECRETS", iamAuth: "DISABLED", secretArn: secret.arn })),
        tags: args.tags,
    }, opts);
    const targetGroup = new aws.rds.ProxyDefaultTargetGroup(`${name}-db-proxy-targets`, {
        dbProxyName: proxy.name,
        connectionPoolConfig: { maxConnectionsPercent: 90, maxIdleConnectionsPercent: 50, connectionBorrowTimeout: 120 },
    }, opts);
    new aws.rds.ProxyTarget(`${name}-db-proxy-target`, {
        dbProxyName: proxy.name, targetGroupName: targetGroup.name, dbInstanceIdentifier: instance.identifier,
    }, opts);
    return proxy;
}
