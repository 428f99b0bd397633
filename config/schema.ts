import { AWS_OVERRIDES } from "./clouds/aws";
import { BUILD_FIELDS } from "./build";
import { AZURE_OVERRIDES } from "./clouds/azure";
import { GCP_OVERRIDES } from "./clouds/gcp";
import { KUBERNETES_OVERRIDES } from "./clouds/kubernetes";
import { IMAGE_REFERENCE_HINT, OPTIONAL_IMAGE_REFERENCE } from "./image-reference";
import { MAX_ENV_VALUE_LENGTH } from "./parse";
import { orEmpty, type FieldSpec, type KeySpec, type ValuesOf } from "./spec";

/**
 * The stack configuration schema: every key the program reads, its type, its default and what
 * is allowed. Pulumi.yaml declares the same keys (type, description, default) for the Pulumi
 * CLI; tests/config-schema.test.ts fails when the two drift apart, and `npm run docs` renders
 * the README's configuration reference from this table.
 *
 * Defaults are the production-safe values; Pulumi.staging.yaml relaxes them explicitly. A new
 * stack therefore starts highly available and protected, never the other way round.
 */

export const CLOUDS = ["aws", "gcp", "azure", "kubernetes"] as const;
export type Cloud = (typeof CLOUDS)[number];

