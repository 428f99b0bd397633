import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { CACHE_TIER_SPECS } from "../../components/capacity";
import { shortName } from "../../components/naming";
import type { PlatformArgs } from "../../components/platform";
import { gcpLabels } from "./labels";
import type { Network } from "./network";
import type { GcpProject } from "./project";

/** Where the services find the CA that signs Memorystore's TLS certificate (mounted from Secret Manager). */
export const REDIS_CA_DIRECTORY = "/etc/redis-tls";
export const REDIS_CA_FILE = "server-ca.pem";
/** The Secret Manager entry that delivers the CA file (a name in the same space as secretEnv's). */
export const REDIS_CA_SECRET = "REDIS_CA_CERT";

export interface Cache {
    instance: gcp.redis.Instance;
    host: pulumi.Output<string>;
    port: pulumi.Output<number>;
    /** The AUTH string Memorystore generates (a Pulumi secret). */
    authString: pulumi.Output<string>;
    /** PEM of the instance's server CA(s); not secret, but clients must trust it to verify TLS. */
    serverCa: pulumi.Output<string>;
}

/**
 * Memorystore for Redis on private service access: AUTH on, TLS with server authentication.
 * With `cacheHa` a STANDARD_HA replica in another zone with automatic failover; production adds
 * RDB persistence, deletion protection and `protect`.
 */
export function createCache(name: string, args: PlatformArgs, project: GcpProject, network: Network, parent: pulumi.Resource): Cache {
    const production = args.environment === "production";
    const instance = new gcp.redis.Instance(`${name}-cache`, {
        name: shortName(args.baseName, "cache", 40),
        displayName: `${args.baseName} Redis`,
        region: project.region,
        redisVersion: "REDIS_7_2",
        tier: args.cache.highAvailability ? "STANDARD_HA" : "BASIC",
        memorySizeGb: Math.ceil(CACHE_TIER_SPECS[args.cache.tier].memoryGiB),
        authEnabled: true,
        transitEncryptionMode: "SERVER_AUTHENTICATION",
        connectMode: "PRIVATE_SERVICE_ACCESS",
        authorizedNetwork: network.vpc.id,
        reservedIpRange: network.privateServiceRange.name,
        persistenceConfig: production ? { persistenceMode: "RDB", rdbSnapshotPeriod: "TWELVE_HOURS" } : { persistenceMode: "DISABLED" },
        maintenancePolicy: { weeklyMaintenanceWindows: [{ day: "SUNDAY", startTime: { hours: 4, minutes: 30 } }] },
        deletionProtection: production,
        labels: gcpLabels(args.tags),
    }, { parent, protect: production, dependsOn: [network.privateServiceConnection, project.apis.redis] });

    return {
        instance,
        host: instance.host,
        port: instance.port,
        authString: instance.authString,
        serverCa: instance.serverCaCerts.apply((certs) => certs.map((c) => c.cert.trim()).join("\n")),
    };
}

/** The CA file REDIS_URL names (`ssl_ca_certs`): Memorystore signs its certificate with a per-instance CA. */
export const REDIS_CA_PATH = `${REDIS_CA_DIRECTORY}/${REDIS_CA_FILE}`;
