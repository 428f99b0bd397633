import * as pulumi from "@pulumi/pulumi";
import type { PlatformArgs } from "../../components/platform";
import { SCHEMA } from "../../config/schema";
import {
    AZURE_RESERVED_CONNECTIONS, POSTGRES_MAX_CONNECTIONS_LIMIT, POSTGRES_MIN_BACKUP_DAYS, POSTGRES_SKU, POSTGRES_STORAGE_SIZES_GB,
    postgresMaxConnections, postgresStorageSize,
} from "./database";
import { LOG_ANALYTICS_RETENTION } from "./monitoring";
import { APP_SERVICE_MAX_INSTANCES, CONTAINER_APP_MAX_VCPUS, ZONE_REDUNDANT_MIN_INSTANCES, containerAppSize } from "./service";
import { drRegionProblems } from "../../components/disaster-recovery";

/** Login names Azure Database for PostgreSQL refuses for the administrator. */
export const RESERVED_POSTGRES_LOGINS = ["azure_superuser", "azure_pg_admin", "admin", "administrator", "root", "guest", "public"];

/** The Azure region, from the provider setting every stack file carries. */
export function azureLocation(): string | undefined {
    return new pulumi.Config("azure-native").get("location");
}

/**
 * What only Azure constrains: App Service and Container Apps sizes and instance counts, Flexible
 * Server tiers, disks, logins and connections, Log Analytics retention, where the region and the
 * DNS zone come from. One message per problem, naming the config key and what is allowed.
 */
/** Front Door Standard/Premium: originResponseTimeoutSeconds is 16-240 (cdn Profile API). */
export const FRONT_DOOR_MIN_TIMEOUT_SECONDS = 16;
/** App Service's front ends end a request that has not answered after 230 seconds (App Service FAQ). */
export const APP_SERVICE_MAX_TIMEOUT_SECONDS = 230;

