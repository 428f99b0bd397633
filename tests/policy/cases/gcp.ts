import { patchResource, without, type PolicyCase } from "../fixtures";

const flags = (names: string[]) => ({ settings: { databaseFlags: names.map((name) => ({ name, value: "on" })) } });

/** Failing (and notable passing) cases for every GCP policy; compliant resources are in ../fixtures.ts. */
export const GCP_CASES: PolicyCase[] = [
    { policy: "gcp-sql-postgres", title: "MySQL", from: "db", patch: { databaseVersion: "MYSQL_8_0" }, expect: "fail", match: /MYSQL_8_0/ },
    { policy: "gcp-sql-private-ip-only", title: "a public IP (the provider's default)", from: "db", patch: { settings: { ipConfiguration: { ipv4Enabled: undefined } } }, expect: "fail", match: /ipv4Enabled is unset/ },
    { policy: "gcp-sql-private-ip-only", title: "no private network", from: "db", patch: { settings: { ipConfiguration: { privateNetwork: undefined } } }, expect: "fail", match: /privateNetwork is unset/ },
    { policy: "gcp-sql-ssl-only", title: "unencrypted connections allowed", from: "db", patch: { settings: { ipConfiguration: { sslMode: "ALLOW_UNENCRYPTED_AND_ENCRYPTED" } } }, expect: "fail" },
    { policy: "gcp-sql-ssl-only", title: "client certificates required", from: "db", patch: { settings: { ipConfiguration: { sslMode: "TRUSTED_CLIENT_CERTIFICATE_REQUIRED" } } }, expect: "pass" },
    { policy: "gcp-sql-backups", title: "backups off", from: "db", patch: { settings: { backupConfiguration: { enabled: false } } }, expect: "fail" },
    { policy: "gcp-sql-backups", title: "a read replica", from: "db", patch: { masterInstanceName: "db", settings: { backupConfiguration: undefined } }, expect: "not-applicable" },
    { policy: "gcp-sql-point-in-time-recovery", title: "no PITR in production", from: "db", patch: { settings: { backupConfiguration: { pointInTimeRecoveryEnabled: false } } }, expect: "fail" },
    { policy: "gcp-sql-point-in-time-recovery", title: "3 retained backups in production", from: "db", patch: { settings: { backupConfiguration: { backupRetentionSettings: { retainedBackups: 3 } } } }, expect: "fail", match: /retainedBackups is 3/ },
    { policy: "gcp-sql-point-in-time-recovery", title: "no PITR in staging", from: "db", patch: { settings: { backupConfiguration: { pointInTimeRecoveryEnabled: false } } }, environment: "staging", expect: "not-applicable" },
    { policy: "gcp-sql-regional-availability", title: "a zonal production instance", from: "db", patch: { settings: { availabilityType: "ZONAL" } }, expect: "fail", match: /'ZONAL'/ },
    { policy: "gcp-sql-deletion-protection", title: "API-level protection off", from: "db", patch: { settings: { deletionProtectionEnabled: undefined } }, expect: "fail" },
    { policy: "gcp-sql-deletion-protection", title: "Pulumi-level protection off", from: "db", patch: { deletionProtection: false }, expect: "fail", match: /deletionProtection is false/ },
    { policy: "gcp-sql-disk-autoresize", title: "a fixed disk", from: "db", patch: { settings: { diskAutoresize: false } }, expect: "fail" },
    { policy: "gcp-sql-query-insights", title: "no Query Insights", from: "db", patch: { settings: { insightsConfig: undefined } }, expect: "fail" },
    { policy: "gcp-sql-logging-flags", title: "only log_connections", from: "db", patch: flags(["log_connections"]), expect: "fail", match: /log_disconnections=on, log_checkpoints=on, log_lock_waits=on/ },

    { policy: "gcp-redis-auth", title: "no AUTH", from: "cache", patch: { authEnabled: false }, expect: "fail" },
    { policy: "gcp-redis-transit-encryption", title: "TLS left at the default (DISABLED)", from: "cache", patch: { transitEncryptionMode: undefined }, expect: "fail", match: /unset/ },
    { policy: "gcp-redis-private-service-access", title: "direct peering", from: "cache", patch: { connectMode: "DIRECT_PEERING" }, expect: "fail" },
    { policy: "gcp-redis-standard-ha", title: "BASIC in production", from: "cache", patch: { tier: "BASIC" }, expect: "fail" },
    { policy: "gcp-redis-standard-ha", title: "BASIC in staging", from: "cache", patch: { tier: "BASIC" }, environment: "staging", expect: "not-applicable" },
    { policy: "gcp-redis-persistence", title: "no persistence in production", from: "cache", patch: { persistenceConfig: { persistenceMode: "DISABLED" } }, expect: "fail" },

    { policy: "gcp-cloudrun-dedicated-service-account", title: "the default compute account", from: "api", patch: { template: { serviceAccount: "123-compute@developer.gserviceaccount.com" } }, expect: "fail", match: /default compute account/ },
    { policy: "gcp-cloudrun-dedicated-service-account", title: "a job without a service account", from: "migrations", patch: { template: { template: { serviceAccount: undefined } } }, expect: "fail", match: /sets no serviceAccount/ },
    {
        policy: "gcp-cloudrun-secrets-by-reference", title: "REDIS_URL as a plain env value", from: "api",
        patch: { template: { containers: [{ image: "i", envs: [{ name: "REDIS_URL", value: "rediss://:token@10.0.0.3:6378/0" }] }] } }, expect: "fail", match: /REDIS_URL is set as a plain value/,
    },
    {
        policy: "gcp-cloudrun-secrets-by-reference", title: "a plain SECRET_KEY in the migrations job", from: "migrations",
        patch: { template: { template: { containers: [{ image: "i", envs: [{ name: "SECRET_KEY", value: "x".repeat(40) }] }] } } }, expect: "fail",
    },
    { policy: "gcp-cloudrun-vpc-egress", title: "no VPC access", from: "worker", patch: { template: { vpcAccess: undefined } }, expect: "fail" },
    { policy: "gcp-cloudrun-vpc-egress", title: "a Serverless VPC Access connector", from: "api", patch: { template: { vpcAccess: { networkInterfaces: undefined, connector: "projects/p/locations/r/connectors/c" } } }, expect: "pass" },
    { policy: "gcp-cloudrun-health-probes", title: "no startup probe", from: "api", patch: { template: { containers: [{ image: "i", ports: { containerPort: 8000 }, livenessProbe: { httpGet: { path: "/health" } } }] } }, expect: "fail", match: /startupProbe is unset/ },
    { policy: "gcp-cloudrun-health-probes", title: "the internal-only worker", from: "worker", expect: "not-applicable" },
    { policy: "gcp-cloudrun-min-instances", title: "scale to zero in production", from: "api", patch: { template: { scaling: { minInstanceCount: 0 } } }, expect: "fail" },
    { policy: "gcp-cloudrun-min-instances", title: "scale to zero in staging", from: "api", patch: { template: { scaling: { minInstanceCount: 0 } } }, environment: "staging", expect: "not-applicable" },
    { policy: "gcp-cloudrun-request-timeout", title: "Cloud Run's 300 s default timeout", from: "api", patch: { template: { timeout: undefined } }, expect: "fail", match: /template.timeout/ },
    { policy: "gcp-cloudrun-max-instances", title: "unbounded scaling", from: "api", patch: { template: { scaling: { maxInstanceCount: undefined } } }, expect: "fail" },
    { policy: "gcp-cloudrun-deletion-protection", title: "deletion protection off in production", from: "api", patch: { deletionProtection: false }, expect: "fail" },
    { policy: "gcp-secret-access-scoped", title: "secretmanager.admin", from: "database-url-access", patch: { role: "roles/secretmanager.admin" }, expect: "fail", match: /roles\/secretmanager.admin/ },
    { policy: "gcp-secret-access-scoped", title: "allUsers", from: "database-url-access", patch: { member: "allUsers" }, expect: "fail", match: /'allUsers' is not a service account/ },

    { policy: "gcp-cloud-armor-rate-limit", title: "no Cloud Armor on the backend", edit: patchResource("api-backend", { securityPolicy: undefined }), expect: "fail", match: /no backend service with a Cloud Armor policy/ },
    { policy: "gcp-cloud-armor-rate-limit", title: "a Cloud Armor policy that only allows", edit: patchResource("armor", { rules: [{ action: "allow", priority: 2147483647, match: {} }] }), expect: "fail" },
    { policy: "gcp-cloud-armor-rate-limit", title: "no HTTPS load balancer", edit: without("https-proxy", "neg"), expect: "fail", match: /no HTTPS load balancer[\s\S]*no serverless network endpoint group/ },
    {
        policy: "gcp-cloud-armor-rate-limit", title: "rate limiting in a separate SecurityPolicyRule",
        edit: (stack) => [...patchResource("armor", { rules: [] })(stack), { type: "gcp:compute/securityPolicyRule:SecurityPolicyRule", name: "throttle", props: { securityPolicy: "armor", action: "rate_based_ban", rateLimitOptions: {} } }],
        expect: "pass",
    },
    { policy: "gcp-cloud-armor-rate-limit", title: "a staging stack without an edge", edit: without("armor", "api-backend", "neg", "https-proxy"), environment: "staging", expect: "not-applicable" },
    { policy: "gcp-alert-notification-channels", title: "a silent alert policy", from: "api-5xx", patch: { notificationChannels: [] }, expect: "fail" },
    {
        policy: "gcp-capacity-rule", title: "max_connections below the fleets' demand",
        edit: patchResource("db", { settings: { databaseFlags: [{ name: "max_connections", value: "500" }] } }), expect: "fail", match: /max_connections is 500; the fleets may open 840 connections \+ 10 = 850/,
    },
    { policy: "gcp-capacity-rule", title: "no max_connections flag", edit: patchResource("db", { settings: { databaseFlags: [] } }), expect: "fail", match: /unset/ },
];
