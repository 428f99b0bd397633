import type { PolicyResource } from "@pulumi/policy";
import { list, plainSecretProblem, resourceRule, SECRET_ENV_NAMES, show, stackRule, type BaselinePolicy, type Props } from "./common";

/**
 * The production baseline on GCP (Cloud Run v2 + Cloud SQL PostgreSQL + Memorystore + Secret Manager),
 * written from the @pulumi/gcp 9 input types; "(prod)" items are production-only.
 */

const SQL = "gcp:sql/databaseInstance:DatabaseInstance";
const REDIS = "gcp:redis/instance:Instance";
const SERVICE = "gcp:cloudrunv2/service:Service";
const JOB = "gcp:cloudrunv2/job:Job";
const WORKER_POOL = "gcp:cloudrunv2/workerPool:WorkerPool";
const SECRET_IAM_MEMBER = "gcp:secretmanager/secretIamMember:SecretIamMember";
const SECRET_IAM_BINDING = "gcp:secretmanager/secretIamBinding:SecretIamBinding";
const SECURITY_POLICY = "gcp:compute/securityPolicy:SecurityPolicy";
const SECURITY_POLICY_RULE = "gcp:compute/securityPolicyRule:SecurityPolicyRule";
const BACKEND_SERVICE = "gcp:compute/backendService:BackendService";
const HTTPS_PROXY = "gcp:compute/targetHttpsProxy:TargetHttpsProxy";
const NEG = "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup";
const ALERT_POLICY = "gcp:monitoring/alertPolicy:AlertPolicy";

/** Cloud Run workloads and where their revision template sits (a Job nests it one level deeper). */
function runTemplate(type: string, props: Props): Props {
    return (type === JOB ? props.template?.template : props.template) ?? {};
}
const isReplica = (p: Props) => (p.masterInstanceName ? "a read replica follows its primary" : undefined);
const flagsOf = (p: Props): Record<string, string> => Object.fromEntries(list(p.settings?.databaseFlags).map((f) => [f.name, String(f.value)]));
/** A Cloud Run service that only the VPC (the worker) can reach. */
const internalOnly = (p: Props) => p.ingress === "INGRESS_TRAFFIC_INTERNAL_ONLY";

// ---- Cloud SQL ----

const sqlPostgres = resourceRule({
    name: "gcp-sql-postgres", cloud: "gcp", scope: "all", severity: "low", source: "GCP / Cloud SQL: databaseVersion POSTGRES_1x",
    description: "The application database is Cloud SQL for PostgreSQL.",
    remediation: "Set databaseVersion: `POSTGRES_${dbVersion}`.",
    reads: { [SQL]: ["databaseVersion"] },
    check: (p) => [typeof p.databaseVersion === "string" && p.databaseVersion.startsWith("POSTGRES_") ? undefined : `databaseVersion is ${show(p.databaseVersion)}; must be POSTGRES_<major>`],
});

const sqlPrivateIp = resourceRule({
    name: "gcp-sql-private-ip-only", cloud: "gcp", scope: "all", severity: "critical",
    source: "GCP / Cloud SQL: settings.ipConfiguration {ipv4Enabled: false, privateNetwork}",
    description: "Cloud SQL has no public IP and sits on the VPC through private service access.",
    remediation: "Set settings.ipConfiguration: { ipv4Enabled: false, privateNetwork: vpc.id } (after the servicenetworking.Connection).",
    reads: { [SQL]: ["settings.ipConfiguration.ipv4Enabled", "settings.ipConfiguration.privateNetwork"] },
    check: (p) => {
        const ip = p.settings?.ipConfiguration ?? {};
        return [
            ip.ipv4Enabled === false ? undefined : `settings.ipConfiguration.ipv4Enabled is ${show(ip.ipv4Enabled)}; must be false (public IP is on by default)`,
            ip.privateNetwork ? undefined : "settings.ipConfiguration.privateNetwork is unset; the instance would have no private address",
        ];
    },
});

