import type { Environment } from "../../policy/rules";
import { ALL_POLICIES, STATEFUL_TYPES, TAGGABLE, type BaselinePolicy, type Props } from "../../policy/rules";
import { evaluate, resourceArgs, stackArgs, type Verdict } from "../../tools/policy-check";

/**
 * Compliant resources per cloud, shaped like the provider inputs (and, for stack policies, the
 * outputs they read). Every resource policy must pass the compliant resources of its types and
 * every stack policy the compliant stack of its cloud; the failing cases in <cloud>.test.ts patch
 * one of them.
 */

export interface FixtureResource {
    type: string;
    name: string;
    props: Props;
    /** Pulumi's protect option; stateful types default to true. */
    protect?: boolean;
}

const arn = (what: string) => `arn:aws:${what}`;
const containers = (list: Props[]) => JSON.stringify(list);
const POOL_ENV = [{ name: "DB_POOL_SIZE", value: "20" }, { name: "DB_MAX_OVERFLOW", value: "40" }];

export const AWS_GOOD: FixtureResource[] = [
    {
        type: "aws:rds/instance:Instance", name: "db",
        props: {
            engine: "postgres", storageEncrypted: true, publiclyAccessible: false, multiAz: true, backupRetentionPeriod: 30, arn: arn("rds:eu-west-1:1:db:db"),
            deletionProtection: true, skipFinalSnapshot: false, finalSnapshotIdentifier: "db-final-1a2b", allocatedStorage: 100,
            maxAllocatedStorage: 500, performanceInsightsEnabled: true, autoMinorVersionUpgrade: true,
            enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        },
    },
    {
        type: "aws:rds/instance:Instance", name: "db-replica",
        props: {
            replicateSourceDb: "db", storageEncrypted: true, publiclyAccessible: false, multiAz: false, skipFinalSnapshot: true,
            deletionProtection: true, performanceInsightsEnabled: true, autoMinorVersionUpgrade: true, enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        },
    },
    { type: "aws:rds/parameterGroup:ParameterGroup", name: "db-params", props: { family: "postgres16", parameters: [{ name: "rds.force_ssl", value: "1" }, { name: "max_connections", value: "850" }] } },
    {
        type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "cache",
        props: {
            transitEncryptionEnabled: true, atRestEncryptionEnabled: true, authToken: "a".repeat(48), automaticFailoverEnabled: true,
            multiAzEnabled: true, numCacheClusters: 2, snapshotRetentionLimit: 7,
        },
    },
    { type: "aws:ecs/cluster:Cluster", name: "cluster", props: { settings: [{ name: "containerInsights", value: "enhanced" }] } },
    ...(["api", "worker"] as const).map((role): FixtureResource => ({
        type: "aws:ecs/taskDefinition:TaskDefinition", name: role,
        props: {
            family: `stack-${role}`, arn: arn(`ecs:eu-west-1:1:task-definition/stack-${role}:1`),
            containerDefinitions: containers([{
                name: role, user: "1000:1000", readonlyRootFilesystem: true, stopTimeout: 60, logConfiguration: { logDriver: "awslogs" },
                environment: [...POOL_ENV, { name: "LOG_LEVEL", value: "INFO" }],
                secrets: [{ name: "DATABASE_URL", valueFrom: arn("secretsmanager:eu-west-1:1:secret:stack/DATABASE_URL") }],
            }]),
        },
    })),
    {
        type: "aws:ecs/taskDefinition:TaskDefinition", name: "migrations",
        props: {
            family: "stack-migrations", arn: arn("ecs:eu-west-1:1:task-definition/stack-migrations:1"),
            containerDefinitions: containers([{ name: "migrations", user: "1000:1000", readonlyRootFilesystem: true, logConfiguration: { logDriver: "awslogs" }, environment: POOL_ENV }]),
        },
    },
    ...(["api", "worker"] as const).map((role): FixtureResource => ({
        type: "aws:ecs/service:Service", name: `${role}-svc`,
        props: {
            name: role, launchType: "FARGATE", networkConfiguration: { assignPublicIp: false }, deploymentCircuitBreaker: { enable: true, rollback: true },
            taskDefinition: arn(`ecs:eu-west-1:1:task-definition/stack-${role}:1`),
            ...(role === "api" ? { loadBalancers: [{ targetGroupArn: "tg", containerName: "api", containerPort: 8000 }], healthCheckGracePeriodSeconds: 60 } : {}),
        },
    })),
    ...([["api", 3, 10], ["worker", 2, 4]] as const).flatMap(([role, min, max]): FixtureResource[] => [
        { type: "aws:appautoscaling/target:Target", name: `${role}-scaling`, props: { serviceNamespace: "ecs", resourceId: `service/cluster/${role}`, minCapacity: min, maxCapacity: max } },
        ...["ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization"].map((metric): FixtureResource => ({
            type: "aws:appautoscaling/policy:Policy", name: `${role}-${metric}`,
            props: { policyType: "TargetTrackingScaling", resourceId: `service/cluster/${role}`, targetTrackingScalingPolicyConfiguration: { predefinedMetricSpecification: { predefinedMetricType: metric }, targetValue: 70 } },
        })),
    ]),
    {
        type: "aws:lb/loadBalancer:LoadBalancer", name: "alb",
        props: { loadBalancerType: "application", internal: false, dropInvalidHeaderFields: true, enableDeletionProtection: true, accessLogs: { bucket: "alb-logs", enabled: true }, arn: arn("elasticloadbalancing:alb") },
    },
    { type: "aws:lb/listener:Listener", name: "https", props: { protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: arn("acm:cert") } },
    { type: "aws:lb/listener:Listener", name: "http-redirect", props: { protocol: "HTTP", port: 80, defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] } },
    { type: "aws:lb/targetGroup:TargetGroup", name: "api-tg", props: { healthCheck: { path: "/health", matcher: "200" } } },
    {
        type: "aws:wafv2/webAcl:WebAcl", name: "waf",
        props: {
            rules: [
                { name: "rate", statement: { rateBasedStatement: { limit: 1000 } } },
                { name: "max-request-body", action: { block: {} }, statement: { regexMatchStatement: { fieldToMatch: { singleHeader: { name: "content-length" } }, regexString: "^0*([1-9][0-9]{8,})$" } } },
                { name: "common", statement: { managedRuleGroupStatement: { name: "AWSManagedRulesCommonRuleSet", vendorName: "AWS", ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }] } } },
            ],
            arn: arn("wafv2:acl"),
        },
    },
    { type: "aws:wafv2/webAclAssociation:WebAclAssociation", name: "waf-alb", props: { resourceArn: arn("elasticloadbalancing:alb"), webAclArn: arn("wafv2:acl") } },
    { type: "aws:secretsmanager/secret:Secret", name: "database-url", props: { recoveryWindowInDays: 30 } },
    { type: "aws:cloudwatch/logGroup:LogGroup", name: "api-logs", props: { retentionInDays: 90 } },
    { type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "api-5xx", props: { alarmActions: [arn("sns:alerts")] } },
    { type: "aws:s3/bucket:Bucket", name: "alb-logs", props: { bucket: "alb-logs", id: "alb-logs", forceDestroy: false } },
    {
        type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name: "alb-logs-block",
        props: { bucket: "alb-logs", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    },
    { type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "db-from-api", props: { fromPort: 5432, toPort: 5432, ipProtocol: "tcp", referencedSecurityGroupId: "sg-api" } },
    { type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "alb-https-in", props: { fromPort: 443, toPort: 443, ipProtocol: "tcp", cidrIpv4: "0.0.0.0/0" } },
    { type: "aws:ec2/securityGroupRule:SecurityGroupRule", name: "cache-from-api", props: { type: "ingress", fromPort: 6379, toPort: 6379, sourceSecurityGroupId: "sg-api" } },
    { type: "aws:ec2/securityGroup:SecurityGroup", name: "db-sg", props: { ingress: [{ fromPort: 5432, toPort: 5432, protocol: "tcp", securityGroups: ["sg-api"] }] } },
    {
        type: "aws:iam/rolePolicy:RolePolicy", name: "read-secrets",
        props: { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [arn("secretsmanager:eu-west-1:1:secret:stack/DATABASE_URL-AbCdEf")] }] }) },
    },
    { type: "aws:iam/policy:Policy", name: "logs", props: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }] }) } },
    ...["a", "b"].flatMap((zone): FixtureResource[] => [
        { type: "aws:ec2/subnet:Subnet", name: `public-${zone}`, props: { availabilityZone: `eu-west-1${zone}`, id: `subnet-public-${zone}` } },
        { type: "aws:ec2/subnet:Subnet", name: `private-${zone}`, props: { availabilityZone: `eu-west-1${zone}`, id: `subnet-private-${zone}` } },
        { type: "aws:ec2/natGateway:NatGateway", name: `nat-${zone}`, props: { subnetId: `subnet-public-${zone}` } },
    ]),
    // The application bucket, TLS-only and versioned, replicated to its copy in the DR region; RDS backups copied there.
    ...[["alb-logs", "eu-west-1"], ["app", "eu-west-1"], ["app-dr", "eu-central-1"]].flatMap(([bucket, region]): FixtureResource[] => [
        ...(bucket === "alb-logs" ? [] : [
            { type: "aws:s3/bucket:Bucket", name: bucket, props: { bucket, id: bucket, arn: arn(`s3:::${bucket}`), region, forceDestroy: false } },
            { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name: `${bucket}-block`, props: { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true } },
            { type: "aws:s3/bucketVersioning:BucketVersioning", name: `${bucket}-versioning`, props: { bucket, versioningConfiguration: { status: "Enabled" } } },
        ]),
        {
            type: "aws:s3/bucketPolicy:BucketPolicy", name: `${bucket}-policy`,
            props: { bucket, policy: JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn(`s3:::${bucket}`)], Condition: { Bool: { "aws:SecureTransport": "false" } } }] }) },
        },
    ]),
    {
        type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig", name: "app-replication",
        props: { bucket: "app", role: arn("iam::1:role/replication"), rules: [{ status: "Enabled", filter: {}, destination: { bucket: arn("s3:::app-dr") } }] },
    },
    { type: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", name: "db-backups-dr", props: { sourceDbInstanceArn: arn("rds:eu-west-1:1:db:db"), region: "eu-central-1", retentionPeriod: 30 } },
];

