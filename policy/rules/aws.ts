import type { PolicyResource } from "@pulumi/policy";
import { list, plainSecretProblem, resourceRule, SECRET_ENV_NAMES, show, stackRule, type BaselinePolicy, type Props } from "./common";

/**
 * The production baseline on AWS (ECS Fargate + ALB + RDS PostgreSQL + ElastiCache + Secrets Manager),
 * one policy per row item. "(prod)" items are production-only (scope "production"); the rest
 * hold in every environment.
 */

const RDS = "aws:rds/instance:Instance";
const PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const ECS_SERVICE = "aws:ecs/service:Service";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const ECS_CLUSTER = "aws:ecs/cluster:Cluster";
const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const SCALING_TARGET = "aws:appautoscaling/target:Target";
const SCALING_POLICY = "aws:appautoscaling/policy:Policy";
const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
const WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";
const SECRET = "aws:secretsmanager/secret:Secret";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const IAM_POLICY = "aws:iam/policy:Policy";
const SUBNET = "aws:ec2/subnet:Subnet";
const NAT = "aws:ec2/natGateway:NatGateway";

const isReplica = (props: Props) => (props.replicateSourceDb ? "a read replica inherits this from its primary" : undefined);

/** The containers of a task definition (containerDefinitions is a JSON string). */
function containersOf(props: Props): Props[] {
    const raw = props.containerDefinitions;
    try {
        return list(typeof raw === "string" ? JSON.parse(raw) : raw);
    } catch {
        return [];
    }
}

function envOf(container: Props): Record<string, string> {
    return Object.fromEntries(list(container.environment).map((e) => [e.name, e.value]));
}

// ---- RDS ----

const rdsStorageEncrypted = resourceRule({
    name: "aws-rds-storage-encrypted", cloud: "aws", scope: "all", severity: "critical", source: "AWS / RDS: storageEncrypted",
    description: "RDS PostgreSQL storage is encrypted at rest.",
    remediation: "Set storageEncrypted: true on the aws.rds.Instance (encryption cannot be added later: it needs a snapshot restore).",
    reads: { [RDS]: ["storageEncrypted"] },
    check: (p) => [p.storageEncrypted === true ? undefined : `storageEncrypted is ${show(p.storageEncrypted)}; must be true`],
});

const rdsNotPublic = resourceRule({
    name: "aws-rds-not-publicly-accessible", cloud: "aws", scope: "all", severity: "critical", source: "AWS / RDS: publiclyAccessible false",
    description: "RDS PostgreSQL has no public endpoint.",
    remediation: "Set publiclyAccessible: false and place the instance in the isolated data subnets.",
    reads: { [RDS]: ["publiclyAccessible"] },
    check: (p) => [p.publiclyAccessible === true ? "publiclyAccessible is true; the database must only be reachable inside the VPC" : undefined],
});

const rdsEngine = resourceRule({
    name: "aws-rds-engine-postgres", cloud: "aws", scope: "all", severity: "low", source: "AWS / RDS: engine postgres",
    description: "The application database is RDS PostgreSQL (the app speaks asyncpg).",
    remediation: "Set engine: \"postgres\" with engineVersion from dbVersion.",
    reads: { [RDS]: ["engine", "replicateSourceDb"] },
    skip: isReplica,
    check: (p) => [p.engine === "postgres" ? undefined : `engine is ${show(p.engine)}; must be 'postgres'`],
});

const rdsMultiAz = resourceRule({
    name: "aws-rds-multi-az", cloud: "aws", scope: "production", severity: "high", source: "AWS / RDS: multiAz (prod)",
    description: "Production RDS runs Multi-AZ with a synchronous standby.",
    remediation: "Set multiAz: true on the primary in production (args.database.highAvailability).",
    reads: { [RDS]: ["multiAz", "replicateSourceDb"] },
    skip: isReplica,
    check: (p) => [p.multiAz === true ? undefined : `multiAz is ${show(p.multiAz)}; a production primary must be Multi-AZ`],
});

const rdsBackups = resourceRule<{ minimumDays: number }>({
    name: "aws-rds-backup-retention", cloud: "aws", scope: "production", severity: "high", source: "AWS / RDS: backupRetentionPeriod >= 7 (prod)",
    description: "Production RDS keeps automated backups (point-in-time recovery) for at least 7 days.",
    remediation: "Raise dbBackupDays (backupRetentionPeriod) to the policy's minimumDays (7 unless configured); seed 001 suggests 30.",
    config: { minimumDays: { type: "integer", minimum: 1, maximum: 35, default: 7, description: "Fewest days of backups." } },
    reads: { [RDS]: ["backupRetentionPeriod", "replicateSourceDb"] },
    skip: isReplica,
    check: (p, { config }) => [
        typeof p.backupRetentionPeriod === "number" && p.backupRetentionPeriod >= config.minimumDays
            ? undefined
            : `backupRetentionPeriod is ${show(p.backupRetentionPeriod)}; production keeps at least ${config.minimumDays} days`,
    ],
});

const rdsDeletionProtection = resourceRule({
    name: "aws-rds-deletion-protection", cloud: "aws", scope: "production", severity: "high", source: "AWS / RDS: deletionProtection (prod)",
    description: "Production RDS instances refuse deletion at the API.",
    remediation: "Set deletionProtection: true in production (args.database.deletionProtection).",
    reads: { [RDS]: ["deletionProtection"] },
    check: (p) => [p.deletionProtection === true ? undefined : `deletionProtection is ${show(p.deletionProtection)}; must be true in production`],
});

