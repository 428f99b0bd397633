import { pick, type Fields, type KeySetting } from "./common";

/** The AWS settings a reviewer looks at first, by resource type. */
export const AWS_SETTINGS: Record<string, KeySetting> = {
    "aws:rds/instance:Instance": {
        label: "RDS instance",
        fields: (r) => ({
            ...pick(r.plainInputs, [
                "instanceClass", "multiAz", "storageEncrypted", "publiclyAccessible", "deletionProtection",
                "backupRetentionPeriod", "skipFinalSnapshot", "performanceInsightsEnabled",
            ]),
            ...(r.plainInputs.replicateSourceDb ? { replicaOf: r.plainInputs.replicateSourceDb } : {}),
            ...(r.plainInputs.snapshotIdentifier ? { restoreFromSnapshot: r.plainInputs.snapshotIdentifier } : {}),
            ...(r.plainInputs.restoreToPointInTime ? { restoreToPointInTime: JSON.stringify(r.plainInputs.restoreToPointInTime) } : {}),
            protect: r.protect,
        }),
    },
    "aws:rds/parameterGroup:ParameterGroup": {
        label: "RDS parameters",
        fields: (r) => {
            const parameters: { name: string; value: string }[] = r.plainInputs.parameters ?? [];
            const value = (name: string) => parameters.find((p) => p.name === name)?.value;
            return { family: r.plainInputs.family, max_connections: value("max_connections"), "rds.force_ssl": value("rds.force_ssl") };
        },
    },
    "aws:rds/proxy:Proxy": { label: "RDS Proxy", fields: (r) => pick(r.plainInputs, ["engineFamily", "requireTls"]) },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        label: "ElastiCache",
        fields: (r) => ({
            ...pick(r.plainInputs, [
                "nodeType", "numCacheClusters", "automaticFailoverEnabled", "multiAzEnabled",
                "transitEncryptionEnabled", "atRestEncryptionEnabled", "snapshotRetentionLimit",
            ]),
            authToken: r.plainInputs.authToken === undefined ? "none" : r.secretPaths.includes("authToken") ? "secret" : "PLAIN TEXT",
            protect: r.protect,
        }),
    },
    "aws:ecs/service:Service": {
        label: "ECS service",
        fields: (r) => ({
            desiredCount: r.plainInputs.desiredCount,
            assignPublicIp: r.plainInputs.networkConfiguration?.assignPublicIp,
            circuitBreaker: r.plainInputs.deploymentCircuitBreaker
                ? `enable=${r.plainInputs.deploymentCircuitBreaker.enable} rollback=${r.plainInputs.deploymentCircuitBreaker.rollback}`
                : "none",
            healthCheckGracePeriodSeconds: r.plainInputs.healthCheckGracePeriodSeconds,
        }),
    },
    "aws:lb/loadBalancer:LoadBalancer": {
        label: "ALB",
        fields: (r) => ({
            ...pick(r.plainInputs, ["internal", "dropInvalidHeaderFields", "enableDeletionProtection"]),
            accessLogs: r.plainInputs.accessLogs?.enabled === true,
        }),
    },
    "aws:lb/listener:Listener": {
        label: "ALB listener",
        fields: (r) => ({
            port: r.plainInputs.port,
            protocol: r.plainInputs.protocol,
            sslPolicy: r.plainInputs.sslPolicy,
            action: (r.plainInputs.defaultActions ?? [])
                .map((a: Fields & { redirect?: Fields }) => (a.type === "redirect" ? `redirect ${a.redirect?.protocol}:${a.redirect?.port} ${a.redirect?.statusCode}` : a.type))
                .join(", "),
        }),
    },
    "aws:appautoscaling/target:Target": {
        label: "Autoscaling",
        fields: (r) => pick(r.plainInputs, ["resourceId", "minCapacity", "maxCapacity"]),
    },
    "aws:appautoscaling/policy:Policy": {
        label: "Scaling policies",
        summary: (rs) =>
            rs.map((r) => {
                const tracking = r.plainInputs.targetTrackingScalingPolicyConfiguration;
                return `${tracking?.predefinedMetricSpecification?.predefinedMetricType ?? r.name} ${tracking?.targetValue ?? ""}`.trim();
            }).join("; "),
    },
    "aws:wafv2/webAcl:WebAcl": {
        label: "WAF",
        summary: (rs) =>
            rs.map((r) => {
                const rate = (r.plainInputs.rules ?? []).find((rule: Fields & { statement?: Fields }) => rule.statement?.rateBasedStatement);
                const limit = rate ? (rate.statement.rateBasedStatement as Fields).limit : undefined;
                return `${r.name} (${(r.plainInputs.rules ?? []).length} rules${limit !== undefined ? `, rate limit ${limit}/IP` : ""})`;
            }).join("; "),
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { label: "Alarms", summary: (rs) => `${rs.length} CloudWatch alarms` },
    "aws:cloudwatch/logGroup:LogGroup": {
        label: "Log groups",
        summary: (rs) => rs.map((r) => `${r.plainInputs.name ?? r.name} (${r.plainInputs.retentionInDays ?? "never expire"} days)`).join("; "),
    },
    "aws:s3/bucket:Bucket": { label: "S3 bucket", fields: (r) => ({ ...pick(r.plainInputs, ["bucket", "region"]), protect: r.protect }) },
    "aws:s3/bucketVersioning:BucketVersioning": { label: "S3 versioning", fields: (r) => ({ status: r.plainInputs.versioningConfiguration?.status }) },
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": {
        label: "S3 replication",
        fields: (r) => {
            const rule = (r.plainInputs.rules ?? [])[0] ?? {};
            return { status: rule.status, destination: rule.destination?.bucket, replicationTime: rule.destination?.replicationTime?.status };
        },
    },
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": {
        label: "RDS backups copied to",
        fields: (r) => ({ ...pick(r.plainInputs, ["region", "retentionPeriod"]), protect: r.protect }),
    },
};

