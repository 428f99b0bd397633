import { freeLine, guarded, notPricedLine, pricedLine, range, unitPrice, type CostLine, type PlanResource, type RuleContext, type RuleSet } from "../model";
import { cpuQuantity, indexOfType, logVolumeLine, memoryGiB, num, ofType, registry } from "./common";

const FREE_LB_PART = "part of the load balancer, which is billed per forwarding rule and per GB processed";

export const GCP_RULES: RuleSet = {
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": { kind: "free", reason: "IAM bindings are free" },
    "gcp:projects/iAMMember:IAMMember": { kind: "free", reason: "IAM bindings are free" },
    "gcp:storage/bucket:Bucket": { kind: "not-priced", reason: "billed per GB-month stored (dual-region and turbo replication in production cost more per GB) and per operation; grows with the app's uploads" },
    "gcp:storage/bucketIAMMember:BucketIAMMember": { kind: "free", reason: "IAM bindings are free" },
    "gcp:cloudrunv2/service:Service": { kind: "priced", prices: ["gcp.run.instance.vcpu", "gcp.run.instance.memory"], estimate: runService },
    "gcp:cloudrunv2/job:Job": { kind: "priced", prices: ["gcp.run.instance.vcpu", "gcp.run.instance.memory"], estimate: runJob },
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": { kind: "free", reason: "IAM is free" },
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": {
        kind: "priced", prices: ["gcp.lb.rules", "gcp.lb.extraRule", "gcp.lb.data", "gcp.egress.gb"], estimate: forwardingRule,
    },
    "gcp:compute/globalAddress:GlobalAddress": {
        kind: "free",
        reason: "an external address in use by forwarding rules, or an internal range reserved for private services access: no charge",
    },
    "gcp:compute/backendService:BackendService": { kind: "free", reason: FREE_LB_PART },
    "gcp:compute/uRLMap:URLMap": { kind: "free", reason: FREE_LB_PART },
    "gcp:compute/targetHttpProxy:TargetHttpProxy": { kind: "free", reason: FREE_LB_PART },
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy": { kind: "free", reason: FREE_LB_PART },
    "gcp:compute/sSLPolicy:SSLPolicy": { kind: "free", reason: FREE_LB_PART },
    "gcp:compute/managedSslCertificate:ManagedSslCertificate": { kind: "free", reason: "Google-managed certificates are free" },
    "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup": { kind: "free", reason: FREE_LB_PART },
    "gcp:compute/securityPolicy:SecurityPolicy": { kind: "priced", prices: ["gcp.armor.policy", "gcp.armor.rule", "gcp.armor.requests"], estimate: armorPolicy },
    "gcp:compute/network:Network": { kind: "free", reason: "VPC networks and subnets are free; Cloud Run's direct VPC egress adds no charge of its own" },
    "gcp:compute/subnetwork:Subnetwork": { kind: "free", reason: "VPC networks and subnets are free" },
    "gcp:servicenetworking/connection:Connection": { kind: "free", reason: "private services access peering is free" },
    "gcp:sql/databaseInstance:DatabaseInstance": { kind: "priced", prices: ["gcp.sql.vcpu", "gcp.sql.memory", "gcp.sql.ssd", "gcp.sql.backup"], estimate: sqlInstance },
    "gcp:sql/database:Database": { kind: "free", reason: "a database inside the Cloud SQL instance" },
    "gcp:sql/user:User": { kind: "free", reason: "a user inside the Cloud SQL instance" },
    "gcp:redis/instance:Instance": { kind: "priced", prices: ["gcp.redis.gbHour"], estimate: redisInstance },
    "gcp:secretmanager/secret:Secret": { kind: "free", reason: "Secret Manager bills active versions and accesses (priced on the secret versions)" },
    "gcp:secretmanager/secretVersion:SecretVersion": { kind: "priced", prices: ["gcp.secret.version", "gcp.secret.access"], estimate: secretVersion },
    "gcp:secretmanager/secretIamMember:SecretIamMember": { kind: "free", reason: "IAM is free" },
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": { kind: "priced", prices: ["gcp.logging.ingest", "gcp.logging.retention"], estimate: logBucket },
    "gcp:logging/projectSink:ProjectSink": { kind: "free", reason: "routing logs is free; the bucket's ingestion is priced" },
    "gcp:logging/projectExclusion:ProjectExclusion": { kind: "free", reason: "exclusions are free (and keep the same logs from being ingested twice)" },
    "gcp:monitoring/alertPolicy:AlertPolicy": { kind: "priced", prices: ["gcp.monitoring.condition"], estimate: alertPolicy },
    "gcp:monitoring/notificationChannel:NotificationChannel": { kind: "free", reason: "notification channels are free" },
    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": { kind: "priced", prices: ["gcp.monitoring.uptime"], estimate: uptimeCheck },
    "gcp:artifactregistry/repository:Repository": { kind: "priced", prices: ["gcp.artifactregistry.storage"], estimate: registry("gcp.artifactregistry.storage") },
    "gcp:monitoring/dashboard:Dashboard": { kind: "free", reason: "Cloud Monitoring dashboards are free" },
    "gcp:projects/service:Service": { kind: "free", reason: "enabling an API is free" },
    "gcp:serviceaccount/account:Account": { kind: "free", reason: "service accounts are free" },
    "gcp:dns/recordSet:RecordSet": {
        kind: "free",
        reason: "records in an existing managed zone cost nothing extra (the zone's $0.20/month belongs to its owner; queries $0.40 per million)",
    },
};

