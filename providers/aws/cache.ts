import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import type { CacheTier } from "../../config/schema";
import type { PlatformArgs } from "../../components/platform";
import { autoNamed } from "../../components/naming";
import type { Network } from "./network";

/** Neutral tiers -> Graviton node types of the memory components/capacity.ts assumes. */
export const CACHE_NODE_TYPE: Record<CacheTier, string> = {
    small: "cache.t4g.small",
    medium: "cache.r7g.large",
    large: "cache.r7g.xlarge",
};

export interface Cache {
    replicationGroup: aws.elasticache.ReplicationGroup;
    /** Member cluster ids (ElastiCache names them <group>-001, -002, ...), for per-node alarms. */
    memberIds: pulumi.Output<string>[];
    host: pulumi.Output<string>;
    port: pulumi.Output<number>;
}

/**
 * ElastiCache Redis: TLS in transit, encryption at rest, AUTH token; with `cacheHa` a replica in
 * another zone and automatic failover. Production keeps a week of snapshots and a final one.
 */
export function createCache(
    name: string, args: PlatformArgs, network: Network, authToken: pulumi.Output<string>, parent: pulumi.Resource,
): Cache {
    const production = args.environment === "production";
    const ha = args.cache.highAvailability;
    const nodes = ha ? 2 : 1;
    const subnetGroup = new aws.elasticache.SubnetGroup(`${name}-cache-subnets`, {
        description: `${args.baseName} Redis subnets`,
        subnetIds: network.dataSubnets.map((s) => s.id),
        tags: args.tags,
    }, { parent });

    // Snapshot names must be unique per account: a second teardown must not collide with the first.
    const finalSnapshot = production ? new random.RandomId(`${name}-cache-final-snapshot`, { byteLength: 4 }, { parent }) : undefined;
    // Replication group ids have at most 40 characters (terraform-provider-aws internal/service/
    // elasticache/replication_group.go); Pulumi appends "-<7 characters>" to the logical name.
    const replicationGroup = new aws.elasticache.ReplicationGroup(autoNamed(name, "cache", 40), {
        description: `${args.baseName} Redis`,
        engine: "redis",
        engineVersion: "7.1",
        nodeType: args.overrides.aws.cacheNodeType || CACHE_NODE_TYPE[args.cache.tier],
        port: 6379,
        numCacheClusters: nodes,
        automaticFailoverEnabled: ha,
        multiAzEnabled: ha,
        transitEncryptionEnabled: true,
        atRestEncryptionEnabled: true,
        authToken,
        subnetGroupName: subnetGroup.name,
        securityGroupIds: [network.securityGroups.cache.id],
        snapshotRetentionLimit: production ? 7 : 1,
        snapshotWindow: "01:00-02:00",
        maintenanceWindow: "sun:04:30-sun:05:30",
        finalSnapshotIdentifier: finalSnapshot ? pulumi.interpolate`${args.baseName}-cache-final-${finalSnapshot.hex}` : undefined,
        autoMinorVersionUpgrade: true,
        applyImmediately: !production,
        tags: args.tags,
    }, { parent, protect: production, additionalSecretOutputs: ["authToken"] });

    return {
        replicationGroup,
        memberIds: [...Array(nodes).keys()].map((i) => pulumi.interpolate`${replicationGroup.id}-00${i + 1}`),
        host: replicationGroup.primaryEndpointAddress,
        port: replicationGroup.port.apply((p) => p ?? 6379),
    };
}
