import * as pulumi from "@pulumi/pulumi";
import { explainConnections, requiredMaxConnections, smallestTierFor, DB_TIER_SPECS, type ConnectionDemand } from "../components/capacity";
import { baseName, standardTags } from "../components/naming";
import { runtimeUsername } from "../components/dbroles";
import type { PlatformArgs } from "../components/platform";
import { TEMPLATE_ENV_NAMES } from "../components/secrets";
import type { AwsOverrides } from "./clouds/aws";
import type { AzureOverrides } from "./clouds/azure";
import type { GcpOverrides } from "./clouds/gcp";
import type { KubernetesOverrides } from "./clouds/kubernetes";
import { ConfigError } from "./errors";
import { parseField, parseObject, suggest } from "./parse";
import { SCHEMA, type Cloud, type ConfigKey, type DatabaseUrlStyle, type DbTier, type Environment, type LogLevel, type CacheTier } from "./schema";

export { ConfigError } from "./errors";

/** Env var names the platform sets itself; users may not override them through env/secretEnv. */
export const PLATFORM_ENV = [
    "ENVIRONMENT", "DEBUG", "LOG_LEVEL", "CORS_ORIGINS", "RATE_LIMIT_PER_MINUTE", "DB_POOL_SIZE", "DB_MAX_OVERFLOW",
    "DB_POOL_TIMEOUT", "DB_POOL_RECYCLE", "CACHE_ENABLED", "CACHE_DEFAULT_TTL", "PORT", "DATABASE_URL",
    "DATABASE_READ_URL", "REDIS_URL", "DATABASE_OWNER_URL", "DATABASE_RUNTIME_URL", "POSTGRES_OWNER_PASSWORD",
];
/** Secrets the platform generates unless the stack supplies them in secretEnv. */
export const REPLACEABLE_SECRETS = ["SECRET_KEY", "JWT_SECRET_KEY"];
export const MIN_SECRET_LENGTH = 32;

/** Production floors (BASELINE.md): a production stack below them does not deploy. */
export const PRODUCTION_FLOORS = { minInstances: 2, workerMinInstances: 1, dbBackupDays: 7 } as const;

/** Typed values of every schema key. */
export interface StackValues {
    cloud: Cloud; environment: Environment; image: string; containerPort: number; cpu: number; memoryMb: number;
    minInstances: number; maxInstances: number; cpuTargetPercent: number; memoryTargetPercent: number;
    healthCheckPath: string; readinessPath: string; workerImage: string; workerCommand: string[]; workerCpu: number;
    workerMemoryMb: number; workerMinInstances: number; workerMaxInstances: number; migrationCommand: string[];
    dbVersion: number; dbTier: DbTier; dbStorageGb: number; dbMaxStorageGb: number; dbBackupDays: number;
    dbReadReplica: boolean; dbName: string; dbUser: string; dbPoolSize: number; dbMaxOverflow: number;
    dbPoolTimeout: number; dbPoolRecycle: number; cacheTier: CacheTier; cacheHa: boolean; cacheEnabled: boolean;
    cacheDefaultTtl: number; domain: string; dnsZone: string; alertEmail: string; corsOrigins: string[];
    logLevel: LogLevel; logRetentionDays: number; rateLimitPerMinute: number; edgeRateLimitPerMinute: number; reviewStackTtlHours: number;
    maxRequestBodyMb: number; requestTimeoutSeconds: number; databaseUrlStyle: DatabaseUrlStyle; templateEnvAliases: boolean;
    env: Record<string, string>; secretEnv: Record<string, string>; tags: Record<string, string>;
    aws: AwsOverrides; gcp: GcpOverrides; azure: AzureOverrides; kubernetes: KubernetesOverrides;
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
    const problems: string[] = [];

    const known = Object.keys(SCHEMA);
    for (const key of Object.keys(raw)) {
        if (!Object.hasOwn(SCHEMA, key)) {
            problems.push(`${project}:${key} is not a configuration key of this project${suggest(key, known)}; see the README's configuration reference`);
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
        const parsed = spec.type === "object" ? parseObject(label, spec, given) : parseField(label, spec, given);
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

function defaultsOf(fields: Record<string, { default: unknown }>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.default]));
}

/** Rules that involve more than one key, with messages that name every key involved. */
export function crossFieldProblems(project: string, v: StackValues): string[] {
    const k = (key: ConfigKey | `${ConfigKey}.${string}`) => `${project}:${key}`;
    const problems: string[] = [];
    const production = v.environment === "production";

    if (v.image === "") problems.push(`${k("image")} is required: set the container image of the FastAPI service (pulumi config set image <ref>)`);
    if (v.minInstances > v.maxInstances) {
        problems.push(`${k("minInstances")} (${v.minInstances}) is greater than ${k("maxInstances")} (${v.maxInstances}); minInstances must be <= maxInstances`);
    }
    if (v.workerMinInstances > v.workerMaxInstances) {
        problems.push(`${k("workerMinInstances")} (${v.workerMinInstances}) is greater than ${k("workerMaxInstances")} (${v.workerMaxInstances}); workerMinInstances must be <= workerMaxInstances`);
    }
    if (v.dbMaxStorageGb <= v.dbStorageGb) {
        problems.push(`${k("dbMaxStorageGb")} (${v.dbMaxStorageGb}) must be greater than ${k("dbStorageGb")} (${v.dbStorageGb}) so storage can grow`);
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
    const ceiling = DB_TIER_SPECS[v.dbTier].maxConnections;
    if (required > ceiling) {
        const bigger = smallestTierFor(required);
        problems.push(
            `capacity rule (seed 004) broken: max_connections must be >= ${explainConnections(demand)}, ` +
                `but ${k("dbTier")} '${v.dbTier}' allows at most ${ceiling}. ` +
                (bigger ? `Use dbTier '${bigger}', or ` : "No tier is large enough; ") +
                `lower dbPoolSize/dbMaxOverflow, maxInstances or workerMaxInstances (or put a pooler in front).`,
        );
    }

    for (const name of Object.keys(v.env)) {
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
    return problems;
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
    };
}