function container(resource: PlanResource): { vcpu: number; memoryGiB: number } {
    const template = resource.type === "gcp:cloudrunv2/job:Job" ? resource.inputs.template?.template : resource.inputs.template;
    const limits = template?.containers?.[0]?.resources?.limits ?? {};
    // Cloud Run's defaults when no limit is set: 1 vCPU and 512 MiB.
    return { vcpu: limits.cpu === undefined ? 1 : cpuQuantity(limits.cpu), memoryGiB: limits.memory === undefined ? 0.5 : memoryGiB(limits.memory) };
}

function perSecond(ctx: RuleContext, size: { vcpu: number; memoryGiB: number }): number {
    return size.vcpu * unitPrice(ctx, "gcp.run.instance.vcpu") + size.memoryGiB * unitPrice(ctx, "gcp.run.instance.memory");
}

function runService(service: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(service, () => {
        const resources = service.inputs.template?.containers?.[0]?.resources ?? {};
        const size = container(service);
        const min = num(service.inputs.template?.scaling?.minInstanceCount, 0);
        const max = num(service.inputs.template?.scaling?.maxInstanceCount, 100);
        if (resources.cpuIdle !== false) {
            return [notPricedLine(service, `${size.vcpu} vCPU / ${size.memoryGiB} GiB x ${range(min, max)} instances`,
                "request-based billing charges only while requests are processed; the busy time is not modelled")];
        }
        const perInstance = perSecond(ctx, size) * 3600 * ctx.hours;
        return [pricedLine(ctx, service, `${size.vcpu} vCPU / ${size.memoryGiB} GiB, instance-based billing x ${range(min, max)} instances`,
            perInstance * min, perInstance * max, ["gcp.run.instance.vcpu", "gcp.run.instance.memory"])];
    });
}

function runJob(job: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(job, () => {
        const size = container(job);
        const { migrationRunsPerMonth: runs, migrationMinutesPerRun: minutes } = ctx.assumptions;
        const tasks = num(job.inputs.template?.taskCount, 1);
        const monthly = perSecond(ctx, size) * 60 * minutes * runs * tasks;
        return [pricedLine(ctx, job, `job: ${size.vcpu} vCPU / ${size.memoryGiB} GiB x ${runs} runs x ${minutes} min`,
            monthly, monthly, ["gcp.run.instance.vcpu", "gcp.run.instance.memory"], ["migrationRunsPerMonth", "migrationMinutesPerRun"])];
    });
}

