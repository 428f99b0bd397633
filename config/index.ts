import * as pulumi from "@pulumi/pulumi";
import { explainConnections, requiredMaxConnections, smallestTierFor, DB_TIER_SPECS, type ConnectionDemand } from "../components/capacity";
import { baseName, standardTags } from "../components/naming";
import { runtimeUsername } from "../components/dbroles";
import type { PlatformArgs, RestoreSpec } from "../components/platform";
import { TEMPLATE_ENV_NAMES } from "../components/secrets";
import type { AwsOverrides } from "./clouds/aws";
import type { AzureOverrides } from "./clouds/azure";
import type { GcpOverrides } from "./clouds/gcp";
import type { KubernetesOverrides } from "./clouds/kubernetes";
import { DIGEST_PINNED, defaultDockerfile, gitCommit, releaseName } from "../components/release";
import type { BuildValues } from "./build";
import { ConfigError } from "./errors";
import { cloudSqlTierMaxConnections, CLOUD_SQL_TIER_HINT, rdsClassMaxConnections, RDS_CLASS_HINT } from "./clouds/db-capacity";
import { parseField, parseObject, pollutingPaths, showValue, suggest, SECRET_SHOWN } from "./parse";
import { isSecretKey, providerSettingProblems, PROVIDER_SETTINGS } from "./provider-settings";
import { STORAGE_ENV } from "../components/storage";
import { SCHEMA, type RestoreValues, type Cloud, type ConfigKey, type DatabaseUrlStyle, type DbTier, type Environment, type LogLevel, type CacheTier } from "./schema";

export { ConfigError } from "./errors";

/** Env var names the platform sets itself; users may not override them through env/secretEnv. */
export const PLATFORM_ENV = [
    "ENVIRONMENT", "DEBUG", "LOG_LEVEL", "CORS_ORIGINS", "RATE_LIMIT_PER_MINUTE", "DB_POOL_SIZE", "DB_MAX_OVERFLOW",
    "DB_POOL_TIMEOUT", "DB_POOL_RECYCLE", "CACHE_ENABLED", "CACHE_DEFAULT_TTL", "PORT", "DATABASE_URL",
    "DATABASE_READ_URL", "REDIS_URL", "DATABASE_OWNER_URL", "DATABASE_RUNTIME_URL", "POSTGRES_OWNER_PASSWORD",
    ...STORAGE_ENV,
];
/** Secrets the platform generates unless the stack supplies them in secretEnv. */
export const REPLACEABLE_SECRETS = ["SECRET_KEY", "JWT_SECRET_KEY"];
/** Tag keys the platform puts on every resource (components/naming.ts standardTags); a stack cannot replace them. */
export const PLATFORM_TAGS = ["project", "stack", "environment", "managed-by"];
/**
 * Config namespaces the program or its providers read. Any other namespace is a typo (the
 * engine would hand the value to nobody), e.g. "fastapi-platfrom:image".
 */
export const PROVIDER_NAMESPACES = ["aws", "gcp", "azure-native", "kubernetes", "pulumi", "pulumiservice", "random"];
/** The only key whose values may be secrets: everything else lands in plain resource settings. */
export const SECRET_KEYS: ConfigKey[] = ["secretEnv"];
export const MIN_SECRET_LENGTH = 32;

/** Production floors: a production stack below them does not deploy. */
export const PRODUCTION_FLOORS = { minInstances: 2, workerMinInstances: 1, dbBackupDays: 7 } as const;

/** Typed values of every schema key. */
export interface StackValues {
    cloud: Cloud; environment: Environment; image: string; containerPort: number; cpu: number; memoryMb: number;
    minInstances: number; maxInstances: number; cpuTargetPercent: number; memoryTargetPercent: number;
    restore: RestoreValues;
    healthCheckPath: string; readinessPath: string; workerImage: string; workerCommand: string[]; workerCpu: number;
    workerMemoryMb: number; workerMinInstances: number; workerMaxInstances: number; migrationCommand: string[];
    dbVersion: number; dbTier: DbTier; dbStorageGb: number; dbMaxStorageGb: number; dbBackupDays: number;
    dbReadReplica: boolean; dbName: string; dbUser: string; dbPoolSize: number; dbMaxOverflow: number;
    dbPoolTimeout: number; dbPoolRecycle: number; cacheTier: CacheTier; cacheHa: boolean; cacheEnabled: boolean;
    cacheDefaultTtl: number; domain: string; dnsZone: string; alertEmail: string; corsOrigins: string[];
    logLevel: LogLevel; logRetentionDays: number; rateLimitPerMinute: number; edgeRateLimitPerMinute: number; reviewStackTtlHours: number;
    metricsPath: string; metricsPort: number;
    maxRequestBodyMb: number; requestTimeoutSeconds: number; databaseUrlStyle: DatabaseUrlStyle; templateEnvAliases: boolean;
    env: Record<string, string>; secretEnv: Record<string, string>; tags: Record<string, string>;
    aws: AwsOverrides; gcp: GcpOverrides; azure: AzureOverrides; kubernetes: KubernetesOverrides;
    build: BuildValues;
}

