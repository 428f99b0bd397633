import { freeLine, guarded, notPricedLine, pricedLine, range, unitPrice, type CostLine, type PlanResource, type RuleContext, type RuleSet } from "../model";
import { flatRate, indexOfType, num, ofType, registry } from "./common";

/** vCPUs of the RDS classes RDS Proxy may sit in front of (RDS Proxy bills per vCPU of the instance). */
const RDS_VCPUS: Record<string, number> = {
    "db.t4g.micro": 2, "db.t4g.small": 2, "db.t4g.medium": 2, "db.t4g.large": 2,
    "db.r7g.large": 2, "db.r7g.xlarge": 4, "db.r7g.2xlarge": 8, "db.r7g.4xlarge": 16,
    "db.m7g.large": 2, "db.m7g.xlarge": 4, "db.m7g.2xlarge": 8,
};

const FREE_NETWORK = "VPC networking objects carry no charge (NAT gateways, public IPs and data transfer are priced on their own lines)";

export const AWS_RULES: RuleSet = {
    "aws:amp/workspace:Workspace": { kind: "not-priced", reason: "Amazon Managed Service for Prometheus bills per million samples ingested ($0.90 for the first 2 billion) and per GB stored; depends on the app's metric count and scrape interval" },
    "aws:kms/key:Key": { kind: "not-priced", reason: "$1 per customer-managed key per month plus $0.03 per 10,000 requests (AWS KMS pricing); the key encrypts the replicated backups only" },
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": { kind: "not-priced", reason: "billed per GB of backup stored in the second region and per GB transferred there; grows with the database" },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { kind: "free", reason: "bucket configuration is free" },
    "aws:s3/bucketVersioning:BucketVersioning": { kind: "free", reason: "bucket configuration is free (old versions are stored, bounded by the lifecycle rule)" },
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": { kind: "not-priced", reason: "replication transfers each new object to the second region, billed per GB (plus Replication Time Control per GB)" },
    "aws:ecs/service:Service": { kind: "priced", prices: ["aws.fargate.vcpu", "aws.fargate.memory"], estimate: fargateService },
    "aws:ecs/taskDefinition:TaskDefinition": { kind: "priced", prices: ["aws.fargate.vcpu", "aws.fargate.memory"], estimate: oneOffTask },
    "aws:ecs/cluster:Cluster": { kind: "priced", prices: [], estimate: ecsCluster },
    "aws:appautoscaling/target:Target": { kind: "free", reason: "Application Auto Scaling is free; its range sets the ECS services' min/max" },
    "aws:appautoscaling/policy:Policy": { kind: "free", reason: "Application Auto Scaling is free" },
    "aws:lb/loadBalancer:LoadBalancer": { kind: "priced", prices: ["aws.alb.hour", "aws.alb.lcu", "aws.publicIpv4.hour", "aws.egress.gb"], estimate: loadBalancer },
    "aws:lb/listener:Listener": { kind: "free", reason: "listeners are part of the load balancer's hourly and LCU price" },
    "aws:lb/targetGroup:TargetGroup": { kind: "free", reason: "target groups are part of the load balancer's price" },
    "aws:ec2/natGateway:NatGateway": { kind: "priced", prices: ["aws.nat.hour", "aws.nat.gb"], estimate: natGateway },
    "aws:ec2/eip:Eip": { kind: "priced", prices: ["aws.publicIpv4.hour"], estimate: flatRate("aws.publicIpv4.hour", "hour", "public IPv4 address") },
    "aws:ec2/vpc:Vpc": { kind: "free", reason: FREE_NETWORK },
    "aws:ec2/subnet:Subnet": { kind: "free", reason: FREE_NETWORK },
    "aws:ec2/internetGateway:InternetGateway": { kind: "free", reason: FREE_NETWORK },
    "aws:ec2/routeTable:RouteTable": { kind: "free", reason: FREE_NETWORK },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": { kind: "free", reason: FREE_NETWORK },
    "aws:ec2/securityGroup:SecurityGroup": { kind: "free", reason: FREE_NETWORK },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { kind: "free", reason: FREE_NETWORK },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { kind: "free", reason: FREE_NETWORK },
    "aws:rds/instance:Instance": { kind: "priced", prices: ["aws.rds.postgres.instance", "aws.rds.gp3", "aws.rds.backup"], estimate: rdsInstance },
    "aws:rds/parameterGroup:ParameterGroup": { kind: "free", reason: "parameter groups are free" },
    "aws:rds/subnetGroup:SubnetGroup": { kind: "free", reason: "subnet groups are free" },
    "aws:rds/proxy:Proxy": { kind: "priced", prices: ["aws.rds.proxy.vcpu"], estimate: rdsProxy },
    "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": { kind: "free", reason: "part of the RDS Proxy's price" },
    "aws:rds/proxyTarget:ProxyTarget": { kind: "free", reason: "part of the RDS Proxy's price" },
    "aws:elasticache/replicationGroup:ReplicationGroup": { kind: "priced", prices: ["aws.elasticache.node"], estimate: replicationGroup },
    "aws:elasticache/subnetGroup:SubnetGroup": { kind: "free", reason: "subnet groups are free" },
    "aws:cloudwatch/logGroup:LogGroup": { kind: "priced", prices: ["aws.logs.ingest", "aws.logs.store"], estimate: logGroup },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { kind: "priced", prices: ["aws.cloudwatch.alarm"], estimate: metricAlarm },
    "aws:secretsmanager/secret:Secret": { kind: "priced", prices: ["aws.secretsmanager.secret", "aws.secretsmanager.calls"], estimate: secret },
    "aws:secretsmanager/secretVersion:SecretVersion": { kind: "free", reason: "versions are included in the secret's monthly price" },
    "aws:sns/topic:Topic": {
        kind: "not-priced",
        reason: "billed per publish ($0.50 per million) and per e-mail ($2 per 100,000 beyond 1,000 free); alarm notifications stay within cents",
    },
    "aws:sns/topicSubscription:TopicSubscription": { kind: "free", reason: "subscriptions are free; deliveries are the topic's" },
    "aws:wafv2/webAcl:WebAcl": { kind: "priced", prices: ["aws.waf.acl", "aws.waf.rule", "aws.waf.requests"], estimate: webAcl },
    "aws:wafv2/webAclAssociation:WebAclAssociation": { kind: "free", reason: "associations are free" },
    "aws:s3/bucket:Bucket": { kind: "priced", prices: ["aws.s3.standard"], estimate: accessLogBucket },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { kind: "free", reason: "bucket configuration is free (its expiry bounds the bucket's storage)" },
    "aws:s3/bucketPolicy:BucketPolicy": { kind: "free", reason: "bucket configuration is free" },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { kind: "free", reason: "bucket configuration is free" },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { kind: "free", reason: "SSE-S3 encryption is free" },
    "aws:route53/record:Record": {
        kind: "free",
        reason: "records in an existing hosted zone cost nothing extra (the zone's $0.50/month belongs to its owner); alias queries to an ALB are free",
    },
    "aws:acm/certificate:Certificate": { kind: "free", reason: "public ACM certificates are free" },
    "aws:acm/certificateValidation:CertificateValidation": { kind: "free", reason: "a waiter, not a resource" },
    "aws:ecr/repository:Repository": { kind: "priced", prices: ["aws.ecr.storage"], estimate: registry("aws.ecr.storage") },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": { kind: "free", reason: "repository configuration is free (its expiry bounds the stored images)" },
    "aws:ecr/repositoryPolicy:RepositoryPolicy": { kind: "free", reason: "repository configuration is free" },
    "aws:cloudwatch/dashboard:Dashboard": { kind: "priced", prices: ["aws.cloudwatch.dashboard"], estimate: flatRate("aws.cloudwatch.dashboard", "month", "CloudWatch dashboard (the account's first 3 free, not deducted)") },
    "aws:iam/role:Role": { kind: "free", reason: "IAM is free" },
    "aws:iam/rolePolicy:RolePolicy": { kind: "free", reason: "IAM is free" },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { kind: "free", reason: "IAM is free" },
};

