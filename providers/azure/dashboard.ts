import * as pulumi from "@pulumi/pulumi";
import type * as monitor from "@pulumi/azure-native/monitor";
import * as portal from "@pulumi/azure-native/portal";
import { dashboardPanels, gridCell, type Panel, type PanelId } from "../../components/dashboards";
import { shellCommand } from "../../components/shell";
import { localName, type AzureContext } from "./context";
import type { Cache } from "./cache";
import type { Database } from "./database";
import type { Services } from "./service";

/** The portal's metrics chart tile. */
export const MONITOR_CHART_PART = "Extension/HubsExtension/PartType/MonitorChartPart";
/** The portal's aggregation codes in a MonitorChartPart: Sum 1, Minimum 2, Maximum 3, Average 4. */
export const PORTAL_AGGREGATION = { Total: 1, Minimum: 2, Maximum: 3, Average: 4 } as const;

interface ChartMetric {
    scope: pulumi.Input<string>;
    namespace: string;
    metric: string;
    aggregation: keyof typeof PORTAL_AGGREGATION;
    label: string;
}

/** Portal grid: a tile of 6 x 4 cells, two per row. */
const PART = { colSpan: 6, rowSpan: 4 };

/**
 * The shared panels as an Azure portal dashboard: one metrics chart per panel over the platform
 * metrics App Service (Microsoft.Web/sites, Microsoft.Web/serverFarms), autoscale, Container Apps,
 * PostgreSQL Flexible Server and Azure Cache for Redis emit. Portal charts draw no reference lines,
 * so a panel's targets and limits are in its title. Where Azure has no percentile or ratio metric
 * (latency percentiles, 5xx share, hit ratio), the chart shows the counts or averages it has.
 */
export function createDashboard(
    ctx: AzureContext, services: Services, autoscale: monitor.AutoscaleSetting, database: Database, cache: Cache,
): { dashboard: portal.Dashboard; url: pulumi.Output<string> } {
    const { args } = ctx;
    const site = (metric: string, aggregation: ChartMetric["aggregation"], label: string): ChartMetric =>
        ({ scope: services.api.id, namespace: "Microsoft.Web/sites", metric, aggregation, label });
    const plan = (metric: string, label: string): ChartMetric =>
        ({ scope: services.plan.id, namespace: "Microsoft.Web/serverFarms", metric, aggregation: "Average", label });
    const worker = (metric: string, aggregation: ChartMetric["aggregation"], label: string): ChartMetric =>
        ({ scope: services.worker.id, namespace: "Microsoft.App/containerApps", metric, aggregation, label });
    const postgres = (metric: string, aggregation: ChartMetric["aggregation"], label: string, scope = database.server.id): ChartMetric =>
        ({ scope, namespace: "Microsoft.DBforPostgreSQL/flexibleServers", metric, aggregation, label });
    const redis = (metric: string, aggregation: ChartMetric["aggregation"], label: string): ChartMetric =>
        ({ scope: cache.redis.id, namespace: "Microsoft.Cache/redis", metric, aggregation, label });

    const mapping: Record<PanelId, ChartMetric[]> = {
        requestRate: [site("Requests", "Total", "requests")],
        errorRate: [site("Http5xx", "Total", "5xx"), site("Requests", "Total", "requests")],
        latency: [site("HttpResponseTime", "Average", "average"), site("HttpResponseTime", "Maximum", "maximum")],
        instances: [{ scope: autoscale.id, namespace: "Microsoft.Insights/autoscalesettings", metric: "ObservedCapacity", aggregation: "Average", label: "instances" }],
        cpu: [plan("CpuPercentage", "API plan")],
        memory: [plan("MemoryPercentage", "API plan")],
        dbConnections: [postgres("active_connections", "Maximum", "connections")],
        dbCpu: [postgres("cpu_percent", "Average", "primary")],
        dbStorage: [postgres("storage_percent", "Maximum", "primary")],
        replicaLag: database.readReplica ? [postgres("physical_replication_delay_in_seconds", "Maximum", "replica", database.readReplica.id)] : [],
        cacheMemory: [redis("usedmemorypercentage", "Maximum", "memory")],
        cacheHitRatio: [redis("cachehits", "Total", "hits"), redis("cachemisses", "Total", "misses")],
        cacheEvictions: [redis("evictedkeys", "Total", "evicted keys")],
        workerHealth: [worker("Replicas", "Maximum", "replicas"), worker("RestartCount", "Maximum", "restarts")],
    };

    const titleOf = (panel: Panel) => panel.references.length === 0
        ? panel.title
        : `${panel.title} (${panel.references.map((line) => `${line.label} ${line.value}${panel.unit === "percent" ? "%" : panel.unit === "seconds" ? " s" : ""}`).join(", ")})`;
    const panels = dashboardPanels(args, { database: true, replica: database.readReplica !== undefined, cache: true });
    const parts = panels.map((panel, i) => ({
        position: { ...gridCell(i, PART.colSpan, PART.rowSpan), ...PART },
        metadata: {
            type: MONITOR_CHART_PART,
            inputs: [
                {
                    name: "options",
                    isOptional: true,
                    value: {
                        chart: {
                            title: titleOf(panel),
                            titleKind: 2,
                            // 2 = line chart.
                            visualization: { chartType: 2 },
                            metrics: mapping[panel.id].map((m) => ({
                                resourceMetadata: { id: m.scope },
                                name: m.metric,
                                namespace: m.namespace.toLowerCase(),
                                aggregationType: PORTAL_AGGREGATION[m.aggregation],
                                metricVisualization: { displayName: m.label },
                            })),
                        },
                    },
                },
                { name: "sharedTimeRange", isOptional: true },
            ],
            settings: {},
        },
    }));

    const dashboard = new portal.Dashboard(`${ctx.name}-dashboard`, {
        // Dashboard names: letters, digits and '-', 3-64 characters (Microsoft.Portal dashboards REST spec, `name` pattern).
        dashboardName: localName(ctx, "dashboard", 64).replace(/[^A-Za-z0-9-]/g, "-"),
        resourceGroupName: ctx.resourceGroupName,
        location: ctx.location,
        properties: { lenses: [{ order: 0, parts }], metadata: { model: { timeRange: { value: { relative: { duration: 24, timeUnit: 1 } }, type: "MsPortalFx.Composition.Configuration.ValueTypes.TimeRange" } } } },
        tags: { ...args.tags, "hidden-title": `${args.baseName} FastAPI platform` },
    }, { parent: ctx.parent });
    const url = pulumi.interpolate`https://portal.azure.com/#@/dashboard/arm${dashboard.id}`;
    return { dashboard, url };
}

/** `az webapp log tail` on the API (its container's stdout and the platform's HTTP log). */
export function logsTailCommand(subscriptionId: pulumi.Output<string>, resourceGroupName: pulumi.Output<string>, app: pulumi.Output<string>): pulumi.Output<string> {
    return pulumi.all([subscriptionId, resourceGroupName, app]).apply(([subscription, group, name]) =>
        shellCommand(["az", "webapp", "log", "tail", "--subscription", subscription, "--resource-group", group, "--name", name]));
}
