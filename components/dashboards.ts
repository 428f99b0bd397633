import { ALERT_THRESHOLDS } from "./alerts";
import type { PlatformArgs } from "./platform";

/**
 * The one dashboard every cloud draws (seed 001's panel list): the same panels, in the same
 * order, with the same reference lines, whatever the metric store. Each cloud maps a panel id to
 * its own metrics (providers/<cloud>/dashboard.ts); a `Record<PanelId, ...>` there makes a panel
 * without a mapping a type error.
 */
export const PANEL_IDS = [
    "requestRate", "errorRate", "latency", "instances", "cpu", "memory",
    "dbConnections", "dbCpu", "dbStorage", "replicaLag",
    "cacheMemory", "cacheHitRatio", "cacheEvictions", "workerHealth",
] as const;
export type PanelId = (typeof PANEL_IDS)[number];

/** Each panel's title, the same on every cloud's dashboard. */
export const PANEL_TITLES: Record<PanelId, string> = {
    requestRate: "Request rate",
    errorRate: "5xx error rate",
    latency: "Latency p50 / p95 / p99",
    instances: "API instances vs min/max",
    cpu: "CPU vs autoscaling target",
    memory: "Memory vs autoscaling target",
    dbConnections: "Database connections vs max_connections",
    dbCpu: "Database CPU",
    dbStorage: "Database storage used",
    replicaLag: "Replica lag",
    cacheMemory: "Cache memory",
    cacheHitRatio: "Cache hit ratio",
    cacheEvictions: "Cache evictions",
    workerHealth: "Worker instances vs min/max",
};

/** Units the panels are drawn in; percentages are 0-100 (a cloud whose metric is a 0-1 ratio scales the lines). */
export type PanelUnit = "requests/s" | "percent" | "seconds" | "count" | "bytes";

/** A horizontal line on a panel: a target, a limit or an alert threshold. */
export interface ReferenceLine {
    label: string;
    value: number;
}

export interface Panel {
    id: PanelId;
    title: string;
    unit: PanelUnit;
    references: ReferenceLine[];
}

/** What the stack actually runs, so a dashboard has no panel without data behind it. */
export interface DashboardScope {
    /** The platform's own PostgreSQL (not an external one). */
    database: boolean;
    /** A read replica / standby whose lag is measurable. */
    replica: boolean;
    /** The platform's own Redis (not an external one). */
    cache: boolean;
}

const DATABASE_PANELS: PanelId[] = ["dbConnections", "dbCpu", "dbStorage"];
const CACHE_PANELS: PanelId[] = ["cacheMemory", "cacheHitRatio", "cacheEvictions"];

/** Every cloud lays the panels out two to a row, in panel order: where panel `i` goes, in cells of `width` x `height`. */
export function gridCell(i: number, width: number, height: number): { x: number; y: number } {
    return { x: (i % 2) * width, y: Math.floor(i / 2) * height };
}

/** The panels of the stack's dashboard, with reference lines taken from the stack's own numbers. */
export function dashboardPanels(args: PlatformArgs, scope: DashboardScope): Panel[] {
    const t = ALERT_THRESHOLDS;
    const s = args.scaling;
    const maxConnections = args.database.maxConnections;
    const all: Record<PanelId, Omit<Panel, "id">> = {
        requestRate: { title: PANEL_TITLES.requestRate, unit: "requests/s", references: [] },
        errorRate: { title: PANEL_TITLES.errorRate, unit: "percent", references: [{ label: "alert", value: t.http5xxPercent }] },
        latency: { title: PANEL_TITLES.latency, unit: "seconds", references: [{ label: "p99 alert", value: t.p99LatencySeconds }] },
        instances: {
            title: PANEL_TITLES.instances, unit: "count",
            references: [{ label: "min", value: args.service.minInstances }, { label: "max", value: args.service.maxInstances }],
        },
        cpu: {
            title: PANEL_TITLES.cpu, unit: "percent",
            references: [{ label: "target", value: s.cpuTargetPercent }, { label: "alert", value: t.serviceCpuPercent }],
        },
        memory: {
            title: PANEL_TITLES.memory, unit: "percent",
            references: [{ label: "target", value: s.memoryTargetPercent }, { label: "alert", value: t.serviceMemoryPercent }],
        },
        dbConnections: {
            title: PANEL_TITLES.dbConnections, unit: "count",
            references: [
                { label: "max_connections", value: maxConnections },
                { label: "alert", value: Math.floor((maxConnections * t.dbConnectionsPercent) / 100) },
            ],
        },
        dbCpu: { title: PANEL_TITLES.dbCpu, unit: "percent", references: [{ label: "alert", value: t.dbCpuPercent }] },
        dbStorage: { title: PANEL_TITLES.dbStorage, unit: "percent", references: [{ label: "alert", value: t.dbStorageUsedPercent }] },
        replicaLag: { title: PANEL_TITLES.replicaLag, unit: "seconds", references: [{ label: "alert", value: t.replicaLagSeconds }] },
        cacheMemory: { title: PANEL_TITLES.cacheMemory, unit: "percent", references: [{ label: "alert", value: t.cacheMemoryPercent }] },
        cacheHitRatio: { title: PANEL_TITLES.cacheHitRatio, unit: "percent", references: [] },
        cacheEvictions: { title: PANEL_TITLES.cacheEvictions, unit: "count", references: [] },
        workerHealth: {
            title: PANEL_TITLES.workerHealth, unit: "count",
            references: [{ label: "min", value: args.worker.minInstances }, { label: "max", value: args.worker.maxInstances }],
        },
    };
    return PANEL_IDS
        .filter((id) => scope.database || !DATABASE_PANELS.includes(id))
        .filter((id) => scope.replica || id !== "replicaLag")
        .filter((id) => scope.cache || !CACHE_PANELS.includes(id))
        .map((id) => ({ id, ...all[id] }));
}