// ---- compute ----

interface TaskSize { vcpu: number; memoryGb: number; arch: string }

function taskSize(task: PlanResource): TaskSize {
    return {
        vcpu: num(task.inputs.cpu, 0) / 1024,
        memoryGb: num(task.inputs.memory, 0) / 1024,
        arch: task.inputs.runtimePlatform?.cpuArchitecture ?? "X86_64",
    };
}

function taskHourly(ctx: RuleContext, size: TaskSize): number {
    return size.vcpu * unitPrice(ctx, "aws.fargate.vcpu", size.arch) + size.memoryGb * unitPrice(ctx, "aws.fargate.memory", size.arch);
}

/** The task definition a service runs: its `taskDefinition` ARN names the family. */
function taskOf(ctx: RuleContext, service: PlanResource): PlanResource | undefined {
    const reference = String(service.inputs.taskDefinition ?? "");
    const family = /task-definition\/([^:]+)/.exec(reference)?.[1] ?? reference;
    return ofType(ctx, "aws:ecs/taskDefinition:TaskDefinition").find((task) => task.inputs.family === family || task.name === family);
}

/** The service's task count range: its Application Auto Scaling target, else desiredCount. */
export function ecsServiceRange(ctx: RuleContext, service: PlanResource): { min: number; max: number } {
    const serviceName = String(service.inputs.name ?? service.name);
    const target = ofType(ctx, "aws:appautoscaling/target:Target")
        .find((t) => typeof t.inputs.resourceId === "string" && t.inputs.resourceId.split("/").pop() === serviceName);
    if (target) return { min: num(target.inputs.minCapacity, 0), max: num(target.inputs.maxCapacity, 0) };
    const desired = num(service.inputs.desiredCount, 1);
    return { min: desired, max: desired };
}