/**
 * The project's first five forwarding rules share one hourly price, each further rule has its own;
 * the load balancer's data processing and the internet egress go on the first rule.
 */
function forwardingRule(rule: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(rule, () => {
        const index = indexOfType(ctx, rule);
        if (index >= 5) {
            const monthly = unitPrice(ctx, "gcp.lb.extraRule") * ctx.hours;
            return [pricedLine(ctx, rule, "forwarding rule beyond the first five", monthly, monthly, ["gcp.lb.extraRule"])];
        }
        if (index > 0) return [freeLine(rule, "covered by the hourly price of the project's first five forwarding rules (on the first rule)")];
        const rules = Math.min(5, ofType(ctx, rule.type).length);
        const hourly = unitPrice(ctx, "gcp.lb.rules") * ctx.hours;
        const gb = ctx.assumptions.egressGbPerMonth;
        const data = gb * unitPrice(ctx, "gcp.lb.data");
        const egress = gb * unitPrice(ctx, "gcp.egress.gb");
        return [
            pricedLine(ctx, rule, `load balancer: first ${rules} forwarding rule${rules === 1 ? "" : "s"}`, hourly, hourly, ["gcp.lb.rules"]),
            pricedLine(ctx, rule, `load balancer data processing ${gb} GB`, data, data, ["gcp.lb.data"], ["egressGbPerMonth"]),
            pricedLine(ctx, rule, `internet egress ${gb} GB (Premium Tier)`, egress, egress, ["gcp.egress.gb"], ["egressGbPerMonth"]),
        ];
    });
}

function armorPolicy(policy: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(policy, () => {
        const rules = Array.isArray(policy.inputs.rules) ? policy.inputs.rules.length : 1;
        const requests = ctx.assumptions.requestsPerMonth;
        const monthly = unitPrice(ctx, "gcp.armor.policy") + rules * unitPrice(ctx, "gcp.armor.rule") + requests / 1e6 * unitPrice(ctx, "gcp.armor.requests");
        return [pricedLine(ctx, policy, `Cloud Armor policy + ${rules} rules + ${requests / 1e6}M requests`, monthly, monthly,
            ["gcp.armor.policy", "gcp.armor.rule", "gcp.armor.requests"], ["requestsPerMonth"])];
    });
}

function sqlInstance(db: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(db, () => {
        const settings = db.inputs.settings ?? {};
        const tier = String(settings.tier ?? "");
        const custom = /^db-custom-(\d+)-(\d+)$/.exec(tier);
        if (!custom || (settings.edition && settings.edition !== "ENTERPRISE")) {
            return [notPricedLine(db, `Cloud SQL ${tier} (${settings.edition ?? "ENTERPRISE"})`,
                `only Enterprise edition db-custom-<vCPUs>-<MiB> tiers are in the price table, not ${tier}`)];
        }
        const vcpus = Number(custom[1]);
        const memoryGb = Number(custom[2]) / 1024;
        const ha = settings.availabilityType === "REGIONAL";
        const copies = ha ? 2 : 1;
        const compute = (vcpus * unitPrice(ctx, "gcp.sql.vcpu") + memoryGb * unitPrice(ctx, "gcp.sql.memory")) * copies * ctx.hours;
        const disk = num(settings.diskSize, 10);
        const limit = num(settings.diskAutoresizeLimit, 0);
        // diskAutoresizeLimit 0 means no limit: the range then stops at the initial size.
        const maxDisk = settings.diskAutoresize === false || limit === 0 ? disk : Math.max(disk, limit);
        const gb = unitPrice(ctx, "gcp.sql.ssd") * copies;
        const role = db.inputs.masterInstanceName ? "read replica" : ha ? "regional HA (primary + standby)" : "zonal";
        const lines = [
            pricedLine(ctx, db, `${tier} (${vcpus} vCPU / ${memoryGb} GB) ${role}`, compute, compute, ["gcp.sql.vcpu", "gcp.sql.memory"]),
            pricedLine(ctx, db, `SSD ${range(disk, maxDisk)} GB${ha ? " x 2 (HA)" : ""} (autoresize range)`, disk * gb, maxDisk * gb, ["gcp.sql.ssd"]),
        ];
        if (settings.backupConfiguration?.enabled) {
            const backupGb = ctx.assumptions.backupStorageGbBeyondFree;
            const backup = backupGb * unitPrice(ctx, "gcp.sql.backup");
            lines.push(pricedLine(ctx, db, `backup storage ${backupGb} GB`, backup, backup, ["gcp.sql.backup"], ["backupStorageGbBeyondFree"]));
        }
        return lines;
    });
}

