import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { PlatformArgs } from "./platform";

/** The secrets every cloud generates, as Pulumi secrets. */
export interface AppSecrets {
    /** Password of the application's database user. */
    dbPassword: pulumi.Output<string>;
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
        appEnv: {
            SECRET_KEY: args.secretEnv.SECRET_KEY ?? generateSecret(name, "secret-key", 64, parent),
            JWT_SECRET_KEY: args.secretEnv.JWT_SECRET_KEY ?? generateSecret(name, "jwt-secret-key", 64, parent),
            ...args.secretEnv,
        },
    };
}

/** DATABASE_URL for SQLAlchemy's asyncpg driver, TLS required. */
export function databaseUrl(parts: {
    username: pulumi.Input<string>;
    password: pulumi.Input<string>;
    host: pulumi.Input<string>;
    port: pulumi.Input<number>;
    database: pulumi.Input<string>;
}): pulumi.Output<string> {
    return pulumi.secret(
        pulumi
            .all([parts.username, parts.password, parts.host, parts.port, parts.database])
            .apply(([user, password, host, port, db]) =>
                `postgresql+asyncpg://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(db)}?ssl=require`),
    );
}

/** REDIS_URL over TLS with the AUTH token as password (default user). */
export function redisUrl(parts: {
    authToken: pulumi.Input<string>;
    host: pulumi.Input<string>;
    port: pulumi.Input<number>;
}): pulumi.Output<string> {
    return pulumi.secret(
        pulumi
            .all([parts.authToken, parts.host, parts.port])
            .apply(([token, host, port]) => `rediss://:${encodeURIComponent(token)}@${host}:${port}/0`),
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
