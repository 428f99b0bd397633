import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DatabaseUrlStyle } from "../config/schema";
import type { PlatformArgs } from "./platform";

/** The secrets every cloud generates, as Pulumi secrets. */
export interface AppSecrets {
    /** Password of the database owner role (migrations only). */
    dbPassword: pulumi.Output<string>;
    /** Password of the runtime role the API and worker connect as (DML only, no DDL). */
    dbRuntimePassword: pulumi.Output<string>;
    /** Env var name -> value: SECRET_KEY, JWT_SECRET_KEY and the stack's secretEnv. */
    appEnv: Record<string, pulumi.Output<string>>;
}

/**
 * A random secret generated with @pulumi/random (its `result` is a Pulumi secret from the start).
 * Alphanumeric only: the values go into connection URLs and cloud APIs that reject '/', '@', '"'
 * and spaces (RDS, ElastiCache AUTH), and 40+ alphanumerics carry > 230 bits.
 */
export function generateSecret(name: string, suffix: string, length: number, parent: pulumi.Resource): pulumi.Output<string> {
    return new random.RandomPassword(`${name}-${suffix}`, { length, special: false, minLower: 2, minUpper: 2, minNumeric: 2 }, { parent }).result;
}

/**
 * The database password and the application's own secrets. SECRET_KEY and JWT_SECRET_KEY are
 * generated unless the stack supplies them in secretEnv. A cache credential is the cloud's
 * business: ElastiCache takes a token we generate (generateSecret), Memorystore and Azure Cache
 * issue their own.
 */
export function createAppSecrets(name: string, args: PlatformArgs, parent: pulumi.Resource): AppSecrets {
    return {
        dbPassword: generateSecret(name, "db-password", 40, parent),
        dbRuntimePassword: generateSecret(name, "db-runtime-password", 40, parent),
        appEnv: {
            SECRET_KEY: args.secretEnv.SECRET_KEY ?? generateSecret(name, "secret-key", 64, parent),
            JWT_SECRET_KEY: args.secretEnv.JWT_SECRET_KEY ?? generateSecret(name, "jwt-secret-key", 64, parent),
            ...args.secretEnv,
        },
    };
}

/** One PostgreSQL role's connection details (the password a Pulumi secret). */
export interface DatabaseLogin {
    username: pulumi.Input<string>;
    password: pulumi.Input<string>;
    host: pulumi.Input<string>;
    port: pulumi.Input<number>;
    database: pulumi.Input<string>;
}

/** How the URL reaches PostgreSQL: directly, or through a pooler in transaction mode (PgBouncer). */
export type DatabasePath = "direct" | "transaction-pooler";

/**
 * Each driver's own spelling of the same connection: URL scheme, TLS requirement and, behind a
 * transaction-mode pooler, how to keep prepared statements off. A parameter one driver needs is
 * refused by another: libpq (psycopg2, psycopg, psql) rejects `ssl` and
 * `prepared_statement_cache_size` with "invalid connection option", asyncpg's SQLAlchemy dialect
 * knows `ssl` only. TLS is `require` everywhere (encrypted, server certificate not pinned): every
 * cloud here presents its own CA's certificate on a private address.
 */
export const DATABASE_URL_FORMS: Record<DatabaseUrlStyle, { scheme: string; tls: string; transactionPooler: string[] }> = {
    // SQLAlchemy's asyncpg dialect; asyncpg caches prepared statements per connection, which a
    // transaction pooler hands to other clients, so the cache goes (SQLAlchemy asyncpg docs).
    asyncpg: { scheme: "postgresql+asyncpg", tls: "ssl=require", transactionPooler: ["prepared_statement_cache_size=0"] },
    // SQLAlchemy with psycopg2 (seed 004); psycopg2 never prepares server-side statements.
    psycopg: { scheme: "postgresql+psycopg2", tls: "sslmode=require", transactionPooler: [] },
    // A libpq URI: psql, psycopg2.connect(), psycopg.connect(). psycopg 3 prepares a query after
    // 5 runs; a libpq URI cannot say otherwise, so the pooler tracks prepared statements itself
    // (PgBouncer max_prepared_statements, providers/kubernetes/database.ts).
    libpq: { scheme: "postgresql", tls: "sslmode=require", transactionPooler: [] },
};