const rdsFinalSnapshot = resourceRule({
    name: "aws-rds-final-snapshot", cloud: "aws", scope: "production", severity: "high",
    source: "AWS / RDS: skipFinalSnapshot false + finalSnapshotIdentifier (prod)",
    description: "Deleting a production RDS primary leaves a final snapshot.",
    remediation: "Set skipFinalSnapshot: false and a unique finalSnapshotIdentifier on the primary.",
    reads: { [RDS]: ["skipFinalSnapshot", "finalSnapshotIdentifier", "replicateSourceDb"] },
    skip: isReplica,
    check: (p) => [
        p.skipFinalSnapshot === false ? undefined : `skipFinalSnapshot is ${show(p.skipFinalSnapshot)}; must be false`,
        p.finalSnapshotIdentifier ? undefined : "finalSnapshotIdentifier is unset; RDS needs it to take the final snapshot",
    ],
});

const rdsStorageAutoscaling = resourceRule({
    name: "aws-rds-storage-autoscaling", cloud: "aws", scope: "all", severity: "medium", source: "AWS / RDS: maxAllocatedStorage > allocatedStorage",
    description: "RDS storage can grow on its own (maxAllocatedStorage above allocatedStorage).",
    remediation: "Set dbMaxStorageGb above dbStorageGb (maxAllocatedStorage > allocatedStorage).",
    reads: { [RDS]: ["allocatedStorage", "maxAllocatedStorage", "replicateSourceDb"] },
    skip: isReplica,
    check: (p) => [
        typeof p.maxAllocatedStorage === "number" && typeof p.allocatedStorage === "number" && p.maxAllocatedStorage > p.allocatedStorage
            ? undefined
            : `maxAllocatedStorage is ${show(p.maxAllocatedStorage)}; must be greater than allocatedStorage (${show(p.allocatedStorage)})`,
    ],
});

const rdsPerformanceInsights = resourceRule({
    name: "aws-rds-performance-insights", cloud: "aws", scope: "production", severity: "low", source: "AWS / RDS: performanceInsightsEnabled (prod)",
    description: "Production RDS has Performance Insights on.",
    remediation: "Set performanceInsightsEnabled: true in production.",
    reads: { [RDS]: ["performanceInsightsEnabled"] },
    check: (p) => [p.performanceInsightsEnabled === true ? undefined : `performanceInsightsEnabled is ${show(p.performanceInsightsEnabled)}; must be true`],
});

const rdsMinorUpgrades = resourceRule({
    name: "aws-rds-auto-minor-version-upgrade", cloud: "aws", scope: "all", severity: "low", source: "AWS / RDS: autoMinorVersionUpgrade",
    description: "RDS applies PostgreSQL minor (security) releases in the maintenance window.",
    remediation: "Set autoMinorVersionUpgrade: true on the aws.rds.Instance (upgrades run in maintenanceWindow).",
    reads: { [RDS]: ["autoMinorVersionUpgrade"] },
    check: (p) => [p.autoMinorVersionUpgrade === false ? "autoMinorVersionUpgrade is false; minor security releases would never be applied" : undefined],
});

const rdsLogExports = resourceRule({
    name: "aws-rds-log-exports", cloud: "aws", scope: "all", severity: "medium", source: "AWS / RDS: enabledCloudwatchLogsExports [postgresql, upgrade]",
    description: "RDS exports the postgresql and upgrade logs to CloudWatch.",
    remediation: "Set enabledCloudwatchLogsExports: [\"postgresql\", \"upgrade\"].",
    reads: { [RDS]: ["enabledCloudwatchLogsExports"] },
    check: (p) => {
        const missing = ["postgresql", "upgrade"].filter((log) => !list<string>(p.enabledCloudwatchLogsExports).includes(log));
        return [missing.length > 0 ? `enabledCloudwatchLogsExports lacks ${missing.join(", ")}` : undefined];
    },
});

const rdsForceSsl = resourceRule({
    name: "aws-rds-force-ssl", cloud: "aws", scope: "all", severity: "critical", source: "AWS / RDS: ParameterGroup rds.force_ssl = 1",
    description: "The RDS parameter group refuses unencrypted connections (rds.force_ssl = 1).",
    remediation: "Add { name: \"rds.force_ssl\", value: \"1\" } to the aws.rds.ParameterGroup's parameters.",
    reads: { [PARAMETER_GROUP]: ["family", "parameters.name", "parameters.value"] },
    skip: (p) => (typeof p.family === "string" && !p.family.startsWith("postgres") ? `family ${p.family} is not PostgreSQL` : undefined),
    check: (p) => {
        const value = list(p.parameters).find((param) => param.name === "rds.force_ssl")?.value;
        return [String(value) === "1" ? undefined : `rds.force_ssl is ${show(value)}; must be '1'`];
    },
});

// ---- ElastiCache ----

const redisTransit = resourceRule({
    name: "aws-elasticache-transit-encryption", cloud: "aws", scope: "all", severity: "critical", source: "AWS / ElastiCache: transitEncryptionEnabled",
    description: "Redis accepts TLS connections only.",
    remediation: "Set transitEncryptionEnabled: true (REDIS_URL uses rediss://).",
    reads: { [REDIS]: ["transitEncryptionEnabled"] },
    check: (p) => [p.transitEncryptionEnabled === true ? undefined : `transitEncryptionEnabled is ${show(p.transitEncryptionEnabled)}; must be true`],
});

const redisAtRest = resourceRule({
    name: "aws-elasticache-at-rest-encryption", cloud: "aws", scope: "all", severity: "high", source: "AWS / ElastiCache: atRestEncryptionEnabled",
    description: "Redis snapshots and swap are encrypted at rest.",
    remediation: "Set atRestEncryptionEnabled: true (only possible when creating the replication group).",
    reads: { [REDIS]: ["atRestEncryptionEnabled"] },
    check: (p) => [p.atRestEncryptionEnabled === true ? undefined : `atRestEncryptionEnabled is ${show(p.atRestEncryptionEnabled)}; must be true`],
});