const SERVICE_ACCOUNT = "fastapi@acme-prod.iam.gserviceaccount.com";
const VPC_ACCESS = { networkInterfaces: [{ network: "vpc", subnetwork: "subnet" }], egress: "PRIVATE_RANGES_ONLY" };
const SECRET_REF = { name: "DATABASE_URL", valueSource: { secretKeyRef: { secret: "database-url", version: "latest" } } };

export const GCP_GOOD: FixtureResource[] = [
    {
        type: "gcp:storage/bucket:Bucket", name: "app-bucket",
        props: {
            name: "app-bucket", location: "EU", customPlacementConfig: { dataLocations: ["EUROPE-WEST1", "EUROPE-WEST4"] }, rpo: "ASYNC_TURBO",
            publicAccessPrevention: "enforced", uniformBucketLevelAccess: true, versioning: { enabled: true }, forceDestroy: false,
        },
    },
    {
        type: "gcp:sql/databaseInstance:DatabaseInstance", name: "db",
        props: {
            databaseVersion: "POSTGRES_16", deletionProtection: true, region: "europe-west1",
            settings: {
                tier: "db-custom-4-16384", availabilityType: "REGIONAL", deletionProtectionEnabled: true, diskAutoresize: true,
                ipConfiguration: { ipv4Enabled: false, privateNetwork: "projects/p/global/networks/vpc", sslMode: "ENCRYPTED_ONLY" },
                backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true, backupRetentionSettings: { retainedBackups: 30 }, location: "europe-west4" },
                insightsConfig: { queryInsightsEnabled: true },
                databaseFlags: ["log_connections", "log_disconnections", "log_checkpoints", "log_lock_waits"].map((name) => ({ name, value: "on" }))
                    .concat([{ name: "max_connections", value: "850" }]),
            },
        },
    },
    {
        type: "gcp:redis/instance:Instance", name: "cache",
        props: { authEnabled: true, transitEncryptionMode: "SERVER_AUTHENTICATION", connectMode: "PRIVATE_SERVICE_ACCESS", tier: "STANDARD_HA", persistenceConfig: { persistenceMode: "RDB" } },
    },
    {
        type: "gcp:cloudrunv2/service:Service", name: "api",
        props: {
            ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", deletionProtection: true,
            template: {
                serviceAccount: SERVICE_ACCOUNT, scaling: { minInstanceCount: 3, maxInstanceCount: 10 }, vpcAccess: VPC_ACCESS, timeout: "60s",
                containers: [{
                    image: "ghcr.io/acme/api:1", ports: { containerPort: 8000 }, envs: [...POOL_ENV, SECRET_REF],
                    startupProbe: { httpGet: { path: "/health" } }, livenessProbe: { httpGet: { path: "/health" } },
                }],
            },
        },
    },
    {
        type: "gcp:cloudrunv2/service:Service", name: "worker",
        props: {
            ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY", deletionProtection: true,
            template: { serviceAccount: SERVICE_ACCOUNT, scaling: { minInstanceCount: 2, maxInstanceCount: 4 }, vpcAccess: VPC_ACCESS, containers: [{ image: "ghcr.io/acme/api:1", envs: [...POOL_ENV, SECRET_REF] }] },
        },
    },
    {
        type: "gcp:cloudrunv2/job:Job", name: "migrations",
        props: { template: { template: { serviceAccount: SERVICE_ACCOUNT, vpcAccess: VPC_ACCESS, containers: [{ image: "ghcr.io/acme/api:1", envs: [SECRET_REF] }] } } },
    },
    { type: "gcp:sql/database:Database", name: "app-db", props: { name: "app", instance: "db", deletionPolicy: "ABANDON" } },
    { type: "gcp:secretmanager/secret:Secret", name: "database-url", props: { secretId: "database-url", replication: { auto: {} } } },
    { type: "gcp:secretmanager/secretIamMember:SecretIamMember", name: "database-url-access", props: { role: "roles/secretmanager.secretAccessor", member: `serviceAccount:${SERVICE_ACCOUNT}` } },
    {
        type: "gcp:compute/securityPolicy:SecurityPolicy", name: "armor",
        props: { name: "armor", rules: [{ action: "throttle", priority: 100, rateLimitOptions: { rateLimitThreshold: { count: 1000, intervalSec: 60 } }, match: {} }] },
    },
    { type: "gcp:compute/backendService:BackendService", name: "api-backend", props: { securityPolicy: "armor", backends: [{ group: "neg" }] } },
    { type: "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup", name: "neg", props: { networkEndpointType: "SERVERLESS", cloudRun: { service: "api" } } },
    { type: "gcp:compute/targetHttpsProxy:TargetHttpsProxy", name: "https-proxy", props: { sslCertificates: ["managed-cert"] } },
    { type: "gcp:monitoring/alertPolicy:AlertPolicy", name: "api-5xx", props: { notificationChannels: ["channel"] } },
];