/**
 * Reads and validates the whole stack configuration, then derives the cloud-neutral
 * PlatformArgs. Every problem is collected and thrown as one ConfigError naming each key, before
 * the program registers a single resource.
 */
export function loadConfig(): PlatformArgs {
    const project = pulumi.getProject();
    const stack = pulumi.getStack();
    const raw = projectConfig(project);
    const problems: string[] = [...namespaceProblems(project), ...providerSettingProblems()];

    const known = Object.keys(SCHEMA);
    for (const key of Object.keys(raw)) {
        if (!Object.hasOwn(SCHEMA, key)) {
            problems.push(`${project}:${showValue(key).slice(1, -1)} is not a configuration key of this project${suggest(key, known)}; see the README's configuration reference`);
        }
    }

    const values: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(SCHEMA)) {
        const label = `${project}:${key}`;
        const given = raw[key];
        if (given === undefined) {
            values[key] = spec.type === "object" && "fields" in spec ? defaultsOf(spec.fields) : spec.default;
            continue;
        }
        // A value that is, or came from, a secret is never shown; outside secretEnv it is refused,
        // because every other key lands in plain resource settings (console, state, plan).
        const secret = isSecretKey(label) || SECRET_KEYS.includes(key as ConfigKey);
        if (isSecretKey(label) && !SECRET_KEYS.includes(key as ConfigKey)) {
            problems.push(
                `${label} is ${SECRET_SHOWN}: it holds a secure (encrypted) value, but ${key} lands in plain resource settings ` +
                    `(console, state, plan). Only secretEnv holds secrets: pulumi config set --secret --path '${project}:secretEnv.NAME'`,
            );
            continue;
        }
        const polluting = pollutingPaths(decoded(given), label).filter((path) => path.split(".").length > 2 || spec.type !== "object" || !("fields" in spec));
        if (polluting.length > 0) {
            problems.push(...polluting.map((path) => `${path} is a JavaScript prototype property name (${path.split(".").pop()}), which could reach Object.prototype; rename or remove it`));
            continue;
        }
        const parsed = spec.type === "object" ? parseObject(label, spec, given, { secret }) : parseField(label, spec, given, { secret });
        if (parsed.ok) values[key] = parsed.value;
        else problems.push(parsed.message);
    }
    if (problems.length > 0) throw new ConfigError(stack, problems);

    const v = values as unknown as StackValues;
    problems.push(...crossFieldProblems(project, v));
    if (problems.length > 0) throw new ConfigError(stack, problems);
    return toPlatformArgs(project, stack, v);
}

/** The project's own keys (namespace stripped), as raw strings from the engine. */
function projectConfig(project: string): Record<string, string> {
    const prefix = `${project}:`;
    // No prototype: a key named "__proto__" or "constructor" must stay an (unknown) key.
    const out: Record<string, string> = Object.create(null);
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
    }
    return out;
}