const redisAuth = resourceRule({
    name: "aws-elasticache-auth-token", cloud: "aws", scope: "all", severity: "high", source: "AWS / ElastiCache: authToken",
    description: "Redis requires an AUTH token.",
    remediation: "Pass a generated secret (components/secrets.ts cacheAuthToken) as authToken.",
    reads: { [REDIS]: ["authToken"] },
    check: (p) => [typeof p.authToken === "string" && p.authToken.length >= 16 ? undefined : "authToken is unset (or shorter than 16 characters); any client in the VPC could read the cache"],
});

const redisHa = resourceRule({
    name: "aws-elasticache-high-availability", cloud: "aws", scope: "production", severity: "high",
    source: "AWS / ElastiCache: automaticFailoverEnabled, multiAzEnabled, numCacheClusters >= 2 (prod)",
    description: "Production Redis has a replica in another zone with automatic failover.",
    remediation: "Keep cacheHa: true in production (numCacheClusters 2, automaticFailoverEnabled and multiAzEnabled true).",
    reads: { [REDIS]: ["automaticFailoverEnabled", "multiAzEnabled", "numCacheClusters"] },
    check: (p) => [
        p.automaticFailoverEnabled === true ? undefined : `automaticFailoverEnabled is ${show(p.automaticFailoverEnabled)}; must be true`,
        p.multiAzEnabled === true ? undefined : `multiAzEnabled is ${show(p.multiAzEnabled)}; must be true`,
        typeof p.numCacheClusters === "number" && p.numCacheClusters >= 2 ? undefined : `numCacheClusters is ${show(p.numCacheClusters)}; must be at least 2`,
    ],
});

const redisSnapshots = resourceRule<{ minimumDays: number }>({
    name: "aws-elasticache-snapshot-retention", cloud: "aws", scope: "production", severity: "medium", source: "AWS / ElastiCache: snapshotRetentionLimit (prod)",
    description: "Production Redis keeps daily snapshots.",
    remediation: "Set snapshotRetentionLimit (days) to at least the configured minimum (default 1; the program keeps 7).",
    config: { minimumDays: { type: "integer", minimum: 1, maximum: 35, default: 1, description: "Fewest days of snapshots." } },
    reads: { [REDIS]: ["snapshotRetentionLimit"] },
    check: (p, { config }) => [
        typeof p.snapshotRetentionLimit === "number" && p.snapshotRetentionLimit >= config.minimumDays
            ? undefined
            : `snapshotRetentionLimit is ${show(p.snapshotRetentionLimit)}; production keeps at least ${config.minimumDays} day(s)`,
    ],
});

// ---- ECS ----

const ecsFargate = resourceRule({
    name: "aws-ecs-fargate", cloud: "aws", scope: "all", severity: "low", source: "AWS / ECS: Fargate",
    description: "ECS services run on Fargate (no EC2 hosts to patch).",
    remediation: "Set launchType: \"FARGATE\" (or a FARGATE capacity provider strategy).",
    reads: { [ECS_SERVICE]: ["launchType", "capacityProviderStrategies.capacityProvider"] },
    check: (p) => {
        const viaStrategy = list(p.capacityProviderStrategies).length > 0 && list(p.capacityProviderStrategies).every((s) => String(s.capacityProvider).startsWith("FARGATE"));
        return [p.launchType === "FARGATE" || viaStrategy ? undefined : `launchType is ${show(p.launchType)}; must be FARGATE`];
    },
});

const ecsNoPublicIp = resourceRule({
    name: "aws-ecs-no-public-ip", cloud: "aws", scope: "all", severity: "high", source: "AWS / ECS: assignPublicIp false",
    description: "ECS tasks get no public IP; they sit in private subnets behind NAT.",
    remediation: "Set networkConfiguration.assignPublicIp: false and use the private subnets.",
    reads: { [ECS_SERVICE]: ["networkConfiguration.assignPublicIp"] },
    check: (p) => [p.networkConfiguration?.assignPublicIp === true ? "networkConfiguration.assignPublicIp is true; tasks must not be reachable from the internet" : undefined],
});

const ecsCircuitBreaker = resourceRule({
    name: "aws-ecs-deployment-circuit-breaker", cloud: "aws", scope: "all", severity: "medium", source: "AWS / ECS: deploymentCircuitBreaker {enable, rollback}",
    description: "A failing rollout stops and rolls back on its own.",
    remediation: "Set deploymentCircuitBreaker: { enable: true, rollback: true }.",
    reads: { [ECS_SERVICE]: ["deploymentCircuitBreaker.enable", "deploymentCircuitBreaker.rollback"] },
    check: (p) => [
        p.deploymentCircuitBreaker?.enable === true && p.deploymentCircuitBreaker?.rollback === true
            ? undefined
            : `deploymentCircuitBreaker is ${show(p.deploymentCircuitBreaker)}; must be { enable: true, rollback: true }`,
    ],
});

const ecsGracePeriod = resourceRule({
    name: "aws-ecs-health-check-grace-period", cloud: "aws", scope: "all", severity: "low", source: "AWS / ECS: healthCheckGracePeriodSeconds",
    description: "Services behind the load balancer give new tasks time to start before health checks count.",
    remediation: "Set healthCheckGracePeriodSeconds (the program uses 60) on services with loadBalancers.",
    reads: { [ECS_SERVICE]: ["healthCheckGracePeriodSeconds", "loadBalancers"] },
    skip: (p) => (list(p.loadBalancers).length === 0 ? "the service is not behind a load balancer" : undefined),
    check: (p) => [
        typeof p.healthCheckGracePeriodSeconds === "number" && p.healthCheckGracePeriodSeconds > 0
            ? undefined
            : `healthCheckGracePeriodSeconds is ${show(p.healthCheckGracePeriodSeconds)}; set it so slow starts are not killed`,
    ],
});

