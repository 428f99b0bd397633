import { freeLine, guarded, notPricedLine, pricedLine, range, unitPrice, type CostLine, type PlanResource, type RuleContext, type RuleSet } from "../model";
import { flatRate, indexOfType, logVolumeLine, memoryGiB, num, ofType } from "./common";

const FREE_ON_PLAN = "runs on the App Service plan's instances (priced on the plan)";
const FREE_IN_FRONT_DOOR = "part of the Front Door profile (base fee, requests and transfer priced on the profile)";
const FREE_NETWORK = "virtual networks, subnets and security groups are free";

export const AZURE_RULES: RuleSet = {
    "azure-native:cdn:RuleSet": { kind: "free", reason: "rule sets are part of the Front Door profile's base fee" },
    "azure-native:cdn:Rule": { kind: "free", reason: "rules are part of the Front Door profile's base fee" },
    "azure-native:storage:StorageAccount": { kind: "not-priced", reason: "billed per GB-month stored (RA-GZRS in production, ZRS in staging) and per operation; grows with the app's uploads" },
    "azure-native:storage:BlobContainer": { kind: "free", reason: "containers are part of the storage account's price" },
    "azure-native:storage:BlobServiceProperties": { kind: "free", reason: "a setting of the storage account" },
    "azure-native:storage:ManagementPolicy": { kind: "free", reason: "a setting of the storage account" },
    "azure-native:web:AppServicePlan": { kind: "priced", prices: ["azure.appservice.instance"], estimate: appServicePlan },
    "azure-native:web:WebApp": { kind: "free", reason: FREE_ON_PLAN },
    "azure-native:web:WebAppSlot": { kind: "free", reason: `a deployment slot ${FREE_ON_PLAN}` },
    "azure-native:web:WebAppFtpAllowed": { kind: "free", reason: "a setting of the web app" },
    "azure-native:web:WebAppFtpAllowedSlot": { kind: "free", reason: "a setting of the web app" },
    "azure-native:web:WebAppScmAllowed": { kind: "free", reason: "a setting of the web app" },
    "azure-native:web:WebAppScmAllowedSlot": { kind: "free", reason: "a setting of the web app" },
    "azure-native:app:ContainerApp": { kind: "priced", prices: ["azure.containerapps.vcpu", "azure.containerapps.memory"], estimate: containerApp },
    "azure-native:app:Job": { kind: "priced", prices: ["azure.containerapps.vcpu", "azure.containerapps.memory"], estimate: containerAppJob },
    "azure-native:app:ManagedEnvironment": { kind: "priced", prices: [], estimate: managedEnvironment },
    "azure-native:cdn:Profile": {
        kind: "priced", prices: ["azure.frontdoor.base", "azure.frontdoor.requests", "azure.frontdoor.egress"], estimate: frontDoorProfile,
    },
    "azure-native:cdn:AFDEndpoint": { kind: "free", reason: FREE_IN_FRONT_DOOR },
    "azure-native:cdn:AFDOrigin": { kind: "free", reason: FREE_IN_FRONT_DOOR },
    "azure-native:cdn:AFDOriginGroup": { kind: "free", reason: FREE_IN_FRONT_DOOR },
    "azure-native:cdn:AFDCustomDomain": { kind: "free", reason: `${FREE_IN_FRONT_DOOR}; its managed certificate is free` },
    "azure-native:cdn:Route": { kind: "free", reason: FREE_IN_FRONT_DOOR },
    "azure-native:cdn:SecurityPolicy": { kind: "free", reason: FREE_IN_FRONT_DOOR },
    "azure-native:frontdoor:Policy": {
        kind: "free",
        reason: "the WAF policy of a Front Door Standard/Premium profile is included in the profile's base fee (managed rule sets need Premium)",
    },
    "azure-native:dbforpostgresql:Server": {
        kind: "priced", prices: ["azure.postgres.compute", "azure.postgres.storage", "azure.postgres.backup"], estimate: postgresServer,
    },
    "azure-native:dbforpostgresql:Configuration": { kind: "free", reason: "a server parameter" },
    "azure-native:dbforpostgresql:Database": { kind: "free", reason: "a database inside the server" },
    "azure-native:redis:Redis": { kind: "priced", prices: ["azure.redis.instance"], estimate: redisCache },
    "azure-native:keyvault:Vault": { kind: "priced", prices: ["azure.keyvault.operations"], estimate: keyVault },
    "azure-native:keyvault:Secret": { kind: "free", reason: "Key Vault Standard bills operations, not stored secrets (priced on the vault)" },
    "azure-native:managedidentity:UserAssignedIdentity": { kind: "free", reason: "managed identities are free" },
    "azure-native:authorization:RoleAssignment": { kind: "free", reason: "role assignments are free" },
    "azure-native:authorization:ManagementLockByScope": { kind: "free", reason: "resource locks are free" },
    "azure-native:resources:ResourceGroup": { kind: "free", reason: "resource groups are free" },
    "azure-native:containerregistry:Registry": { kind: "priced", prices: ["azure.acr.daily"], estimate: containerRegistry },
    "azure-native:portal:Dashboard": { kind: "free", reason: "Azure portal dashboards are free" },
    "azure-native:monitor:ActionGroup": {
        kind: "not-priced",
        reason: "billed per notification (e-mail: 1,000 a month free, then $2 per 100,000); alert volumes stay within cents",
    },
    "azure-native:monitor:AutoscaleSetting": { kind: "free", reason: "autoscale is free; its range sets the plan's min/max instances" },
    "azure-native:monitor:DiagnosticSetting": { kind: "free", reason: "the setting is free; the logs it sends are priced on the Log Analytics workspace" },
    "azure-native:monitor:MetricAlert": { kind: "priced", prices: ["azure.monitor.metricAlert"], estimate: metricAlert },
    "azure-native:network:NatGateway": { kind: "priced", prices: ["azure.nat.hour", "azure.nat.gb"], estimate: natGateway },
    "azure-native:network:PublicIPAddress": { kind: "priced", prices: ["azure.publicIp.hour"], estimate: flatRate("azure.publicIp.hour", "hour", (ip) => `${ip.inputs.sku?.name ?? "Standard"} static public IPv4`) },
    "azure-native:network:PrivateEndpoint": { kind: "priced", prices: ["azure.privateEndpoint.hour"], estimate: flatRate("azure.privateEndpoint.hour", "hour", "private endpoint (data processed, $0.01/GB, not modelled)") },
    "azure-native:network:PrivateDnsZoneGroup": { kind: "free", reason: "part of the private endpoint" },
    "azure-native:network:NetworkSecurityGroup": { kind: "free", reason: FREE_NETWORK },
    "azure-native:network:VirtualNetwork": { kind: "free", reason: FREE_NETWORK },
    "azure-native:operationalinsights:Workspace": {
        kind: "priced", prices: ["azure.loganalytics.ingest", "azure.loganalytics.retention"], estimate: logWorkspace,
    },
    "azure-native:applicationinsights:Component": {
        kind: "free", reason: "workspace-based: its telemetry is billed as Log Analytics ingestion (within logGbPerMonth)",
    },
    "azure-native:privatedns:PrivateZone": { kind: "priced", prices: ["azure.privateDns.zone"], estimate: flatRate("azure.privateDns.zone", "month", "private DNS zone") },
    "azure-native:privatedns:VirtualNetworkLink": {
        kind: "free", reason: "links are free; private DNS queries ($0.40 per million) are not modelled",
    },
    "azure-native:dns:RecordSet": {
        kind: "free", reason: "records in an existing Azure DNS zone cost nothing extra (the zone's $0.50/month belongs to its owner)",
    },
};