const SERVER_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg";
const PLAN_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan";
const scaleRule = (metricName: string, direction: string) => ({
    metricTrigger: { metricName, operator: direction === "Increase" ? "GreaterThan" : "LessThan", threshold: 70 },
    scaleAction: { direction, type: "ChangeCount", value: "1", cooldown: "PT5M" },
});

export const AZURE_GOOD: FixtureResource[] = [
    {
        type: "azure-native:storage:StorageAccount", name: "storage",
        props: {
            accountName: "appst1a2b3c", kind: "StorageV2", sku: { name: "Standard_RAGZRS" }, enableHttpsTrafficOnly: true, minimumTlsVersion: "TLS1_2",
            allowBlobPublicAccess: false, allowSharedKeyAccess: false,
        },
    },
    { type: "azure-native:storage:BlobServiceProperties", name: "storage-blobs", props: { accountName: "appst1a2b3c", blobServicesName: "default", isVersioningEnabled: true } },
    { type: "azure-native:storage:BlobContainer", name: "storage-app", props: { accountName: "appst1a2b3c", containerName: "app", publicAccess: "None" } },
    {
        type: "azure-native:dbforpostgresql:Server", name: "pg",
        props: {
            serverName: "pg", id: SERVER_ID, version: "16",
            network: { publicNetworkAccess: "Disabled", delegatedSubnetResourceId: "subnet-db", privateDnsZoneArmResourceId: "zone" },
            highAvailability: { mode: "ZoneRedundant" }, backup: { backupRetentionDays: 30, geoRedundantBackup: "Enabled" }, storage: { storageSizeGB: 128, autoGrow: "Enabled" },
        },
    },
    { type: "azure-native:dbforpostgresql:Configuration", name: "max-connections", props: { configurationName: "max_connections", value: "850", source: "user-override" } },
    { type: "azure-native:dbforpostgresql:Configuration", name: "require-tls", props: { configurationName: "require_secure_transport", value: "on" } },
    { type: "azure-native:authorization:ManagementLockByScope", name: "pg-lock", props: { scope: SERVER_ID, level: "CanNotDelete" } },
    { type: "azure-native:redis:Redis", name: "cache", props: { enableNonSslPort: false, minimumTlsVersion: "1.2", sku: { name: "Standard", family: "C", capacity: 1 }, publicNetworkAccess: "Disabled" } },
    { type: "azure-native:web:AppServicePlan", name: "plan", props: { id: PLAN_ID, kind: "Linux", reserved: true, zoneRedundant: true, sku: { name: "P1v3", tier: "PremiumV3", capacity: 3 } } },
    {
        type: "azure-native:web:WebApp", name: "api",
        props: {
            name: "api", serverFarmId: PLAN_ID, httpsOnly: true, identity: { type: "SystemAssigned" }, virtualNetworkSubnetId: "subnet-app",
            siteConfig: {
                linuxFxVersion: "DOCKER|ghcr.io/acme/api:1", minTlsVersion: "1.2", ftpsState: "Disabled", healthCheckPath: "/health", alwaysOn: true, http20Enabled: true,
                appSettings: [...POOL_ENV, { name: "DATABASE_URL", value: "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/database-url)" }, { name: "WEBSITES_PORT", value: "8000" }],
            },
        },
    },
    {
        type: "azure-native:app:ContainerApp", name: "worker",
        props: {
            configuration: { secrets: [{ name: "database-url", keyVaultUrl: "https://kv.vault.azure.net/secrets/database-url", identity: "uami" }] },
            template: { scale: { minReplicas: 2, maxReplicas: 4 }, containers: [{ name: "worker", image: "ghcr.io/acme/api:1", env: [...POOL_ENV, { name: "DATABASE_URL", secretRef: "database-url" }] }] },
        },
    },
    {
        type: "azure-native:app:Job", name: "migrations",
        props: {
            configuration: { triggerType: "Manual", replicaTimeout: 1800, secrets: [{ name: "database-url", keyVaultUrl: "https://kv.vault.azure.net/secrets/database-url", identity: "uami" }] },
            template: { containers: [{ name: "migrations", image: "ghcr.io/acme/api:1", env: [{ name: "DATABASE_URL", secretRef: "database-url" }] }] },
        },
    },
    { type: "azure-native:web:WebAppSlot", name: "api-staging-slot", props: { name: "api", slot: "staging", siteConfig: { appSettings: [] } } },
    { type: "azure-native:web:WebAppApplicationSettings", name: "api-settings", props: { name: "api", properties: { LOG_LEVEL: "INFO", REDIS_URL: "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/redis-url)" } } },
    {
        type: "azure-native:monitor:AutoscaleSetting", name: "autoscale",
        props: {
            targetResourceUri: PLAN_ID, enabled: true,
            profiles: [{ name: "default", capacity: { minimum: "3", maximum: "10", default: "3" }, rules: ["CpuPercentage", "MemoryPercentage"].flatMap((m) => [scaleRule(m, "Increase"), scaleRule(m, "Decrease")]) }],
        },
    },
    { type: "azure-native:keyvault:Vault", name: "kv", props: { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", properties: { tenantId: "t", sku: { family: "A", name: "standard" }, enableRbacAuthorization: true, enableSoftDelete: true, enablePurgeProtection: true } } },
    {
        type: "azure-native:authorization:RoleAssignment", name: "app-reads-secrets",
        props: { roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6", scope: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", principalId: "p" },
    },
    { type: "azure-native:monitor:MetricAlert", name: "api-5xx", props: { actions: [{ actionGroupId: "ag" }] } },
    { type: "azure-native:applicationinsights:Component", name: "insights", props: { workspaceResourceId: "ws" } },
];

const K8S_RESTRICTED = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } };
const K8S_RESOURCES = { requests: { cpu: "500m", memory: "1024Mi" }, limits: { cpu: "500m", memory: "1024Mi" } };
const K8S_SECRET_ENV = (name: string) => ({ name, valueFrom: { secretKeyRef: { name: "app-env", key: name } } });
const k8sPod = (component: string, container: Props = {}, pod: Props = {}): Props => ({
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
    containers: [{
        name: component, image: "ghcr.io/acme/api:1", resources: K8S_RESOURCES, securityContext: K8S_RESTRICTED,
        env: [...POOL_ENV, { name: "LOG_LEVEL", value: "INFO" }, K8S_SECRET_ENV("DATABASE_URL"), K8S_SECRET_ENV("REDIS_URL"), K8S_SECRET_ENV("SECRET_KEY")],
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
        ...container,
    }],
    ...pod,
});
const k8sMeta = (name: string) => ({ name, namespace: "fastapi-platform-prod" });
const k8sSelector = (component: string) => ({ "app.kubernetes.io/name": component, "app.kubernetes.io/part-of": "fastapi-platform" });