const sqlSsl = resourceRule({
    name: "gcp-sql-ssl-only", cloud: "gcp", scope: "all", severity: "critical", source: "GCP / Cloud SQL: sslMode ENCRYPTED_ONLY",
    description: "Cloud SQL accepts encrypted connections only.",
    remediation: "Set settings.ipConfiguration.sslMode: \"ENCRYPTED_ONLY\" (or TRUSTED_CLIENT_CERTIFICATE_REQUIRED).",
    reads: { [SQL]: ["settings.ipConfiguration.sslMode"] },
    check: (p) => {
        const mode = p.settings?.ipConfiguration?.sslMode;
        return [mode === "ENCRYPTED_ONLY" || mode === "TRUSTED_CLIENT_CERTIFICATE_REQUIRED" ? undefined : `settings.ipConfiguration.sslMode is ${show(mode)}; must be ENCRYPTED_ONLY`];
    },
});

const sqlBackups = resourceRule({
    name: "gcp-sql-backups", cloud: "gcp", scope: "all", severity: "high", source: "GCP / Cloud SQL: backupConfiguration.enabled",
    description: "Cloud SQL takes automated backups.",
    remediation: "Set settings.backupConfiguration.enabled: true.",
    reads: { [SQL]: ["settings.backupConfiguration.enabled", "masterInstanceName"] },
    skip: isReplica,
    check: (p) => [p.settings?.backupConfiguration?.enabled === true ? undefined : `settings.backupConfiguration.enabled is ${show(p.settings?.backupConfiguration?.enabled)}; must be true`],
});

const sqlPitr = resourceRule<{ minimumBackups: number }>({
    name: "gcp-sql-point-in-time-recovery", cloud: "gcp", scope: "production", severity: "high",
    source: "GCP / Cloud SQL: pointInTimeRecoveryEnabled (prod); every cloud: prod backups >= 7 days",
    description: "Production Cloud SQL has point-in-time recovery and keeps at least 7 daily backups.",
    remediation: "Set settings.backupConfiguration.pointInTimeRecoveryEnabled: true and backupRetentionSettings.retainedBackups >= 7 (dbBackupDays).",
    config: { minimumBackups: { type: "integer", minimum: 1, default: 7, description: "Fewest retained daily backups." } },
    reads: { [SQL]: ["settings.backupConfiguration.pointInTimeRecoveryEnabled", "settings.backupConfiguration.backupRetentionSettings.retainedBackups", "masterInstanceName"] },
    skip: isReplica,
    check: (p, { config }) => {
        const backup = p.settings?.backupConfiguration ?? {};
        const retained = backup.backupRetentionSettings?.retainedBackups ?? 7; // Cloud SQL's default
        return [
            backup.pointInTimeRecoveryEnabled === true ? undefined : `pointInTimeRecoveryEnabled is ${show(backup.pointInTimeRecoveryEnabled)}; must be true in production`,
            retained >= config.minimumBackups ? undefined : `retainedBackups is ${retained}; production keeps at least ${config.minimumBackups}`,
        ];
    },
});

const sqlHa = resourceRule({
    name: "gcp-sql-regional-availability", cloud: "gcp", scope: "production", severity: "high", source: "GCP / Cloud SQL: availabilityType REGIONAL (prod)",
    description: "Production Cloud SQL has a standby in another zone.",
    remediation: "Set settings.availabilityType: \"REGIONAL\" in production.",
    reads: { [SQL]: ["settings.availabilityType", "masterInstanceName"] },
    skip: isReplica,
    check: (p) => [p.settings?.availabilityType === "REGIONAL" ? undefined : `settings.availabilityType is ${show(p.settings?.availabilityType)}; must be REGIONAL`],
});

const sqlDeletionProtection = resourceRule({
    name: "gcp-sql-deletion-protection", cloud: "gcp", scope: "production", severity: "high",
    source: "GCP / Cloud SQL: deletionProtection + settings.deletionProtectionEnabled (prod)",
    description: "Production Cloud SQL refuses deletion both in Pulumi and at the API.",
    remediation: "Keep deletionProtection true and set settings.deletionProtectionEnabled: true in production.",
    reads: { [SQL]: ["deletionProtection", "settings.deletionProtectionEnabled"] },
    check: (p) => [
        p.deletionProtection === false ? "deletionProtection is false; must stay true in production" : undefined,
        p.settings?.deletionProtectionEnabled === true ? undefined : `settings.deletionProtectionEnabled is ${show(p.settings?.deletionProtectionEnabled)}; must be true`,
    ],
});