/** The autoscale range of the resource `uri` names (an AutoscaleSetting's targetResourceUri), if any. */
function autoscaleRange(ctx: RuleContext, resource: PlanResource): { min: number; max: number } | undefined {
    const setting = ofType(ctx, "azure-native:monitor:AutoscaleSetting").find((s) => {
        const target = String(s.inputs.targetResourceUri ?? "");
        return target === `${resource.name}-id` || target.endsWith(`/${resource.inputs.name}`) || target === resource.inputs.name;
    });
    const capacity = setting?.inputs.profiles?.[0]?.capacity;
    return capacity ? { min: num(capacity.minimum, 1), max: num(capacity.maximum, 1) } : undefined;
}

function appServicePlan(plan: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(plan, () => {
        const sku = String(plan.inputs.sku?.name ?? "");
        const capacity = num(plan.inputs.sku?.capacity, 1);
        const { min, max } = autoscaleRange(ctx, plan) ?? { min: capacity, max: capacity };
        const perInstance = unitPrice(ctx, "azure.appservice.instance", sku) * ctx.hours;
        return [pricedLine(ctx, plan, `${sku} Linux x ${range(min, max)} instances${plan.inputs.zoneRedundant ? " (zone-redundant)" : ""}`,
            perInstance * min, perInstance * max, ["azure.appservice.instance"])];
    });
}