export const KUBERNETES_GOOD: FixtureResource[] = [
    { type: "kubernetes:core/v1:Namespace", name: "namespace", props: { metadata: { name: "fastapi-platform-prod" } }, protect: true },
    { type: "kubernetes:core/v1:Secret", name: "app-env", props: { metadata: k8sMeta("app-env"), type: "Opaque", stringData: { DATABASE_URL: "[secret]" } } },
    {
        type: "kubernetes:apps/v1:Deployment", name: "api",
        props: {
            metadata: k8sMeta("api"),
            spec: {
                replicas: 3, selector: { matchLabels: k8sSelector("api") },
                template: {
                    metadata: { labels: { ...k8sSelector("api"), "fastapi-platform/data-client": "true" } },
                    spec: k8sPod("api", {
                        ports: [{ name: "http", containerPort: 8000 }],
                        startupProbe: { httpGet: { path: "/health", port: "http" } },
                        livenessProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 10 },
                        readinessProbe: { httpGet: { path: "/health/ready", port: "http" }, periodSeconds: 5 },
                    }, { terminationGracePeriodSeconds: 60 }),
                },
            },
        },
    },
    {
        type: "kubernetes:apps/v1:Deployment", name: "worker",
        props: {
            metadata: k8sMeta("worker"),
            spec: { replicas: 2, selector: { matchLabels: k8sSelector("worker") }, template: { metadata: { labels: k8sSelector("worker") }, spec: k8sPod("worker", {}, { terminationGracePeriodSeconds: 60 }) } },
        },
    },
    {
        type: "kubernetes:batch/v1:Job", name: "migrations",
        props: { metadata: k8sMeta("migrate-1a2b3c"), spec: { backoffLimit: 2, template: { spec: k8sPod("migrations", { command: ["alembic", "upgrade", "head"] }, { restartPolicy: "Never" }) } } },
    },
    {
        type: "kubernetes:batch/v1:CronJob", name: "migrations-template",
        props: { metadata: k8sMeta("migrations"), spec: { suspend: true, schedule: "0 0 31 2 *", jobTemplate: { spec: { template: { spec: k8sPod("migrations", {}, { restartPolicy: "Never" }) } } } } },
    },
    {
        type: "kubernetes:apps/v1:StatefulSet", name: "redis",
        props: {
            metadata: k8sMeta("redis"),
            spec: {
                serviceName: "redis", replicas: 1, selector: { matchLabels: k8sSelector("redis") },
                template: {
                    metadata: { labels: k8sSelector("redis") },
                    spec: k8sPod("redis", { image: "redis:7.4", ports: [{ name: "redis", containerPort: 6379 }], env: [{ name: "REDISCLI_AUTH", valueFrom: { secretKeyRef: { name: "redis-config", key: "password" } } }] }),
                },
            },
        },
    },
    { type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", name: "api-hpa", props: { metadata: k8sMeta("api"), spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" }, minReplicas: 3, maxReplicas: 10 } } },
    { type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", name: "worker-hpa", props: { metadata: k8sMeta("worker"), spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "worker" }, minReplicas: 2, maxReplicas: 4 } } },
    { type: "kubernetes:policy/v1:PodDisruptionBudget", name: "api-pdb", props: { metadata: k8sMeta("api"), spec: { maxUnavailable: 1, selector: { matchLabels: k8sSelector("api") } } } },
    {
        type: "kubernetes:networking.k8s.io/v1:Ingress", name: "ingress",
        props: {
            metadata: { ...k8sMeta("api"), annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" } },
            spec: {
                ingressClassName: "nginx", tls: [{ hosts: ["api.example.com"], secretName: "api-tls" }],
                rules: [{ host: "api.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "api", port: { name: "http" } } } }] } }],
            },
        },
    },
    { type: "kubernetes:networking.k8s.io/v1:NetworkPolicy", name: "netpol-default-deny", props: { metadata: k8sMeta("default-deny"), spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } } },
    {
        type: "kubernetes:networking.k8s.io/v1:NetworkPolicy", name: "netpol-allow-dns",
        props: { metadata: k8sMeta("allow-dns"), spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ ports: [{ protocol: "UDP", port: 53 }] }] } },
    },
    {
        type: "kubernetes:postgresql.cnpg.io/v1:Cluster", name: "postgres",
        props: {
            apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster",
            metadata: { ...k8sMeta("postgres"), annotations: { "fastapi-platform/cluster-region": "eu-west-1", "fastapi-platform/backup-region": "eu-central-1" } },
            spec: {
                instances: 3, enableSuperuserAccess: false, postgresql: { parameters: { max_connections: "850" }, synchronous: { method: "any", number: 1 } },
                storage: { size: "100Gi" },
                backup: { barmanObjectStore: { destinationPath: "s3://acme-pg-backups/", s3Credentials: { accessKeyId: { name: "pg-backup-credentials", key: "ACCESS_KEY_ID" } } }, retentionPolicy: "30d" },
            },
        },
    },
];