const sqlAutoresize = resourceRule({
    name: "gcp-sql-disk-autoresize", cloud: "gcp", scope: "all", severity: "medium", source: "GCP / Cloud SQL: diskAutoresize",
    description: "Cloud SQL storage grows on its own.",
    remediation: "Set settings.diskAutoresize: true (and diskAutoresizeLimit from dbMaxStorageGb).",
    reads: { [SQL]: ["settings.diskAutoresize"] },
    check: (p) => [p.settings?.diskAutoresize === false ? "settings.diskAutoresize is false; a full disk stops the database" : undefined],
});

const sqlInsights = resourceRule({
    name: "gcp-sql-query-insights", cloud: "gcp", scope: "all", severity: "low", source: "GCP / Cloud SQL: insightsConfig.queryInsightsEnabled",
    description: "Cloud SQL has Query Insights on.",
    remediation: "Set settings.insightsConfig: { queryInsightsEnabled: true }.",
    reads: { [SQL]: ["settings.insightsConfig.queryInsightsEnabled"] },
    check: (p) => [p.settings?.insightsConfig?.queryInsightsEnabled === true ? undefined : `settings.insightsConfig.queryInsightsEnabled is ${show(p.settings?.insightsConfig?.queryInsightsEnabled)}`],
});

const sqlLogFlags = resourceRule({
    name: "gcp-sql-logging-flags", cloud: "gcp", scope: "all", severity: "medium",
    source: "GCP / Cloud SQL: databaseFlags log_connections, log_disconnections, log_checkpoints, log_lock_waits",
    description: "Cloud SQL logs connections, disconnections, checkpoints and lock waits.",
    remediation: "Add databaseFlags { name: \"log_connections\", value: \"on\" } and the same for log_disconnections, log_checkpoints, log_lock_waits.",
    reads: { [SQL]: ["settings.databaseFlags.name", "settings.databaseFlags.value"] },
    check: (p) => {
        const flags = flagsOf(p);
        const off = ["log_connections", "log_disconnections", "log_checkpoints", "log_lock_waits"].filter((f) => flags[f] !== "on");
        return [off.length === 0 ? undefined : `databaseFlags lack ${off.map((f) => `${f}=on`).join(", ")}`];
    },
});

// ---- Memorystore ----

const redisAuth = resourceRule({
    name: "gcp-redis-auth", cloud: "gcp", scope: "all", severity: "high", source: "GCP / Memorystore: authEnabled",
    description: "Memorystore requires AUTH.",
    remediation: "Set authEnabled: true and deliver the auth string through Secret Manager (REDIS_URL).",
    reads: { [REDIS]: ["authEnabled"] },
    check: (p) => [p.authEnabled === true ? undefined : `authEnabled is ${show(p.authEnabled)}; must be true`],
});

const redisTls = resourceRule({
    name: "gcp-redis-transit-encryption", cloud: "gcp", scope: "all", severity: "critical", source: "GCP / Memorystore: transitEncryptionMode SERVER_AUTHENTICATION",
    description: "Memorystore accepts TLS connections only.",
    remediation: "Set transitEncryptionMode: \"SERVER_AUTHENTICATION\" (the default is DISABLED).",
    reads: { [REDIS]: ["transitEncryptionMode"] },
    check: (p) => [p.transitEncryptionMode === "SERVER_AUTHENTICATION" ? undefined : `transitEncryptionMode is ${show(p.transitEncryptionMode)}; must be SERVER_AUTHENTICATION`],
});

const redisPsa = resourceRule({
    name: "gcp-redis-private-service-access", cloud: "gcp", scope: "all", severity: "high", source: "GCP / Memorystore: connectMode PRIVATE_SERVICE_ACCESS",
    description: "Memorystore is reached through private service access on the VPC.",
    remediation: "Set connectMode: \"PRIVATE_SERVICE_ACCESS\" and authorizedNetwork: vpc.id.",
    reads: { [REDIS]: ["connectMode"] },
    check: (p) => [p.connectMode === "PRIVATE_SERVICE_ACCESS" ? undefined : `connectMode is ${show(p.connectMode)}; must be PRIVATE_SERVICE_ACCESS`],
});