/** An engine value decoded as the parsers decode it: JSON where it is JSON, else the text. */
function decoded(raw: string): unknown {
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

/** Keys in a namespace nobody reads: the program's own name misspelt, or a provider's. */
function namespaceProblems(project: string): string[] {
    const namespaces = [project, ...PROVIDER_NAMESPACES];
    const problems: string[] = [];
    for (const key of Object.keys(pulumi.runtime.allConfig())) {
        const colon = key.indexOf(":");
        const namespace = colon < 0 ? key : key.slice(0, colon);
        // A near miss of a provider setting the program reads (aws:regoin) is a typo: the provider would ignore it.
        const name = key.slice(colon + 1);
        const read = PROVIDER_SETTINGS.filter((setting) => setting.key.startsWith(`${namespace}:`)).map((setting) => setting.key.slice(namespace.length + 1));
        const nearMiss = colon > 0 && !read.includes(name) ? suggest(name, read) : "";
        if (nearMiss) problems.push(`${showValue(key).slice(1, -1)} is not a setting of the ${namespace} provider this program reads${nearMiss}`);
        if (!namespaces.includes(namespace)) {
            problems.push(
                `${showValue(key).slice(1, -1)} is in the namespace '${showValue(namespace).slice(1, -1)}', which neither this program nor its providers read` +
                    `${suggest(namespace, namespaces)}; namespaces: ${namespaces.join(", ")}`,
            );
        }
    }
    return problems;
}

/**
 * The restore block's combinations, independent of the cloud: one backup, or one point in time of
 * a source, or the latest point of a source; never two at once. Shapes of ids are the clouds' own
 * (providers/<cloud>/validate.ts).
 */
export function restoreProblems(project: string, r: RestoreValues): string[] {
    const k = (field: string) => `${project}:restore.${field}`;
    const problems: string[] = [];
    if (r.from && r.pointInTime) {
        problems.push(`${k("from")} ('${r.from}') and ${k("pointInTime")} ('${r.pointInTime}') are both set; restore either one backup (from) or one point in time (pointInTime with source), not both`);
    }
    if (r.pointInTime && !r.source) {
        problems.push(`${k("pointInTime")} is set but ${k("source")} is empty; name the database whose backups hold that point in time`);
    }
    if (r.pointInTime && Number.isNaN(Date.parse(r.pointInTime))) {
        problems.push(`${k("pointInTime")} is '${r.pointInTime}', which is not a real date and time; expected an RFC 3339 timestamp such as 2026-11-28T03:15:00Z`);
    }
    return problems;
}

/** The restore block as the contract's RestoreSpec, or undefined outside restore mode. */
function restoreSpec(r: RestoreValues): RestoreSpec | undefined {
    if (r.from) return { kind: "backup", backupId: r.from, source: r.source || undefined };
    if (r.pointInTime) return { kind: "pointInTime", time: r.pointInTime, source: r.source };
    if (r.source) return { kind: "latest", source: r.source };
    return undefined;
}

function defaultsOf(fields: Record<string, { default: unknown }>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.default]));
}