const ecsSecretsByReference = resourceRule<{ secretNames: string[] }>({
    name: "aws-ecs-secrets-by-reference", cloud: "aws", scope: "all", severity: "critical", source: "AWS / ECS: container secrets with valueFrom (not environment)",
    description: "Secrets reach containers as `secrets[].valueFrom` ARNs, never as plain `environment` values.",
    remediation: "Store the value in Secrets Manager and list it under the container's `secrets` with valueFrom: <secret ARN>.",
    config: { secretNames: { type: "array", items: { type: "string" }, default: SECRET_ENV_NAMES, description: "Env var names that must be secret references." } },
    reads: { [TASK_DEFINITION]: ["containerDefinitions"] },
    check: (p, { config }) =>
        containersOf(p).flatMap((c) => list(c.environment).map((e) => {
            const problem = plainSecretProblem(e.name, e.value, config.secretNames);
            return problem ? `container ${c.name}: ${problem}` : undefined;
        })),
});

const ecsNonRoot = resourceRule({
    name: "aws-ecs-non-root-user", cloud: "aws", scope: "all", severity: "high", source: "AWS / ECS: non-root user",
    description: "Containers run as an unprivileged user.",
    remediation: "Set the container definition's `user` to a non-zero uid (the program uses 1000:1000).",
    reads: { [TASK_DEFINITION]: ["containerDefinitions"] },
    check: (p) => containersOf(p).map((c) => {
        const user = String(c.user ?? "").split(":")[0];
        return user === "" || user === "0" || user === "root" ? `container ${c.name}: user is ${show(c.user)}; must be a non-root uid` : undefined;
    }),
});

const ecsReadOnlyRoot = resourceRule({
    name: "aws-ecs-read-only-root-filesystem", cloud: "aws", scope: "all", severity: "low", source: "AWS / ECS: readonlyRootFilesystem where the app allows",
    description: "Containers run on a read-only root filesystem (a writable /tmp volume is fine).",
    remediation: "Set readonlyRootFilesystem: true and mount a task volume for paths the app writes. If the app cannot, exempt the task definition (exemptResources).",
    reads: { [TASK_DEFINITION]: ["containerDefinitions"] },
    check: (p) => containersOf(p).map((c) => (c.readonlyRootFilesystem === true ? undefined : `container ${c.name}: readonlyRootFilesystem is ${show(c.readonlyRootFilesystem)}`)),
});

const ecsAwslogs = resourceRule({
    name: "aws-ecs-awslogs", cloud: "aws", scope: "all", severity: "medium", source: "AWS / ECS: awslogs driver",
    description: "Containers log to CloudWatch through the awslogs driver.",
    remediation: "Set logConfiguration: { logDriver: \"awslogs\", options: { awslogs-group, awslogs-region, awslogs-stream-prefix } }.",
    reads: { [TASK_DEFINITION]: ["containerDefinitions"] },
    check: (p) => containersOf(p).map((c) => (c.logConfiguration?.logDriver === "awslogs" ? undefined : `container ${c.name}: logDriver is ${show(c.logConfiguration?.logDriver)}; must be awslogs`)),
});

const ecsContainerInsights = resourceRule({
    name: "aws-ecs-container-insights", cloud: "aws", scope: "all", severity: "low", source: "AWS / ECS: Container Insights on the cluster",
    description: "The ECS cluster has Container Insights on.",
    remediation: "Add settings: [{ name: \"containerInsights\", value: \"enhanced\" }] (or \"enabled\") to the cluster.",
    reads: { [ECS_CLUSTER]: ["settings.name", "settings.value"] },
    check: (p) => {
        const value = list(p.settings).find((s) => s.name === "containerInsights")?.value;
        return [value === "enabled" || value === "enhanced" ? undefined : `containerInsights is ${show(value)}; must be enabled or enhanced`];
    },
});

/** The task definition a service runs, matched by ARN (with or without revision) or family. */
function taskDefinitionOf(service: PolicyResource, definitions: PolicyResource[]): PolicyResource | undefined {
    const ref = String(service.props.taskDefinition ?? "");
    return definitions.find((d) => [d.props.arn, d.props.arnWithoutRevision, d.props.family].some((v) => typeof v === "string" && v !== "" && (ref === v || ref.startsWith(`${v}:`))));
}

const ecsGracefulShutdown = stackRule<{ minimumSeconds: number }>({
    name: "aws-ecs-graceful-shutdown", cloud: "aws", scope: "all", severity: "low", source: "AWS / ECS: stopTimeout; seeds: ~60 s termination grace",
    description: "Containers of long-running ECS services get a stop timeout to drain in-flight work (one-off tasks such as migrations are not checked).",
    remediation: "Set stopTimeout (seconds, at most 120 on Fargate) on the containers of every task definition an ECS service runs; the program uses 60.",
    config: { minimumSeconds: { type: "integer", minimum: 2, maximum: 120, default: 30, description: "Shortest acceptable stopTimeout." } },
    reads: { [ECS_SERVICE]: ["taskDefinition"], [TASK_DEFINITION]: ["containerDefinitions", "family"] },
    check: (resources, { config }) => {
        const services = resources.filter((r) => r.type === ECS_SERVICE);
        const definitions = resources.filter((r) => r.type === TASK_DEFINITION);
        if (services.length === 0) return "the stack has no ECS service";
        return services.flatMap((service) => {
            const definition = taskDefinitionOf(service, definitions);
            if (!definition) return [];
            return containersOf(definition.props)
                .filter((c) => !(typeof c.stopTimeout === "number" && c.stopTimeout >= config.minimumSeconds))
                .map((c) => ({ urn: definition.urn, message: `container ${c.name} of service ${service.name}: stopTimeout is ${show(c.stopTimeout)}; must be at least ${config.minimumSeconds} s` }));
        });
    },
});

// ---- ALB ----