/** Memorystore's capacity bands: the GB price falls as the provisioned size grows. */
export function redisBand(gb: number): string {
    if (gb <= 4) return "M1";
    if (gb <= 10) return "M2";
    if (gb <= 35) return "M3";
    if (gb <= 100) return "M4";
    return "M5";
}

function redisInstance(redis: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(redis, () => {
        const gb = num(redis.inputs.memorySizeGb, 1);
        const tier = String(redis.inputs.tier ?? "BASIC");
        const band = redisBand(gb);
        const monthly = gb * unitPrice(ctx, "gcp.redis.gbHour", `${tier}/${band}`) * ctx.hours;
        return [pricedLine(ctx, redis, `${tier} ${gb} GB (${band})`, monthly, monthly, ["gcp.redis.gbHour"])];
    });
}

function secretVersion(version: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(version, () => {
        const versions = ofType(ctx, version.type).length;
        const reads = ctx.assumptions.secretReadsPerMonth / versions;
        const monthly = unitPrice(ctx, "gcp.secret.version") + reads / 10_000 * unitPrice(ctx, "gcp.secret.access");
        return [pricedLine(ctx, version, `active version + ${Math.round(reads)} accesses (1/${versions} of secretReadsPerMonth)`,
            monthly, monthly, ["gcp.secret.version", "gcp.secret.access"], ["secretReadsPerMonth"])];
    });
}

function logBucket(bucket: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(bucket, () => {
        const prices = { ingest: "gcp.logging.ingest", retention: "gcp.logging.retention" };
        return [logVolumeLine(ctx, bucket, prices, num(bucket.inputs.retentionDays, 30), 30, "GiB")];
    });
}

function alertPolicy(policy: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(policy, () => {
        const conditions = Array.isArray(policy.inputs.conditions) ? policy.inputs.conditions.length : 1;
        const monthly = conditions * unitPrice(ctx, "gcp.monitoring.condition");
        return [pricedLine(ctx, policy, `${conditions} alerting condition${conditions === 1 ? "" : "s"}`, monthly, monthly, ["gcp.monitoring.condition"])];
    });
}

/** Uptime checks: the project's first million executions a month are free, which one check stays under. */
function uptimeCheck(check: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(check, () => {
        const period = num(/^(\d+)s$/.exec(String(check.inputs.period ?? "60s"))?.[1], 60);
        // Without selectedRegions a check runs from every checker region (six).
        const regions = Array.isArray(check.inputs.selectedRegions) && check.inputs.selectedRegions.length > 0 ? check.inputs.selectedRegions.length : 6;
        const executions = ofType(ctx, check.type).length * regions * ctx.hours * 3600 / period;
        const billable = Math.max(0, executions - 1_000_000) / ofType(ctx, check.type).length;
        const monthly = billable / 1000 * unitPrice(ctx, "gcp.monitoring.uptime");
        return [pricedLine(ctx, check, `${Math.round(executions)} executions/month from ${regions} regions (first 1 million per project free)`,
            monthly, monthly, ["gcp.monitoring.uptime"])];
    });
}
