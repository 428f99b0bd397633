import { pick, type Fields, type KeySetting } from "./common";

const flag = (flags: { name: string; value: string }[] | undefined, name: string) => flags?.find((f) => f.name === name)?.value;

/** The GCP settings a reviewer looks at first, by resource type. */
export const GCP_SETTINGS: Record<string, KeySetting> = {
    "gcp:sql/databaseInstance:DatabaseInstance": {
        label: "Cloud SQL",
        fields: (r) => {
            const s = r.plainInputs.settings ?? {};
            return {
                databaseVersion: r.plainInputs.databaseVersion,
                tier: s.tier,
                edition: s.edition,
                availabilityType: s.availabilityType,
                ipv4Enabled: s.ipConfiguration?.ipv4Enabled,
                sslMode: s.ipConfiguration?.sslMode,
                backups: s.backupConfiguration ? `${s.backupConfiguration.backupRetentionSettings?.retainedBackups} kept` : undefined,
                pointInTimeRecovery: s.backupConfiguration?.pointInTimeRecoveryEnabled,
                backupLocation: s.backupConfiguration?.location,
                restore: r.plainInputs.restoreBackupContext ? JSON.stringify(r.plainInputs.restoreBackupContext) : r.plainInputs.clone ? JSON.stringify(r.plainInputs.clone) : undefined,
                max_connections: flag(s.databaseFlags, "max_connections"),
                queryInsights: s.insightsConfig?.queryInsightsEnabled,
                diskAutoresizeLimit: s.diskAutoresizeLimit,
                deletionProtection: r.plainInputs.deletionProtection,
                deletionProtectionEnabled: s.deletionProtectionEnabled,
                replicaOf: r.plainInputs.masterInstanceName,
                protect: r.protect,
            };
        },
    },
    "gcp:redis/instance:Instance": {
        label: "Memorystore",
        fields: (r) => ({
            ...pick(r.plainInputs, ["tier", "memorySizeGb", "authEnabled", "transitEncryptionMode", "connectMode", "deletionProtection"]),
            persistence: r.plainInputs.persistenceConfig?.persistenceMode,
            protect: r.protect,
        }),
    },
    "gcp:cloudrunv2/service:Service": {
        label: "Cloud Run service",
        fields: (r) => {
            const template = r.plainInputs.template ?? {};
            const container = template.containers?.[0] ?? {};
            const envs: (Fields & { valueSource?: unknown })[] = container.envs ?? [];
            return {
                ingress: r.plainInputs.ingress,
                instances: `${template.scaling?.minInstanceCount}-${template.scaling?.maxInstanceCount}`,
                cpuUtilization: template.scaling?.cpuUtilization,
                cpu: container.resources?.limits?.cpu,
                memory: container.resources?.limits?.memory,
                cpuAlwaysAllocated: container.resources?.cpuIdle === false,
                probes: ["startupProbe", "livenessProbe", "readinessProbe"]
                    .filter((probe) => container[probe])
                    .map((probe) => `${probe.replace("Probe", "")}:${container[probe].httpGet?.path ?? "tcp"}`)
                    .join(" "),
                secretRefs: envs.filter((e) => e.valueSource).length,
                deletionProtection: r.plainInputs.deletionProtection,
            };
        },
    },
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": {
        label: "Cloud Run invokers",
        summary: (rs) => rs.map((r) => `${r.plainInputs.member} ${r.plainInputs.role}`).join("; "),
    },
    "gcp:cloudrunv2/job:Job": {
        label: "Cloud Run job",
        fields: (r) => ({
            args: (r.plainInputs.template?.template?.containers?.[0]?.args ?? []).join(" "),
            maxRetries: r.plainInputs.template?.template?.maxRetries,
        }),
    },
    "gcp:secretmanager/secret:Secret": {
        label: "Secret Manager",
        summary: (rs) => `${rs.length} secrets (${rs.filter((r) => r.protect).length} protected)`,
    },
    "gcp:secretmanager/secretIamMember:SecretIamMember": {
        label: "Secret readers",
        summary: (rs) => [...new Set(rs.map((r) => `${r.plainInputs.member} ${r.plainInputs.role}`))].join("; ") + ` on ${rs.length} secrets`,
    },
    "gcp:compute/sSLPolicy:SSLPolicy": { label: "TLS policy", fields: (r) => pick(r.plainInputs, ["profile", "minTlsVersion"]) },
    "gcp:compute/securityPolicy:SecurityPolicy": {
        label: "Cloud Armor",
        summary: (rs) =>
            rs.map((r) => {
                const rules: (Fields & { rateLimitOptions?: { rateLimitThreshold?: Fields } })[] = r.plainInputs.rules ?? [];
                const threshold = rules.find((rule) => rule.rateLimitOptions)?.rateLimitOptions?.rateLimitThreshold;
                return `${r.name} (${rules.length} rules${threshold ? `, rate limit ${threshold.count}/${threshold.intervalSec}s per IP` : ""})`;
            }).join("; "),
    },
    "gcp:compute/backendService:BackendService": {
        label: "Load balancer backend",
        fields: (r) => ({ ...pick(r.plainInputs, ["loadBalancingScheme", "protocol"]), logging: r.plainInputs.logConfig?.enable, cloudArmor: r.plainInputs.securityPolicy !== undefined }),
    },
    "gcp:compute/managedSslCertificate:ManagedSslCertificate": {
        label: "Certificate",
        summary: (rs) => rs.map((r) => `Google-managed for ${(r.plainInputs.managed?.domains ?? []).join(", ")}`).join("; "),
    },
    "gcp:monitoring/alertPolicy:AlertPolicy": { label: "Alert policies", summary: (rs) => `${rs.length} Cloud Monitoring alert policies` },
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": {
        label: "Log bucket",
        summary: (rs) => rs.map((r) => `${r.plainInputs.bucketId} (${r.plainInputs.retentionDays} days)`).join("; "),
    },
    "gcp:storage/bucket:Bucket": {
        label: "Cloud Storage bucket",
        fields: (r) => ({
            ...pick(r.plainInputs, ["name", "location", "rpo", "publicAccessPrevention", "uniformBucketLevelAccess"]),
            dataLocations: (r.plainInputs.customPlacementConfig?.dataLocations ?? []).join("+") || undefined,
            versioning: r.plainInputs.versioning?.enabled,
            protect: r.protect,
        }),
    },
};
