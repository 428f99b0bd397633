import type { RecordedResource } from "./harness";

/**
 * Cross-field rules the providers enforce at preview (a Terraform schema's ConflictsWith,
 * ExactlyOneOf, RequiredWith, value ranges and enums; Kubernetes API validation) for the
 * properties this program sets. Each rule names its upstream source. tests/provider-rules.test.ts
 * runs them over every cloud x stack.
 */

export interface ProviderRule {
    type: string;
    rule: string;
    source: string;
    /** A problem with this resource's inputs, or undefined. */
    check(inputs: Record<string, any>): string | undefined;
}

const set = (value: unknown): boolean => value !== undefined && value !== null;
const conflicts = (inputs: Record<string, any>, field: string, others: string[]) => {
    const both = others.filter((other) => set(inputs[other]));
    return set(inputs[field]) && both.length > 0 ? `${field} is set together with ${both.join(", ")}` : undefined;
};
const range = (name: string, value: unknown, min: number, max: number) =>
    typeof value === "number" && (value < min || value > max) ? `${name} is ${value}, allowed ${min}-${max}` : undefined;
const oneOf = (name: string, value: unknown, allowed: readonly unknown[]) =>
    set(value) && !allowed.includes(value) ? `${name} is ${JSON.stringify(value)}, allowed ${allowed.join(", ")}` : undefined;
const first = (...problems: (string | undefined)[]) => problems.find((p) => p !== undefined);

const TF_AWS = "hashicorp/terraform-provider-aws";

