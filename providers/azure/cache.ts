import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as redis from "@pulumi/azure-native/redis";
import type { CacheTier } from "../../config/schema";
import { globalName, localName, type AzureContext } from "./context";
import type { Network } from "./network";

/** An Azure Cache for Redis SKU: Basic/Standard are family C, Premium family P. */
export interface RedisSize {
    name: "Basic" | "Premium";
    family: "C" | "P";
    capacity: number;
}

/**
 * Neutral tiers -> Azure Cache for Redis sizes of at least the memory components/capacity.ts
 * assumes. Without `cacheHa`: Basic, one node (C2 2.5 GB, C4 13 GB, C5 26 GB). With it: Premium,
 * a replica in another availability zone and automatic failover (P1 6 GB, P2 13 GB, P3 26 GB).
 */
export const REDIS_SKU: Record<CacheTier, { single: RedisSize; replicated: RedisSize }> = {
    small: { single: { name: "Basic", family: "C", capacity: 2 }, replicated: { name: "Premium", family: "P", capacity: 1 } },
    medium: { single: { name: "Basic", family: "C", capacity: 4 }, replicated: { name: "Premium", family: "P", capacity: 2 } },
    large: { single: { name: "Basic", family: "C", capacity: 5 }, replicated: { name: "Premium", family: "P", capacity: 3 } },
};

export interface Cache {
    redis: redis.Redis;
    privateEndpoint: network.PrivateEndpoint;
    host: pulumi.Output<string>;
    /** The TLS port (6380); the plain port is off. */
    port: pulumi.Output<number>;
    /** The primary access key, the password in REDIS_URL: a Pulumi secret. */
    accessKey: pulumi.Output<string>;
}

/**
 * Azure Cache for Redis reachable only through a private endpoint (public network access
 * disabled; private endpoints exist on every tier), TLS 1.2 only on port 6380. The access key
 * Azure generates is read back with listRedisKeys and kept secret.
 */
export function createCache(ctx: AzureContext, net: Network): Cache {
    const { args, production, location, resourceGroupName, parent } = ctx;
    const replicated = args.cache.highAvailability;
    const cache = new redis.Redis(`${ctx.name}-redis`, {
        name: globalName(ctx, "redis", 63),
        resourceGroupName, location,
        sku: replicated ? REDIS_SKU[args.cache.tier].replicated : REDIS_SKU[args.cache.tier].single,
        redisVersion: "6",
        enableNonSslPort: false,
        minimumTlsVersion: "1.2",
        publicNetworkAccess: "Disabled",
        disableAccessKeyAuthentication: false,
        // Premium spreads the primary and its replica over availability zones; Basic is one node.
        ...(replicated ? { replicasPerPrimary: 1, zonalAllocationPolicy: "Automatic" } : {}),
        updateChannel: "Stable",
        tags: args.tags,
    }, { parent, protect: production });

    const privateEndpoint = new network.PrivateEndpoint(`${ctx.name}-redis-endpoint`, {
        privateEndpointName: localName(ctx, "redis-pe", 64),
        customNetworkInterfaceName: localName(ctx, "redis-pe-nic"),
        resourceGroupName, location,
        subnet: { id: net.subnetIds.privateEndpoints },
        privateLinkServiceConnections: [{ name: "redis", privateLinkServiceId: cache.id, groupIds: ["redisCache"] }],
        tags: args.tags,
    }, { parent });
    new network.PrivateDnsZoneGroup(`${ctx.name}-redis-endpoint-dns`, {
        privateEndpointName: privateEndpoint.name,
        privateDnsZoneGroupName: "default",
        resourceGroupName,
        privateDnsZoneConfigs: [{ name: "redis", privateDnsZoneId: net.redisDnsZone.id }],
    }, { parent });

    const keys = redis.listRedisKeysOutput({ name: cache.name, resourceGroupName }, { parent });
    return {
        redis: cache,
        privateEndpoint,
        host: cache.hostName,
        port: cache.sslPort,
        accessKey: pulumi.secret(keys.primaryKey),
    };
}
