import type { PolicyResource } from "@pulumi/policy";
import { list, plainSecretProblem, resourceRule, SECRET_ENV_NAMES, show, stackRule, type BaselinePolicy, type Props } from "./common";

/**
 * The production baseline on Azure (App Service on Linux + PostgreSQL Flexible Server + Azure Cache for
 * Redis + Key Vault), written from the table and the @pulumi/azure-native 3 input types; "(prod)"
 * items are production-only.
 */

const POSTGRES = "azure-native:dbforpostgresql:Server";
const PG_CONFIGURATION = "azure-native:dbforpostgresql:Configuration";
const REDIS = "azure-native:redis:Redis";
const VAULT = "azure-native:keyvault:Vault";
const VAULT_SECRET = "azure-native:keyvault:Secret";
const PLAN = "azure-native:web:AppServicePlan";
const WEB_APP = "azure-native:web:WebApp";
const WEB_APP_SLOT = "azure-native:web:WebAppSlot";
const APP_SETTINGS = "azure-native:web:WebAppApplicationSettings";
const AUTOSCALE = "azure-native:monitor:AutoscaleSetting";
const METRIC_ALERT = "azure-native:monitor:MetricAlert";
const ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment";
const LOCK_BY_SCOPE = "azure-native:authorization:ManagementLockByScope";
const LOCK_AT_RESOURCE = "azure-native:authorization:ManagementLockAtResourceLevel";
const APP_INSIGHTS = "azure-native:applicationinsights:Component";
const CONTAINER_APP = "azure-native:app:ContainerApp";
const CONTAINER_JOB = "azure-native:app:Job";

