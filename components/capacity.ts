import type { CacheTier, DbTier } from "../config/schema";

/**
 * Neutral size tiers. Each cloud maps a tier to its own instance class of about this memory;
 * `maxConnections` is the most connections we let PostgreSQL of that size accept (roughly the
 * memory-based ceiling RDS, Cloud SQL and Azure apply by default: ~1 connection per 9.5 MiB).
 */
export const DB_TIER_SPECS: Record<DbTier, { memoryGiB: number; maxConnections: number }> = {
    small: { memoryGiB: 2, maxConnections: 200 },
    medium: { memoryGiB: 16, maxConnections: 1600 },
    large: { memoryGiB: 32, maxConnections: 3200 },
    xlarge: { memoryGiB: 64, maxConnections: 5000 },
};

export const CACHE_TIER_SPECS: Record<CacheTier, { memoryGiB: number }> = {
    small: { memoryGiB: 1.5 },
    medium: { memoryGiB: 13 },
    large: { memoryGiB: 26 },
};

/** Connections PostgreSQL keeps for superusers, migrations and operators (seed 004's "+ 10"). */
export const RESERVED_CONNECTIONS = 10;

export interface ConnectionDemand {
    poolSize: number;
    maxOverflow: number;
    maxApiInstances: number;
    maxWorkerInstances: number;
}

/**
 * Seed 004: max_connections >= (DB_POOL_SIZE + DB_MAX_OVERFLOW) x instances + 10, counting
 * every API and worker instance the autoscalers may run at once.
 */
export function requiredMaxConnections(d: ConnectionDemand): number {
    return (d.poolSize + d.maxOverflow) * (d.maxApiInstances + d.maxWorkerInstances) + RESERVED_CONNECTIONS;
}

/** The capacity rule written out with the stack's numbers, for error messages and the plan. */
export function explainConnections(d: ConnectionDemand): string {
    return (
        `(dbPoolSize ${d.poolSize} + dbMaxOverflow ${d.maxOverflow}) x ` +
        `(maxInstances ${d.maxApiInstances} + workerMaxInstances ${d.maxWorkerInstances}) + ${RESERVED_CONNECTIONS} = ` +
        `${requiredMaxConnections(d)}`
    );
}

/** The smallest tier whose connection ceiling covers `required`, if any. */
export function smallestTierFor(required: number): DbTier | undefined {
    return (Object.keys(DB_TIER_SPECS) as DbTier[]).find((t) => DB_TIER_SPECS[t].maxConnections >= required);
}
