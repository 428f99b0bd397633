import * as k8s from "@pulumi/kubernetes";
import { dashboardPanels, gridCell, type DashboardScope, type Panel, type PanelId, type PanelUnit } from "../../components/dashboards";
import { contentHash, objectMeta, type KubeContext } from "./context";
import { postgresPods } from "./monitoring";

/** Label the Grafana dashboard sidecar (kube-prometheus-stack / the Grafana chart) watches ConfigMaps for. */
export const GRAFANA_DASHBOARD_LABEL = "grafana_dashboard";
export const DASHBOARD_CONFIGMAP = "fastapi-dashboard";
/** The file name inside the ConfigMap, which the sidecar writes into Grafana's dashboards folder. */
export const DASHBOARD_FILE = "fastapi-platform.json";

/** Grafana's unit ids (https://grafana.com/docs/grafana/latest/panels-visualizations/configure-standard-options/#unit). */
const GRAFANA_UNITS: Record<PanelUnit, string> = { "requests/s": "reqps", percent: "percent", seconds: "s", count: "short", bytes: "bytes" };

interface Target { expr: string; legendFormat: string }

/** PromQL for each panel: the app's instrumentator metrics, cAdvisor, kube-state-metrics, kubelet volume stats and CloudNativePG's exporter. */
function promQl(ns: string): Record<PanelId, Target[]> {
    const app = `namespace="${ns}"`;
    const pg = postgresPods(ns);
    const pvc = `${app},persistentvolumeclaim=~"postgres-[0-9]+"`;
    const quantile = (q: number): Target => ({
        expr: `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${app}}[5m])))`, legendFormat: `p${q * 100}`,
    });
    const usage = (container: string, resource: "cpu" | "memory"): Target => ({
        expr: `100 * sum by (pod) (${resource === "cpu" ? `rate(container_cpu_usage_seconds_total{${app},container="${container}"}[5m])` : `container_memory_working_set_bytes{${app},container="${container}"}`})` +
            ` / sum by (pod) (kube_pod_container_resource_requests{${app},container="${container}",resource="${resource}"})`,
        legendFormat: "{{pod}}",
    });
    const hpa = (name: string): Target[] => [
        { expr: `kube_horizontalpodautoscaler_status_current_replicas{${app},horizontalpodautoscaler="${name}"}`, legendFormat: "running" },
        { expr: `kube_horizontalpodautoscaler_spec_min_replicas{${app},horizontalpodautoscaler="${name}"}`, legendFormat: "min" },
        { expr: `kube_horizontalpodautoscaler_spec_max_replicas{${app},horizontalpodautoscaler="${name}"}`, legendFormat: "max" },
    ];
    return {
        requestRate: [{ expr: `sum by (handler) (rate(http_requests_total{${app}}[5m]))`, legendFormat: "{{handler}}" }],
        errorRate: [{ expr: `100 * sum(rate(http_requests_total{${app},status=~"5.."}[5m])) / sum(rate(http_requests_total{${app}}[5m]))`, legendFormat: "5xx %" }],
        latency: [quantile(0.5), quantile(0.95), quantile(0.99)],
        instances: hpa("api"),
        cpu: [usage("api", "cpu")],
        memory: [usage("api", "memory")],
        dbConnections: [
            { expr: `sum by (pod) (cnpg_backends_total{${pg}})`, legendFormat: "{{pod}}" },
            { expr: `max(cnpg_pg_settings_setting{${pg},name="max_connections"})`, legendFormat: "max_connections" },
        ],
        dbCpu: [usage("postgres", "cpu")],
        dbStorage: [{ expr: `100 * kubelet_volume_stats_used_bytes{${pvc}} / kubelet_volume_stats_capacity_bytes{${pvc}}`, legendFormat: "{{persistentvolumeclaim}}" }],
        replicaLag: [{ expr: `max by (pod) (cnpg_pg_replication_lag{${pg}})`, legendFormat: "{{pod}}" }],
        // No Redis exporter runs in the cluster: the cache panels are left out (scope.cache is false).
        cacheMemory: [],
        cacheHitRatio: [],
        cacheEvictions: [],
        workerHealth: hpa("worker"),
    };
}

/** A Grafana dashboard (JSON model, schemaVersion 39) with one timeseries panel per shared panel, two per row. */
export function grafanaDashboard(ctx: KubeContext, scope: DashboardScope): Record<string, unknown> {
    const queries = promQl(ctx.namespaceName);
    const panels = dashboardPanels(ctx.args, { ...scope, cache: false }).map((panel: Panel, i) => ({
        id: i + 1,
        type: "timeseries",
        title: panel.title,
        description: `panel ${panel.id}`,
        gridPos: { h: 8, w: 12, ...gridCell(i, 12, 8) },
        datasource: { type: "prometheus", uid: "${datasource}" },
        targets: queries[panel.id].map((target, j) => ({ refId: String.fromCharCode(65 + j), datasource: { type: "prometheus", uid: "${datasource}" }, ...target })),
        fieldConfig: {
            defaults: {
                unit: GRAFANA_UNITS[panel.unit],
                custom: { thresholdsStyle: { mode: panel.references.length > 0 ? "line" : "off" } },
                thresholds: {
                    mode: "absolute",
                    steps: [{ color: "green", value: null }, ...panel.references.map((line) => ({ color: line.label === "alert" ? "red" : "orange", value: line.value }))],
                },
            },
            overrides: [],
        },
        options: { legend: { displayMode: "list", placement: "bottom" }, tooltip: { mode: "multi" } },
    }));
    return {
        uid: dashboardUid(ctx),
        title: `${ctx.args.baseName} FastAPI platform`,
        tags: ["fastapi-platform", ctx.args.environment],
        schemaVersion: 39,
        editable: false,
        time: { from: "now-6h", to: "now" },
        refresh: "1m",
        templating: { list: [{ name: "datasource", type: "datasource", query: "prometheus", label: "Prometheus" }] },
        panels,
    };
}

/** Grafana uids are at most 40 characters; a hash of the namespace keeps them unique per stack. */
export function dashboardUid(ctx: KubeContext): string {
    return `fastapi-${contentHash(ctx.namespaceName, 12)}`;
}

/** The dashboard as a ConfigMap labelled for Grafana's sidecar, and its URL (with `kubernetes.grafanaUrl`). */
export function createDashboard(ctx: KubeContext, scope: DashboardScope): { configMap: k8s.core.v1.ConfigMap; url: string } {
    const configMap = new k8s.core.v1.ConfigMap(`${ctx.args.baseName}-dashboard`, {
        metadata: objectMeta(ctx, DASHBOARD_CONFIGMAP, "monitoring", { [GRAFANA_DASHBOARD_LABEL]: "1" }),
        data: { [DASHBOARD_FILE]: JSON.stringify(grafanaDashboard(ctx, scope), null, 1) },
    }, { parent: ctx.parent });
    const grafana = ctx.args.overrides.kubernetes.grafanaUrl.replace(/\/+$/, "");
    const url = grafana
        ? `${grafana}/d/${dashboardUid(ctx)}`
        : `Grafana dashboard uid ${dashboardUid(ctx)} (ConfigMap ${ctx.namespaceName}/${DASHBOARD_CONFIGMAP}; set kubernetes.grafanaUrl for a link)`;
    return { configMap, url };
}