/** Built-in role "Key Vault Secrets User" (read secret contents). */
const KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
const KEY_VAULT_REFERENCE = /^@Microsoft\.KeyVault\(/;

const isReplica = (p: Props) =>
    p.createMode === "Replica" || p.sourceServerResourceId || (p.replicationRole && !["Primary", "None"].includes(p.replicationRole))
        ? "a read replica follows its primary"
        : undefined;

// ---- PostgreSQL Flexible Server ----

const pgPrivate = resourceRule({
    name: "azure-postgres-private-access", cloud: "azure", scope: "all", severity: "critical",
    source: "Azure / Postgres: network {delegatedSubnetResourceId, privateDnsZoneArmResourceId, publicNetworkAccess: Disabled}",
    description: "The flexible server has no public endpoint and lives in its delegated subnet with a private DNS zone.",
    remediation: "Set network: { delegatedSubnetResourceId, privateDnsZoneArmResourceId, publicNetworkAccess: \"Disabled\" }.",
    reads: { [POSTGRES]: ["network.publicNetworkAccess", "network.delegatedSubnetResourceId", "network.privateDnsZoneArmResourceId"] },
    check: (p) => [
        p.network?.publicNetworkAccess === "Disabled" ? undefined : `network.publicNetworkAccess is ${show(p.network?.publicNetworkAccess)}; must be Disabled`,
        p.network?.delegatedSubnetResourceId ? undefined : "network.delegatedSubnetResourceId is unset; the server must sit in its delegated subnet",
        p.network?.privateDnsZoneArmResourceId ? undefined : "network.privateDnsZoneArmResourceId is unset; the app resolves the server through the private DNS zone",
    ],
});

const pgHa = resourceRule({
    name: "azure-postgres-zone-redundant-ha", cloud: "azure", scope: "production", severity: "high", source: "Azure / Postgres: highAvailability.mode ZoneRedundant (prod)",
    description: "The production flexible server has a zone-redundant standby.",
    remediation: "Set highAvailability: { mode: \"ZoneRedundant\" } in production.",
    reads: { [POSTGRES]: ["highAvailability.mode", "replicationRole", "createMode", "sourceServerResourceId"] },
    skip: isReplica,
    check: (p) => [p.highAvailability?.mode === "ZoneRedundant" ? undefined : `highAvailability.mode is ${show(p.highAvailability?.mode)}; must be ZoneRedundant`],
});

const pgBackups = resourceRule<{ minimumDays: number }>({
    name: "azure-postgres-backup-retention", cloud: "azure", scope: "production", severity: "high", source: "Azure / Postgres: backup.backupRetentionDays >= 7 (prod)",
    description: "Production keeps at least 7 days of point-in-time backups.",
    remediation: "Set backup.backupRetentionDays from dbBackupDays (7-35).",
    config: { minimumDays: { type: "integer", minimum: 7, maximum: 35, default: 7, description: "Fewest days of backups." } },
    reads: { [POSTGRES]: ["backup.backupRetentionDays", "replicationRole", "createMode", "sourceServerResourceId"] },
    skip: isReplica,
    check: (p, { config }) => {
        const days = p.backup?.backupRetentionDays ?? 7; // Azure's default
        return [days >= config.minimumDays ? undefined : `backup.backupRetentionDays is ${days}; production keeps at least ${config.minimumDays}`];
    },
});

const pgGeoBackup = resourceRule({
    name: "azure-postgres-geo-redundant-backup", cloud: "azure", scope: "production", severity: "medium", source: "Azure / Postgres: backup.geoRedundantBackup Enabled (prod)",
    description: "Production backups are copied to the paired region.",
    remediation: "Set backup.geoRedundantBackup: \"Enabled\" in production (only at creation).",
    reads: { [POSTGRES]: ["backup.geoRedundantBackup", "replicationRole", "createMode", "sourceServerResourceId"] },
    skip: isReplica,
    check: (p) => [p.backup?.geoRedundantBackup === "Enabled" ? undefined : `backup.geoRedundantBackup is ${show(p.backup?.geoRedundantBackup)}; must be Enabled`],
});

const pgAutoGrow = resourceRule({
    name: "azure-postgres-storage-autogrow", cloud: "azure", scope: "all", severity: "medium", source: "Azure / Postgres: storage.autoGrow Enabled",
    description: "Flexible server storage grows on its own.",
    remediation: "Set storage: { storageSizeGB, autoGrow: \"Enabled\" }.",
    reads: { [POSTGRES]: ["storage.autoGrow"] },
    check: (p) => [p.storage?.autoGrow === "Enabled" ? undefined : `storage.autoGrow is ${show(p.storage?.autoGrow)}; must be Enabled`],
});

const pgTls = resourceRule({
    name: "azure-postgres-require-tls", cloud: "azure", scope: "all", severity: "critical", source: "Seeds: DATABASE_URL ?ssl=require; Postgres require_secure_transport",
    description: "The server configuration never turns require_secure_transport off.",
    remediation: "Remove the Configuration that sets require_secure_transport, or set it to \"on\".",
    reads: { [PG_CONFIGURATION]: ["configurationName", "value"] },
    skip: (p) => (p.configurationName !== "require_secure_transport" ? `configures ${show(p.configurationName)}` : undefined),
    check: (p) => [String(p.value).toLowerCase() === "on" ? undefined : `require_secure_transport is ${show(p.value)}; must be on`],
});

const pgLock = stackRule({
    name: "azure-postgres-delete-lock", cloud: "azure", scope: "production", severity: "high", source: "Azure / Postgres: a CanNotDelete management lock (prod)",
    description: "Every production flexible server has a CanNotDelete management lock.",
    remediation: "Add authorization.ManagementLockByScope { scope: server.id, level: \"CanNotDelete\" } (or ManagementLockAtResourceLevel) in production.",
    reads: { [POSTGRES]: ["serverName", "id", "createMode", "sourceServerResourceId"], [LOCK_BY_SCOPE]: ["scope", "level"], [LOCK_AT_RESOURCE]: ["resourceName", "resourceType", "level"] },
    check: (resources, { environmentOf }) => {
        const locks = resources.filter((r) => (r.type === LOCK_BY_SCOPE || r.type === LOCK_AT_RESOURCE) && r.props.level === "CanNotDelete");
        const locked = (server: PolicyResource) => locks.some((lock) =>
            lock.type === LOCK_BY_SCOPE
                ? lock.props.scope === server.props.id
                : /flexibleServers/i.test(String(lock.props.resourceType)) && [server.props.serverName, server.props.name].includes(lock.props.resourceName));
        return resources
            .filter((r) => r.type === POSTGRES && environmentOf(r) === "production" && !isReplica(r.props))
            .filter((server) => !locked(server))
            .map((server) => ({ urn: server.urn, message: `server ${server.name} has no CanNotDelete lock` }));
    },
});

// ---- Azure Cache for Redis ----

const redisNoPlainPort = resourceRule({
    name: "azure-redis-no-non-ssl-port", cloud: "azure", scope: "all", severity: "critical", source: "Azure / Redis: enableNonSslPort false",
    description: "Redis does not open its plain-text port 6379.",
    remediation: "Set enableNonSslPort: false on the redis.Redis; clients use rediss:// on port 6380.",
    reads: { [REDIS]: ["enableNonSslPort"] },
    check: (p) => [p.enableNonSslPort === true ? "enableNonSslPort is true; only the TLS port 6380 may be open" : undefined],
});

const redisTls = resourceRule({
    name: "azure-redis-min-tls-1-2", cloud: "azure", scope: "all", severity: "high", source: "Azure / Redis: minimumTlsVersion 1.2",
    description: "Redis refuses TLS older than 1.2.",
    remediation: "Set minimumTlsVersion: \"1.2\" on the redis.Redis.",
    reads: { [REDIS]: ["minimumTlsVersion"] },
    check: (p) => [p.minimumTlsVersion === "1.2" || p.minimumTlsVersion === "1.3" ? undefined : `minimumTlsVersion is ${show(p.minimumTlsVersion)}; must be 1.2`],
});

const redisSku = resourceRule({
    name: "azure-redis-replicated-sku", cloud: "azure", scope: "production", severity: "high", source: "Azure / Redis: Standard or Premium (prod)",
    description: "Production Redis is Standard or Premium (a replica with failover; Basic has none).",
    remediation: "Set sku.name to \"Standard\" or \"Premium\" in production (cacheHa).",
    reads: { [REDIS]: ["sku.name"] },
    check: (p) => [p.sku?.name === "Standard" || p.sku?.name === "Premium" ? undefined : `sku.name is ${show(p.sku?.name)}; must be Standard or Premium`],
});

const redisPrivate = resourceRule({
    name: "azure-redis-no-public-network", cloud: "azure", scope: "all", severity: "high", source: "Azure / Redis: publicNetworkAccess Disabled with a private endpoint",
    description: "Redis has public network access disabled (reached through a private endpoint).",
    remediation: "Set publicNetworkAccess: \"Disabled\" and add a network.PrivateEndpoint (groupIds [\"redisCache\"]); exempt the cache (exemptResources) only where the SKU cannot.",
    reads: { [REDIS]: ["publicNetworkAccess", "subnetId"] },
    check: (p) => [p.publicNetworkAccess === "Disabled" || p.subnetId ? undefined : `publicNetworkAccess is ${show(p.publicNetworkAccess)}; must be Disabled`],
});

// ---- App Service ----

const planLinux = resourceRule({
    name: "azure-plan-linux", cloud: "azure", scope: "all", severity: "low", source: "Azure / App Service: Linux web.AppServicePlan (reserved: true)",
    description: "The App Service plan is Linux (reserved: true), for the container image.",
    remediation: "Set kind: \"Linux\" and reserved: true on the web.AppServicePlan.",
    reads: { [PLAN]: ["reserved", "kind"] },
    check: (p) => [p.reserved === true ? undefined : `reserved is ${show(p.reserved)}; a Linux plan needs reserved: true`],
});

const planZoneRedundant = resourceRule({
    name: "azure-plan-zone-redundant", cloud: "azure", scope: "production", severity: "high", source: "Azure / App Service: zone-redundant P*v3 in prod",
    description: "The production plan is a zone-redundant Premium v3 plan.",
    remediation: "Set sku: { name: \"P1v3\" (or larger), tier: \"PremiumV3\", capacity >= 3 } and zoneRedundant: true in production.",
    reads: { [PLAN]: ["zoneRedundant", "sku.name", "sku.tier"] },
    check: (p) => [
        p.zoneRedundant === true ? undefined : `zoneRedundant is ${show(p.zoneRedundant)}; must be true in production`,
        typeof p.sku?.name === "string" && /^P\d+(m)?v3$/i.test(p.sku.name) ? undefined : `sku.name is ${show(p.sku?.name)}; must be a Premium v3 size (P1v3, P2v3, ...)`,
    ],
});

const webHttpsOnly = resourceRule({
    name: "azure-webapp-https-only", cloud: "azure", scope: "all", severity: "critical", source: "Azure / App Service: httpsOnly",
    description: "The web app redirects every HTTP request to HTTPS.",
    remediation: "Set httpsOnly: true on the web.WebApp (and its slots).",
    reads: { [WEB_APP]: ["httpsOnly"] },
    check: (p) => [p.httpsOnly === true ? undefined : `httpsOnly is ${show(p.httpsOnly)}; must be true`],
});

const webTls = resourceRule({
    name: "azure-webapp-min-tls-1-2", cloud: "azure", scope: "all", severity: "high", source: "Azure / App Service: siteConfig.minTlsVersion 1.2",
    description: "The web app refuses TLS older than 1.2.",
    remediation: "Set siteConfig.minTlsVersion: \"1.2\" on the web.WebApp (and its slots).",
    reads: { [WEB_APP]: ["siteConfig.minTlsVersion"] },
    check: (p) => [["1.2", "1.3"].includes(p.siteConfig?.minTlsVersion) ? undefined : `siteConfig.minTlsVersion is ${show(p.siteConfig?.minTlsVersion)}; must be 1.2`],
});

const webFtps = resourceRule({
    name: "azure-webapp-ftps-disabled", cloud: "azure", scope: "all", severity: "high", source: "Azure / App Service: siteConfig.ftpsState Disabled",
    description: "FTP/FTPS deployment is off (images are the only way in).",
    remediation: "Set siteConfig.ftpsState: \"Disabled\" on the web.WebApp; deploy by image only.",
    reads: { [WEB_APP]: ["siteConfig.ftpsState"] },
    check: (p) => [p.siteConfig?.ftpsState === "Disabled" ? undefined : `siteConfig.ftpsState is ${show(p.siteConfig?.ftpsState)}; must be Disabled`],
});

const webHealth = resourceRule<{ path: string }>({
    name: "azure-webapp-health-check", cloud: "azure", scope: "all", severity: "medium", source: "Azure / App Service: siteConfig.healthCheckPath /health",
    description: "App Service health-checks the app on its health path.",
    remediation: "Set siteConfig.healthCheckPath from healthCheckPath; set this policy's `path` if the app uses another one, or exempt a worker app without HTTP (exemptResources).",
    config: { path: { type: "string", default: "/health", description: "The expected health path." } },
    reads: { [WEB_APP]: ["siteConfig.healthCheckPath"] },
    check: (p, { config }) => [p.siteConfig?.healthCheckPath === config.path ? undefined : `siteConfig.healthCheckPath is ${show(p.siteConfig?.healthCheckPath)}; must be ${config.path}`],
});

const webAlwaysOn = resourceRule({
    name: "azure-webapp-always-on", cloud: "azure", scope: "all", severity: "low", source: "Azure / App Service: siteConfig.alwaysOn, http20Enabled",
    description: "The web app stays loaded (alwaysOn) and speaks HTTP/2.",
    remediation: "Set siteConfig.alwaysOn: true and siteConfig.http20Enabled: true.",
    reads: { [WEB_APP]: ["siteConfig.alwaysOn", "siteConfig.http20Enabled"] },
    check: (p) => [
        p.siteConfig?.alwaysOn === true ? undefined : `siteConfig.alwaysOn is ${show(p.siteConfig?.alwaysOn)}; must be true`,
        p.siteConfig?.http20Enabled === true ? undefined : `siteConfig.http20Enabled is ${show(p.siteConfig?.http20Enabled)}; must be true`,
    ],
});

const webIdentity = resourceRule({
    name: "azure-webapp-managed-identity", cloud: "azure", scope: "all", severity: "high", source: "Azure / App Service: managed identity",
    description: "The web app has a managed identity (it reads Key Vault as itself, no stored credentials).",
    remediation: "Set identity: { type: \"SystemAssigned\" } (or UserAssigned with the identity's id).",
    reads: { [WEB_APP]: ["identity.type"] },
    check: (p) => [typeof p.identity?.type === "string" && /Assigned/.test(p.identity.type) ? undefined : `identity.type is ${show(p.identity?.type)}; the app needs a managed identity`],
});

const webVnet = resourceRule({
    name: "azure-webapp-vnet-integration", cloud: "azure", scope: "all", severity: "high", source: "Azure / App Service: virtualNetworkSubnetId",
    description: "The web app joins the VNet (its delegated subnet) to reach the private database and cache.",
    remediation: "Set virtualNetworkSubnetId to the subnet delegated to Microsoft.Web/serverFarms.",
    reads: { [WEB_APP]: ["virtualNetworkSubnetId"] },
    check: (p) => [p.virtualNetworkSubnetId ? undefined : "virtualNetworkSubnetId is unset; the private database and cache would be unreachable"],
});

const webSecrets = resourceRule<{ secretNames: string[] }>({
    name: "azure-webapp-secrets-from-key-vault", cloud: "azure", scope: "all", severity: "critical", source: "Azure / App Service: secrets as @Microsoft.KeyVault(SecretUri=…) app settings",
    description: "Secret app settings are Key Vault references, never plain values.",
    remediation: "Store the value in Key Vault and set the app setting to @Microsoft.KeyVault(SecretUri=<secret uri>).",
    config: { secretNames: { type: "array", items: { type: "string" }, default: SECRET_ENV_NAMES, description: "Setting names that must be Key Vault references." } },
    reads: { [WEB_APP]: ["siteConfig.appSettings.name", "siteConfig.appSettings.value"], [WEB_APP_SLOT]: ["siteConfig.appSettings.name"], [APP_SETTINGS]: ["properties"] },
    check: (p, { type, config }) => {
        const settings: { name: string; value: unknown }[] = type === APP_SETTINGS
            ? Object.entries(p.properties ?? {}).map(([name, value]) => ({ name, value }))
            : list(p.siteConfig?.appSettings);
        return settings.map(({ name, value }) => (typeof value === "string" && KEY_VAULT_REFERENCE.test(value) ? undefined : plainSecretProblem(name, value, config.secretNames)));
    },
});

const containerAppSecrets = resourceRule<{ secretNames: string[] }>({
    name: "azure-containerapp-secrets-from-key-vault", cloud: "azure", scope: "all", severity: "critical",
    source: "Seeds: secrets delivered by reference from the cloud's secret store (Container Apps running the worker or migrations)",
    description: "Container Apps and jobs take secrets from Key Vault: env entries use secretRef, and the app's secrets are keyVaultUrl references, never inline values.",
    remediation: "Declare configuration.secrets as { name, keyVaultUrl: <secret uri>, identity } and reference them from env with { name, secretRef }.",
    config: { secretNames: { type: "array", items: { type: "string" }, default: SECRET_ENV_NAMES, description: "Env var names that must be secret references." } },
    reads: {
        [CONTAINER_APP]: ["template.containers.env.name", "template.containers.env.value", "template.containers.env.secretRef", "configuration.secrets.keyVaultUrl", "configuration.secrets.value"],
        [CONTAINER_JOB]: ["template.containers.env.name", "template.containers.env.value", "configuration.secrets.keyVaultUrl", "configuration.secrets.value"],
    },
    check: (p, { config }) => [
        ...list(p.template?.containers).flatMap((c) => list(c.env).map((e) => (e.secretRef ? undefined : plainSecretProblem(e.name, e.value, config.secretNames)))),
        ...list(p.configuration?.secrets).map((secret) =>
            secret.value !== undefined && !secret.keyVaultUrl ? `secret ${show(secret.name)} holds an inline value; reference the Key Vault secret with keyVaultUrl and an identity` : undefined),
    ],
});

const webSlot = stackRule({
    name: "azure-webapp-staging-slot", cloud: "azure", scope: "production", severity: "low", source: "Azure / App Service: a staging deployment slot for blue/green swaps (prod)",
    description: "The production API web app has a deployment slot to swap releases through.",
    remediation: "Add a web.WebAppSlot (slot \"staging\") for the API web app in production.",
    reads: { [WEB_APP]: ["name", "httpsOnly"], [WEB_APP_SLOT]: ["name", "slot"] },
    check: (resources, { environmentOf }) => {
        const apps = resources.filter((r) => r.type === WEB_APP && environmentOf(r) === "production");
        const slots = resources.filter((r) => r.type === WEB_APP_SLOT);
        return apps.some((app) => slots.some((slot) => slot.props.name === app.props.name))
            ? []
            : [{ message: `none of the production web apps (${apps.map((a) => a.name).join(", ")}) has a deployment slot` }];
    },
});

// ---- Key Vault ----

const vaultRbac = resourceRule({
    name: "azure-keyvault-rbac", cloud: "azure", scope: "all", severity: "high", source: "Azure / Key Vault: enableRbacAuthorization",
    description: "Key Vault access is granted with Azure RBAC, not vault access policies.",
    remediation: "Set properties.enableRbacAuthorization: true and grant roles instead of accessPolicies.",
    reads: { [VAULT]: ["properties.enableRbacAuthorization"] },
    check: (p) => [p.properties?.enableRbacAuthorization === true ? undefined : `properties.enableRbacAuthorization is ${show(p.properties?.enableRbacAuthorization)}; must be true`],
});

const vaultSoftDelete = resourceRule({
    name: "azure-keyvault-soft-delete", cloud: "azure", scope: "all", severity: "high", source: "Azure / Key Vault: soft delete",
    description: "Deleted secrets and vaults stay recoverable (soft delete).",
    remediation: "Leave properties.enableSoftDelete unset or true (softDeleteRetentionInDays 7-90).",
    reads: { [VAULT]: ["properties.enableSoftDelete"] },
    check: (p) => [p.properties?.enableSoftDelete === false ? "properties.enableSoftDelete is false; must stay on" : undefined],
});

const vaultPurgeProtection = resourceRule({
    name: "azure-keyvault-purge-protection", cloud: "azure", scope: "production", severity: "high", source: "Azure / Key Vault: enablePurgeProtection (prod)",
    description: "Production Key Vault cannot be purged during its retention period.",
    remediation: "Set properties.enablePurgeProtection: true in production (it cannot be turned off again).",
    reads: { [VAULT]: ["properties.enablePurgeProtection"] },
    check: (p) => [p.properties?.enablePurgeProtection === true ? undefined : `properties.enablePurgeProtection is ${show(p.properties?.enablePurgeProtection)}; must be true in production`],
});

const secretsUserScoped = stackRule({
    name: "azure-keyvault-secrets-user-scoped", cloud: "azure", scope: "all", severity: "high", source: "Azure / Key Vault: the app's identity gets Key Vault Secrets User on the vault only",
    description: "\"Key Vault Secrets User\" is granted on the stack's vault (or one of its secrets), never on a resource group or subscription.",
    remediation: "Use the vault's id (vault.id, or a secret's id) as the authorization.RoleAssignment's scope.",
    reads: { [ROLE_ASSIGNMENT]: ["roleDefinitionId", "scope"], [VAULT]: ["id"], [VAULT_SECRET]: ["id"] },
    check: (resources) => {
        const grants = resources.filter((r) => r.type === ROLE_ASSIGNMENT && String(r.props.roleDefinitionId ?? "").toLowerCase().endsWith(KEY_VAULT_SECRETS_USER));
        if (grants.length === 0) return "the stack grants no Key Vault Secrets User role";
        // The ids of the stack's own vaults and secrets (what the program passes as scope), or a vault's ARM path.
        const ids = resources.filter((r) => r.type === VAULT || r.type === VAULT_SECRET).map((r) => r.props.id).filter(Boolean);
        const onVault = (scope: unknown) => ids.includes(scope) || /\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+(\/secrets\/[^/]+)?$/i.test(String(scope));
        return grants.filter((g) => !onVault(g.props.scope)).map((g) => ({ urn: g.urn, message: `${g.name}: scope is ${show(g.props.scope)}; grant it on the vault only` }));
    },
});

// ---- autoscale and observability ----

const autoscale = resourceRule<{ productionMinimum: number }>({
    name: "azure-autoscale-cpu-memory", cloud: "azure", scope: "all", severity: "high", source: "Azure / autoscale: prod minimum >= 2, scale-out and scale-in on CPU and memory",
    description: "The plan's autoscale setting scales out and in on CPU and memory, with at least 2 instances in production.",
    remediation: "Give every profile capacity.minimum >= 2 (production) and Increase and Decrease rules on CpuPercentage and MemoryPercentage.",
    config: { productionMinimum: { type: "integer", minimum: 1, default: 2, description: "Fewest instances in production." } },
    reads: { [AUTOSCALE]: ["profiles.capacity.minimum", "profiles.rules.metricTrigger.metricName", "profiles.rules.scaleAction.direction", "enabled"] },
    check: (p, { environment, config }) => list(p.profiles).flatMap((profile) => {
        const rules = list(profile.rules);
        const has = (metric: string, direction: string) => rules.some((r) => r.metricTrigger?.metricName === metric && r.scaleAction?.direction === direction);
        const missing = ["CpuPercentage", "MemoryPercentage"].flatMap((m) => ["Increase", "Decrease"].filter((d) => !has(m, d)).map((d) => `${m} ${d}`));
        return [
            p.enabled === false ? "enabled is false" : undefined,
            environment === "production" && !(Number(profile.capacity?.minimum) >= config.productionMinimum)
                ? `profile ${profile.name}: capacity.minimum is ${show(profile.capacity?.minimum)}; production runs at least ${config.productionMinimum}`
                : undefined,
            missing.length > 0 ? `profile ${profile.name}: no rule for ${missing.join(", ")}` : undefined,
        ];
    }),
});

const alertActions = resourceRule({
    name: "azure-metric-alert-actions", cloud: "azure", scope: "all", severity: "low", source: "Azure / observability: metric alerts with an action group",
    description: "Every metric alert notifies an action group.",
    remediation: "Set actions: [{ actionGroupId: actionGroup.id }] on the monitor.MetricAlert.",
    reads: { [METRIC_ALERT]: ["actions.actionGroupId"] },
    check: (p) => [list(p.actions).some((a) => a.actionGroupId) ? undefined : "actions is empty; the alert would fire silently"],
});

const workspaceInsights = resourceRule({
    name: "azure-app-insights-workspace-based", cloud: "azure", scope: "all", severity: "low", source: "Azure / observability: workspace-based Application Insights",
    description: "Application Insights stores its data in the Log Analytics workspace.",
    remediation: "Set workspaceResourceId: workspace.id (and ingestionMode LogAnalytics).",
    reads: { [APP_INSIGHTS]: ["workspaceResourceId"] },
    check: (p) => [p.workspaceResourceId ? undefined : "workspaceResourceId is unset; classic Application Insights is retired"],
});

// ---- the capacity rule (seed 004) ----

const capacityRule = stackRule({
    name: "azure-capacity-rule", cloud: "azure", scope: "all", severity: "high",
    source: "Seed 004: max_connections >= (DB_POOL_SIZE + DB_MAX_OVERFLOW) x (max API + max worker instances) + 10",
    description: "PostgreSQL's max_connections covers every connection the web apps (at their plan's autoscale maximum) and container apps (at maxReplicas) may open, plus 10.",
    remediation: "Raise max_connections (a bigger dbTier), or lower dbPoolSize/dbMaxOverflow, the autoscale maximum or the container apps' maxReplicas.",
    reads: {
        [PG_CONFIGURATION]: ["configurationName", "value"],
        [WEB_APP]: ["siteConfig.appSettings.name", "siteConfig.appSettings.value", "serverFarmId"],
        [APP_SETTINGS]: ["properties", "name"],
        [AUTOSCALE]: ["targetResourceUri", "profiles.capacity.maximum"],
        [CONTAINER_APP]: ["template.containers.env.name", "template.containers.env.value", "template.scale.maxReplicas"],
    },
    check: (resources) => {
        const setting = resources.find((r) => r.type === PG_CONFIGURATION && r.props.configurationName === "max_connections");
        const pool = (env: Record<string, unknown>) => Number(env.DB_POOL_SIZE) + Number(env.DB_MAX_OVERFLOW ?? 0);
        const webApps = resources.filter((r) => r.type === WEB_APP).flatMap((app) => {
            const separate = resources.find((r) => r.type === APP_SETTINGS && r.props.name === app.props.name)?.props.properties ?? {};
            const env: Record<string, unknown> = { ...Object.fromEntries(list(app.props.siteConfig?.appSettings).map((s) => [s.name, s.value])), ...separate };
            const scale = resources.find((r) => r.type === AUTOSCALE && r.props.targetResourceUri === app.props.serverFarmId);
            const max = Math.max(...list(scale?.props.profiles).map((p) => Number(p.capacity?.maximum)));
            return env.DB_POOL_SIZE === undefined || !Number.isFinite(max) ? [] : [{ pool: pool(env), max }];
        });
        const containerApps = resources.filter((r) => r.type === CONTAINER_APP).flatMap((app) => {
            const env = Object.fromEntries(list(app.props.template?.containers).flatMap((c) => list(c.env)).map((e) => [e.name, e.value]));
            const max = Number(app.props.template?.scale?.maxReplicas ?? 10); // Container Apps' default maximum
            return env.DB_POOL_SIZE === undefined ? [] : [{ pool: pool(env), max }];
        });
        const fleets = [...webApps, ...containerApps];
        if (!setting || fleets.length === 0) return "the stack lacks a max_connections server configuration or an autoscaled app with DB_POOL_SIZE";
        const required = fleets.reduce((sum, f) => sum + f.pool * f.max, 0) + 10;
        return Number(setting.props.value) >= required
            ? []
            : [{ urn: setting.urn, message: `max_connections is ${show(setting.props.value)}; the apps may open ${required - 10} connections + 10 = ${required}` }];
    },
});

export const AZURE_POLICIES: BaselinePolicy[] = [
    pgPrivate, pgHa, pgBackups, pgGeoBackup, pgAutoGrow, pgTls, pgLock,
    redisNoPlainPort, redisTls, redisSku, redisPrivate,
    planLinux, planZoneRedundant, webHttpsOnly, webTls, webFtps, webHealth, webAlwaysOn, webIdentity, webVnet, webSecrets, containerAppSecrets, webSlot,
    vaultRbac, vaultSoftDelete, vaultPurgeProtection, secretsUserScoped,
    autoscale, alertActions, workspaceInsights, capacityRule,
];