const redisHa = resourceRule({
    name: "gcp-redis-standard-ha", cloud: "gcp", scope: "production", severity: "high", source: "GCP / Memorystore: tier STANDARD_HA (prod)",
    description: "Production Memorystore has a replica with automatic failover.",
    remediation: "Set tier: \"STANDARD_HA\" in production (cacheHa).",
    reads: { [REDIS]: ["tier"] },
    check: (p) => [p.tier === "STANDARD_HA" ? undefined : `tier is ${show(p.tier)}; must be STANDARD_HA in production`],
});

const redisPersistence = resourceRule({
    name: "gcp-redis-persistence", cloud: "gcp", scope: "production", severity: "medium", source: "GCP / Memorystore: persistence (prod)",
    description: "Production Memorystore persists snapshots.",
    remediation: "Set persistenceConfig: { persistenceMode: \"RDB\", rdbSnapshotPeriod: ... } in production.",
    reads: { [REDIS]: ["persistenceConfig.persistenceMode"] },
    check: (p) => [p.persistenceConfig?.persistenceMode === "RDB" ? undefined : `persistenceConfig.persistenceMode is ${show(p.persistenceConfig?.persistenceMode)}; must be RDB`],
});

// ---- Cloud Run ----

const runServiceAccount = resourceRule({
    name: "gcp-cloudrun-dedicated-service-account", cloud: "gcp", scope: "all", severity: "high", source: "GCP / Cloud Run: dedicated service account",
    description: "Cloud Run services, jobs and worker pools run as their own service account, not the default compute one.",
    remediation: "Create a serviceaccount.Account for the platform and set template.serviceAccount (a Job: template.template.serviceAccount).",
    reads: { [SERVICE]: ["template.serviceAccount"], [JOB]: ["template.template.serviceAccount"], [WORKER_POOL]: ["template.serviceAccount"] },
    check: (p, { type }) => {
        const account = runTemplate(type, p).serviceAccount;
        return [
            typeof account !== "string" || account === "" ? "the template sets no serviceAccount; it would run as the project's default compute account"
            : /-compute@developer\.gserviceaccount\.com$/.test(account) ? `serviceAccount is the default compute account ${account}`
            : undefined,
        ];
    },
});

const runSecrets = resourceRule<{ secretNames: string[] }>({
    name: "gcp-cloudrun-secrets-by-reference", cloud: "gcp", scope: "all", severity: "critical", source: "GCP / Cloud Run: secrets as envs[].valueSource.secretKeyRef",
    description: "Secrets reach Cloud Run containers as Secret Manager references, never as plain env values.",
    remediation: "Use envs: [{ name, valueSource: { secretKeyRef: { secret, version: \"latest\" } } }] for every secret.",
    config: { secretNames: { type: "array", items: { type: "string" }, default: SECRET_ENV_NAMES, description: "Env var names that must be secret references." } },
    reads: {
        [SERVICE]: ["template.containers.envs.name", "template.containers.envs.value", "template.containers.envs.valueSource.secretKeyRef"],
        [JOB]: ["template.template.containers.envs.name", "template.template.containers.envs.value"],
        [WORKER_POOL]: ["template.containers.envs.name", "template.containers.envs.value"],
    },
    check: (p, { type, config }) =>
        list(runTemplate(type, p).containers).flatMap((c) => list(c.envs).map((e) => {
            if (e.valueSource?.secretKeyRef) return undefined;
            const problem = plainSecretProblem(e.name, e.value, config.secretNames);
            return problem ? `container ${c.name ?? c.image}: ${problem}` : undefined;
        })),
});

const runVpcEgress = resourceRule({
    name: "gcp-cloudrun-vpc-egress", cloud: "gcp", scope: "all", severity: "high", source: "GCP / network: direct VPC egress (template.vpcAccess) or a connector",
    description: "Cloud Run reaches Cloud SQL and Memorystore over the VPC (direct VPC egress or a connector).",
    remediation: "Set template.vpcAccess: { networkInterfaces: [{ network, subnetwork }], egress: \"PRIVATE_RANGES_ONLY\" } (or a connector).",
    reads: { [SERVICE]: ["template.vpcAccess.networkInterfaces", "template.vpcAccess.connector"], [JOB]: ["template.template.vpcAccess.networkInterfaces", "template.template.vpcAccess.connector"], [WORKER_POOL]: ["template.vpcAccess.networkInterfaces"] },
    check: (p, { type }) => {
        const vpc = runTemplate(type, p).vpcAccess ?? {};
        return [list(vpc.networkInterfaces).length > 0 || vpc.connector ? undefined : "template.vpcAccess is unset; the private database and cache would be unreachable"];
    },
});