/** DATABASE_URL in the stack's databaseUrlStyle, TLS required, as a Pulumi secret. */
export function databaseUrl(login: DatabaseLogin, style: DatabaseUrlStyle, path: DatabasePath = "direct"): pulumi.Output<string> {
    const form = DATABASE_URL_FORMS[style];
    const query = [form.tls, ...(path === "transaction-pooler" ? form.transactionPooler : [])].join("&");
    return pulumi.secret(
        pulumi
            .all([login.username, login.password, login.host, login.port, login.database])
            .apply(([user, password, host, port, db]) =>
                `${form.scheme}://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(db)}?${query}`),
    );
}

/** Where the workloads reach PostgreSQL: the primary and, with dbReadReplica, the replica. */
export interface DatabaseEndpoints {
    host: pulumi.Input<string>;
    port: pulumi.Input<number>;
    readHost?: pulumi.Input<string>;
    readPort?: pulumi.Input<number>;
    /** Where the owner (migrations) connects when it differs: PostgreSQL itself, past a pooler, for DDL and session locks. */
    ownerPort?: pulumi.Input<number>;
    path?: DatabasePath;
}

/** The secret-store keys of the database entries. */
export const DB_SECRET = {
    /** Runtime role, primary: API and worker. */
    url: "DATABASE_URL",
    /** Runtime role, read replica: API and worker. */
    readUrl: "DATABASE_READ_URL",
    /** Owner role: the migrations job only (there as DATABASE_URL). */
    ownerUrl: "DATABASE_OWNER_URL",
    /** templateEnvAliases: the runtime role's password (POSTGRES_PASSWORD of the API and worker). */
    runtimePassword: "POSTGRES_PASSWORD",
    /** templateEnvAliases: the owner's password (POSTGRES_PASSWORD of the migrations job). */
    ownerPassword: "POSTGRES_OWNER_PASSWORD",
} as const;

/**
 * The database's secret-store entries: the runtime role's URLs for the API and worker, the
 * owner's URL for the migrations job and, with templateEnvAliases, both passwords. Every value
 * is a Pulumi secret, stored like the other secrets.
 */
export function databaseSecrets(args: PlatformArgs, secrets: AppSecrets, at: DatabaseEndpoints): Record<string, pulumi.Output<string>> {
    const db = args.database;
    const style = db.urlStyle;
    const path = at.path ?? "direct";
    const runtime = { username: db.runtimeUsername, password: secrets.dbRuntimePassword, database: db.name };
    return {
        [DB_SECRET.url]: databaseUrl({ ...runtime, host: at.host, port: at.port }, style, path),
        ...(at.readHost !== undefined
            ? { [DB_SECRET.readUrl]: databaseUrl({ ...runtime, host: at.readHost, port: at.readPort ?? at.port }, style, path) }
            : {}),
        [DB_SECRET.ownerUrl]: databaseUrl(
            { username: db.username, password: secrets.dbPassword, database: db.name, host: at.host, port: at.ownerPort ?? at.port },
            style, at.ownerPort !== undefined ? "direct" : path,
        ),
        ...(args.app.templateEnvAliases
            ? { [DB_SECRET.runtimePassword]: secrets.dbRuntimePassword, [DB_SECRET.ownerPassword]: secrets.dbPassword }
            : {}),
    };
}

/** The three workloads every cloud runs. */
export type WorkloadRole = "api" | "worker" | "migrations";

/**
 * Env var name -> secret-store key for one workload. The API and worker connect as the runtime
 * role; the migrations job gets the owner's URL as DATABASE_URL (what Alembic reads) and the
 * runtime role's as DATABASE_RUNTIME_URL (what the role bootstrap reads), and no replica.
 * Keys missing from the store (an external database on Kubernetes) are simply absent.
 */
export function workloadSecretEnv(role: WorkloadRole, storeKeys: string[]): Record<string, string> {
    const has = (key: string) => storeKeys.includes(key);
    const ownerOnly: string[] = [DB_SECRET.ownerUrl, DB_SECRET.ownerPassword];
    const env: Record<string, string> = {};
    for (const key of storeKeys) {
        if (ownerOnly.includes(key)) continue;
        if (role === "migrations" && key === DB_SECRET.readUrl) continue;
        env[key] = key;
    }
    if (role === "migrations") {
        if (has(DB_SECRET.ownerUrl)) {
            env.DATABASE_URL = DB_SECRET.ownerUrl;
            if (has(DB_SECRET.url)) env.DATABASE_RUNTIME_URL = DB_SECRET.url;
        }
        if (has(DB_SECRET.ownerPassword)) env.POSTGRES_PASSWORD = DB_SECRET.ownerPassword;
    }
    return env;
}