export const GOOD: Record<"aws" | "gcp" | "azure" | "kubernetes", FixtureResource[]> = { aws: AWS_GOOD, gcp: GCP_GOOD, azure: AZURE_GOOD, kubernetes: KUBERNETES_GOOD };

// ---- building validation args from fixtures ----

const STACK_OF: Record<Environment, string> = { production: "prod", staging: "staging" };

export function urnOf(type: string, name: string, environment: Environment): string {
    return `urn:pulumi:${STACK_OF[environment]}::fastapi-platform::${type}::${name}`;
}

/** Deep merge: objects merge, arrays and scalars replace, `undefined` deletes. */
export function patched(props: Props, patch: Props = {}): Props {
    const out: Props = { ...props };
    for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) delete out[key];
        else if (isObject(value) && isObject(out[key])) out[key] = patched(out[key], value);
        else out[key] = value;
    }
    return out;
}

const isObject = (v: unknown): v is Props => typeof v === "object" && v !== null && !Array.isArray(v);

/** The fixture's props with the standard tags/labels of `environment` where the type carries them. */
export function withTags(resource: FixtureResource, environment: Environment): Props {
    const at = TAGGABLE[resource.type];
    if (!at) return resource.props;
    const tags = { project: "fastapi-platform", stack: STACK_OF[environment], environment, "managed-by": "pulumi" };
    const nested = at.split(".").reduceRight<Props>((inner, key) => ({ [key]: inner }), tags);
    return patched(nested, resource.props);
}