const runProbes = resourceRule<{ path: string }>({
    name: "gcp-cloudrun-health-probes", cloud: "gcp", scope: "all", severity: "medium", source: "GCP / Cloud Run: startup + liveness probes on /health",
    description: "The public Cloud Run service has HTTP startup and liveness probes on the health path.",
    remediation: "Add startupProbe and livenessProbe { httpGet: { path: healthCheckPath } } to the serving container; set this policy's `path` if the app uses another one.",
    config: { path: { type: "string", default: "/health", description: "The expected health path." } },
    reads: { [SERVICE]: ["ingress", "template.containers.startupProbe.httpGet.path", "template.containers.livenessProbe.httpGet.path", "template.containers.ports"] },
    skip: (p) => (internalOnly(p) ? "an internal-only service (the worker) has no HTTP traffic to probe" : undefined),
    check: (p, { config }) => {
        const containers = list(p.template?.containers);
        const serving = containers.find((c) => c.ports) ?? containers[0];
        if (!serving) return ["the service has no container"];
        return [
            serving.startupProbe?.httpGet?.path === config.path ? undefined : `startupProbe is ${show(serving.startupProbe)}; must GET ${config.path}`,
            serving.livenessProbe?.httpGet?.path === config.path ? undefined : `livenessProbe is ${show(serving.livenessProbe)}; must GET ${config.path}`,
        ];
    },
});

const runMinInstances = resourceRule({
    name: "gcp-cloudrun-min-instances", cloud: "gcp", scope: "production", severity: "high", source: "GCP / Cloud Run: template.scaling.minInstanceCount (prod >= 1)",
    description: "Production Cloud Run services keep at least one warm instance.",
    remediation: "Set template.scaling.minInstanceCount (or the service-level scaling.minInstanceCount) from minInstances / workerMinInstances.",
    reads: { [SERVICE]: ["template.scaling.minInstanceCount", "scaling.minInstanceCount"], [WORKER_POOL]: ["scaling.minInstanceCount", "scaling.manualInstanceCount"] },
    check: (p) => {
        const min = p.template?.scaling?.minInstanceCount ?? p.scaling?.minInstanceCount ?? p.scaling?.manualInstanceCount;
        return [typeof min === "number" && min >= 1 ? undefined : `minInstanceCount is ${show(min)}; production keeps at least 1 instance`];
    },
});

const runMaxInstances = resourceRule({
    name: "gcp-cloudrun-max-instances", cloud: "gcp", scope: "all", severity: "medium", source: "GCP / Cloud Run: template.scaling.maxInstanceCount; seed 004",
    description: "Cloud Run services cap their instance count (the capacity rule counts on it).",
    remediation: "Set template.scaling.maxInstanceCount from maxInstances / workerMaxInstances.",
    reads: { [SERVICE]: ["template.scaling.maxInstanceCount", "scaling.maxInstanceCount"], [WORKER_POOL]: ["scaling.maxInstanceCount", "scaling.manualInstanceCount"] },
    check: (p) => {
        const max = p.template?.scaling?.maxInstanceCount ?? p.scaling?.maxInstanceCount ?? p.scaling?.manualInstanceCount;
        return [typeof max === "number" && max >= 1 ? undefined : `maxInstanceCount is ${show(max)}; unbounded scaling would exhaust max_connections`];
    },
});

const runRequestTimeout = resourceRule({
    name: "gcp-cloudrun-request-timeout", cloud: "gcp", scope: "all", severity: "medium", source: "GCP / Cloud Run: template.timeout from requestTimeoutSeconds",
    description: "A Cloud Run service that takes requests states its request timeout (requestTimeoutSeconds) rather than Cloud Run's 300 s default.",
    remediation: "Set template.timeout (e.g. \"60s\") on the cloudrunv2.Service from requestTimeoutSeconds.",
    reads: { [SERVICE]: ["ingress", "template.timeout"] },
    skip: (p) => (p.ingress === "INGRESS_TRAFFIC_INTERNAL_ONLY" ? "a service that takes no outside requests (the worker)" : undefined),
    check: (p) => [typeof p.template?.timeout === "string" && /^\d+(\.\d+)?s$/.test(p.template.timeout) ? undefined : `template.timeout is ${show(p.template?.timeout)}; set it from requestTimeoutSeconds`],
});