function fargateService(service: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(service, () => {
        const task = taskOf(ctx, service);
        if (!task) return [notPricedLine(service, "Fargate service", `its task definition (${service.inputs.taskDefinition}) is not in the plan`)];
        const size = taskSize(task);
        const { min, max } = ecsServiceRange(ctx, service);
        const perTask = taskHourly(ctx, size) * ctx.hours;
        return [pricedLine(ctx, service, `${size.vcpu} vCPU / ${size.memoryGb} GB Fargate ${size.arch} x ${range(min, max)} tasks`,
            perTask * min, perTask * max, ["aws.fargate.vcpu", "aws.fargate.memory"])];
    });
}

/** A task definition no service runs (the migrations): runs x minutes from the assumptions. */
function oneOffTask(task: PlanResource, ctx: RuleContext): CostLine[] {
    const family = String(task.inputs.family ?? task.name);
    const runBy = ofType(ctx, "aws:ecs/service:Service").find((service) => taskOf(ctx, service) === task);
    if (runBy) return [freeLine(task, `priced on the ECS service ${runBy.name} that runs it`)];
    return guarded(task, () => {
        const size = taskSize(task);
        const { migrationRunsPerMonth: runs, migrationMinutesPerRun: minutes } = ctx.assumptions;
        const monthly = taskHourly(ctx, size) * (runs * minutes) / 60;
        return [pricedLine(ctx, task, `one-off task ${family}: ${size.vcpu} vCPU / ${size.memoryGb} GB x ${runs} runs x ${minutes} min`,
            monthly, monthly, ["aws.fargate.vcpu", "aws.fargate.memory"], ["migrationRunsPerMonth", "migrationMinutesPerRun"])];
    });
}

function ecsCluster(cluster: PlanResource): CostLine[] {
    const insights = (cluster.inputs.settings as { name: string; value: string }[] | undefined)?.find((s) => s.name === "containerInsights")?.value;
    if (!insights || insights === "disabled") return [freeLine(cluster, "ECS clusters are free; Fargate tasks are priced on the services")];
    return [notPricedLine(cluster, `Container Insights (${insights})`,
        "Container Insights is billed as CloudWatch metrics/observations per task and container; depends on task count, not estimated (https://aws.amazon.com/cloudwatch/pricing/)")];
}

// ---- edge and network ----