export function policyNamed(name: string): BaselinePolicy {
    const policy = ALL_POLICIES.find((p) => p.name === name);
    if (!policy) throw new Error(`no policy ${name}`);
    return policy;
}

export const isStack = (policy: BaselinePolicy) => "validateStack" in policy && typeof policy.validateStack === "function";

export interface RunOptions {
    environment?: Environment;
    config?: object;
    protect?: boolean;
}

/** A resource policy's verdict on one resource, with args built as the engine builds them. */
export function checkResource(policy: BaselinePolicy, resource: FixtureResource, options: RunOptions = {}): Promise<Verdict> {
    const environment = options.environment ?? "production";
    return evaluate(policy, resourceArgs({
        type: resource.type, name: resource.name, urn: urnOf(resource.type, resource.name, environment),
        props: withTags(resource, environment), protect: options.protect ?? resource.protect ?? resource.type in STATEFUL_TYPES, config: options.config,
    }));
}

/** A stack policy's verdict on a whole stack of fixtures. */
export function checkStack(policy: BaselinePolicy, resources: FixtureResource[], options: RunOptions = {}): Promise<Verdict> {
    const environment = options.environment ?? "production";
    return evaluate(policy, stackArgs(resources.map((r) => ({
        type: r.type, name: r.name, urn: urnOf(r.type, r.name, environment), props: withTags(r, environment), protect: r.protect ?? r.type in STATEFUL_TYPES,
    })), options.config ?? {}));
}

