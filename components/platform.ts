import * as pulumi from "@pulumi/pulumi";
import type { AwsOverrides } from "../config/clouds/aws";
import type { AzureOverrides } from "../config/clouds/azure";
import type { GcpOverrides } from "../config/clouds/gcp";
import type { KubernetesOverrides } from "../config/clouds/kubernetes";
import type { CacheTier, Cloud, DatabaseUrlStyle, DbTier, Environment, LogLevel } from "../config/schema";

/**
 * The provider-agnostic contract. Every cloud receives the same PlatformArgs (plain data, no
 * cloud types) and its component exposes the same PlatformOutputs.
 */

/** A long-running container fleet. */
export interface ContainerSpec {
    /** Image reference: the configured one, or a built image's pushed digest (components/release.ts). */
    image: pulumi.Input<string>;
    /** Command override; empty keeps the image's own CMD. */
    command: string[];
    /** vCPU in millicores. */
    cpu: number;
    /** Memory in MiB. */
    memoryMb: number;
    /** Fewest instances the autoscaler keeps. */
    minInstances: number;
    /** Most instances the autoscaler may run. */
    maxInstances: number;
}

/** The public API service. */
export interface ServiceSpec extends ContainerSpec {
    /** Port the container listens on. */
    port: number;
    /** Liveness and load-balancer health check path. */
    healthCheckPath: string;
    /** Readiness path, where the platform supports a separate probe. */
    readinessPath: string;
    /** Seconds a stopping instance gets to drain in-flight requests (seeds: ~60 s). */
    terminationGraceSeconds: number;
    /** Largest request body in MB every edge passes to the API. */
    maxRequestBodyMb: number;
    /** Seconds a request may take end to end at every load balancer and proxy. */
    requestTimeoutSeconds: number;
}

/** Where the app exposes its Prometheus metrics (prometheus-fastapi-instrumentator), for each cloud's collector. */
export interface MetricsSpec {
    /** HTTP path, e.g. /metrics. */
    path: string;
    /** Port inside the container (the app port unless metricsPort is set). */
    port: number;
}

export interface ScalingSpec {
    /** Average CPU utilisation to hold, in percent. */
    cpuTargetPercent: number;
    /** Average memory utilisation to hold, in percent. */
    memoryTargetPercent: number;
}

export interface DatabaseSpec {
    /** PostgreSQL major version. */
    version: number;
    /** Neutral size tier; each cloud maps it to an instance class. */
    tier: DbTier;
    /** Initial storage in GB. */
    storageGb: number;
    /** Storage autoscaling ceiling in GB. */
    maxStorageGb: number;
    /** Backup retention in days. */
    backupRetentionDays: number;
    /** Whether to add a read replica. */
    readReplica: boolean;
    /** Application database name. */
    name: string;
    /** Owner role (the cloud's admin login): owns the schema, used by the migrations job only. */
    username: string;
    /** Runtime role the API and worker connect as: DML on the app schema, no DDL (components/dbroles.ts). */
    runtimeUsername: string;
    /** The driver DATABASE_URL and DATABASE_READ_URL are written for. */
    urlStyle: DatabaseUrlStyle;
    /** max_connections, sized by the capacity rule (components/capacity.ts). */
    maxConnections: number;
    /** Synchronous standby in another zone. */
    highAvailability: boolean;
    /** Refuse deletion at the API level and keep a final snapshot. */
    deletionProtection: boolean;
}

export interface CacheSpec {
    /** Neutral size tier. */
    tier: CacheTier;
    /** Replica with automatic failover across zones. */
    highAvailability: boolean;
}

/** Plain application settings, delivered as environment variables (not secrets). */
export interface AppSettings {
    corsOrigins: string[];
    logLevel: LogLevel;
    rateLimitPerMinute: number;
    dbPoolSize: number;
    dbMaxOverflow: number;
    dbPoolTimeout: number;
    dbPoolRecycle: number;
    cacheEnabled: boolean;
    cacheDefaultTtl: number;
    /** Also set the env var names FastAPI templates read (components/secrets.ts TEMPLATE_ENV_ALIASES). */
    templateEnvAliases: boolean;
}

export interface DomainSpec {
    /** Public hostname of the API. */
    name: string;
    /** DNS zone holding it, where certificates are validated and records created. */
    zone?: string;
}

export type BuildPlatform = "linux/amd64" | "linux/arm64";

/** Build from source (config key `build`). */
export interface BuildSpec {
    /** Build context directory, relative to the project directory. */
    context: string;
    /** Dockerfile path, relative to the project directory. */
    dockerfile: string;
    /** Multi-stage target; empty builds the last stage. */
    target: string;
    platform: BuildPlatform;
    /** Build arguments (never secrets). */
    args: Record<string, string>;
    /** Tag of the pushed image: `build.tag`, else the git commit. */
    tag: string;
}

/** How a release reaches the stack: the image, its name, and what happens before the services roll. */
export interface ReleaseSpec {
    /** Build from source and push to the stack's registry; undefined runs the configured `image`. */
    build?: BuildSpec;
    /** The release's name (components/release.ts releaseName): names the pre-migration backup. */
    name: string;
    /** Production: back the database up, named after the release, before migrating. */
    backupBeforeMigration: boolean;
    /** `workerImage` was set, so the worker keeps its own image instead of the release's. */
    workerImageGiven: boolean;
}

/**
 * Restore mode: the database is created from a backup instead of empty. `backup` restores one
 * named backup or snapshot, `pointInTime` a moment of the source's continuous backups, `latest`
 * the source's latest restorable moment. `source` is the cloud's own identifier of the database
 * the backups belong to.
 */
export type RestoreSpec =
    | { kind: "backup"; backupId: string; source?: string }
    | { kind: "pointInTime"; time: string; source: string }
    | { kind: "latest"; source: string };