export const ENVIRONMENTS = ["staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const DB_TIERS = ["small", "medium", "large", "xlarge"] as const;
export type DbTier = (typeof DB_TIERS)[number];

export const CACHE_TIERS = ["small", "medium", "large"] as const;
export type CacheTier = (typeof CACHE_TIERS)[number];

export const LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const POSTGRES_VERSIONS = [14, 15, 16, 17] as const;

export const DATABASE_URL_STYLES = ["asyncpg", "psycopg", "libpq"] as const;
export type DatabaseUrlStyle = (typeof DATABASE_URL_STYLES)[number];

export type { FieldSpec, KeySpec, ObjectSpec } from "./spec";
export { AWS_OVERRIDES } from "./clouds/aws";
export { AZURE_OVERRIDES } from "./clouds/azure";
export { GCP_OVERRIDES } from "./clouds/gcp";
export { KUBERNETES_OVERRIDES } from "./clouds/kubernetes";

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const ENV_NAME_HINT = "upper-case environment variable names (A-Z, 0-9, _), e.g. STRIPE_API_KEY";
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const DNS_HINT = "a lower-case DNS name such as api.example.com";
/**
 * An e-mail address as the HTML standard's "valid e-mail address" defines it
 * (html.spec.whatwg.org/multipage/input.html#valid-e-mail-address): no spaces, quotes,
 * control characters or shell metacharacters beyond the few RFC 5322 allows in the local part.
 */
const EMAIL = /[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+/;
const OPTIONAL_EMAIL = new RegExp(`^(${EMAIL.source})?$`);
/** An origin (RFC 6454): scheme, host (a DNS name, '*.' wildcard allowed, or IPv4) and optional port; no path. */
const ORIGIN = /^https?:\/\/(\*\.)?[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::[0-9]{1,5})?$/;

/** RFC 3339 date-time with an explicit offset, as the clouds' restore APIs take it. */
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** The fields of the `restore` block; their per-cloud shapes are checked by each provider's validate.ts. */
export const RESTORE_FIELDS = {
    from: {
        type: "string", default: "", pattern: /^([A-Za-z0-9][A-Za-z0-9:/._-]{0,1023})?$/, patternHint: "a snapshot or backup identifier (letters, digits, : / . _ -)",
        description: "Backup to restore: an RDS snapshot identifier or ARN, a Cloud SQL backup run id (with `source`), or a CloudNativePG backup id.",
    },
    pointInTime: {
        type: "string", default: "", pattern: orEmpty(RFC3339), patternHint: "an RFC 3339 timestamp such as 2026-11-28T03:15:00Z",
        description: "Point in time to restore to (RFC 3339); needs `source`.",
    },
    source: {
        type: "string", default: "", pattern: /^([A-Za-z0-9/][A-Za-z0-9:/._()-]{0,1023})?$/, patternHint: "a database instance identifier, ARN or resource id",
        description: "The database the backups belong to: RDS instance identifier or automated-backups ARN, Cloud SQL instance name, Azure Flexible Server resource id, CloudNativePG server name.",
    },
} satisfies Record<string, FieldSpec>;

export const SCHEMA = {
    cloud: {
        type: "string", default: "aws", allowed: CLOUDS,
        description: "Where the platform runs: aws, gcp, azure or kubernetes. Changing it alone moves the stack.",
    },
    environment: {
        type: "string", default: "production", allowed: ENVIRONMENTS,
        description: "staging or production. production turns on HA, deletion protection, final snapshots, the WAF and the strictest floors.",
    },
    image: {
        type: "string", default: "", pattern: OPTIONAL_IMAGE_REFERENCE, patternHint: `${IMAGE_REFERENCE_HINT} (empty with build.context)`,
        description: "Container image of the FastAPI service (listens on port 8000). Required unless build.context is set; production requires a digest-pinned reference (...@sha256:<64 hex>).",
    },
    build: {
        type: "object", default: {}, fields: BUILD_FIELDS,
        description: "Build the image from source with @pulumi/docker-build and push it to the stack's registry (fields: see the README configuration reference); replaces `image`.",
    },
    containerPort: {
        type: "integer", default: 8000, min: 1024, max: 65535,
        description: "Port the container listens on (unprivileged, so the container can run as non-root).",
    },
    cpu: {
        type: "integer", default: 1000, min: 250, max: 4000, allowed: [250, 500, 1000, 2000, 4000],
        description: "vCPU per API instance, in millicores (250, 500, 1000, 2000, 4000).",
    },
    memoryMb: {
        type: "integer", default: 2048, min: 512, max: 30720,
        description: "Memory per API instance in MiB.",
    },
    minInstances: {
        type: "integer", default: 3, min: 0, max: 100,
        description: "Fewest API instances (production: at least 2; seed 000 runs 3).",
    },
    maxInstances: {
        type: "integer", default: 10, min: 1, max: 200,
        description: "Most API instances the autoscaler may run.",
    },
    cpuTargetPercent: {
        type: "integer", default: 70, min: 10, max: 95,
        description: "Average CPU the autoscaler keeps the API at (seed 000: 70).",
    },
    memoryTargetPercent: {
        type: "integer", default: 80, min: 10, max: 95,
        description: "Average memory the autoscaler keeps the API at (seed 000: 80).",
    },
    healthCheckPath: {
        type: "string", default: "/health", pattern: /^\/[A-Za-z0-9/_.-]*$/, patternHint: "an absolute URL path such as /health",
        description: "Liveness and load-balancer health check path.",
    },
    readinessPath: {
        type: "string", default: "/health/ready", pattern: /^\/[A-Za-z0-9/_.-]*$/, patternHint: "an absolute URL path such as /health/ready",
        description: "Readiness path, where the platform has separate readiness probes.",
    },
    workerImage: {
        type: "string", default: "", pattern: OPTIONAL_IMAGE_REFERENCE, patternHint: `${IMAGE_REFERENCE_HINT}, or empty to reuse \`image\``,
        description: "Container image of the background worker; empty reuses `image`.",
    },
    workerCommand: {
        type: "array", default: ["python", "-m", "app.worker"], minItems: 1,
        description: "Command the worker container runs (no ingress, its own scaling).",
    },
    workerCpu: {
        type: "integer", default: 500, min: 250, max: 4000, allowed: [250, 500, 1000, 2000, 4000],
        description: "vCPU per worker instance, in millicores.",
    },
    workerMemoryMb: {
        type: "integer", default: 1024, min: 512, max: 30720,
        description: "Memory per worker instance in MiB.",
    },
    workerMinInstances: {
        type: "integer", default: 2, min: 0, max: 100,
        description: "Fewest worker instances.",
    },
    workerMaxInstances: {
        type: "integer", default: 4, min: 1, max: 100,
        description: "Most worker instances.",
    },
    migrationCommand: {
        type: "array", default: ["alembic", "upgrade", "head"], minItems: 1,
        description: "One-off command run before each rollout.",
    },
    dbVersion: {
        type: "integer", default: 16, min: 14, max: 17, allowed: POSTGRES_VERSIONS,
        description: "PostgreSQL major version (14-17).",
    },
    dbTier: {
        type: "string", default: "medium", allowed: DB_TIERS,
        description: "Database size: small (2 GiB), medium (16 GiB), large (32 GiB), xlarge (64 GiB); each cloud maps it to its own class.",
    },
    dbStorageGb: {
        type: "integer", default: 100, min: 20, max: 16000,
        description: "Initial database storage in GB.",
    },
    dbMaxStorageGb: {
        type: "integer", default: 500, min: 21, max: 65536,
        description: "Ceiling for storage autoscaling; must exceed dbStorageGb.",
    },
    dbBackupDays: {
        type: "integer", default: 30, min: 1, max: 35,
        description: "Backup retention in days (production: at least 7; seed 001 suggests 30).",
    },
    dbReadReplica: {
        type: "boolean", default: false,
        description: "Add a read replica (exposed as DATABASE_READ_URL).",
    },
    dbName: {
        type: "string", default: "app", pattern: /^[a-z][a-z0-9_]{0,62}$/, patternHint: "a lower-case identifier (a-z, 0-9, _) starting with a letter",
        description: "Name of the application database.",
    },
    dbUser: {
        type: "string", default: "app", pattern: /^[a-z][a-z0-9_]{0,15}$/, patternHint: "a lower-case identifier of at most 16 characters, not a reserved name",
        description: "Database user the application connects as.",
    },
    dbPoolSize: {
        type: "integer", default: 20, min: 1, max: 500,
        description: "DB_POOL_SIZE: connections each instance keeps open (seed 004).",
    },
    dbMaxOverflow: {
        type: "integer", default: 40, min: 0, max: 1000,
        description: "DB_MAX_OVERFLOW: extra connections each instance may open at peak (seed 004).",
    },
    dbPoolTimeout: {
        type: "integer", default: 30, min: 1, max: 600,
        description: "DB_POOL_TIMEOUT in seconds.",
    },
    dbPoolRecycle: {
        type: "integer", default: 3600, min: 60, max: 86400,
        description: "DB_POOL_RECYCLE in seconds.",
    },
    cacheTier: {
        type: "string", default: "medium", allowed: CACHE_TIERS,
        description: "Redis size: small (~1.5 GiB), medium (~13 GiB), large (~26 GiB).",
    },
    cacheHa: {
        type: "boolean", default: true,
        description: "Replicated Redis with automatic failover across zones (required in production).",
    },
    cacheEnabled: {
        type: "boolean", default: true,
        description: "CACHE_ENABLED for the application.",
    },
    cacheDefaultTtl: {
        type: "integer", default: 300, min: 1, max: 604800,
        description: "CACHE_DEFAULT_TTL in seconds.",
    },
    domain: {
        type: "string", default: "", pattern: orEmpty(DNS_NAME), patternHint: DNS_HINT,
        description: "Public hostname of the API (required in production).",
    },
    dnsZone: {
        type: "string", default: "", pattern: orEmpty(DNS_NAME), patternHint: "a DNS zone name such as example.com",
        description: "DNS zone that holds `domain`: the certificate is validated and the record created there. Leave empty when bringing a certificate.",
    },
    alertEmail: {
        type: "string", default: "", pattern: OPTIONAL_EMAIL, patternHint: "an e-mail address such as platform-alerts@example.com",
        description: "Where alerts are sent (required in production).",
    },
    corsOrigins: {
        type: "array", default: [], itemPattern: ORIGIN, itemHint: "origins such as https://app.example.com (scheme and host, no path)",
        description: "CORS_ORIGINS; empty means https://<domain> only.",
    },
    logLevel: {
        type: "string", default: "INFO", allowed: LOG_LEVELS,
        description: "LOG_LEVEL for the application.",
    },
    logRetentionDays: {
        type: "integer", default: 90, min: 1, max: 3653, allowed: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
        description: "How long container logs are kept, in days.",
    },
    rateLimitPerMinute: {
        type: "integer", default: 100, min: 1, max: 100000,
        description: "RATE_LIMIT_PER_MINUTE enforced by the application per client.",
    },
    edgeRateLimitPerMinute: {
        type: "integer", default: 1000, min: 10, max: 2000000000,
        description: "Requests per minute per client IP the edge (WAF / Cloud Armor / Front Door) allows before blocking (production).",
    },
    maxRequestBodyMb: {
        type: "integer", default: 10, min: 1, max: 100,
        description: "Largest request body (MB) every edge passes to the API: WAF / Cloud Armor / Front Door rules and ingress body size (seed 003 uploads up to 10 MB).",
    },
    requestTimeoutSeconds: {
        type: "integer", default: 60, min: 1, max: 3600,
        description: "Seconds a request may take end to end: load balancer idle timeout, Cloud Run request timeout, Front Door origin timeout, ingress proxy timeouts.",
    },
    databaseUrlStyle: {
        type: "string", default: "asyncpg", allowed: DATABASE_URL_STYLES,
        description: "Driver DATABASE_URL and DATABASE_READ_URL are written for: asyncpg (postgresql+asyncpg://...?ssl=require), psycopg (SQLAlchemy + psycopg2, postgresql+psycopg2://...?sslmode=require) or libpq (plain postgresql://...?sslmode=require for psql, psycopg2/psycopg connect()).",
    },
    templateEnvAliases: {
        type: "boolean", default: false,
        description: "Also set the variables FastAPI project templates read (POSTGRES_SERVER/PORT/DB/USER/PASSWORD, REDIS_HOST/PORT, APP_ENV, BACKEND_CORS_ORIGINS), derived from the same values; passwords stay in the secret store.",
    },
    env: {
        type: "object", default: {}, mapKeyPattern: ENV_NAME, mapKeyHint: ENV_NAME_HINT, mapValueMultiline: true, mapValueMaxLength: MAX_ENV_VALUE_LENGTH,
        description: "Extra plain environment variables for the API, worker and migrations ({NAME: value}).",
    },
    secretEnv: {
        type: "object", default: {}, mapKeyPattern: ENV_NAME, mapKeyHint: ENV_NAME_HINT, mapValueMultiline: true, mapValueMaxLength: MAX_ENV_VALUE_LENGTH,
        description: "Extra secret values (set with `pulumi config set --secret --path 'secretEnv.NAME'`), delivered from the secret store. SECRET_KEY and JWT_SECRET_KEY here replace the generated ones (at least 32 characters).",
    },
    reviewStackTtlHours: {
        type: "integer", default: 0, min: 0, max: 720,
        description: "Review stacks only (set on the `pr` template stack): destroy the stack this many hours after its first deployment, as a backstop for pull requests left open. 0 = no TTL.",
    },
    tags: {
        type: "object", default: {}, mapKeyPattern: /^[A-Za-z][A-Za-z0-9_.:-]{0,62}$/, mapKeyHint: "tag keys of letters, digits, _ . : - (at most 63 characters)",
        description: "Extra tags/labels on every taggable resource.",
    },
    metricsPath: {
        type: "string", default: "/metrics", pattern: /^\/[A-Za-z0-9/_.-]*$/, patternHint: "an absolute URL path such as /metrics",
        description: "Path of the Prometheus metrics the API and worker expose (prometheus-fastapi-instrumentator's /metrics), scraped by each cloud's collector.",
    },
    metricsPort: {
        type: "integer", default: 0, min: 0, max: 65535,
        description: "Port of the metrics endpoint; 0 means containerPort (the app serves /metrics next to the API). Otherwise 1024-65535.",
    },
    aws: {
        type: "object", default: {}, fields: AWS_OVERRIDES,
        description: "AWS-only overrides; unknown fields are rejected (fields: see the README configuration reference).",
    },
    gcp: {
        type: "object", default: {}, fields: GCP_OVERRIDES,
        description: "Google Cloud-only overrides; unknown fields are rejected (fields: see the README configuration reference).",
    },
    azure: {
        type: "object", default: {}, fields: AZURE_OVERRIDES,
        description: "Azure-only overrides; unknown fields are rejected (fields: see the README configuration reference).",
    },
    kubernetes: {
        type: "object", default: {}, fields: KUBERNETES_OVERRIDES,
        description: "Kubernetes-only overrides; unknown fields are rejected (fields: see the README configuration reference).",
    },
    restore: {
        type: "object", default: {}, fields: RESTORE_FIELDS,
        description: "Restore mode: build the platform with the database created from a backup (docs/disaster-recovery.md). `from` names a backup or snapshot; `pointInTime` (RFC 3339) with `source` restores a point in time; `source` alone restores the latest restorable point.",
    },
} satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof SCHEMA;
export type RestoreValues = ValuesOf<typeof RESTORE_FIELDS>;
