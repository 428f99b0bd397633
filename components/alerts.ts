/**
 * Alert thresholds of the platform (p99 over 2 s, 5xx, health, saturation), shared by every cloud's monitoring so a
 * stack alerts on the same conditions wherever it runs.
 */
export const ALERT_THRESHOLDS = {
    /** p99 (or the cloud's closest) response time, seconds. */
    p99LatencySeconds: 2,
    /** Share of API responses that are 5xx, percent. */
    http5xxPercent: 5,
    /** 5xx answered by the load balancer or platform itself, per five minutes. */
    http5xxPerFiveMinutes: 10,
    /** Sustained service CPU, percent: autoscaling is not keeping up. */
    serviceCpuPercent: 85,
    serviceMemoryPercent: 90,
    dbCpuPercent: 80,
    /** Connections as a share of max_connections (seeds: > 80 %). */
    dbConnectionsPercent: 80,
    /** Storage used as a share of what is allocated. */
    dbStorageUsedPercent: 90,
    replicaLagSeconds: 60,
    cacheMemoryPercent: 80,
} as const;