const albTls = resourceRule<{ allowedPolicyPrefix: string }>({
    name: "aws-alb-https-tls-policy", cloud: "aws", scope: "all", severity: "high", source: "AWS / ALB: HTTPS listener, sslPolicy ELBSecurityPolicy-TLS13-1-2-2021-06 or newer",
    description: "HTTPS listeners use a TLS 1.3 security policy and a certificate.",
    remediation: "Set sslPolicy: \"ELBSecurityPolicy-TLS13-1-2-2021-06\" (or a newer TLS13 policy) and certificateArn on the HTTPS listener.",
    config: { allowedPolicyPrefix: { type: "string", default: "ELBSecurityPolicy-TLS13-", description: "Prefix of acceptable ALB security policies." } },
    reads: { [LISTENER]: ["protocol", "sslPolicy", "certificateArn"] },
    skip: (p) => (p.protocol !== "HTTPS" ? `a ${show(p.protocol)} listener (see aws-alb-http-redirects-to-https)` : undefined),
    check: (p, { config }) => [
        typeof p.sslPolicy === "string" && p.sslPolicy.startsWith(config.allowedPolicyPrefix) ? undefined : `sslPolicy is ${show(p.sslPolicy)}; must start with ${config.allowedPolicyPrefix}`,
        p.certificateArn ? undefined : "certificateArn is unset",
    ],
});

const albRedirect = resourceRule({
    name: "aws-alb-http-redirects-to-https", cloud: "aws", scope: "all", severity: "high", source: "AWS / ALB: port 80 only redirects to HTTPS (301)",
    description: "Plain-HTTP listeners only answer with a 301 redirect to HTTPS.",
    remediation: "Set domain (and dnsZone or aws.certificateArn) so the stack gets an HTTPS listener; port 80's default action must be { type: \"redirect\", redirect: { protocol: \"HTTPS\", port: \"443\", statusCode: \"HTTP_301\" } }.",
    reads: { [LISTENER]: ["protocol", "defaultActions.type", "defaultActions.redirect.protocol", "defaultActions.redirect.statusCode"] },
    skip: (p) => (p.protocol !== "HTTP" ? `a ${show(p.protocol)} listener` : undefined),
    check: (p) => list(p.defaultActions).map((a) =>
        a.type === "redirect" && a.redirect?.protocol === "HTTPS" && a.redirect?.statusCode === "HTTP_301"
            ? undefined
            : `HTTP listener action is ${show(a.type)}${a.redirect ? ` to ${a.redirect.protocol} ${a.redirect.statusCode}` : ""}; port 80 must only redirect to HTTPS with 301`),
});

const albDropHeaders = resourceRule({
    name: "aws-alb-drop-invalid-headers", cloud: "aws", scope: "all", severity: "medium", source: "AWS / ALB: dropInvalidHeaderFields",
    description: "The load balancer drops requests with invalid HTTP header fields (request smuggling).",
    remediation: "Set dropInvalidHeaderFields: true on the aws.lb.LoadBalancer.",
    reads: { [LOAD_BALANCER]: ["dropInvalidHeaderFields", "loadBalancerType"] },
    skip: (p) => (p.loadBalancerType && p.loadBalancerType !== "application" ? `a ${p.loadBalancerType} load balancer` : undefined),
    check: (p) => [p.dropInvalidHeaderFields === true ? undefined : `dropInvalidHeaderFields is ${show(p.dropInvalidHeaderFields)}; must be true`],
});

const albDeletionProtection = resourceRule({
    name: "aws-alb-deletion-protection", cloud: "aws", scope: "production", severity: "medium", source: "AWS / ALB: enableDeletionProtection (prod)",
    description: "The production load balancer (and with it the DNS name clients use) refuses deletion.",
    remediation: "Set enableDeletionProtection: true in production.",
    reads: { [LOAD_BALANCER]: ["enableDeletionProtection"] },
    check: (p) => [p.enableDeletionProtection === true ? undefined : `enableDeletionProtection is ${show(p.enableDeletionProtection)}; must be true in production`],
});

const albAccessLogs = resourceRule({
    name: "aws-alb-access-logs", cloud: "aws", scope: "production", severity: "low", source: "AWS / ALB: access logs (prod)",
    description: "The production load balancer writes access logs.",
    remediation: "Keep aws.albAccessLogs: true in production (accessLogs { bucket, enabled: true }), or lower this policy's enforcement if logs go elsewhere.",
    reads: { [LOAD_BALANCER]: ["accessLogs.enabled", "accessLogs.bucket"] },
    check: (p) => [p.accessLogs?.enabled === true && p.accessLogs?.bucket ? undefined : `accessLogs is ${show(p.accessLogs)}; production keeps access logs`],
});

const albHealthCheck = resourceRule<{ path: string }>({
    name: "aws-alb-target-health-check", cloud: "aws", scope: "all", severity: "medium", source: "AWS / ALB: target group health check on /health",
    description: "The API target group is health-checked on the application's health path.",
    remediation: "Set healthCheck: { enabled: true, path: healthCheckPath }; if the app serves health elsewhere, set this policy's `path` config.",
    config: { path: { type: "string", default: "/health", description: "The expected health-check path." } },
    reads: { [TARGET_GROUP]: ["healthCheck.enabled", "healthCheck.path"] },
    check: (p, { config }) => [
        p.healthCheck?.enabled !== false && p.healthCheck?.path === config.path ? undefined : `healthCheck is ${show(p.healthCheck)}; must check ${config.path}`,
    ],
});

// ---- autoscaling ----