export function validateAzure(args: PlatformArgs, project: string): string[] {
    const k = (key: string) => `${project}:${key}`;
    const problems: string[] = [];
    const production = args.environment === "production";
    const db = args.database;

    if (!azureLocation()) {
        problems.push("azure-native:location is not set; set the Azure region of the stack (pulumi config set azure-native:location westeurope)");
    }
    // App Service has one health check (healthCheckPath); there is no separate readiness probe.
    if (args.service.readinessPath !== SCHEMA.readinessPath.default) {
        problems.push(
            `${k("readinessPath")} is '${args.service.readinessPath}', but Azure App Service has no separate readiness probe: ` +
                `its health check and Front Door's probes use ${k("healthCheckPath")}. Remove readinessPath from this stack`,
        );
    }

    // Metrics reach Application Insights from inside the app (Azure Monitor OpenTelemetry, docs/azure.md): nothing scrapes.
    if (args.metrics.path !== SCHEMA.metricsPath.default || args.metrics.port !== args.service.port) {
        problems.push(
            `${k("metricsPath")}/${k("metricsPort")} are '${args.metrics.path}' on port ${args.metrics.port}, but on Azure nothing scrapes the app: ` +
                `it sends its metrics to Application Insights with the Azure Monitor OpenTelemetry distro (APPLICATIONINSIGHTS_CONNECTION_STRING is set). ` +
                `Remove metricsPath and metricsPort from this stack`,
        );
    }

    if (args.service.minInstances < 1) {
        problems.push(`${k("minInstances")} is 0, but an App Service plan always runs at least 1 instance; set minInstances to 1 or more`);
    } else if (production && args.service.minInstances < ZONE_REDUNDANT_MIN_INSTANCES) {
        problems.push(
            `${k("minInstances")} is ${args.service.minInstances}, but a production (zone-redundant) App Service plan runs at least ` +
                `${ZONE_REDUNDANT_MIN_INSTANCES} instances, one per availability zone; set minInstances to ${ZONE_REDUNDANT_MIN_INSTANCES} or more`,
        );
    }
    const timeout = args.service.requestTimeoutSeconds;
    if (timeout < FRONT_DOOR_MIN_TIMEOUT_SECONDS || timeout > APP_SERVICE_MAX_TIMEOUT_SECONDS) {
        problems.push(
            `${k("requestTimeoutSeconds")} is ${timeout}, but on Azure it must lie between ${FRONT_DOOR_MIN_TIMEOUT_SECONDS} (Front Door's shortest origin ` +
                `response timeout) and ${APP_SERVICE_MAX_TIMEOUT_SECONDS} (App Service ends any request after 230 s)`,
        );
    }
    if (args.service.maxInstances > APP_SERVICE_MAX_INSTANCES) {
        problems.push(`${k("maxInstances")} is ${args.service.maxInstances}, but a Premium v3 App Service plan runs at most ${APP_SERVICE_MAX_INSTANCES} instances`);
    }
    if (args.worker.minInstances < 1) {
        problems.push(
            `${k("workerMinInstances")} is 0, but the worker scales on CPU and memory, which cannot wake a Container App ` +
                `from zero replicas; set workerMinInstances to 1 or more`,
        );
    }
    if (!containerAppSize(args.worker.cpu, args.worker.memoryMb)) {
        problems.push(
            `${k("workerMemoryMb")} is ${args.worker.memoryMb}, more than Container Apps gives its largest size ` +
                `(${CONTAINER_APP_MAX_VCPUS} vCPU with ${CONTAINER_APP_MAX_VCPUS * 2048} MiB; memory comes at 2048 MiB per vCPU); ` +
                `the worker and the migrations job use ${k("workerCpu")}/${k("workerMemoryMb")}`,
        );
    }

    const tier = POSTGRES_SKU[db.tier].tier;
    if (db.highAvailability && tier === "Burstable") {
        problems.push(`${k("dbTier")} is '${db.tier}' (Burstable ${POSTGRES_SKU[db.tier].name}), which has no zone-redundant high availability; production needs dbTier 'medium' or larger`);
    }
    if (args.overrides.azure.pgBouncer && tier === "Burstable") {
        problems.push(`${k("azure.pgBouncer")} is true, but the built-in PgBouncer does not run on the Burstable tier of ${k("dbTier")} '${db.tier}'; use dbTier 'medium' or larger, or turn pgBouncer off`);
    }
    const largestDisk = POSTGRES_STORAGE_SIZES_GB[POSTGRES_STORAGE_SIZES_GB.length - 1];
    const disk = postgresStorageSize(db.storageGb);
    if (db.maxStorageGb > largestDisk) {
        problems.push(`${k("dbMaxStorageGb")} is ${db.maxStorageGb}, above the largest Flexible Server disk (${largestDisk} GiB)`);
    } else if (disk !== undefined && disk >= db.maxStorageGb) {
        problems.push(
            `${k("dbStorageGb")} ${db.storageGb} becomes a ${disk} GiB disk on Azure (Premium SSD sizes: ${POSTGRES_STORAGE_SIZES_GB.join(", ")}), ` +
                `which already reaches ${k("dbMaxStorageGb")} ${db.maxStorageGb}; raise dbMaxStorageGb above ${disk}`,
        );
    }
    if (postgresMaxConnections(db.maxConnections) > POSTGRES_MAX_CONNECTIONS_LIMIT) {
        problems.push(
            `max_connections would be ${db.maxConnections} (capacity rule) + ${AZURE_RESERVED_CONNECTIONS} (kept by Azure) = ${postgresMaxConnections(db.maxConnections)}, ` +
                `above Flexible Server's ${POSTGRES_MAX_CONNECTIONS_LIMIT}; lower ${k("dbPoolSize")}/${k("dbMaxOverflow")}, ${k("maxInstances")} or ${k("workerMaxInstances")}`,
        );
    }
    if (RESERVED_POSTGRES_LOGINS.includes(db.username) || db.username.startsWith("pg_")) {
        problems.push(`${k("dbUser")} is '${db.username}', a login Azure Database for PostgreSQL reserves (${RESERVED_POSTGRES_LOGINS.join(", ")}, pg_*); choose another name`);
    }

    if (args.logRetentionDays > LOG_ANALYTICS_RETENTION.max) {
        problems.push(`${k("logRetentionDays")} is ${args.logRetentionDays}, but Log Analytics keeps logs at most ${LOG_ANALYTICS_RETENTION.max} days; use ${LOG_ANALYTICS_RETENTION.max} or less`);
    }
    for (const [key, names] of [["env", Object.keys(args.env)], ["secretEnv", Object.keys(args.secretEnv)]] as const) {
        for (const name of names.filter(isAppServiceSetting)) {
            problems.push(
                `${k(`${key}.${name}`)} is an App Service platform setting (WEBSITE_*, WEBSITES_*, APPSETTING_*, DOCKER_*, SCM_*, APPLICATIONINSIGHTS_*): ` +
                    `App Service reads it itself, and the platform sets the ones it needs (WEBSITES_PORT from containerPort); choose another name`,
            );
        }
    }
    if (args.overrides.azure.dnsZoneResourceGroup && !args.domain?.zone) {
        problems.push(`${k("azure.dnsZoneResourceGroup")} is set but ${k("dnsZone")} is empty; name the Azure DNS zone that holds ${k("domain")}`);
    }
    problems.push(...azureDataProtectionProblems(args, project));
    return problems;
}

/**
 * Azure's region pairs (learn.microsoft.com/azure/reliability/cross-region-replication-azure):
 * geo-redundant PostgreSQL backups and GZRS storage copy to the pair, and a geo-restore creates
 * the server there. Regions not listed are not checked.
 */
export const AZURE_REGION_PAIRS: Record<string, string> = {
    westeurope: "northeurope", northeurope: "westeurope", uksouth: "ukwest", ukwest: "uksouth",
    francecentral: "francesouth", germanywestcentral: "germanynorth", switzerlandnorth: "switzerlandwest",
    norwayeast: "norwaywest", swedencentral: "swedensouth", eastus: "westus", westus: "eastus", eastus2: "centralus",
    centralus: "eastus2", westus2: "westcentralus", westus3: "eastus", northcentralus: "southcentralus",
    southcentralus: "northcentralus", canadacentral: "canadaeast", canadaeast: "canadacentral", australiaeast: "australiasoutheast",
    japaneast: "japanwest", koreacentral: "koreasouth", southeastasia: "eastasia", eastasia: "southeastasia",
    centralindia: "southindia", uaenorth: "uaecentral", southafricanorth: "southafricawest",
};