const runDeletionProtection = resourceRule({
    name: "gcp-cloudrun-deletion-protection", cloud: "gcp", scope: "production", severity: "medium", source: "GCP / Cloud Run: deletionProtection (prod)",
    description: "Production Cloud Run services refuse deletion.",
    remediation: "Keep deletionProtection true (the provider's default) in production.",
    reads: { [SERVICE]: ["deletionProtection"] },
    check: (p) => [p.deletionProtection === false ? "deletionProtection is false; must stay true in production" : undefined],
});

// ---- secrets ----

const secretAccessScoped = resourceRule({
    name: "gcp-secret-access-scoped", cloud: "gcp", scope: "all", severity: "high",
    source: "GCP / secrets: SecretIamMember granting only the service account roles/secretmanager.secretAccessor",
    description: "Secret Manager IAM grants only roles/secretmanager.secretAccessor, only to service accounts.",
    remediation: "Grant roles/secretmanager.secretAccessor on each secret to `serviceAccount:<platform SA>` with secretmanager.SecretIamMember.",
    reads: { [SECRET_IAM_MEMBER]: ["role", "member"], [SECRET_IAM_BINDING]: ["role", "members"] },
    check: (p, { type }) => {
        const members: unknown[] = type === SECRET_IAM_MEMBER ? [p.member] : list(p.members);
        return [
            p.role === "roles/secretmanager.secretAccessor" ? undefined : `role is ${show(p.role)}; grant roles/secretmanager.secretAccessor only`,
            ...members.map((m) => (typeof m === "string" && m.startsWith("serviceAccount:") ? undefined : `member ${show(m)} is not a service account`)),
        ];
    },
});

// ---- edge and observability (production) ----

const cloudArmor = stackRule({
    name: "gcp-cloud-armor-rate-limit", cloud: "gcp", scope: "production", severity: "high",
    source: "GCP / edge: external HTTPS load balancer, serverless NEG, managed certificate, Cloud Armor rate limiting (prod)",
    description: "Production Cloud Run is fronted by an HTTPS load balancer whose backend has a Cloud Armor policy with rate limiting.",
    remediation: "Create a compute.SecurityPolicy with a `throttle` or `rate_based_ban` rule (rateLimitOptions) and set it as the serverless backend service's securityPolicy.",
    reads: {
        [SERVICE]: ["ingress"],
        [SECURITY_POLICY]: ["rules.action", "rules.rateLimitOptions", "name"],
        [SECURITY_POLICY_RULE]: ["action", "rateLimitOptions", "securityPolicy"],
        [BACKEND_SERVICE]: ["securityPolicy", "backends.group"],
        [HTTPS_PROXY]: ["sslCertificates", "certificateManagerCertificates", "certificateMap"],
        [NEG]: ["networkEndpointType", "cloudRun.service"],
    },
    check: (resources, { environmentOf }) => {
        const services = resources.filter((r) => r.type === SERVICE && !internalOnly(r.props) && environmentOf(r) === "production");
        if (services.length === 0) return "the stack has no public production Cloud Run service";
        const rateLimited = (rule: Props) => ["throttle", "rate_based_ban"].includes(rule.action) && rule.rateLimitOptions;
        const policies = resources.filter((r) => r.type === SECURITY_POLICY);
        const limiting = policies.filter((policy) =>
            list(policy.props.rules).some(rateLimited) ||
            resources.some((r) => r.type === SECURITY_POLICY_RULE && rateLimited(r.props) && [policy.props.name, policy.props.id, policy.props.selfLink].includes(r.props.securityPolicy)));
        const refs = (policy: PolicyResource) => [policy.props.name, policy.props.id, policy.props.selfLink].filter(Boolean);
        const protectedBackends = resources.filter((r) => r.type === BACKEND_SERVICE && limiting.some((policy) => refs(policy).includes(r.props.securityPolicy)));
        const proxies = resources.filter((r) => r.type === HTTPS_PROXY && (list(r.props.sslCertificates).length > 0 || list(r.props.certificateManagerCertificates).length > 0 || r.props.certificateMap));
        const negs = resources.filter((r) => r.type === NEG && r.props.networkEndpointType === "SERVERLESS");
        return [
            proxies.length > 0 ? undefined : { message: "no HTTPS load balancer (compute.TargetHttpsProxy with a certificate) in front of Cloud Run" },
            negs.length > 0 ? undefined : { message: "no serverless network endpoint group (networkEndpointType SERVERLESS) for Cloud Run" },
            protectedBackends.length > 0 ? undefined : { message: "no backend service with a Cloud Armor policy that rate-limits (throttle / rate_based_ban)" },
        ].filter((v): v is { message: string } => v !== undefined);
    },
});