const apiMinCapacity = stackRule<{ minimum: number }>({
    name: "aws-api-min-capacity", cloud: "aws", scope: "production", severity: "high", source: "AWS / autoscaling: appautoscaling.Target (prod min >= 2)",
    description: "Every production ECS service behind the load balancer autoscales with at least 2 tasks.",
    remediation: "Keep minInstances >= 2 in production; the service needs an aws.appautoscaling.Target (service/<cluster>/<service>) with minCapacity >= 2.",
    config: { minimum: { type: "integer", minimum: 1, default: 2, description: "Fewest API tasks in production." } },
    reads: { [ECS_SERVICE]: ["loadBalancers", "name"], [SCALING_TARGET]: ["resourceId", "minCapacity", "serviceNamespace"] },
    check: (resources, { config, environmentOf }) => {
        const targets = resources.filter((r) => r.type === SCALING_TARGET && r.props.serviceNamespace === "ecs");
        return resources
            .filter((r) => r.type === ECS_SERVICE && list(r.props.loadBalancers).length > 0 && environmentOf(r) === "production")
            .flatMap((service) => {
                const target = targets.find((t) => typeof t.props.resourceId === "string" && t.props.resourceId.endsWith(`/${service.props.name}`));
                if (!target) return [{ urn: service.urn, message: `service ${service.name} has no autoscaling target` }];
                return target.props.minCapacity >= config.minimum
                    ? []
                    : [{ urn: target.urn, message: `minCapacity of ${service.name} is ${show(target.props.minCapacity)}; production runs at least ${config.minimum}` }];
            });
    },
});

const targetTracking = stackRule({
    name: "aws-autoscaling-cpu-memory-tracking", cloud: "aws", scope: "all", severity: "medium",
    source: "AWS / autoscaling: target tracking on ECSServiceAverageCPUUtilization and ECSServiceAverageMemoryUtilization",
    description: "Every ECS scalable target tracks both average CPU and average memory.",
    remediation: "Add two TargetTrackingScaling aws.appautoscaling.Policy resources per target (cpuTargetPercent, memoryTargetPercent).",
    reads: {
        [SCALING_TARGET]: ["resourceId", "serviceNamespace"],
        [SCALING_POLICY]: ["resourceId", "policyType", "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType"],
    },
    check: (resources) => {
        const targets = resources.filter((r) => r.type === SCALING_TARGET && r.props.serviceNamespace === "ecs");
        if (targets.length === 0) return "the stack has no ECS autoscaling target";
        const policies = resources.filter((r) => r.type === SCALING_POLICY && r.props.policyType === "TargetTrackingScaling");
        return targets.flatMap((target) => {
            const metrics = policies
                .filter((p) => p.props.resourceId === target.props.resourceId)
                .map((p) => p.props.targetTrackingScalingPolicyConfiguration?.predefinedMetricSpecification?.predefinedMetricType);
            const missing = ["ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization"].filter((m) => !metrics.includes(m));
            return missing.length === 0 ? [] : [{ urn: target.urn, message: `target ${target.name} has no target tracking on ${missing.join(", ")}` }];
        });
    },
});

// ---- edge, secrets, logs, network ----

const wafRateLimit = stackRule({
    name: "aws-waf-rate-limit", cloud: "aws", scope: "production", severity: "high", source: "AWS / edge: WAFv2 web ACL with a rate-based rule on the ALB (prod)",
    description: "Every production internet-facing ALB has a WAFv2 web ACL with a rate-based rule.",
    remediation: "Associate an aws.wafv2.WebAcl (scope REGIONAL) holding a rateBasedStatement rule with the load balancer (aws.wafv2.WebAclAssociation).",
    reads: { [LOAD_BALANCER]: ["internal", "arn"], [WEB_ACL_ASSOCIATION]: ["resourceArn", "webAclArn"], [WEB_ACL]: ["rules.statement.rateBasedStatement", "arn"] },
    check: (resources, { environmentOf }) => {
        const acls = resources.filter((r) => r.type === WEB_ACL && list(r.props.rules).some((rule) => rule.statement?.rateBasedStatement));
        const associations = resources.filter((r) => r.type === WEB_ACL_ASSOCIATION);
        return resources
            .filter((r) => r.type === LOAD_BALANCER && r.props.internal !== true && environmentOf(r) === "production")
            .filter((lb) => !associations.some((a) => a.props.resourceArn === lb.props.arn && acls.some((acl) => acl.props.arn === a.props.webAclArn)))
            .map((lb) => ({ urn: lb.urn, message: `load balancer ${lb.name} has no WAF web ACL with a rate-based rule` }));
    },
});

/** The common rule set's 8 KB body rule, and the header rule that enforces maxRequestBodyMb instead. */
const COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet";
const BODY_SIZE_RULE = "SizeRestrictions_BODY";
const wafBodySize = resourceRule({
    name: "aws-waf-request-body-limit", cloud: "aws", scope: "all", severity: "high", source: "AWS WAF: body inspection limit 8 KB on ALB; seed 003 uploads up to 10 MB",
    description: "A web ACL with AWS's common rule set counts (does not block) SizeRestrictions_BODY, which refuses every body over 8 KB, and enforces the configured body limit on Content-Length.",
    remediation: "Add ruleActionOverrides [{ name: \"SizeRestrictions_BODY\", actionToUse: { count: {} } }] to the common rule set, and a blocking rule matching the content-length header above maxRequestBodyMb.",
    reads: { [WEB_ACL]: ["rules.statement.managedRuleGroupStatement.name", "rules.statement.managedRuleGroupStatement.ruleActionOverrides", "rules.statement.regexMatchStatement.fieldToMatch.singleHeader.name", "rules.action"] },
    check: (p) => {
        const rules = list(p.rules);
        const common = rules.find((rule) => rule.statement?.managedRuleGroupStatement?.name === COMMON_RULE_SET);
        const counted = list(common?.statement?.managedRuleGroupStatement?.ruleActionOverrides)
            .some((o) => o.name === BODY_SIZE_RULE && o.actionToUse?.count !== undefined);
        const sizeRule = rules.some((rule) => rule.action?.block !== undefined &&
            String(rule.statement?.regexMatchStatement?.fieldToMatch?.singleHeader?.name ?? "").toLowerCase() === "content-length");
        return [
            common && !counted ? `${COMMON_RULE_SET} blocks bodies over 8 KB (${BODY_SIZE_RULE}); override it to count` : undefined,
            !sizeRule ? "no blocking rule limits the request body by its content-length header" : undefined,
        ];
    },
});