function containerSize(template: any): { vcpu: number; memoryGiB: number } {
    const resources = template?.containers?.[0]?.resources ?? {};
    return { vcpu: num(resources.cpu, 0.5), memoryGiB: resources.memory === undefined ? 1 : memoryGiB(resources.memory) };
}

function perSecond(ctx: RuleContext, size: { vcpu: number; memoryGiB: number }): number {
    return size.vcpu * unitPrice(ctx, "azure.containerapps.vcpu") + size.memoryGiB * unitPrice(ctx, "azure.containerapps.memory");
}

/** A worker replica is always busy, so it pays the active rate whole months (the free grant not deducted). */
function containerApp(app: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(app, () => {
        const size = containerSize(app.inputs.template);
        const min = num(app.inputs.template?.scale?.minReplicas, 0);
        const max = num(app.inputs.template?.scale?.maxReplicas, 10);
        const perReplica = perSecond(ctx, size) * 3600 * ctx.hours;
        return [pricedLine(ctx, app, `${size.vcpu} vCPU / ${size.memoryGiB} GiB consumption, active x ${range(min, max)} replicas`,
            perReplica * min, perReplica * max, ["azure.containerapps.vcpu", "azure.containerapps.memory"])];
    });
}

function containerAppJob(job: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(job, () => {
        const size = containerSize(job.inputs.template);
        const { migrationRunsPerMonth: runs, migrationMinutesPerRun: minutes } = ctx.assumptions;
        const monthly = perSecond(ctx, size) * 60 * minutes * runs;
        return [pricedLine(ctx, job, `job: ${size.vcpu} vCPU / ${size.memoryGiB} GiB x ${runs} runs x ${minutes} min`,
            monthly, monthly, ["azure.containerapps.vcpu", "azure.containerapps.memory"], ["migrationRunsPerMonth", "migrationMinutesPerRun"])];
    });
}

function managedEnvironment(environment: PlanResource): CostLine[] {
    const profiles = (environment.inputs.workloadProfiles as { workloadProfileType?: string }[] | undefined) ?? [];
    const dedicated = profiles.filter((p) => p.workloadProfileType !== "Consumption");
    if (dedicated.length === 0) return [freeLine(environment, "a Consumption-only environment has no charge of its own; its apps and jobs are priced")];
    return [notPricedLine(environment, `dedicated workload profiles: ${dedicated.map((p) => p.workloadProfileType).join(", ")}`,
        "dedicated workload profiles (and their management fee) are not in the price table")];
}

function frontDoorProfile(profile: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(profile, () => {
        const sku = String(profile.inputs.sku?.name ?? "");
        const base = unitPrice(ctx, "azure.frontdoor.base", sku);
        const requests = ctx.assumptions.requestsPerMonth;
        const requestCost = requests / 10_000 * unitPrice(ctx, "azure.frontdoor.requests", sku);
        const gb = ctx.assumptions.egressGbPerMonth;
        const egress = gb * unitPrice(ctx, "azure.frontdoor.egress");
        return [
            pricedLine(ctx, profile, `Front Door ${sku.replace("_AzureFrontDoor", "")} base fee`, base, base, ["azure.frontdoor.base"]),
            pricedLine(ctx, profile, `${requests / 1e6}M requests`, requestCost, requestCost, ["azure.frontdoor.requests"], ["requestsPerMonth"]),
            pricedLine(ctx, profile, `edge-to-client transfer ${gb} GB`, egress, egress, ["azure.frontdoor.egress"], ["egressGbPerMonth"]),
        ];
    });
}