/** Rules that involve more than one key, with messages that name every key involved. */
export function crossFieldProblems(project: string, v: StackValues): string[] {
    const k = (key: ConfigKey | `${ConfigKey}.${string}`) => `${project}:${key}`;
    const problems: string[] = [];
    const production = v.environment === "production";

    problems.push(...imageProblems(project, v));
    if (v.minInstances > v.maxInstances) {
        problems.push(`${k("minInstances")} (${v.minInstances}) is greater than ${k("maxInstances")} (${v.maxInstances}); minInstances must be <= maxInstances`);
    }
    if (v.workerMinInstances > v.workerMaxInstances) {
        problems.push(`${k("workerMinInstances")} (${v.workerMinInstances}) is greater than ${k("workerMaxInstances")} (${v.workerMaxInstances}); workerMinInstances must be <= workerMaxInstances`);
    }
    if (v.dbMaxStorageGb <= v.dbStorageGb) {
        problems.push(`${k("dbMaxStorageGb")} (${v.dbMaxStorageGb}) must be greater than ${k("dbStorageGb")} (${v.dbStorageGb}) so storage can grow`);
    }
    if (v.metricsPort !== 0 && v.metricsPort < 1024) {
        problems.push(`${k("metricsPort")} is ${v.metricsPort}; it must be 0 (the containerPort) or an unprivileged port from 1024 to 65535`);
    }
    if (v.dnsZone !== "" && v.domain === "") problems.push(`${k("dnsZone")} is set but ${k("domain")} is empty; set the hostname to serve from that zone`);
    if (v.dnsZone !== "" && v.domain !== v.dnsZone && !v.domain.endsWith(`.${v.dnsZone}`)) {
        problems.push(`${k("domain")} '${v.domain}' is not inside ${k("dnsZone")} '${v.dnsZone}'; the domain must be the zone or a name under it`);
    }

    if (production) {
        const floors: [ConfigKey, number, number][] = [
            ["minInstances", v.minInstances, PRODUCTION_FLOORS.minInstances],
            ["workerMinInstances", v.workerMinInstances, PRODUCTION_FLOORS.workerMinInstances],
            ["dbBackupDays", v.dbBackupDays, PRODUCTION_FLOORS.dbBackupDays],
        ];
        for (const [key, value, floor] of floors) {
            if (value < floor) problems.push(`${k(key)} is ${value}; production requires at least ${floor}`);
        }
        if (!v.cacheHa) problems.push(`${k("cacheHa")} is false; production requires a replicated cache with automatic failover (true)`);
        if (v.domain === "") {
            problems.push(`${k("domain")} is empty; production requires a domain served over HTTPS with a certificate (set domain, and dnsZone or the cloud's existing certificate)`);
        }
        if (v.alertEmail === "") problems.push(`${k("alertEmail")} is empty; production requires an address for alerts`);
    }

    const demand: ConnectionDemand = {
        poolSize: v.dbPoolSize, maxOverflow: v.dbMaxOverflow,
        maxApiInstances: v.maxInstances, maxWorkerInstances: v.workerMaxInstances,
    };
    const required = requiredMaxConnections(demand);
    const effective = effectiveDatabaseClass(project, v);
    if (effective.problem) problems.push(effective.problem);
    else if (effective.key && required > effective.maxConnections!) {
        problems.push(
            `capacity rule (seed 004) broken: max_connections must be >= ${explainConnections(demand)}, ` +
                `but ${k(effective.key)} '${effective.value}' allows at most ${effective.maxConnections} (${effective.source}). ` +
                `Choose a larger class, or lower dbPoolSize/dbMaxOverflow, maxInstances or workerMaxInstances (or put a pooler in front).`,
        );
    }
    const ceiling = DB_TIER_SPECS[v.dbTier].maxConnections;
    if (!effective.key && required > ceiling) {
        const bigger = smallestTierFor(required);
        problems.push(
            `capacity rule (seed 004) broken: max_connections must be >= ${explainConnections(demand)}, ` +
                `but ${k("dbTier")} '${v.dbTier}' allows at most ${ceiling}. ` +
                (bigger ? `Use dbTier '${bigger}', or ` : "No tier is large enough; ") +
                `lower dbPoolSize/dbMaxOverflow, maxInstances or workerMaxInstances (or put a pooler in front).`,
        );
    }

    if (production && v.reviewStackTtlHours > 0) {
        problems.push(`${k("reviewStackTtlHours")} is ${v.reviewStackTtlHours}, but a production stack must never destroy itself; remove reviewStackTtlHours (review stacks are staging stacks)`);
    }
    for (const key of Object.keys(v.tags)) {
        const reserved = PLATFORM_TAGS.find((tag) => tag === key.toLowerCase());
        if (reserved) problems.push(`${k(`tags.${key}`)} is a tag the platform sets on every resource (${PLATFORM_TAGS.join(", ")}); choose another key`);
    }
    for (const name of Object.keys(v.env)) {
        if (REPLACEABLE_SECRETS.includes(name)) {
            problems.push(`${k(`env.${name}`)} is a secret the platform generates; a plain value would sit next to it. Supply your own in secretEnv (pulumi config set --secret --path '${project}:secretEnv.${name}')`);
        }
        if (PLATFORM_ENV.includes(name)) problems.push(`${k(`env.${name}`)} is set by the platform; change it through its own key, not env`);
        if (v.templateEnvAliases && TEMPLATE_ENV_NAMES.includes(name)) {
            problems.push(`${k(`env.${name}`)} is set by ${k("templateEnvAliases")}; set templateEnvAliases to false to supply it yourself`);
        }
        if (name in v.secretEnv) problems.push(`${k(`env.${name}`)} is also in secretEnv; a name can be plain or secret, not both`);
    }
    for (const [name, value] of Object.entries(v.secretEnv)) {
        if (PLATFORM_ENV.includes(name)) problems.push(`${k(`secretEnv.${name}`)} is generated by the platform and cannot be supplied`);
        if (v.templateEnvAliases && TEMPLATE_ENV_NAMES.includes(name)) {
            problems.push(`${k(`secretEnv.${name}`)} is set by ${k("templateEnvAliases")}; set templateEnvAliases to false to supply it yourself`);
        }
        if (REPLACEABLE_SECRETS.includes(name) && value.length < MIN_SECRET_LENGTH) {
            problems.push(`${k(`secretEnv.${name}`)} is ${value.length} characters long; it must be at least ${MIN_SECRET_LENGTH} (generate one with: openssl rand -base64 48)`);
        }
    }
    if (v.secretEnv.SECRET_KEY !== undefined && v.secretEnv.SECRET_KEY === v.secretEnv.JWT_SECRET_KEY) {
        problems.push(`${k("secretEnv.SECRET_KEY")} and ${k("secretEnv.JWT_SECRET_KEY")} are the same; they must differ`);
    }
    problems.push(...restoreProblems(project, v.restore));
    return problems;
}