const secretRecovery = resourceRule<{ minimumDays: number }>({
    name: "aws-secret-recovery-window", cloud: "aws", scope: "production", severity: "medium", source: "Teardown: Secrets Manager 30-day recovery window (prod)",
    description: "Deleting a production secret leaves a recovery window.",
    remediation: "Set recoveryWindowInDays to 7-30 in production (0 deletes at once).",
    config: { minimumDays: { type: "integer", minimum: 7, maximum: 30, default: 7, description: "Shortest recovery window." } },
    reads: { [SECRET]: ["recoveryWindowInDays"] },
    check: (p, { config }) => {
        const days = p.recoveryWindowInDays ?? 30; // AWS's default
        return [days >= config.minimumDays ? undefined : `recoveryWindowInDays is ${show(p.recoveryWindowInDays)}; production keeps at least ${config.minimumDays}`];
    },
});

const logRetention = resourceRule({
    name: "aws-log-retention", cloud: "aws", scope: "all", severity: "low", source: "AWS / observability: log groups with retentionInDays",
    description: "Log groups expire their logs (logRetentionDays), never keep them forever.",
    remediation: "Set retentionInDays on the aws.cloudwatch.LogGroup (the logRetentionDays config key).",
    reads: { [LOG_GROUP]: ["retentionInDays"] },
    check: (p) => [typeof p.retentionInDays === "number" && p.retentionInDays > 0 ? undefined : `retentionInDays is ${show(p.retentionInDays)}; set a retention`],
});

const alarmActions = resourceRule({
    name: "aws-alarm-actions", cloud: "aws", scope: "all", severity: "low", source: "AWS / observability: an SNS topic for alarm actions",
    description: "Every CloudWatch alarm notifies someone.",
    remediation: "Set alarmActions: [alertTopic.arn] (and okActions) on the alarm.",
    reads: { [ALARM]: ["alarmActions"] },
    check: (p) => [list(p.alarmActions).length > 0 ? undefined : "alarmActions is empty; the alarm would fire silently"],
});

const bucketPublicAccess = stackRule({
    name: "aws-s3-public-access-blocked", cloud: "aws", scope: "all", severity: "critical", source: "AWS / ALB access logs: encrypted private bucket",
    description: "Every S3 bucket has a public access block with all four settings on.",
    remediation: "Add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets true.",
    reads: {
        [BUCKET_TYPES[0]]: ["bucket"],
        [BUCKET_TYPES[1]]: ["bucket"],
        [PUBLIC_ACCESS_BLOCK]: ["bucket", "blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"],
    },
    check: (resources) => {
        const buckets = resources.filter((r) => BUCKET_TYPES.includes(r.type));
        if (buckets.length === 0) return "the stack has no S3 bucket";
        const blocks = resources.filter((r) => r.type === PUBLIC_ACCESS_BLOCK);
        const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
        return buckets.flatMap((bucket) => {
            const block = blocks.find((b) => [bucket.props.id, bucket.props.bucket].includes(b.props.bucket));
            if (!block) return [{ urn: bucket.urn, message: `bucket ${bucket.name} has no public access block` }];
            const off = flags.filter((f) => block.props[f] !== true);
            return off.length === 0 ? [] : [{ urn: block.urn, message: `public access block of ${bucket.name} leaves ${off.join(", ")} off` }];
        });
    },
});

const DATA_PORTS = [5432, 6379];
const portsOf = (from: unknown, to: unknown) => DATA_PORTS.filter((port) => typeof from === "number" && typeof to === "number" && from <= port && port <= to);
const openCidr = (cidr: unknown) => typeof cidr === "string" && cidr !== "";

const dataPortsPrivate = resourceRule({
    name: "aws-data-ports-from-security-groups-only", cloud: "aws", scope: "all", severity: "critical",
    source: "AWS / network: DB and cache security groups accept only the service's security group",
    description: "PostgreSQL (5432) and Redis (6379) ingress comes from security groups, never from CIDR ranges.",
    remediation: "Use referencedSecurityGroupId (or sourceSecurityGroupId / securityGroups) of the API and worker groups instead of a CIDR.",
    reads: {
        [INGRESS_RULE]: ["fromPort", "toPort", "cidrIpv4", "cidrIpv6"],
        [SECURITY_GROUP_RULE]: ["type", "fromPort", "toPort", "cidrBlocks", "ipv6CidrBlocks"],
        [SECURITY_GROUP]: ["ingress.fromPort", "ingress.toPort", "ingress.cidrBlocks", "ingress.ipv6CidrBlocks"],
    },
    check: (p, { type }) => {
        const rules: { from: unknown; to: unknown; cidrs: unknown[] }[] =
            type === INGRESS_RULE ? [{ from: p.fromPort, to: p.toPort, cidrs: [p.cidrIpv4, p.cidrIpv6] }]
            : type === SECURITY_GROUP_RULE ? (p.type === "ingress" ? [{ from: p.fromPort, to: p.toPort, cidrs: [...list(p.cidrBlocks), ...list(p.ipv6CidrBlocks)] }] : [])
            : list(p.ingress).map((i) => ({ from: i.fromPort, to: i.toPort, cidrs: [...list(i.cidrBlocks), ...list(i.ipv6CidrBlocks)] }));
        return rules.flatMap((rule) => portsOf(rule.from, rule.to).flatMap((port) =>
            rule.cidrs.filter(openCidr).map((cidr) => `port ${port} is open to ${cidr}; data stores accept only the application's security groups`)));
    },
});