const alertChannels = resourceRule({
    name: "gcp-alert-notification-channels", cloud: "gcp", scope: "all", severity: "low", source: "GCP / observability: monitoring.AlertPolicy with a notification channel",
    description: "Every alert policy notifies a channel.",
    remediation: "Set notificationChannels: [channel.id] on the monitoring.AlertPolicy.",
    reads: { [ALERT_POLICY]: ["notificationChannels"] },
    check: (p) => [list(p.notificationChannels).length > 0 ? undefined : "notificationChannels is empty; the alert would fire silently"],
});

// ---- the capacity rule (seed 004) ----

const capacityRule = stackRule({
    name: "gcp-capacity-rule", cloud: "gcp", scope: "all", severity: "high",
    source: "Seed 004: max_connections >= (DB_POOL_SIZE + DB_MAX_OVERFLOW) x (max API + max worker instances) + 10",
    description: "Cloud SQL's max_connections flag covers every connection the Cloud Run fleets may open, plus 10.",
    remediation: "Raise the max_connections flag (a bigger dbTier), or lower dbPoolSize/dbMaxOverflow, maxInstances or workerMaxInstances.",
    reads: {
        [SQL]: ["settings.databaseFlags.name", "settings.databaseFlags.value"],
        [SERVICE]: ["template.scaling.maxInstanceCount", "template.containers.envs.name", "template.containers.envs.value"],
        [WORKER_POOL]: ["scaling.maxInstanceCount", "scaling.manualInstanceCount", "template.containers.envs.name"],
    },
    check: (resources) => {
        const instances = resources.filter((r) => r.type === SQL && !r.props.masterInstanceName);
        const fleets = resources.filter((r) => r.type === SERVICE || r.type === WORKER_POOL).flatMap((r) => {
            const env = Object.fromEntries(list(r.props.template?.containers).flatMap((c) => list(c.envs)).map((e) => [e.name, e.value]));
            const max = r.props.template?.scaling?.maxInstanceCount ?? r.props.scaling?.maxInstanceCount ?? r.props.scaling?.manualInstanceCount;
            return env.DB_POOL_SIZE === undefined ? [] : [{ pool: Number(env.DB_POOL_SIZE) + Number(env.DB_MAX_OVERFLOW ?? 0), max: Number(max) }];
        });
        if (instances.length === 0 || fleets.length === 0) return "the stack lacks a Cloud SQL primary or a Cloud Run fleet with DB_POOL_SIZE";
        const required = fleets.reduce((sum, f) => sum + f.pool * f.max, 0) + 10;
        return instances.flatMap((sql) => {
            const value = Number(flagsOf(sql.props).max_connections);
            return Number.isFinite(value) && value >= required
                ? []
                : [{ urn: sql.urn, message: `max_connections is ${Number.isFinite(value) ? value : "unset"}; the fleets may open ${required - 10} connections + 10 = ${required}` }];
        });
    },
});

export const GCP_POLICIES: BaselinePolicy[] = [
    sqlPostgres, sqlPrivateIp, sqlSsl, sqlBackups, sqlPitr, sqlHa, sqlDeletionProtection, sqlAutoresize, sqlInsights, sqlLogFlags,
    redisAuth, redisTls, redisPsa, redisHa, redisPersistence,
    runServiceAccount, runSecrets, runVpcEgress, runProbes, runMinInstances, runMaxInstances, runDeletionProtection,
    secretAccessScoped, cloudArmor, alertChannels, capacityRule,
    runRequestTimeout,
];