/**
 * Where the image comes from: exactly one of `image` and `build.context`. Production runs only
 * what a digest names (`...@sha256:<64 hex>`), so the same reference always means the same bytes;
 * a built image is run by the digest it was pushed with.
 */
function imageProblems(project: string, v: StackValues): string[] {
    const k = (key: string) => `${project}:${key}`;
    const problems: string[] = [];
    const building = v.build.context !== "";
    if (!building && v.image === "") {
        problems.push(`${k("image")} is required: set the container image of the FastAPI service (pulumi config set image <ref>), or ${k("build.context")} to build it from source`);
    }
    if (building && v.image !== "") {
        problems.push(`${k("image")} and ${k("build.context")} are both set; a stack either runs a prebuilt image or builds one: remove one of them`);
    }
    if (!building && (v.build.dockerfile !== "" || v.build.target !== "" || v.build.args.length > 0 || v.build.tag !== "")) {
        problems.push(`${k("build")} has build settings but no ${k("build.context")}; set build.context (the directory to build) or remove the build block`);
    }
    if (v.environment === "production") {
        for (const key of ["image", "workerImage"] as const) {
            if (v[key] !== "" && !DIGEST_PINNED.test(v[key])) {
                problems.push(
                    `${k(key)} is '${v[key]}'; production requires a digest-pinned reference such as ghcr.io/acme/api:1.4.2@sha256:<64 hex digits> ` +
                        "(docker buildx imagetools inspect <ref> prints the digest), so a tag pushed again cannot change what runs",
                );
            }
        }
    }
    return problems;
}

/** The release: build settings with their tag resolved, and the release's name. */
function releaseSpec(project: string, v: StackValues): PlatformArgs["release"] {
    const production = v.environment === "production";
    const base = { backupBeforeMigration: production, workerImageGiven: v.workerImage !== "" };
    if (v.build.context === "") return { ...base, name: releaseName({ reference: v.image }) };
    let tag = v.build.tag || gitCommit();
    if (!tag) {
        // No git here (a tarball, a container without the repository): still deploy, with a tag
        // that cannot collide with an earlier push, and say how to name the release properly.
        tag = `untracked-${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15).toLowerCase()}`;
        pulumi.log.warn(`${project}:build.tag is empty and the git commit could not be read (no git or no repository); tagging the image ${tag}. Set build.tag to name the release.`);
    }
    const args = Object.fromEntries(v.build.args.map((item) => [item.slice(0, item.indexOf("=")), item.slice(item.indexOf("=") + 1)]));
    return {
        ...base,
        name: releaseName({ buildTag: tag }),
        build: {
            context: v.build.context, dockerfile: defaultDockerfile(v.build.context, v.build.dockerfile), target: v.build.target,
            platform: v.build.platform as "linux/amd64" | "linux/arm64", args, tag,
        },
    };
}

interface EffectiveDatabaseClass {
    /** The override key that names the class, when one does. */
    key?: ConfigKey | `${ConfigKey}.${string}`;
    value?: string;
    maxConnections?: number;
    source?: string;
    problem?: string;
}

/**
 * The database class the stack will really run: a cloud's class override (aws.dbInstanceClass,
 * gcp.sqlTier) wins over dbTier, so the capacity rule is checked against it. Azure and
 * Kubernetes have no class override.
 */