function loadBalancer(lb: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(lb, () => {
        const lcu = ctx.assumptions.albLcuAverage;
        const hourly = unitPrice(ctx, "aws.alb.hour") + lcu * unitPrice(ctx, "aws.alb.lcu");
        const lines = [pricedLine(ctx, lb, `ALB: hours + ${lcu} LCU average`, hourly * ctx.hours, hourly * ctx.hours, ["aws.alb.hour", "aws.alb.lcu"], ["albLcuAverage"])];
        if (lb.inputs.internal !== true) {
            // An internet-facing ALB holds one public IPv4 address per subnet (availability zone).
            const ips = Array.isArray(lb.inputs.subnets) ? lb.inputs.subnets.length : 1;
            const ipMonthly = ips * unitPrice(ctx, "aws.publicIpv4.hour") * ctx.hours;
            lines.push(pricedLine(ctx, lb, `${ips} public IPv4 addresses (one per zone)`, ipMonthly, ipMonthly, ["aws.publicIpv4.hour"]));
            const egress = ctx.assumptions.egressGbPerMonth;
            const egressMonthly = egress * unitPrice(ctx, "aws.egress.gb");
            lines.push(pricedLine(ctx, lb, `internet egress ${egress} GB`, egressMonthly, egressMonthly, ["aws.egress.gb"], ["egressGbPerMonth"]));
        }
        return lines;
    });
}

function natGateway(nat: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(nat, () => {
        const gateways = ofType(ctx, nat.type).length;
        // The services' outbound traffic is spread over the gateways (one per zone).
        const gb = ctx.assumptions.natProcessedGbPerMonth / gateways;
        const monthly = unitPrice(ctx, "aws.nat.hour") * ctx.hours + gb * unitPrice(ctx, "aws.nat.gb");
        return [pricedLine(ctx, nat, `NAT gateway: hours + ${round1(gb)} GB processed (1/${gateways} of natProcessedGbPerMonth)`,
            monthly, monthly, ["aws.nat.hour", "aws.nat.gb"], ["natProcessedGbPerMonth"])];
    });
}


// ---- data ----

function rdsInstance(db: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(db, () => {
        const instanceClass = String(db.inputs.instanceClass);
        const multiAz = db.inputs.multiAz === true;
        const copies = multiAz ? 2 : 1;
        // A read replica's storage follows its source's allocation.
        const source = db.inputs.replicateSourceDb
            ? ofType(ctx, db.type).find((r) => r.name === db.inputs.replicateSourceDb || r.inputs.identifier === db.inputs.replicateSourceDb)
            : undefined;
        const storage = num(db.inputs.allocatedStorage ?? source?.inputs.allocatedStorage, 0);
        const maxStorage = Math.max(storage, num(db.inputs.maxAllocatedStorage ?? source?.inputs.maxAllocatedStorage, storage));
        const compute = unitPrice(ctx, "aws.rds.postgres.instance", instanceClass) * copies * ctx.hours;
        const gb = unitPrice(ctx, "aws.rds.gp3") * copies;
        const role = db.inputs.replicateSourceDb ? "read replica" : multiAz ? "Multi-AZ (primary + standby)" : "Single-AZ";
        const lines = [
            pricedLine(ctx, db, `${instanceClass} ${role}`, compute, compute, ["aws.rds.postgres.instance"]),
            pricedLine(ctx, db, `gp3 storage ${range(storage, maxStorage)} GB${multiAz ? " x 2 (Multi-AZ)" : ""} (storage autoscaling range)`,
                storage * gb, maxStorage * gb, ["aws.rds.gp3"]),
        ];
        const backupGb = ctx.assumptions.backupStorageGbBeyondFree;
        if (!db.inputs.replicateSourceDb && num(db.inputs.backupRetentionPeriod, 0) > 0) {
            const backup = backupGb * unitPrice(ctx, "aws.rds.backup");
            lines.push(pricedLine(ctx, db, `backup storage beyond the free 100%: ${backupGb} GB`, backup, backup, ["aws.rds.backup"], ["backupStorageGbBeyondFree"]));
        }
        return lines;
    });
}

function rdsProxy(proxy: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(proxy, () => {
        const primary = ofType(ctx, "aws:rds/instance:Instance").find((db) => !db.inputs.replicateSourceDb);
        const instanceClass = String(primary?.inputs.instanceClass ?? "");
        const vcpus = RDS_VCPUS[instanceClass];
        if (vcpus === undefined) return [notPricedLine(proxy, "RDS Proxy", `vCPUs of ${instanceClass || "the database"} are not in the table`)];
        const monthly = Math.max(2, vcpus) * unitPrice(ctx, "aws.rds.proxy.vcpu") * ctx.hours;
        return [pricedLine(ctx, proxy, `RDS Proxy over ${vcpus} vCPU (${instanceClass})`, monthly, monthly, ["aws.rds.proxy.vcpu"])];
    });
}