export const PROVIDER_RULES: ProviderRule[] = [
    {
        type: "aws:cloudwatch/metricAlarm:MetricAlarm", rule: "metricQueries excludes the single-metric fields",
        source: `${TF_AWS} internal/service/cloudwatch/metric_alarm.go (metric_query ConflictsWith metric_name, namespace, period, statistic, extended_statistic, dimensions)`,
        check: (i) => conflicts(i, "metricQueries", ["metricName", "namespace", "period", "statistic", "extendedStatistic", "dimensions"]),
    },
    {
        type: "aws:cloudwatch/metricAlarm:MetricAlarm", rule: "statistic and extendedStatistic are exclusive; datapointsToAlarm <= evaluationPeriods; period 10, 20, 30 or a multiple of 60",
        source: `${TF_AWS} internal/service/cloudwatch/metric_alarm.go; CloudWatch PutMetricAlarm API`,
        check: (i) => first(
            conflicts(i, "statistic", ["extendedStatistic"]),
            set(i.datapointsToAlarm) && i.datapointsToAlarm > i.evaluationPeriods ? `datapointsToAlarm ${i.datapointsToAlarm} > evaluationPeriods ${i.evaluationPeriods}` : undefined,
            set(i.period) && ![10, 20, 30].includes(i.period) && i.period % 60 !== 0 ? `period ${i.period} is not 10, 20, 30 or a multiple of 60` : undefined,
            (i.metricQueries ?? []).filter((q: Record<string, any>) => q.returnData).length > 1 ? "more than one metric query returns data" : undefined,
        ),
    },
    {
        type: "aws:lb/targetGroup:TargetGroup", rule: "name excludes namePrefix; health check thresholds 2-10, interval 5-300, timeout < interval",
        source: `${TF_AWS} internal/service/elbv2/target_group.go`,
        check: (i) => first(
            conflicts(i, "name", ["namePrefix"]),
            range("healthCheck.healthyThreshold", i.healthCheck?.healthyThreshold, 2, 10),
            range("healthCheck.unhealthyThreshold", i.healthCheck?.unhealthyThreshold, 2, 10),
            range("healthCheck.interval", i.healthCheck?.interval, 5, 300),
            set(i.healthCheck?.timeout) && set(i.healthCheck?.interval) && i.healthCheck.timeout >= i.healthCheck.interval ? "healthCheck.timeout must be below healthCheck.interval" : undefined,
            range("deregistrationDelay", typeof i.deregistrationDelay === "string" ? Number(i.deregistrationDelay) : i.deregistrationDelay, 0, 3600),
        ),
    },
    {
        type: "aws:lb/loadBalancer:LoadBalancer", rule: "name excludes namePrefix; idleTimeout 1-4000",
        source: `${TF_AWS} internal/service/elbv2/load_balancer.go`,
        check: (i) => first(conflicts(i, "name", ["namePrefix"]), range("idleTimeout", i.idleTimeout, 1, 4000)),
    },
    {
        type: "aws:rds/instance:Instance", rule: "identifier excludes identifierPrefix; availabilityZone excludes multiAz; backups 0-35 days; a replica takes no credentials",
        source: `${TF_AWS} internal/service/rds/instance.go (ConflictsWith; backup_retention_period 0-35); RDS CreateDBInstance API (AvailabilityZone with MultiAZ)`,
        check: (i) => first(
            conflicts(i, "identifier", ["identifierPrefix"]),
            i.multiAz === true && set(i.availabilityZone) ? "availabilityZone is set on a Multi-AZ instance" : undefined,
            range("backupRetentionPeriod", i.backupRetentionPeriod, 0, 35),
            set(i.replicateSourceDb) && (set(i.username) || set(i.password) || set(i.dbName)) ? "a read replica sets username, password or dbName" : undefined,
            i.skipFinalSnapshot === false && !set(i.finalSnapshotIdentifier) ? "skipFinalSnapshot is false without finalSnapshotIdentifier" : undefined,
            range("maxAllocatedStorage", i.maxAllocatedStorage && i.maxAllocatedStorage < (i.allocatedStorage ?? 0) ? -1 : undefined, 0, 65536),
        ),
    },
    {
        type: "aws:elasticache/replicationGroup:ReplicationGroup", rule: "numCacheClusters excludes numNodeGroups/replicasPerNodeGroup; authToken needs transit encryption; automatic failover needs 2+ nodes; snapshots 0-35 days",
        source: `${TF_AWS} internal/service/elasticache/replication_group.go`,
        check: (i) => first(
            conflicts(i, "numCacheClusters", ["numNodeGroups", "replicasPerNodeGroup"]),
            set(i.authToken) && i.transitEncryptionEnabled !== true ? "authToken without transitEncryptionEnabled" : undefined,
            i.automaticFailoverEnabled === true && (i.numCacheClusters ?? 0) < 2 ? "automaticFailoverEnabled with fewer than 2 cache clusters" : undefined,
            i.multiAzEnabled === true && i.automaticFailoverEnabled !== true ? "multiAzEnabled without automaticFailoverEnabled" : undefined,
            range("snapshotRetentionLimit", i.snapshotRetentionLimit, 0, 35),
        ),
    },
    {
        type: "aws:ecs/service:Service", rule: "launchType excludes capacityProviderStrategies; deployment percentages in range",
        source: `${TF_AWS} internal/service/ecs/service.go`,
        check: (i) => first(
            set(i.launchType) && (i.capacityProviderStrategies ?? []).length > 0 ? "launchType is set together with capacityProviderStrategies" : undefined,
            range("deploymentMinimumHealthyPercent", i.deploymentMinimumHealthyPercent, 0, 100),
            range("deploymentMaximumPercent", i.deploymentMaximumPercent, 100, 200),
        ),
    },
    {
        type: "aws:appautoscaling/target:Target", rule: "minCapacity <= maxCapacity",
        source: "Application Auto Scaling RegisterScalableTarget API",
        check: (i) => (i.minCapacity > i.maxCapacity ? `minCapacity ${i.minCapacity} > maxCapacity ${i.maxCapacity}` : undefined),
    },
    {
        type: "aws:wafv2/webAcl:WebAcl", rule: "rate-based limits 10-2,000,000,000; rule priorities unique",
        source: `${TF_AWS} internal/service/wafv2/schemas.go (rate_based_statement limit)`,
        check: (i) => {
            const rules = (i.rules ?? []) as Record<string, any>[];
            const priorities = rules.map((r) => r.priority);
            return first(
                ...rules.map((r) => range(`rule ${r.name} limit`, r.statement?.rateBasedStatement?.limit, 10, 2_000_000_000)),
                new Set(priorities).size !== priorities.length ? "two rules share a priority" : undefined,
            );
        },
    },
    {
        type: "gcp:cloudrunv2/service:Service", rule: "min instances <= max instances; timeout at most 3600 s",
        source: "GoogleCloudPlatform/magic-modules mmv1/products/cloudrunv2/Service.yaml; Cloud Run request timeout limit",
        check: (i) => {
            const scaling = i.template?.scaling ?? {};
            const timeout = typeof i.template?.timeout === "string" ? Number(i.template.timeout.replace(/s$/, "")) : undefined;
            return first(
                set(scaling.minInstanceCount) && set(scaling.maxInstanceCount) && scaling.minInstanceCount > scaling.maxInstanceCount ? "minInstanceCount > maxInstanceCount" : undefined,
                range("template.timeout", timeout, 1, 3600),
            );
        },
    },
    {
        type: "gcp:sql/databaseInstance:DatabaseInstance", rule: "point-in-time recovery needs backups; retained backups 1-365",
        source: "GoogleCloudPlatform/magic-modules (google_sql_database_instance backup_configuration)",
        check: (i) => {
            const backup = i.settings?.backupConfiguration ?? {};
            return first(
                backup.pointInTimeRecoveryEnabled === true && backup.enabled !== true ? "pointInTimeRecoveryEnabled without backups enabled" : undefined,
                range("retainedBackups", backup.backupRetentionSettings?.retainedBackups, 1, 365),
            );
        },
    },
    {
        type: "azure-native:dbforpostgresql:Server", rule: "backup retention 7-35 days; zone-redundant HA needs a General Purpose or Memory Optimized tier",
        source: "Azure/azure-rest-api-specs Microsoft.DBforPostgreSQL flexibleServers (backupRetentionDays 7-35; HA not offered on Burstable)",
        check: (i) => first(
            range("backup.backupRetentionDays", i.backup?.backupRetentionDays, 7, 35),
            i.highAvailability?.mode === "ZoneRedundant" && i.sku?.tier === "Burstable" ? "ZoneRedundant high availability on a Burstable server" : undefined,
        ),
    },
    {
        type: "azure-native:monitor:AutoscaleSetting", rule: "each profile's minimum <= default <= maximum",
        source: "Azure/azure-rest-api-specs Microsoft.Insights autoscaleSettings (ScaleCapacity)",
        check: (i) => ((i.profiles ?? []) as Record<string, any>[]).map((p) => {
            const [min, def, max] = [Number(p.capacity?.minimum), Number(p.capacity?.default), Number(p.capacity?.maximum)];
            return min <= def && def <= max ? undefined : `profile ${p.name}: capacity ${min}/${def}/${max} is not minimum <= default <= maximum`;
        }).find(Boolean),
    },
    {
        type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", rule: "1 <= minReplicas <= maxReplicas",
        source: "kubernetes/kubernetes pkg/apis/autoscaling/validation",
        check: (i) => (i.spec?.minReplicas < 1 || i.spec?.minReplicas > i.spec?.maxReplicas ? `minReplicas ${i.spec?.minReplicas}, maxReplicas ${i.spec?.maxReplicas}` : undefined),
    },
    {
        type: "kubernetes:policy/v1:PodDisruptionBudget", rule: "minAvailable excludes maxUnavailable",
        source: "kubernetes/kubernetes pkg/apis/policy/validation (minAvailable and maxUnavailable are mutually exclusive)",
        check: (i) => (set(i.spec?.minAvailable) && set(i.spec?.maxUnavailable) ? "minAvailable and maxUnavailable are both set" : undefined),
    },
    {
        type: "kubernetes:batch/v1:CronJob", rule: "schedule is set; a suspended template keeps its schedule valid",
        source: "kubernetes/kubernetes pkg/apis/batch/validation (schedule required)",
        check: (i) => oneOf("spec.schedule is set", typeof i.spec?.schedule === "string" && i.spec.schedule.trim() !== "", [true]),
    },
];

export interface RuleFinding {
    type: string;
    resource: string;
    rule: string;
    problem: string;
    source: string;
}

export function providerRuleFindings(resources: RecordedResource[]): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const resource of resources) {
        for (const rule of PROVIDER_RULES.filter((r) => r.type === resource.type)) {
            const problem = rule.check(resource.plainInputs);
            if (problem) findings.push({ type: resource.type, resource: resource.name, rule: rule.rule, problem, source: rule.source });
        }
    }
    return findings;
}