/**
 * REDIS_URL over TLS with the AUTH token as password (default user). `ssl_cert_reqs=required`
 * is spelled out because Celery/kombu refuse a rediss:// URL without it, and redis-py reads it
 * too; `caFile` names the CA to verify against where the cloud's CA is private (Memorystore);
 * elsewhere the server presents a publicly trusted certificate the system store verifies.
 */
export function redisUrl(parts: {
    authToken: pulumi.Input<string>;
    host: pulumi.Input<string>;
    port: pulumi.Input<number>;
    caFile?: string;
}): pulumi.Output<string> {
    const query = ["ssl_cert_reqs=required", ...(parts.caFile ? [`ssl_ca_certs=${parts.caFile}`] : [])].join("&");
    return pulumi.secret(
        pulumi
            .all([parts.authToken, parts.host, parts.port])
            .apply(([token, host, port]) => `rediss://:${encodeURIComponent(token)}@${host}:${port}/0?${query}`),
    );
}

/** Plain (non-secret) environment shared by the API, the worker and the migrations task. */
export function plainEnvironment(args: PlatformArgs): Record<string, string> {
    const a = args.app;
    return {
        ...args.env,
        ENVIRONMENT: args.environment,
        DEBUG: "false",
        LOG_LEVEL: a.logLevel,
        CORS_ORIGINS: a.corsOrigins.join(","),
        RATE_LIMIT_PER_MINUTE: String(a.rateLimitPerMinute),
        DB_POOL_SIZE: String(a.dbPoolSize),
        DB_MAX_OVERFLOW: String(a.dbMaxOverflow),
        DB_POOL_TIMEOUT: String(a.dbPoolTimeout),
        DB_POOL_RECYCLE: String(a.dbPoolRecycle),
        CACHE_ENABLED: String(a.cacheEnabled),
        CACHE_DEFAULT_TTL: String(a.cacheDefaultTtl),
        PORT: String(args.service.port),
    };
}

/** What the template aliases are derived from: the stack's values and the data services' endpoints. */
export interface AliasSources {
    args: PlatformArgs;
    role: WorkloadRole;
    /** Undefined when the database is not this stack's (Kubernetes externalDatabaseSecret). */
    database?: { host: pulumi.Input<string>; port: pulumi.Input<number> };
    cache?: { host: pulumi.Input<string>; port: pulumi.Input<number> };
}

/**
 * The one table of variables FastAPI project templates read (full-stack-fastapi-template's
 * POSTGRES_* / BACKEND_CORS_ORIGINS, REDIS_HOST/PORT, APP_ENV), each derived from a value the
 * platform already has. `plain` ones become ordinary env vars; `secretKey` ones are read from
 * the secret store, under the role's own key (see workloadSecretEnv), never as values.
 */
export const TEMPLATE_ENV_ALIASES: { name: string; plain?: (s: AliasSources) => pulumi.Input<string> | undefined; secretKey?: string }[] = [
    { name: "POSTGRES_SERVER", plain: (s) => s.database?.host },
    { name: "POSTGRES_PORT", plain: (s) => s.database && pulumi.output(s.database.port).apply(String) },
    { name: "POSTGRES_DB", plain: (s) => s.database && s.args.database.name },
    { name: "POSTGRES_USER", plain: (s) => s.database && (s.role === "migrations" ? s.args.database.username : s.args.database.runtimeUsername) },
    { name: "POSTGRES_PASSWORD", secretKey: DB_SECRET.runtimePassword },
    { name: "REDIS_HOST", plain: (s) => s.cache?.host },
    { name: "REDIS_PORT", plain: (s) => s.cache && pulumi.output(s.cache.port).apply(String) },
    { name: "APP_ENV", plain: (s) => s.args.environment },
    { name: "BACKEND_CORS_ORIGINS", plain: (s) => s.args.app.corsOrigins.join(",") },
];

/** Every env var name the aliases may set (config/index.ts keeps env/secretEnv off them). */
export const TEMPLATE_ENV_NAMES = TEMPLATE_ENV_ALIASES.map((a) => a.name);

/**
 * The plain environment of one workload: the shared variables plus, with templateEnvAliases, the
 * plain aliases for this role (the migrations job's POSTGRES_USER is the owner).
 */
export function workloadPlainEnv(sources: AliasSources): Record<string, pulumi.Input<string>> {
    const env: Record<string, pulumi.Input<string>> = { ...plainEnvironment(sources.args) };
    if (!sources.args.app.templateEnvAliases) return env;
    for (const alias of TEMPLATE_ENV_ALIASES) {
        const value = alias.plain?.(sources);
        if (value !== undefined) env[alias.name] = value;
    }
    return env;
}
