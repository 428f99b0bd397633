/**
 * Connection ceilings of the database classes a stack may name directly (aws.dbInstanceClass,
 * gcp.sqlTier), so the capacity rule checks the class that actually runs, not only dbTier.
 * Azure and Kubernetes have no class override: their dbTier is the effective tier.
 */

/**
 * RDS for PostgreSQL's documented default: max_connections = LEAST({DBInstanceClassMemory/9531392}, 5000)
 * (Amazon RDS User Guide, "Quotas and constraints for Amazon RDS", Maximum number of database
 * connections). The program sets max_connections to the capacity rule's number, and this is
 * the memory-based ceiling it may not exceed. The same bytes per connection serve Cloud SQL.
 */
export const BYTES_PER_CONNECTION = 9531392;
export const MAX_CONNECTIONS_CAP = 5000;
const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

export function connectionsForMemory(bytes: number): number {
    return Math.min(Math.floor(bytes / BYTES_PER_CONNECTION), MAX_CONNECTIONS_CAP);
}

/** Burstable (db.t*) sizes and their memory in GiB (docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Summary.html). */
const BURSTABLE_GIB: Record<string, number> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, "2xlarge": 32 };
/** GiB per vCPU of the fixed-ratio families: general purpose m, memory optimized r, x2g. */
const GIB_PER_VCPU: Record<string, number> = { m: 4, r: 8, x2g: 16 };

/** Memory in GiB of an RDS class such as db.r7g.large, or undefined for a class this table does not know. */
export function rdsClassMemoryGiB(instanceClass: string): number | undefined {
    const match = /^db\.([a-z][a-z0-9]*)\.([a-z0-9]+)$/.exec(instanceClass);
    if (!match) return undefined;
    const [, generation, size] = match;
    if (generation.startsWith("t")) return Object.hasOwn(BURSTABLE_GIB, size) ? BURSTABLE_GIB[size] : undefined;
    const family = generation.startsWith("x2g") ? "x2g" : generation[0];
    const perVcpu = Object.hasOwn(GIB_PER_VCPU, family) ? GIB_PER_VCPU[family] : undefined;
    // large = 2 vCPU, xlarge = 4, Nxlarge = 4N (the Nitro sizes RDS offers).
    const vcpus = size === "large" ? 2 : size === "xlarge" ? 4 : /^([1-9][0-9]?)xlarge$/.test(size) ? 4 * Number(size.slice(0, -6)) : undefined;
    return perVcpu !== undefined && vcpus !== undefined && vcpus <= 512 ? perVcpu * vcpus : undefined;
}

export const RDS_CLASS_HINT = "a current RDS class of the t (micro to 2xlarge), m, r or x2g families, such as db.r7g.large or db.m7g.2xlarge";

export function rdsClassMaxConnections(instanceClass: string): number | undefined {
    const gib = rdsClassMemoryGiB(instanceClass);
    return gib === undefined ? undefined : connectionsForMemory(gib * GIB);
}

/**
 * Cloud SQL machine types (cloud.google.com/sql/docs/postgres/instance-settings): custom
 * db-custom-<vCPUs>-<MiB>, the predefined db-n1-standard-N (3.75 GB per vCPU) and
 * db-n1-highmem-N (6.5 GB per vCPU), Enterprise Plus db-perf-optimized-N-<vCPUs> (8 GB per
 * vCPU), and the shared-core db-f1-micro and db-g1-small, whose connection limits Cloud SQL
 * documents as 25 and 50 (cloud.google.com/sql/docs/postgres/quotas, Maximum concurrent connections).
 */
const SHARED_CORE_CONNECTIONS: Record<string, number> = { "db-f1-micro": 25, "db-g1-small": 50 };

export function cloudSqlTierMemoryMiB(tier: string): number | undefined {
    let match = /^db-custom-([1-9][0-9]{0,2})-([1-9][0-9]{2,6})$/.exec(tier);
    if (match) return Number(match[2]);
    match = /^db-n1-(standard|highmem)-([1-9][0-9]?)$/.exec(tier);
    if (match) return Math.round(Number(match[2]) * (match[1] === "standard" ? 3840 : 6656));
    match = /^db-perf-optimized-N-([1-9][0-9]{0,2})$/.exec(tier);
    if (match) return Number(match[1]) * 8192;
    return undefined;
}

export const CLOUD_SQL_TIER_HINT =
    "a Cloud SQL machine type: db-custom-<vCPUs>-<MiB> (e.g. db-custom-4-16384), db-n1-standard-N, db-n1-highmem-N, db-perf-optimized-N-<vCPUs>, db-f1-micro or db-g1-small";

export function cloudSqlTierMaxConnections(tier: string): number | undefined {
    if (Object.hasOwn(SHARED_CORE_CONNECTIONS, tier)) return SHARED_CORE_CONNECTIONS[tier];
    const mib = cloudSqlTierMemoryMiB(tier);
    return mib === undefined ? undefined : connectionsForMemory(mib * MIB);
}