/** A Flexible Server's ARM resource id. */
const FLEXIBLE_SERVER_ID = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w._()]{1,90}\/providers\/Microsoft\.DBforPostgreSQL\/flexibleServers\/[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/i;

/** drRegion (required in production; the location's pair) and the restore block's Azure shapes. */
function azureDataProtectionProblems(args: PlatformArgs, project: string): string[] {
    const k = (key: string) => `${project}:${key}`;
    const problems: string[] = [];
    const drRegion = args.overrides.azure.drRegion;
    const location = azureLocation();
    const pair = location ? AZURE_REGION_PAIRS[location] : undefined;
    problems.push(...drRegionProblems(project, "azure", drRegion, { key: "azure-native:location", region: location }, args.environment === "production",
        `the paired region${pair ? ` (${pair} for ${location})` : ""}, where geo-redundant backups and storage are kept`));
    if (drRegion && drRegion !== location && pair && drRegion !== pair) {
        problems.push(`${k("azure.drRegion")} is '${drRegion}', but Azure copies geo-redundant backups and GZRS storage of ${location} to its pair ${pair}, where a geo-restore runs; set drRegion to ${pair}`);
    }
    // The apps' DefaultAzureCredential picks the user-assigned identity by this variable, which the platform sets.
    for (const [key, names] of [["env", Object.keys(args.env)], ["secretEnv", Object.keys(args.secretEnv)]] as const) {
        if (names.includes("AZURE_CLIENT_ID")) problems.push(`${k(`${key}.AZURE_CLIENT_ID`)} is set by the platform on Azure (the client id of the apps' managed identity) and cannot be supplied`);
    }
    const restore = args.restore;
    if (restore?.kind === "backup") {
        problems.push(
            `${k("restore.from")} is set, but Azure Flexible Server backups have no identifiers: restore a point in time with ${k("restore.pointInTime")} and ${k("restore.source")}, ` +
                `or the latest geo-redundant backup with ${k("restore.source")} alone`,
        );
    }
    if (restore?.source && !FLEXIBLE_SERVER_ID.test(restore.source)) {
        problems.push(`${k("restore.source")} is '${restore.source}', which is not a Flexible Server resource id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.DBforPostgreSQL/flexibleServers/<name>)`);
    }
    return problems;
}

/**
 * Values Azure serves differently from what the stack asks for, applied anyway and reported at
 * every preview: floors above the stack's value (never below it), and DNS left to the operator.
 */
export function azureNotices(args: PlatformArgs, project: string): string[] {
    const k = (key: string) => `${project}:${key}`;
    const notices: string[] = [];
    if (args.database.backupRetentionDays < POSTGRES_MIN_BACKUP_DAYS) {
        notices.push(`${k("dbBackupDays")} is ${args.database.backupRetentionDays}; Azure keeps PostgreSQL backups at least ${POSTGRES_MIN_BACKUP_DAYS} days, so the server keeps ${POSTGRES_MIN_BACKUP_DAYS}`);
    }
    if (args.logRetentionDays < LOG_ANALYTICS_RETENTION.min) {
        notices.push(`${k("logRetentionDays")} is ${args.logRetentionDays}; Log Analytics keeps logs at least ${LOG_ANALYTICS_RETENTION.min} days (included in the ingestion price), so the workspace keeps ${LOG_ANALYTICS_RETENTION.min}`);
    }
    if (args.domain && !args.overrides.azure.dnsZoneResourceGroup) {
        notices.push(
            `${k("domain")} '${args.domain.name}': no Azure DNS zone to write to (set ${k("azure.dnsZoneResourceGroup")} when ${k("dnsZone")} is an Azure DNS zone), ` +
                `so create the records yourself: a CNAME from ${args.domain.name} to the Front Door endpoint's host name and a TXT record ` +
                `_dnsauth.${args.domain.name} holding the custom domain's validation token ` +
                `(az afd custom-domain show --profile-name <profile> --resource-group <group> --custom-domain-name ${args.domain.name.replace(/\./g, "-")})`,
        );
    }
    return notices;
}

/**
 * App settings App Service reads as its own configuration (learn.microsoft.com/azure/app-service/reference-app-settings):
 * a stack's env would duplicate or override the settings the platform sets (WEBSITES_PORT,
 * WEBSITES_ENABLE_APP_SERVICE_STORAGE, WEBSITE_SWAP_WARMUP_PING_*, APPLICATIONINSIGHTS_CONNECTION_STRING).
 */
const APP_SERVICE_SETTING = /^(WEBSITE_|WEBSITES_|APPSETTING_|DOCKER_|SCM_|APPLICATIONINSIGHTS_|DIAGNOSTICS_|MACHINEKEY_)/;

export function isAppServiceSetting(name: string): boolean {
    return APP_SERVICE_SETTING.test(name);
}
