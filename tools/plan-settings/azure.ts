import { pick, type Fields, type KeySetting } from "./common";

const KEY_VAULT_REFERENCE = /^@Microsoft\.KeyVault\(SecretUri=/;

/** The Azure settings a reviewer looks at first, by resource type. */
export const AZURE_SETTINGS: Record<string, KeySetting> = {
    "azure-native:dbforpostgresql:Server": {
        label: "PostgreSQL",
        fields: (r) => ({
            sku: r.plainInputs.sku?.name,
            version: r.plainInputs.version,
            ...(r.plainInputs.createMode === "Replica"
                ? { replicaOf: r.plainInputs.sourceServerResourceId }
                : {
                      highAvailability: r.plainInputs.highAvailability?.mode,
                      backupRetentionDays: r.plainInputs.backup?.backupRetentionDays,
                      geoRedundantBackup: r.plainInputs.backup?.geoRedundantBackup,
                      ...(r.plainInputs.createMode ? { createMode: r.plainInputs.createMode, restoreSource: r.plainInputs.sourceServerResourceId, pointInTimeUTC: r.plainInputs.pointInTimeUTC } : {}),
                      administratorLoginPassword: r.secretPaths.includes("administratorLoginPassword") ? "secret" : "PLAIN TEXT",
                  }),
            storageSizeGB: r.plainInputs.storage?.storageSizeGB,
            autoGrow: r.plainInputs.storage?.autoGrow,
            publicNetworkAccess: r.plainInputs.network?.publicNetworkAccess,
            protect: r.protect,
        }),
    },
    "azure-native:dbforpostgresql:Configuration": {
        label: "PostgreSQL parameters",
        summary: (rs) => {
            const byServer = new Map<string, string[]>();
            for (const r of rs) byServer.set(r.plainInputs.serverName, [...(byServer.get(r.plainInputs.serverName) ?? []), `${r.plainInputs.configurationName}=${r.plainInputs.value}`]);
            return [...byServer].map(([server, parameters]) => `${server}: ${parameters.join(", ")}`).join("; ");
        },
    },
    "azure-native:authorization:ManagementLockByScope": { label: "Management lock", fields: (r) => pick(r.plainInputs, ["level", "scope"]) },
    "azure-native:redis:Redis": {
        label: "Redis",
        fields: (r) => ({
            sku: `${r.plainInputs.sku?.name} ${r.plainInputs.sku?.family}${r.plainInputs.sku?.capacity}`,
            ...pick(r.plainInputs, ["enableNonSslPort", "minimumTlsVersion", "publicNetworkAccess", "replicasPerPrimary", "zonalAllocationPolicy"]),
            protect: r.protect,
        }),
    },
    "azure-native:network:PrivateEndpoint": {
        label: "Private endpoints",
        summary: (rs) => rs.map((r) => `${r.name} (${(r.plainInputs.privateLinkServiceConnections ?? []).flatMap((c: Fields & { groupIds?: string[] }) => c.groupIds ?? []).join(", ")})`).join("; "),
    },
    "azure-native:keyvault:Vault": {
        label: "Key Vault",
        fields: (r) => ({
            ...pick(r.plainInputs.properties ?? {}, ["enableRbacAuthorization", "enableSoftDelete", "softDeleteRetentionInDays", "enablePurgeProtection"]),
            protect: r.protect,
        }),
    },
    "azure-native:keyvault:Secret": {
        label: "Key Vault secrets",
        summary: (rs) => `${rs.map((r) => r.plainInputs.secretName).join(", ")} (value ${rs.every((r) => r.secretPaths.includes("properties")) ? "secret" : "PLAIN TEXT"})`,
    },
    "azure-native:authorization:RoleAssignment": {
        label: "Role assignments",
        summary: (rs) => rs.map((r) => `${String(r.plainInputs.roleDefinitionId).split("/").pop()} on ${r.plainInputs.scope}`).join("; "),
    },
    "azure-native:web:AppServicePlan": {
        label: "App Service plan",
        fields: (r) => ({ sku: r.plainInputs.sku?.name, capacity: r.plainInputs.sku?.capacity, ...pick(r.plainInputs, ["reserved", "zoneRedundant"]) }),
    },
    "azure-native:web:WebApp": { label: "Web app", fields: (r) => siteSettings(r.plainInputs) },
    "azure-native:web:WebAppSlot": { label: "Deployment slot", fields: (r) => ({ slot: r.plainInputs.slot, ...siteSettings(r.plainInputs) }) },
    "azure-native:app:ContainerApp": {
        label: "Container app",
        fields: (r) => ({
            ingress: r.plainInputs.configuration?.ingress ? "yes" : "none",
            replicas: `${r.plainInputs.template?.scale?.minReplicas}-${r.plainInputs.template?.scale?.maxReplicas}`,
            size: `${r.plainInputs.template?.containers?.[0]?.resources?.cpu} vCPU/${r.plainInputs.template?.containers?.[0]?.resources?.memory}`,
            scaleRules: (r.plainInputs.template?.scale?.rules ?? []).map((rule: { name: string; custom?: { metadata?: { value?: string } } }) => `${rule.name} ${rule.custom?.metadata?.value}`).join(", "),
        }),
    },
    "azure-native:app:Job": {
        label: "Container Apps job",
        fields: (r) => ({
            triggerType: r.plainInputs.configuration?.triggerType,
            replicaTimeout: r.plainInputs.configuration?.replicaTimeout,
            args: (r.plainInputs.template?.containers?.[0]?.args ?? []).join(" "),
        }),
    },
    "azure-native:monitor:AutoscaleSetting": {
        label: "Autoscale",
        fields: (r) => {
            const profile = r.plainInputs.profiles?.[0] ?? {};
            const rules = (profile.rules ?? []).map((rule: { metricTrigger: Fields; scaleAction: Fields }) =>
                `${rule.metricTrigger.metricName} ${rule.metricTrigger.operator === "GreaterThan" ? ">" : "<"} ${rule.metricTrigger.threshold} ${rule.scaleAction.direction === "Increase" ? "+" : "-"}${rule.scaleAction.value}`);
            return { min: profile.capacity?.minimum, max: profile.capacity?.maximum, rules: rules.join(", ") };
        },
    },
    "azure-native:cdn:Profile": { label: "Front Door", fields: (r) => ({ sku: r.plainInputs.sku?.name }) },
    "azure-native:cdn:AFDCustomDomain": {
        label: "Front Door domain",
        fields: (r) => ({ hostName: r.plainInputs.hostName, certificate: r.plainInputs.tlsSettings?.certificateType, minimumTls: r.plainInputs.tlsSettings?.minimumTlsVersion }),
    },
    "azure-native:frontdoor:Policy": {
        label: "WAF",
        fields: (r) => {
            const rate = (r.plainInputs.customRules?.rules ?? []).find((rule: Fields) => rule.ruleType === "RateLimitRule");
            return {
                mode: r.plainInputs.policySettings?.mode,
                rateLimit: rate ? `${rate.rateLimitThreshold}/${rate.rateLimitDurationInMinutes} min per client IP` : "none",
                managedRuleSets: (r.plainInputs.managedRules?.managedRuleSets ?? []).map((set: Fields) => `${set.ruleSetType} ${set.ruleSetVersion}`).join(", "),
            };
        },
    },
    "azure-native:operationalinsights:Workspace": { label: "Log Analytics", fields: (r) => pick(r.plainInputs, ["retentionInDays"]) },
    "azure-native:monitor:MetricAlert": { label: "Alerts", summary: (rs) => `${rs.length} metric alerts` },
    "azure-native:storage:StorageAccount": {
        label: "Storage account",
        fields: (r) => ({
            sku: r.plainInputs.sku?.name,
            ...pick(r.plainInputs, ["allowBlobPublicAccess", "allowSharedKeyAccess", "enableHttpsTrafficOnly", "minimumTlsVersion"]),
            protect: r.protect,
        }),
    },
    "azure-native:storage:BlobServiceProperties": { label: "Blob service", fields: (r) => pick(r.plainInputs, ["isVersioningEnabled"]) },
};

/** What a reviewer checks on the API and its slot, with every app setting either plain or a Key Vault reference. */
function siteSettings(inputs: Fields): Fields {
    const site = inputs as Fields & { siteConfig?: Fields & { appSettings?: { name: string; value: string }[]; ipSecurityRestrictions?: unknown[] } };
    const settings = site.siteConfig?.appSettings ?? [];
    return {
        ...pick(site, ["httpsOnly"]),
        ...pick(site.siteConfig ?? {}, ["linuxFxVersion", "minTlsVersion", "ftpsState", "healthCheckPath", "alwaysOn", "http20Enabled", "vnetRouteAllEnabled"]),
        vnetIntegration: site.virtualNetworkSubnetId !== undefined,
        keyVaultReferences: settings.filter((s) => KEY_VAULT_REFERENCE.test(s.value)).length,
        accessRestrictions: site.siteConfig?.ipSecurityRestrictionsDefaultAction === "Deny" ? "Front Door only" : "none",
    };
}
