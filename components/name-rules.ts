/**
 * What each cloud accepts as the physical name of every resource type the platform creates: the
 * property that holds it, its length and its characters, with the upstream rule each entry comes
 * from. A preview refuses a name the provider's schema or Pulumi's auto-namer rejects; the API
 * refuses the rest at create. tests/provider-limits.test.ts checks every name the program produces
 * against this table for any project and stack name Pulumi accepts, and fails on a resource type
 * that has no entry here.
 *
 * Sources: the Terraform providers that @pulumi/aws and @pulumi/gcp bridge
 * (hashicorp/terraform-provider-aws internal/service/<service>/*.go; GoogleCloudPlatform/
 * magic-modules mmv1/products/<product>/*.yaml), the Azure REST API specs that azure-native
 * enforces (Azure/azure-rest-api-specs, and "Naming rules and restrictions for Azure resources"
 * on learn.microsoft.com), Kubernetes' apimachinery validation, and Pulumi's auto-namer
 * (pkg/resource/naming, NewUniqueName: it refuses, rather than cuts, a name over the limit).
 */

export interface NameRule {
    /** Dotted path of the input that holds the physical name ("metadata.name"). */
    property: string;
    /** Unset, the provider derives it from the logical name: "<logical>-<7 random characters>". */
    autoNamed?: boolean;
    min: number;
    max: number;
    /** The whole name must match. */
    pattern: RegExp;
    /** The rule in words, for failure messages. */
    allowed: string;
    source: string;
}

/** A type whose resources have no name of their own (an association, a rule inside a parent, a value). */
export interface Unnamed {
    unnamed: string;
}

export type NameEntry = NameRule | Unnamed;