const secretsReadScoped = resourceRule({
    name: "aws-secrets-read-scoped", cloud: "aws", scope: "all", severity: "high", source: "AWS / secrets: the task execution role may read only these secrets",
    description: "IAM policies that read Secrets Manager name the secrets, never `*`.",
    remediation: "List the stack's secret ARNs as the statement's Resource.",
    reads: { [ROLE_POLICY]: ["policy"], [IAM_POLICY]: ["policy"] },
    check: (p) => {
        let document: Props;
        try {
            document = typeof p.policy === "string" ? JSON.parse(p.policy) : p.policy ?? {};
        } catch {
            return ["policy is not valid JSON"];
        }
        const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement].filter(Boolean);
        return statements.map((s: Props) => {
            const actions = [s.Action].flat().map(String);
            const resources = [s.Resource].flat().map(String);
            const readsSecrets = actions.some((a) => /^secretsmanager:(GetSecretValue|\*)$|^\*$/.test(a));
            return s.Effect !== "Deny" && readsSecrets && resources.some((r) => r === "*" || /secret:\*$/.test(r))
                ? `statement${s.Sid ? ` ${s.Sid}` : ""} lets ${actions.join(",")} read ${resources.join(",")}; name the stack's secrets instead`
                : undefined;
        });
    },
});

const natPerZone = stackRule({
    name: "aws-nat-per-zone", cloud: "aws", scope: "production", severity: "medium", source: "AWS / network: NAT (one per AZ in prod)",
    description: "Production has one NAT gateway per availability zone, so a zone outage does not cut egress.",
    remediation: "Create a NAT gateway in each zone's public subnet and route each private subnet to its own zone's NAT.",
    reads: { [SUBNET]: ["availabilityZone", "vpcId"], [NAT]: ["subnetId"] },
    check: (resources, { environmentOf }) => {
        const subnets = resources.filter((r) => r.type === SUBNET && environmentOf(r) === "production");
        const zones = new Set(subnets.map((s) => s.props.availabilityZone).filter(Boolean));
        const nats = resources.filter((r) => r.type === NAT);
        if (zones.size === 0) return "the stack has no production subnet";
        const natZones = new Set(nats.map((n) => subnets.find((s) => s.props.id === n.props.subnetId)?.props.availabilityZone).filter(Boolean));
        const missing = [...zones].filter((z) => !natZones.has(z));
        return missing.length === 0 ? [] : [{ message: `no NAT gateway in ${missing.join(", ")} (${nats.length} NAT for ${zones.size} zones)` }];
    },
});

// ---- the capacity rule (seed 004) ----

const capacityRule = stackRule({
    name: "aws-capacity-rule", cloud: "aws", scope: "all", severity: "high",
    source: "Seed 004: max_connections >= (DB_POOL_SIZE + DB_MAX_OVERFLOW) x (max API + max worker instances) + 10",
    description: "PostgreSQL's max_connections covers every connection the autoscaled fleets may open, plus 10.",
    remediation: "Raise max_connections (a bigger dbTier), or lower dbPoolSize/dbMaxOverflow, maxInstances or workerMaxInstances.",
    reads: {
        [PARAMETER_GROUP]: ["parameters.name", "parameters.value"],
        [TASK_DEFINITION]: ["containerDefinitions"],
        [SCALING_TARGET]: ["maxCapacity", "serviceNamespace"],
    },
    check: (resources) => {
        const groups = resources.filter((r) => r.type === PARAMETER_GROUP);
        const maxConnections = groups.map((g) => ({ group: g, value: Number(list(g.props.parameters).find((p) => p.name === "max_connections")?.value) }));
        const pools = resources.filter((r) => r.type === TASK_DEFINITION).flatMap((d) => containersOf(d.props).map(envOf))
            .filter((env) => env.DB_POOL_SIZE !== undefined)
            .map((env) => Number(env.DB_POOL_SIZE) + Number(env.DB_MAX_OVERFLOW ?? 0));
        const instances = resources.filter((r) => r.type === SCALING_TARGET && r.props.serviceNamespace === "ecs").reduce((sum, t) => sum + Number(t.props.maxCapacity), 0);
        if (groups.length === 0 || pools.length === 0 || instances === 0) return "the stack lacks a parameter group, DB_POOL_SIZE or ECS autoscaling targets";
        const required = Math.max(...pools) * instances + 10;
        return maxConnections.map(({ group, value }) =>
            Number.isFinite(value) && value >= required
                ? undefined
                : { urn: group.urn, message: `max_connections is ${Number.isFinite(value) ? value : "unset"}; the fleets may open ${Math.max(...pools)} x ${instances} + 10 = ${required}` },
        ).filter((v): v is { urn: string; message: string } => v !== undefined);
    },
});

export const AWS_POLICIES: BaselinePolicy[] = [
    rdsStorageEncrypted, rdsNotPublic, rdsEngine, rdsMultiAz, rdsBackups, rdsDeletionProtection, rdsFinalSnapshot,
    rdsStorageAutoscaling, rdsPerformanceInsights, rdsMinorUpgrades, rdsLogExports, rdsForceSsl,
    redisTransit, redisAtRest, redisAuth, redisHa, redisSnapshots,
    ecsFargate, ecsNoPublicIp, ecsCircuitBreaker, ecsGracePeriod, ecsSecretsByReference, ecsNonRoot, ecsReadOnlyRoot, ecsAwslogs,
    ecsContainerInsights, ecsGracefulShutdown,
    albTls, albRedirect, albDropHeaders, albDeletionProtection, albAccessLogs, albHealthCheck,
    apiMinCapacity, targetTracking, wafRateLimit, secretRecovery, logRetention, alarmActions, bucketPublicAccess,
    dataPortsPrivate, secretsReadScoped, natPerZone, capacityRule,
    wafBodySize,
];