export type Expect = "pass" | "fail" | "not-applicable";

export function outcome(verdict: Verdict): Expect {
    if (!verdict.applicable) return "not-applicable";
    return verdict.messages.length === 0 ? "pass" : "fail";
}

// ---- failing (and special) cases, written per cloud ----

export interface PolicyCase {
    policy: string;
    title: string;
    /** The fixture (by name, of the policy's cloud) to start from; for a stack policy, the stack is edited instead. */
    from?: string;
    /** Deep-merged into the fixture's props. */
    patch?: Props;
    /** For stack policies: how to turn the compliant stack into this case's stack. */
    edit?: (stack: FixtureResource[]) => FixtureResource[];
    environment?: Environment;
    protect?: boolean;
    config?: object;
    expect: Expect;
    /** A failing case's messages must match. */
    match?: RegExp;
}

/** Runs a case against its cloud's fixtures; returns the outcome and the messages. */
export async function runCase(c: PolicyCase, good: FixtureResource[]): Promise<{ outcome: Expect; messages: string[] }> {
    const policy = policyNamed(c.policy);
    let verdict: Verdict;
    if (isStack(policy)) {
        const stack = (c.edit ?? ((s) => s))(good.map((r) => ({ ...r })));
        verdict = await checkStack(policy, stack, { environment: c.environment, config: c.config });
    } else {
        const base = good.find((r) => r.name === c.from);
        if (!base) throw new Error(`case '${c.title}': no fixture named ${c.from}`);
        verdict = await checkResource(policy, { ...base, props: patched(base.props, c.patch) }, { environment: c.environment, config: c.config, protect: c.protect });
    }
    return { outcome: outcome(verdict), messages: verdict.applicable ? verdict.messages.map((m) => m.message) : [] };
}

/** Replaces the props of the fixture named `name` (deep-merged patch). */
export function patchResource(name: string, patch: Props) {
    return (stack: FixtureResource[]) => stack.map((r) => (r.name === name ? { ...r, props: patched(r.props, patch) } : r));
}

export function without(...names: string[]) {
    return (stack: FixtureResource[]) => stack.filter((r) => !names.includes(r.name));
}