export function isNamed(entry: NameEntry): entry is NameRule {
    return "property" in entry;
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const RFC1035 = "lower-case letters, digits and hyphens; starts with a letter, ends with a letter or digit";

// ---- AWS (terraform-provider-aws) ----
const elbName = (source: string): NameRule => ({
    property: "name", autoNamed: true, min: 1, max: 32,
    pattern: /^(?!internal-)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/,
    allowed: "letters, digits and hyphens; no hyphen at either end; not starting with 'internal-'",
    source,
});

const AWS: Record<string, NameEntry> = {
    "aws:lb/loadBalancer:LoadBalancer": elbName("internal/service/elbv2/load_balancer.go (validName: 32 characters)"),
    "aws:lb/targetGroup:TargetGroup": elbName("internal/service/elbv2/target_group.go (validTargetGroupName: 32 characters)"),
    "aws:lb/listener:Listener": { unnamed: "a listener is addressed by its load balancer and port" },
    "aws:ecs/cluster:Cluster": { property: "name", autoNamed: true, min: 1, max: 255, pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, hyphens and underscores", source: "ECS CreateCluster API, clusterName" },
    "aws:ecs/service:Service": { property: "name", autoNamed: true, min: 1, max: 255, pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, hyphens and underscores", source: "ECS CreateService API, serviceName" },
    "aws:ecs/taskDefinition:TaskDefinition": { property: "family", min: 1, max: 255, pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, hyphens and underscores", source: "internal/service/ecs/task_definition.go (validFamily)" },
    "aws:cloudwatch/logGroup:LogGroup": { property: "name", autoNamed: true, min: 1, max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/, allowed: "letters, digits and . - _ / #", source: "internal/service/logs/validate.go (validLogGroupName)" },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { property: "name", autoNamed: true, min: 1, max: 255, pattern: /^[\x20-\x7e]+$/, allowed: "printable ASCII", source: "internal/service/cloudwatch/metric_alarm.go (alarm_name: 255 characters)" },
    "aws:elasticache/replicationGroup:ReplicationGroup": { property: "replicationGroupId", autoNamed: true, min: 1, max: 40, pattern: /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/, allowed: `${RFC1035}; no two hyphens in a row`, source: "internal/service/elasticache/replication_group.go (validReplicationGroupID: 40 characters)" },
    "aws:elasticache/subnetGroup:SubnetGroup": { property: "name", autoNamed: true, min: 1, max: 255, pattern: /^[a-z0-9-]+$/, allowed: "lower-case letters, digits and hyphens", source: "internal/service/elasticache/subnet_group.go" },
    "aws:iam/role:Role": { property: "name", autoNamed: true, min: 1, max: 64, pattern: /^[\w+=,.@-]+$/, allowed: "letters, digits and _+=,.@-", source: "internal/service/iam/role.go (validRoleName: 64 characters)" },
    "aws:iam/rolePolicy:RolePolicy": { property: "name", autoNamed: true, min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, allowed: "letters, digits and _+=,.@-", source: "internal/service/iam/role_policy.go (validIAMName 128)" },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { unnamed: "an attachment is addressed by role and policy ARN" },
    "aws:rds/instance:Instance": { property: "identifier", autoNamed: true, min: 1, max: 63, pattern: /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/, allowed: `${RFC1035}; no two hyphens in a row`, source: "internal/service/rds/validate.go (validIdentifier: 63 characters)" },
    "aws:rds/parameterGroup:ParameterGroup": { property: "name", autoNamed: true, min: 1, max: 255, pattern: /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/, allowed: `${RFC1035}; no two hyphens in a row`, source: "internal/service/rds/validate.go (validParamGroupName)" },
    "aws:rds/subnetGroup:SubnetGroup": { property: "name", autoNamed: true, min: 1, max: 255, pattern: /^[a-z0-9 ._-]+$/, allowed: "lower-case letters, digits, spaces and . _ -", source: "internal/service/rds/validate.go (validSubnetGroupName)" },
    "aws:rds/proxy:Proxy": { property: "name", autoNamed: true, min: 1, max: 60, pattern: /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/, allowed: `${RFC1035}; no two hyphens in a row`, source: "internal/service/rds/proxy.go (validIdentifier; the RDS API allows 60 characters)" },
    "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": { unnamed: "the proxy's default target group is named by RDS" },
    "aws:rds/proxyTarget:ProxyTarget": { unnamed: "a target is addressed by proxy and instance" },
    "aws:s3/bucket:Bucket": { property: "bucket", autoNamed: true, min: 3, max: 63, pattern: /^[a-z0-9](?!.*\.\.)[a-z0-9.-]*[a-z0-9]$/, allowed: "lower-case letters, digits, dots and hyphens; starts and ends with a letter or digit", source: "internal/service/s3/bucket.go (validBucketName); S3 bucket naming rules" },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { unnamed: "configuration of its bucket" },
    "aws:s3/bucketPolicy:BucketPolicy": { unnamed: "configuration of its bucket" },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { unnamed: "configuration of its bucket" },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { unnamed: "configuration of its bucket" },
    "aws:secretsmanager/secret:Secret": { property: "name", autoNamed: true, min: 1, max: 512, pattern: /^[A-Za-z0-9/_+=.@-]+$/, allowed: "letters, digits and /_+=.@-", source: "internal/service/secretsmanager/secret.go (validSecretName)" },
    "aws:secretsmanager/secretVersion:SecretVersion": { unnamed: "a version of its secret" },
    "aws:sns/topic:Topic": { property: "name", autoNamed: true, min: 1, max: 256, pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, hyphens and underscores", source: "internal/service/sns/topic.go (validTopicName: 256 characters)" },
    "aws:sns/topicSubscription:TopicSubscription": { unnamed: "a subscription is addressed by its ARN" },
    "aws:wafv2/webAcl:WebAcl": { property: "name", autoNamed: true, min: 1, max: 128, pattern: /^[\w-]+$/, allowed: "letters, digits, hyphens and underscores", source: "internal/service/wafv2/web_acl.go (name: 128, ^[0-9A-Za-z_-]+$)" },
    "aws:wafv2/webAclAssociation:WebAclAssociation": { unnamed: "an association of an ACL and a resource" },
    "aws:ec2/securityGroup:SecurityGroup": { property: "name", autoNamed: true, min: 1, max: 255, pattern: /^(?!sg-)[\x20-\x7e]+$/, allowed: "printable ASCII, not starting with 'sg-'", source: "internal/service/ec2/vpc_security_group.go (255 characters)" },
    "aws:ec2/vpc:Vpc": { unnamed: "VPCs have ids; the Name tag is free text" },
    "aws:ec2/subnet:Subnet": { unnamed: "subnets have ids" },
    "aws:ec2/internetGateway:InternetGateway": { unnamed: "gateways have ids" },
    "aws:ec2/natGateway:NatGateway": { unnamed: "gateways have ids" },
    "aws:ec2/eip:Eip": { unnamed: "addresses have ids" },
    "aws:ec2/routeTable:RouteTable": { unnamed: "route tables have ids" },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": { unnamed: "an association of a subnet and a table" },
    "aws:ec2/vpcEndpoint:VpcEndpoint": { unnamed: "endpoints have ids" },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { unnamed: "a rule of its security group" },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { unnamed: "a rule of its security group" },
    "aws:acm/certificate:Certificate": { unnamed: "certificates have ARNs; the domain is the user's" },
    "aws:acm/certificateValidation:CertificateValidation": { unnamed: "a wait, not a resource in AWS" },
    "aws:route53/record:Record": { unnamed: "the record name is the user's domain" },
    "aws:appautoscaling/target:Target": { unnamed: "addressed by the service it scales" },
    "aws:ecr/repository:Repository": { property: "name", autoNamed: true, min: 2, max: 256, pattern: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/, allowed: "lower-case path components of letters and digits joined by . _ -", source: `internal/service/ecr/repository.go (name: 2-256, the ECR repository name pattern)` },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": { unnamed: "a policy of its repository" },
    "aws:kms/key:Key": { unnamed: "keys have ids; aliases are separate resources" },
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": { unnamed: "addressed by the source instance's ARN" },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { unnamed: "configuration of its bucket" },
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": { unnamed: "configuration of its bucket" },
    "aws:s3/bucketVersioning:BucketVersioning": { unnamed: "configuration of its bucket" },
    "aws:cloudwatch/dashboard:Dashboard": { property: "dashboardName", min: 1, max: 255, pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, hyphens and underscores", source: "internal/service/cloudwatch/dashboard.go (validDashboardName)" },
    "aws:amp/workspace:Workspace": { unnamed: "workspaces have ids; the alias is free text" },
    "aws:appautoscaling/policy:Policy": { property: "name", autoNamed: true, min: 1, max: 255, pattern: /^[\x20-\x7e]+$/, allowed: "printable ASCII", source: "Application Auto Scaling PutScalingPolicy API, PolicyName: 256 characters" },
};

// ---- Google Cloud (magic-modules mmv1/products) ----
const compute = (source: string): NameRule => ({ property: "name", autoNamed: true, min: 1, max: 63, pattern: DNS_LABEL, allowed: RFC1035, source });

const GCP: Record<string, NameEntry> = {
    "gcp:cloudrunv2/service:Service": { property: "name", min: 1, max: 49, pattern: DNS_LABEL, allowed: `${RFC1035}; 49 characters, so revision names stay within 63`, source: "Cloud Run resource model: service names; mmv1/products/cloudrunv2/Service.yaml" },
    "gcp:cloudrunv2/job:Job": { property: "name", min: 1, max: 49, pattern: DNS_LABEL, allowed: `${RFC1035}; 49 characters, so execution names stay within 63`, source: "mmv1/products/cloudrunv2/Job.yaml" },
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": { unnamed: "a binding on its service" },
    "gcp:cloudrunv2/jobIamMember:JobIamMember": { unnamed: "a binding on its job" },
    "gcp:compute/backendService:BackendService": compute("mmv1/products/compute/BackendService.yaml (RFC 1035, 63)"),
    "gcp:compute/globalAddress:GlobalAddress": compute("mmv1/products/compute/GlobalAddress.yaml"),
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": compute("mmv1/products/compute/GlobalForwardingRule.yaml"),
    "gcp:compute/managedSslCertificate:ManagedSslCertificate": compute("mmv1/products/compute/ManagedSslCertificate.yaml"),
    "gcp:compute/network:Network": compute("mmv1/products/compute/Network.yaml"),
    "gcp:compute/subnetwork:Subnetwork": compute("mmv1/products/compute/Subnetwork.yaml"),
    "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup": compute("mmv1/products/compute/RegionNetworkEndpointGroup.yaml"),
    "gcp:compute/sSLPolicy:SSLPolicy": compute("mmv1/products/compute/SslPolicy.yaml"),
    "gcp:compute/securityPolicy:SecurityPolicy": compute("mmv1/products/compute/SecurityPolicy (terraform google_compute_security_policy)"),
    "gcp:compute/targetHttpProxy:TargetHttpProxy": compute("mmv1/products/compute/TargetHttpProxy.yaml"),
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy": compute("mmv1/products/compute/TargetHttpsProxy.yaml"),
    "gcp:compute/uRLMap:URLMap": compute("mmv1/products/compute/UrlMap.yaml"),
    "gcp:compute/globalNetworkEndpointGroup:GlobalNetworkEndpointGroup": compute("mmv1/products/compute/GlobalNetworkEndpointGroup.yaml"),
    "gcp:artifactregistry/repository:Repository": { property: "repositoryId", min: 1, max: 63, pattern: DNS_LABEL, allowed: RFC1035, source: "mmv1/products/artifactregistry/Repository.yaml (repository_id)" },
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": { unnamed: "a binding on its repository" },
    "gcp:storage/bucket:Bucket": { property: "name", autoNamed: true, min: 3, max: 63, pattern: /^[a-z0-9][a-z0-9_-]*[a-z0-9]$/, allowed: "lower-case letters, digits, hyphens and underscores; starts and ends with a letter or digit (dotted names aside)", source: "Cloud Storage bucket naming requirements (3-63 characters without dots)" },
    "gcp:storage/bucketIAMMember:BucketIAMMember": { unnamed: "a binding on its bucket" },
    "gcp:monitoring/dashboard:Dashboard": { unnamed: "named by Cloud Monitoring; displayName is free text" },
    "gcp:projects/iAMMember:IAMMember": { unnamed: "a binding on the project" },
    "gcp:redis/instance:Instance": { property: "name", min: 1, max: 40, pattern: DNS_LABEL, allowed: RFC1035, source: "mmv1/products/redis/Instance.yaml (^[a-z][a-z0-9-]{0,39}$)" },
    "gcp:sql/databaseInstance:DatabaseInstance": { property: "name", min: 1, max: 98, pattern: DNS_LABEL, allowed: RFC1035, source: "Cloud SQL instance IDs: lower-case letters, digits and hyphens, starting with a letter; project ID and instance ID together at most 98" },
    "gcp:sql/database:Database": { property: "name", min: 1, max: 63, pattern: /^[A-Za-z_][A-Za-z0-9_$]*$/, allowed: "a PostgreSQL identifier", source: "PostgreSQL identifiers (NAMEDATALEN 64)" },
    "gcp:sql/user:User": { property: "name", min: 1, max: 63, pattern: /^[A-Za-z_][A-Za-z0-9_$]*$/, allowed: "a PostgreSQL identifier", source: "PostgreSQL identifiers (NAMEDATALEN 64)" },
    "gcp:secretmanager/secret:Secret": { property: "secretId", min: 1, max: 255, pattern: /^[A-Za-z0-9_-]+$/, allowed: "letters, digits, hyphens and underscores", source: "mmv1/products/secretmanager/Secret.yaml (secretId)" },
    "gcp:secretmanager/secretVersion:SecretVersion": { unnamed: "a version of its secret" },
    "gcp:secretmanager/secretIamMember:SecretIamMember": { unnamed: "a binding on its secret" },
    "gcp:serviceaccount/account:Account": { property: "accountId", min: 6, max: 30, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])$/, allowed: `${RFC1035}; 6 to 30 characters`, source: "terraform google_service_account (validateRFC1035Name(6, 30))" },
    "gcp:projects/service:Service": { unnamed: "an API of the project" },
    "gcp:servicenetworking/connection:Connection": { unnamed: "a peering of the network" },
    "gcp:dns/recordSet:RecordSet": { unnamed: "the record name is the user's domain" },
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": { property: "bucketId", min: 1, max: 100, pattern: /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/, allowed: "letters, digits, _ - and .", source: "Cloud Logging buckets: bucket IDs up to 100 characters" },
    "gcp:logging/projectSink:ProjectSink": { property: "name", autoNamed: true, min: 1, max: 100, pattern: /^[A-Za-z0-9_.-]+$/, allowed: "letters, digits, _ - and .", source: "Cloud Logging sinks: sink IDs up to 100 characters" },
    "gcp:logging/projectExclusion:ProjectExclusion": { property: "name", autoNamed: true, min: 1, max: 100, pattern: /^[A-Za-z0-9_.-]+$/, allowed: "letters, digits, _ - and .", source: "Cloud Logging exclusions: names up to 100 characters" },
    "gcp:monitoring/alertPolicy:AlertPolicy": { unnamed: "named by Cloud Monitoring; displayName is free text" },
    "gcp:monitoring/notificationChannel:NotificationChannel": { unnamed: "named by Cloud Monitoring; displayName is free text" },
    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": { unnamed: "named by Cloud Monitoring; displayName is free text" },
};


// ---- Azure (azure-rest-api-specs; learn.microsoft.com "Naming rules and restrictions for Azure resources") ----
const AZ_GENERAL = /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const AZ_GENERAL_TEXT = "letters, digits, underscores, periods and hyphens; starts with a letter or digit, ends with a letter, digit or underscore";
const azNetwork = (property: string, max: number): NameRule => ({ property, min: 1, max, pattern: AZ_GENERAL, allowed: AZ_GENERAL_TEXT, source: "Microsoft.Network naming rules" });
const AZ_ALNUM_HYPHEN = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/;

const AZURE: Record<string, NameEntry> = {
    "azure-native:resources:ResourceGroup": { property: "resourceGroupName", min: 1, max: 90, pattern: /^[-\w.()]*[-\w()]$/, allowed: "letters, digits, _ - . ( ); not ending in a period", source: "Microsoft.Resources resourceGroups (90 characters)" },
    "azure-native:network:VirtualNetwork": { ...azNetwork("virtualNetworkName", 64), min: 2 },
    "azure-native:network:NetworkSecurityGroup": azNetwork("networkSecurityGroupName", 80),
    "azure-native:network:NatGateway": azNetwork("natGatewayName", 80),
    "azure-native:network:PublicIPAddress": azNetwork("publicIpAddressName", 80),
    "azure-native:network:PrivateEndpoint": { ...azNetwork("privateEndpointName", 64), min: 2 },
    "azure-native:network:PrivateDnsZoneGroup": azNetwork("privateDnsZoneGroupName", 80),
    "azure-native:privatedns:PrivateZone": { property: "privateZoneName", min: 1, max: 253, pattern: /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, allowed: "a DNS name of labels of at most 63 characters", source: "Microsoft.Network privateDnsZones (RFC 1035 labels)" },
    "azure-native:privatedns:VirtualNetworkLink": azNetwork("virtualNetworkLinkName", 80),
    "azure-native:operationalinsights:Workspace": { property: "workspaceName", min: 4, max: 63, pattern: AZ_ALNUM_HYPHEN, allowed: "letters, digits and hyphens; starts and ends with a letter or digit", source: "Microsoft.OperationalInsights workspaces (4-63)" },
    "azure-native:applicationinsights:Component": { property: "resourceName", min: 1, max: 255, pattern: /^[^%&\\?/]*[^%&\\?/.]$/, allowed: "anything but % & \\ ? / ; not ending in a period", source: "Microsoft.Insights components (255)" },
    "azure-native:keyvault:Vault": { property: "vaultName", min: 3, max: 24, pattern: /^[A-Za-z](?!.*--)[A-Za-z0-9-]*[A-Za-z0-9]$/, allowed: "letters, digits and hyphens; starts with a letter, ends with a letter or digit; no two hyphens in a row", source: "Microsoft.KeyVault vaults (3-24)" },
    "azure-native:keyvault:Secret": { property: "secretName", min: 1, max: 127, pattern: /^[A-Za-z0-9-]+$/, allowed: "letters, digits and hyphens", source: "Microsoft.KeyVault secrets (127)" },
    "azure-native:dbforpostgresql:Server": { property: "serverName", min: 3, max: 63, pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, allowed: "lower-case letters, digits and hyphens; no hyphen at either end", source: "Microsoft.DBforPostgreSQL flexibleServers (3-63)" },
    "azure-native:dbforpostgresql:Database": { property: "databaseName", min: 1, max: 63, pattern: /^[A-Za-z_][A-Za-z0-9_$]*$/, allowed: "a PostgreSQL identifier", source: "PostgreSQL identifiers (NAMEDATALEN 64)" },
    "azure-native:dbforpostgresql:Configuration": { unnamed: "a server parameter; its name is PostgreSQL's" },
    "azure-native:dbforpostgresql:FirewallRule": azNetwork("firewallRuleName", 128),
    "azure-native:redis:Redis": { property: "name", min: 1, max: 63, pattern: /^[A-Za-z0-9](?!.*--)[A-Za-z0-9-]*[A-Za-z0-9]$/, allowed: "letters, digits and hyphens; starts and ends with a letter or digit; no two hyphens in a row", source: "Microsoft.Cache redis (1-63)" },
    "azure-native:web:AppServicePlan": { property: "name", min: 1, max: 60, pattern: AZ_ALNUM_HYPHEN, allowed: "letters, digits and hyphens", source: "Microsoft.Web serverfarms (1-60)" },
    "azure-native:web:WebApp": { property: "name", min: 2, max: 60, pattern: AZ_ALNUM_HYPHEN, allowed: "letters, digits and hyphens; no hyphen at either end", source: "Microsoft.Web sites (2-60)" },
    "azure-native:web:WebAppSlot": { property: "slot", min: 2, max: 59, pattern: AZ_ALNUM_HYPHEN, allowed: "letters, digits and hyphens", source: "Microsoft.Web sites/slots (site and slot name together at most 59)" },
    "azure-native:web:WebAppFtpAllowed": { unnamed: "a setting of its web app" },
    "azure-native:web:WebAppFtpAllowedSlot": { unnamed: "a setting of its slot" },
    "azure-native:web:WebAppScmAllowed": { unnamed: "a setting of its web app" },
    "azure-native:web:WebAppScmAllowedSlot": { unnamed: "a setting of its slot" },
    "azure-native:app:ManagedEnvironment": { property: "environmentName", min: 2, max: 60, pattern: /^[a-z][a-z0-9-]*[a-z0-9]$/, allowed: "lower-case letters, digits and hyphens; starts with a letter, ends with a letter or digit", source: "Microsoft.App managedEnvironments (2-60)" },
    "azure-native:app:ContainerApp": { property: "containerAppName", min: 2, max: 32, pattern: /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/, allowed: "lower-case letters, digits and hyphens; starts with a letter, ends with a letter or digit; no two hyphens in a row", source: "Microsoft.App containerApps (2-32)" },
    "azure-native:app:Job": { property: "jobName", min: 2, max: 32, pattern: /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/, allowed: "lower-case letters, digits and hyphens; starts with a letter, ends with a letter or digit; no two hyphens in a row", source: "Microsoft.App jobs (2-32)" },
    "azure-native:managedidentity:UserAssignedIdentity": { property: "resourceName", min: 3, max: 128, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/, allowed: "letters, digits, hyphens and underscores; starts with a letter or digit", source: "Microsoft.ManagedIdentity userAssignedIdentities (3-128)" },
    "azure-native:authorization:RoleAssignment": { unnamed: "named by a GUID" },
    "azure-native:authorization:ManagementLockByScope": { property: "lockName", min: 1, max: 260, pattern: /^[^<>*%:?/\\+]+$/, allowed: "anything but < > * % : ? / \\ +", source: "Microsoft.Authorization locks (260)" },
    "azure-native:monitor:ActionGroup": { property: "groupShortName", min: 1, max: 12, pattern: /^[\x20-\x7e]+$/, allowed: "12 characters", source: "Microsoft.Insights actionGroups groupShortName (12)" },
    "azure-native:monitor:AutoscaleSetting": { property: "autoscaleSettingName", min: 1, max: 260, pattern: /^[^<>*%&:\\?+/#|]+$/, allowed: "anything but < > * % & : \\ ? + / # |", source: "Microsoft.Insights autoscalesettings (260)" },
    "azure-native:monitor:MetricAlert": { property: "ruleName", min: 1, max: 260, pattern: /^[^<>*%&:\\?+/#|]+$/, allowed: "anything but < > * % & : \\ ? + / # |", source: "Microsoft.Insights metricalerts (260)" },
    "azure-native:monitor:DiagnosticSetting": { property: "name", min: 1, max: 260, pattern: /^[^<>*%&:\\?+/#|]+$/, allowed: "anything but < > * % & : \\ ? + / # |", source: "Microsoft.Insights diagnosticSettings (260)" },
    "azure-native:cdn:Profile": { property: "profileName", min: 1, max: 260, pattern: /^[A-Za-z0-9]+(-*[A-Za-z0-9])*$/, allowed: "letters, digits and hyphens; starts and ends with a letter or digit", source: "Microsoft.Cdn profiles (1-260)" },
    "azure-native:cdn:AFDEndpoint": { property: "endpointName", min: 1, max: 46, pattern: /^[A-Za-z0-9]+(-*[A-Za-z0-9])*$/, allowed: "letters, digits and hyphens; starts and ends with a letter or digit", source: "Microsoft.Cdn profiles/afdEndpoints (1-46)" },
    "azure-native:cdn:AFDOriginGroup": { property: "originGroupName", min: 1, max: 50, pattern: /^[A-Za-z0-9]+(-*[A-Za-z0-9])*$/, allowed: "letters, digits and hyphens", source: "Microsoft.Cdn profiles/originGroups (1-50)" },
    "azure-native:cdn:AFDOrigin": { property: "originName", min: 1, max: 50, pattern: /^[A-Za-z0-9]+(-*[A-Za-z0-9])*$/, allowed: "letters, digits and hyphens", source: "Microsoft.Cdn profiles/originGroups/origins (1-50)" },
    "azure-native:cdn:AFDCustomDomain": { property: "customDomainName", min: 2, max: 260, pattern: /^[A-Za-z0-9]+(-*[A-Za-z0-9])*$/, allowed: "letters, digits and hyphens", source: "Microsoft.Cdn profiles/customDomains (2-260)" },
    "azure-native:cdn:Route": { property: "routeName", min: 1, max: 260, pattern: /^[A-Za-z0-9]+(-*[A-Za-z0-9])*$/, allowed: "letters, digits and hyphens", source: "Microsoft.Cdn profiles/afdEndpoints/routes" },
    "azure-native:cdn:RuleSet": { property: "ruleSetName", min: 1, max: 60, pattern: /^[A-Za-z][A-Za-z0-9]*$/, allowed: "letters and digits, starting with a letter", source: "Microsoft.Cdn profiles/ruleSets (1-60, ^[a-zA-Z][a-zA-Z0-9]*$)" },
    "azure-native:cdn:Rule": { property: "ruleName", min: 1, max: 260, pattern: /^[A-Za-z][A-Za-z0-9]*$/, allowed: "letters and digits, starting with a letter", source: "Microsoft.Cdn profiles/ruleSets/rules (^[a-zA-Z][a-zA-Z0-9]*$)" },
    "azure-native:cdn:SecurityPolicy": { property: "securityPolicyName", min: 1, max: 260, pattern: /^[A-Za-z0-9]+(-*[A-Za-z0-9])*$/, allowed: "letters, digits and hyphens", source: "Microsoft.Cdn profiles/securityPolicies" },
    "azure-native:frontdoor:Policy": { property: "policyName", min: 1, max: 128, pattern: /^[A-Za-z][A-Za-z0-9]*$/, allowed: "letters and digits, starting with a letter", source: "Microsoft.Network FrontDoorWebApplicationFirewallPolicies (128, ^[a-zA-Z][a-zA-Z0-9]*$)" },
    "azure-native:containerregistry:Registry": { property: "registryName", min: 5, max: 50, pattern: /^[A-Za-z0-9]+$/, allowed: "letters and digits", source: "Microsoft.ContainerRegistry registries (5-50, alphanumeric)" },
    "azure-native:storage:StorageAccount": { property: "accountName", min: 3, max: 24, pattern: /^[a-z0-9]+$/, allowed: "lower-case letters and digits", source: "Microsoft.Storage storageAccounts (3-24, lower-case letters and digits)" },
    "azure-native:storage:BlobContainer": { property: "containerName", min: 3, max: 63, pattern: /^[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$/, allowed: "lower-case letters, digits and hyphens; no two hyphens in a row", source: "Microsoft.Storage blobServices/containers (3-63)" },
    "azure-native:storage:BlobServiceProperties": { unnamed: "always 'default', a setting of its account" },
    "azure-native:storage:ManagementPolicy": { unnamed: "always 'default', a setting of its account" },
    "azure-native:portal:Dashboard": { property: "dashboardName", min: 3, max: 64, pattern: /^[A-Za-z0-9-]+$/, allowed: "letters, digits and hyphens", source: "Microsoft.Portal dashboards (name: 3-64, ^[a-zA-Z0-9-]{3,64}$)" },
    "azure-native:network:DnsRecordSet": { unnamed: "the record name is the user's domain" },
    "azure-native:dns:RecordSet": { unnamed: "the record name is the user's domain" },
};

// ---- Kubernetes (apimachinery validation) ----
const DNS1123_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const subdomain = (kind: string): NameRule => ({ property: "metadata.name", min: 1, max: 253, pattern: DNS1123_SUBDOMAIN, allowed: "a DNS-1123 subdomain", source: `Kubernetes ${kind}: metadata.name is a DNS-1123 subdomain (IsDNS1123Subdomain)` });
const label = (kind: string, max = 63): NameRule => ({ property: "metadata.name", min: 1, max, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, allowed: `a DNS-1123 label of at most ${max} characters`, source: `Kubernetes ${kind}: metadata.name is a DNS-1123 label (IsDNS1123Label)` });

const KUBERNETES: Record<string, NameEntry> = {
    "kubernetes:core/v1:Namespace": label("Namespace"),
    "kubernetes:core/v1:Service": { ...label("Service"), pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/, source: "Kubernetes Service: metadata.name is a DNS-1035 label (IsDNS1035Label)" },
    "kubernetes:core/v1:Secret": subdomain("Secret"),
    "kubernetes:core/v1:ConfigMap": subdomain("ConfigMap"),
    "kubernetes:core/v1:ServiceAccount": subdomain("ServiceAccount"),
    "kubernetes:core/v1:ResourceQuota": subdomain("ResourceQuota"),
    "kubernetes:apps/v1:Deployment": subdomain("Deployment"),
    // The controller adds the revision hash to a pod's name and label: 63 for the pod label.
    "kubernetes:apps/v1:StatefulSet": label("StatefulSet", 52),
    "kubernetes:batch/v1:Job": label("Job"),
    // A CronJob's Jobs are named "<name>-<11 characters>" (the controller's limit is 52).
    "kubernetes:batch/v1:CronJob": label("CronJob", 52),
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": subdomain("HorizontalPodAutoscaler"),
    "kubernetes:policy/v1:PodDisruptionBudget": subdomain("PodDisruptionBudget"),
    "kubernetes:networking.k8s.io/v1:Ingress": subdomain("Ingress"),
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": subdomain("NetworkPolicy"),
    "kubernetes:postgresql.cnpg.io/v1:Cluster": label("CloudNativePG Cluster (instance pods are <name>-<n>)", 50),
    "kubernetes:postgresql.cnpg.io/v1:Pooler": label("CloudNativePG Pooler"),
    "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup": subdomain("CloudNativePG ScheduledBackup"),
    "kubernetes:postgresql.cnpg.io/v1:Backup": subdomain("CloudNativePG Backup"),
    "kubernetes:monitoring.coreos.com/v1:PrometheusRule": subdomain("PrometheusRule"),
    "kubernetes:monitoring.coreos.com/v1:PodMonitor": subdomain("PodMonitor"),
    "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": subdomain("ServiceMonitor"),
};

const PROVIDER_INDEPENDENT: Record<string, NameEntry> = {
    "command:local:Command": { unnamed: "a command run where `pulumi up` runs" },
    "docker-build:index:Image": { unnamed: "an image; its tags are registry references" },
    "random:index/randomPassword:RandomPassword": { unnamed: "a generated value" },
    "random:index/randomId:RandomId": { unnamed: "a generated value" },
    "random:index/randomString:RandomString": { unnamed: "a generated value" },
    "pulumiservice:index:TtlSchedule": { unnamed: "a setting of the stack in Pulumi Cloud" },
};

export const NAME_RULES: Record<string, NameEntry> = { ...AWS, ...GCP, ...AZURE, ...KUBERNETES, ...PROVIDER_INDEPENDENT };

/**
 * Kubernetes label values: at most 63 characters, empty or starting and ending with a letter or
 * digit, with `-`, `_` and `.` between (apimachinery validation.IsValidLabelValue).
 */
export const LABEL_VALUE_RULE = { max: 63, pattern: /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, source: "Kubernetes label values (IsValidLabelValue)" };

/** Why `name` breaks `rule`, or undefined when it fits. */
export function nameProblem(rule: NameRule, name: string): string | undefined {
    if (name.length < rule.min || name.length > rule.max) return `${name.length} characters, allowed ${rule.min}-${rule.max}`;
    if (!rule.pattern.test(name)) return `allowed: ${rule.allowed}`;
    return undefined;
}