function replicationGroup(group: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(group, () => {
        const nodeType = String(group.inputs.nodeType);
        const nodes = group.inputs.numNodeGroups !== undefined
            ? num(group.inputs.numNodeGroups, 1) * (num(group.inputs.replicasPerNodeGroup, 0) + 1)
            : num(group.inputs.numCacheClusters, 1);
        const monthly = unitPrice(ctx, "aws.elasticache.node", nodeType) * nodes * ctx.hours;
        return [pricedLine(ctx, group, `${nodeType} x ${nodes} node${nodes === 1 ? "" : "s"}${nodes > 1 ? " (primary + replicas)" : ""}`,
            monthly, monthly, ["aws.elasticache.node"])];
    });
}

// ---- operations ----

function logGroup(group: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(group, () => {
        const groups = ofType(ctx, group.type).length;
        const gb = ctx.assumptions.logGbPerMonth / groups;
        const retention = num(group.inputs.retentionInDays, 0);
        // Steady state: each month's logs stay for `retention` days (never-expire counted as one year).
        const storedGb = gb * (retention > 0 ? retention : 365) / 30;
        const monthly = gb * unitPrice(ctx, "aws.logs.ingest") + storedGb * unitPrice(ctx, "aws.logs.store");
        return [pricedLine(ctx, group, `logs ${round1(gb)} GB/month (1/${groups} of logGbPerMonth), kept ${retention || "forever"} days`,
            monthly, monthly, ["aws.logs.ingest", "aws.logs.store"], ["logGbPerMonth"])];
    });
}

function metricAlarm(alarm: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(alarm, () => {
        // Metric-math alarms are billed per metric they read.
        const queries = Array.isArray(alarm.inputs.metricQueries) ? alarm.inputs.metricQueries.filter((q: { metric?: unknown }) => q.metric).length : 0;
        const metrics = Math.max(1, queries);
        const monthly = metrics * unitPrice(ctx, "aws.cloudwatch.alarm");
        return [pricedLine(ctx, alarm, `alarm on ${metrics} metric${metrics === 1 ? "" : "s"}`, monthly, monthly, ["aws.cloudwatch.alarm"])];
    });
}

function secret(resource: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(resource, () => {
        const secrets = ofType(ctx, resource.type).length;
        const calls = ctx.assumptions.secretReadsPerMonth / secrets;
        const monthly = unitPrice(ctx, "aws.secretsmanager.secret") + calls / 10_000 * unitPrice(ctx, "aws.secretsmanager.calls");
        return [pricedLine(ctx, resource, `secret + ${Math.round(calls)} reads (1/${secrets} of secretReadsPerMonth)`,
            monthly, monthly, ["aws.secretsmanager.secret", "aws.secretsmanager.calls"], ["secretReadsPerMonth"])];
    });
}

function webAcl(acl: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(acl, () => {
        const rules = Array.isArray(acl.inputs.rules) ? acl.inputs.rules.length : 0;
        const requests = ctx.assumptions.requestsPerMonth;
        const monthly = unitPrice(ctx, "aws.waf.acl") + rules * unitPrice(ctx, "aws.waf.rule") + requests / 1e6 * unitPrice(ctx, "aws.waf.requests");
        return [pricedLine(ctx, acl, `web ACL + ${rules} rules + ${requests / 1e6}M requests`, monthly, monthly,
            ["aws.waf.acl", "aws.waf.rule", "aws.waf.requests"], ["requestsPerMonth"])];
    });
}

function accessLogBucket(bucket: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(bucket, () => {
        if (indexOfType(ctx, bucket) > 0) return [freeLine(bucket, "the access-log volume is counted on the first bucket")];
        const lifecycle = ofType(ctx, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((l) => l.name === bucket.name);
        const expiry = num(lifecycle?.inputs.rules?.[0]?.expiration?.days, 365);
        const gb = ctx.assumptions.accessLogGbPerMonth;
        const storedGb = gb * expiry / 30;
        const monthly = storedGb * unitPrice(ctx, "aws.s3.standard");
        return [pricedLine(ctx, bucket, `access logs ${gb} GB/month kept ${expiry} days (${round1(storedGb)} GB stored)`,
            monthly, monthly, ["aws.s3.standard"], ["accessLogGbPerMonth"])];
    });
}

function round1(value: number): number {
    return Math.round(value * 10) / 10;
}