function postgresServer(server: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(server, () => {
        const sku = String(server.inputs.sku?.name ?? "");
        const mode = String(server.inputs.highAvailability?.mode ?? "Disabled");
        const ha = mode === "ZoneRedundant" || mode === "SameZone";
        const copies = ha ? 2 : 1;
        const compute = unitPrice(ctx, "azure.postgres.compute", sku) * copies * ctx.hours;
        const storageGb = num(server.inputs.storage?.storageSizeGB, 32);
        const storage = storageGb * unitPrice(ctx, "azure.postgres.storage") * copies;
        const replica = server.inputs.createMode === "Replica";
        const role = replica ? "read replica" : ha ? `HA ${mode} (primary + standby)` : "no HA";
        const autoGrow = server.inputs.storage?.autoGrow === "Enabled" ? ", grows automatically" : "";
        const lines = [
            pricedLine(ctx, server, `${sku} ${role}`, compute, compute, ["azure.postgres.compute"]),
            pricedLine(ctx, server, `Premium SSD ${storageGb} GB${ha ? " x 2 (HA)" : ""}${autoGrow}`, storage, storage, ["azure.postgres.storage"]),
        ];
        if (!replica) {
            const redundancy = String(server.inputs.backup?.geoRedundantBackup ?? "Disabled");
            const backupGb = ctx.assumptions.backupStorageGbBeyondFree;
            const backup = backupGb * unitPrice(ctx, "azure.postgres.backup", redundancy);
            lines.push(pricedLine(ctx, server, `backup storage beyond the free 100%: ${backupGb} GB (geo-redundant ${redundancy})`,
                backup, backup, ["azure.postgres.backup"], ["backupStorageGbBeyondFree"]));
        }
        return lines;
    });
}

function redisCache(cache: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(cache, () => {
        const sku = cache.inputs.sku ?? {};
        const size = `${sku.name} ${sku.family}${sku.capacity}`;
        // Premium bills each extra replica beyond the first like another node.
        const replicas = sku.name === "Premium" ? Math.max(1, num(cache.inputs.replicasPerPrimary, 1)) : 1;
        const monthly = unitPrice(ctx, "azure.redis.instance", size) * (sku.name === "Premium" ? (replicas + 1) / 2 : 1) * ctx.hours;
        return [pricedLine(ctx, cache, `${size}${sku.name === "Basic" ? " (one node)" : ` (primary + ${replicas} replica${replicas === 1 ? "" : "s"})`}`,
            monthly, monthly, ["azure.redis.instance"])];
    });
}

function keyVault(vault: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(vault, () => {
        const reads = ctx.assumptions.secretReadsPerMonth;
        const monthly = reads / 10_000 * unitPrice(ctx, "azure.keyvault.operations");
        return [pricedLine(ctx, vault, `${reads} secret operations`, monthly, monthly, ["azure.keyvault.operations"], ["secretReadsPerMonth"])];
    });
}

function metricAlert(alert: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(alert, () => {
        const criteria = Array.isArray(alert.inputs.criteria?.allOf) ? alert.inputs.criteria.allOf.length : 1;
        const monthly = criteria * unitPrice(ctx, "azure.monitor.metricAlert");
        return [pricedLine(ctx, alert, `${criteria} monitored time series`, monthly, monthly, ["azure.monitor.metricAlert"])];
    });
}

function natGateway(nat: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(nat, () => {
        const gateways = ofType(ctx, nat.type).length;
        const gb = ctx.assumptions.natProcessedGbPerMonth / gateways;
        const monthly = unitPrice(ctx, "azure.nat.hour") * ctx.hours + gb * unitPrice(ctx, "azure.nat.gb");
        return [pricedLine(ctx, nat, `NAT gateway: hours + ${gb} GB processed`, monthly, monthly, ["azure.nat.hour", "azure.nat.gb"], ["natProcessedGbPerMonth"])];
    });
}




function logWorkspace(workspace: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(workspace, () => {
        if (indexOfType(ctx, workspace) > 0) return [freeLine(workspace, "the log volume is counted on the first workspace")];
        const prices = { ingest: "azure.loganalytics.ingest", retention: "azure.loganalytics.retention" };
        return [logVolumeLine(ctx, workspace, prices, num(workspace.inputs.retentionInDays, 31), 31, "GB")];
    });
}

/** Container Registry is billed per day by tier, with an included storage allowance. */
function containerRegistry(resource: PlanResource, ctx: RuleContext): CostLine[] {
    return guarded(resource, () => {
        const tier = String(resource.inputs.sku?.name ?? "");
        const monthly = unitPrice(ctx, "azure.acr.daily", tier) * ctx.hours / 24;
        return [pricedLine(ctx, resource, `Container Registry ${tier}`, monthly, monthly, ["azure.acr.daily"])];
    });
}