export interface PlatformArgs {
    cloud: Cloud;
    environment: Environment;
    /** Base of every resource name: <project>-<stack>. */
    baseName: string;
    /** Tags/labels for everything taggable. */
    tags: Record<string, string>;
    service: ServiceSpec;
    worker: ContainerSpec;
    /** The one-off command run before a rollout. */
    migrationCommand: string[];
    release: ReleaseSpec;
    /** The app's Prometheus endpoint, scraped on the API and the worker. */
    metrics: MetricsSpec;
    scaling: ScalingSpec;
    database: DatabaseSpec;
    cache: CacheSpec;
    app: AppSettings;
    /** Extra plain environment variables. */
    env: Record<string, string>;
    /** Extra secret values by env var name (already Pulumi secrets). */
    secretEnv: Record<string, pulumi.Output<string>>;
    domain?: DomainSpec;
    alertEmail?: string;
    logRetentionDays: number;
    /** Review stacks: hours after the first deployment at which Pulumi Deployments destroys the stack; 0 = none. */
    reviewStackTtlHours: number;
    /** Requests per minute per client IP the edge allows (production edge). */
    edgeRateLimitPerMinute: number;
    /** Cloud-specific overrides, validated against each cloud's block in config/clouds/. */
    overrides: { aws: AwsOverrides; gcp: GcpOverrides; azure: AzureOverrides; kubernetes: KubernetesOverrides };
    /** Restore mode (docs/disaster-recovery.md); undefined builds an empty database. */
    restore?: RestoreSpec;
}

/** What every cloud's platform component exposes; index.ts turns it into stack outputs. */
export interface PlatformOutputs {
    /** Public HTTPS URL of the API. */
    url: pulumi.Output<string>;
    database: {
        host: pulumi.Output<string>;
        port: pulumi.Output<number>;
        name: pulumi.Output<string>;
        readReplicaHost?: pulumi.Output<string>;
    };
    cache: {
        host: pulumi.Output<string>;
        port: pulumi.Output<number>;
    };
    /** Secret-store identifiers (ARNs, resource names, URIs) by env var name; never values. */
    secretIds: pulumi.Output<Record<string, string>>;
    /** The exact shell command that runs the migrations once, before a rollout. */
    migrationCommand: pulumi.Output<string>;
    /** Where alerts go (topic / channel / action group id). */
    alertTarget: pulumi.Output<string>;
    /** The application's object storage, where the platform knows it (not on Kubernetes, where a Secret holds it). */
    storage?: { bucket: pulumi.Output<string>; endpoint: pulumi.Output<string> };
    /** Link to the stack's dashboard (components/dashboards.ts's panels) in the cloud's console or Grafana. */
    dashboardUrl: pulumi.Output<string>;
    /** The shell command that follows the API's logs (shell-quoted). */
    logsCommand: pulumi.Output<string>;
}

/**
 * Base of every cloud's component: the contract's outputs as public fields, set and registered
 * by `publish` (call it once, after the last child is created).
 */
export abstract class PlatformComponent extends pulumi.ComponentResource implements PlatformOutputs {
    readonly url!: pulumi.Output<string>;
    readonly database!: PlatformOutputs["database"];
    readonly cache!: PlatformOutputs["cache"];
    readonly secretIds!: pulumi.Output<Record<string, string>>;
    readonly migrationCommand!: pulumi.Output<string>;
    readonly alertTarget!: pulumi.Output<string>;
    readonly storage?: PlatformOutputs["storage"];
    readonly dashboardUrl!: pulumi.Output<string>;
    readonly logsCommand!: pulumi.Output<string>;

    protected publish(outputs: PlatformOutputs): void {
        Object.assign(this, outputs);
        this.registerOutputs({ ...outputs });
    }
}

/** A cloud implementation: validates what only that cloud knows, then builds the component. */
export interface CloudProvider {
    /** Capability checks for this cloud; return one message per problem, naming the config key. */
    validate(args: PlatformArgs, project: string): string[];
    /** Builds the whole platform; runs only after validation passed. */
    create(args: PlatformArgs, opts?: pulumi.ComponentResourceOptions): PlatformOutputs & pulumi.ComponentResource;
}

/** The stack outputs every cloud exports, in one shape. Secret identifiers only, never values. */
export function stackOutputs(args: PlatformArgs, platform: PlatformOutputs) {
    return {
        cloud: args.cloud,
        environment: args.environment,
        url: platform.url,
        databaseHost: platform.database.host,
        databasePort: platform.database.port,
        databaseName: platform.database.name,
        ...(platform.database.readReplicaHost ? { databaseReadReplicaHost: platform.database.readReplicaHost } : {}),
        databaseMaxConnections: args.database.maxConnections,
        cacheHost: platform.cache.host,
        cachePort: platform.cache.port,
        secretIds: platform.secretIds,
        migrationCommand: platform.migrationCommand,
        alertTarget: platform.alertTarget,
        ...(platform.storage ? { storageBucket: platform.storage.bucket, storageEndpoint: platform.storage.endpoint } : {}),
        ...(args.restore ? { restoredFrom: restoreDescription(args.restore) } : {}),
        dashboardUrl: platform.dashboardUrl,
        logsCommand: platform.logsCommand,
    };
}

/** One line naming what a restore-mode stack's database was created from. */
export function restoreDescription(restore: RestoreSpec): string {
    switch (restore.kind) {
        case "backup":
            return `backup ${restore.backupId}${restore.source ? ` of ${restore.source}` : ""}`;
        case "pointInTime":
            return `${restore.source} at ${restore.time}`;
        case "latest":
            return `${restore.source} at its latest restorable time`;
    }
}