function effectiveDatabaseClass(project: string, v: StackValues): EffectiveDatabaseClass {
    if (v.cloud === "aws" && v.aws.dbInstanceClass) {
        const key = "aws.dbInstanceClass" as const;
        const max = rdsClassMaxConnections(v.aws.dbInstanceClass);
        if (max === undefined) return { problem: `${project}:${key} is '${v.aws.dbInstanceClass}', whose memory (and so connection ceiling) is not known; expected ${RDS_CLASS_HINT}` };
        return { key, value: v.aws.dbInstanceClass, maxConnections: max, source: "RDS: LEAST(DBInstanceClassMemory/9531392, 5000)" };
    }
    if (v.cloud === "gcp" && v.gcp.sqlTier) {
        const key = "gcp.sqlTier" as const;
        const max = cloudSqlTierMaxConnections(v.gcp.sqlTier);
        if (max === undefined) return { problem: `${project}:${key} is '${v.gcp.sqlTier}', whose memory (and so connection ceiling) is not known; expected ${CLOUD_SQL_TIER_HINT}` };
        return { key, value: v.gcp.sqlTier, maxConnections: max, source: "Cloud SQL: one connection per 9.5 MB of memory; 25 and 50 on the shared-core tiers" };
    }
    return {};
}

function toPlatformArgs(project: string, stack: string, v: StackValues): PlatformArgs {
    const production = v.environment === "production";
    const demand = { poolSize: v.dbPoolSize, maxOverflow: v.dbMaxOverflow, maxApiInstances: v.maxInstances, maxWorkerInstances: v.workerMaxInstances };
    return {
        cloud: v.cloud,
        environment: v.environment,
        baseName: baseName(project, stack),
        tags: { ...v.tags, ...standardTags(project, stack, v.environment) },
        service: {
            image: v.image, command: [], cpu: v.cpu, memoryMb: v.memoryMb,
            minInstances: v.minInstances, maxInstances: v.maxInstances, port: v.containerPort,
            healthCheckPath: v.healthCheckPath, readinessPath: v.readinessPath, terminationGraceSeconds: 60,
            maxRequestBodyMb: v.maxRequestBodyMb, requestTimeoutSeconds: v.requestTimeoutSeconds,
        },
        worker: {
            image: v.workerImage || v.image, command: v.workerCommand, cpu: v.workerCpu, memoryMb: v.workerMemoryMb,
            minInstances: v.workerMinInstances, maxInstances: v.workerMaxInstances,
        },
        migrationCommand: v.migrationCommand,
        release: releaseSpec(project, v),
        metrics: { path: v.metricsPath, port: v.metricsPort === 0 ? v.containerPort : v.metricsPort },
        scaling: { cpuTargetPercent: v.cpuTargetPercent, memoryTargetPercent: v.memoryTargetPercent },
        database: {
            version: v.dbVersion, tier: v.dbTier, storageGb: v.dbStorageGb, maxStorageGb: v.dbMaxStorageGb,
            backupRetentionDays: v.dbBackupDays, readReplica: v.dbReadReplica, name: v.dbName, username: v.dbUser,
            runtimeUsername: runtimeUsername(v.dbUser), urlStyle: v.databaseUrlStyle,
            maxConnections: requiredMaxConnections(demand), highAvailability: production, deletionProtection: production,
        },
        cache: { tier: v.cacheTier, highAvailability: v.cacheHa },
        app: {
            corsOrigins: v.corsOrigins.length > 0 ? v.corsOrigins : v.domain ? [`https://${v.domain}`] : [],
            logLevel: v.logLevel, rateLimitPerMinute: v.rateLimitPerMinute, dbPoolSize: v.dbPoolSize,
            dbMaxOverflow: v.dbMaxOverflow, dbPoolTimeout: v.dbPoolTimeout, dbPoolRecycle: v.dbPoolRecycle,
            cacheEnabled: v.cacheEnabled, cacheDefaultTtl: v.cacheDefaultTtl, templateEnvAliases: v.templateEnvAliases,
        },
        env: v.env,
        secretEnv: Object.fromEntries(Object.entries(v.secretEnv).map(([name, value]) => [name, pulumi.secret(value)])),
        domain: v.domain ? { name: v.domain, zone: v.dnsZone || undefined } : undefined,
        alertEmail: v.alertEmail || undefined,
        logRetentionDays: v.logRetentionDays,
        edgeRateLimitPerMinute: v.edgeRateLimitPerMinute,
        reviewStackTtlHours: v.reviewStackTtlHours,
        overrides: { aws: v.aws, gcp: v.gcp, azure: v.azure, kubernetes: v.kubernetes },
        restore: restoreSpec(v.restore),
    };
}
