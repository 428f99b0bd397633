import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { dashboardPanels, gridCell, type Panel, type PanelId } from "../../components/dashboards";
import { shellCommand } from "../../components/shell";
import type { PlatformArgs } from "../../components/platform";
import type { Cache } from "./cache";
import type { Database } from "./database";
import type { GcpProject } from "./project";
import type { SecretRef } from "./secrets";
import type { Services } from "./service";

/**
 * Google's Managed Service for Prometheus sidecar for Cloud Run (the recommended way to collect a
 * Cloud Run service's Prometheus metrics: https://cloud.google.com/run/docs/monitoring-managed-prometheus-sidecar),
 * pinned. It scrapes the app over localhost and writes to Cloud Monitoring as prometheus.googleapis.com/* series.
 */
export const GMP_SIDECAR_IMAGE = "us-docker.pkg.dev/cloud-ops-agents-artifacts/cloud-run-gmp-sidecar/cloud-run-gmp-sidecar:1.2.0";
export const COLLECTOR_CONTAINER = "collector";
/** The secret (Secret Manager) holding the sidecar's RunMonitoring document, mounted where the sidecar reads it. */
export const RUN_MONITORING_SECRET = "RUN_MONITORING_CONFIG";
export const RUN_MONITORING_DIRECTORY = "/etc/rungmp";
export const RUN_MONITORING_FILE = "config.yaml";
const CONFIG_VOLUME = "rungmp-config";

/**
 * The sidecar's RunMonitoring document (a subset of GKE's PodMonitoring): scrape the metrics path
 * on the metrics port every 30 s, and label series with the Cloud Run service and revision.
 * JSON is YAML, which the sidecar parses.
 */
export function runMonitoringConfig(args: PlatformArgs): string {
    return JSON.stringify({
        apiVersion: "monitoring.googleapis.com/v1beta",
        kind: "RunMonitoring",
        metadata: { name: "fastapi-platform" },
        spec: {
            endpoints: [{ port: args.metrics.port, path: args.metrics.path, interval: "30s", timeout: "10s" }],
            targetLabels: { metadata: ["service", "revision"] },
        },
    });
}

/** The config volume every service template that runs the sidecar mounts. */
export function runMonitoringVolume(ref: SecretRef) {
    return { name: CONFIG_VOLUME, secret: { secret: ref.secret, items: [{ path: RUN_MONITORING_FILE, version: ref.version }] } };
}

/** The sidecar container: starts after the app container (`dependsOns`), has no port of its own. */
export function collectorContainer(appContainer: string) {
    return {
        name: COLLECTOR_CONTAINER,
        image: GMP_SIDECAR_IMAGE,
        dependsOns: [appContainer],
        resources: { limits: { cpu: "1", memory: "512Mi" }, cpuIdle: false },
        volumeMounts: [{ name: CONFIG_VOLUME, mountPath: RUN_MONITORING_DIRECTORY }],
    };
}

/** The services' account may write metrics (roles/monitoring.metricWriter: timeSeries.create and nothing to read). */
export function grantMetricWriter(name: string, project: GcpProject, serviceAccount: gcp.serviceaccount.Account, parent: pulumi.Resource): gcp.projects.IAMMember {
    return new gcp.projects.IAMMember(`${name}-run-metric-writer`, {
        project: project.id,
        role: "roles/monitoring.metricWriter",
        member: serviceAccount.member,
    }, { parent, dependsOn: [project.apis.monitoring] });
}

interface Series {
    filter?: pulumi.Output<string>;
    ratio?: { numerator: pulumi.Output<string>; denominator: pulumi.Output<string> };
    aligner: string;
    reducer: string;
    legend: string;
}
/** Each panel's series and the factor from the panel's unit to the metric's (0-1 ratios, milliseconds). */
interface PanelSeries { series: Series[]; scale: number }

/** Cloud Monitoring's dashboard grid: 48 columns. */
const TILE = { width: 24, height: 16 };

/**
 * The shared panels as a Cloud Monitoring dashboard: a mosaic of xyChart tiles over Cloud Run,
 * Cloud SQL and Memorystore's built-in metrics, each panel's reference lines as chart thresholds.
 */
export function createDashboard(
    name: string, args: PlatformArgs, project: GcpProject, services: Services, database: Database, cache: Cache, parent: pulumi.Resource,
): { dashboard: gcp.monitoring.Dashboard; url: pulumi.Output<string> } {
    const run = (service: gcp.cloudrunv2.Service, metric: string, extra = "") =>
        pulumi.interpolate`metric.type="run.googleapis.com/${metric}" resource.type="cloud_run_revision" resource.label."service_name"="${service.name}"${extra}`;
    const sql = (instance: gcp.sql.DatabaseInstance, metric: string) =>
        pulumi.interpolate`metric.type="cloudsql.googleapis.com/database/${metric}" resource.type="cloudsql_database" resource.label."database_id"="${project.id}:${instance.name}"`;
    const redis = (metric: string) =>
        pulumi.interpolate`metric.type="redis.googleapis.com/${metric}" resource.type="redis_instance" resource.label."instance_id"="${cache.instance.id}"`;
    const api = services.apiService;
    const one = (filter: pulumi.Output<string>, aligner: string, reducer: string, legend: string): Series => ({ filter, aligner, reducer, legend });

    const mapping: Record<PanelId, PanelSeries> = {
        requestRate: { scale: 1, series: [one(run(api, "request_count"), "ALIGN_RATE", "REDUCE_SUM", "requests/s")] },
        errorRate: { scale: 0.01, series: [{
            ratio: { numerator: run(api, "request_count", ` metric.label."response_code_class"="5xx"`), denominator: run(api, "request_count") },
            aligner: "ALIGN_RATE", reducer: "REDUCE_SUM", legend: "5xx share",
        }] },
        latency: { scale: 1000, series: ["50", "95", "99"].map((p) => one(run(api, "request_latencies"), `ALIGN_PERCENTILE_${p}`, "REDUCE_MAX", `p${p}`)) },
        instances: { scale: 1, series: [one(run(api, "container/instance_count"), "ALIGN_MAX", "REDUCE_SUM", "instances")] },
        cpu: { scale: 0.01, series: [
            one(run(api, "container/cpu/utilizations"), "ALIGN_PERCENTILE_50", "REDUCE_MEAN", "api"),
            one(run(services.workerService, "container/cpu/utilizations"), "ALIGN_PERCENTILE_50", "REDUCE_MEAN", "worker"),
        ] },
        memory: { scale: 0.01, series: [
            one(run(api, "container/memory/utilizations"), "ALIGN_PERCENTILE_50", "REDUCE_MEAN", "api"),
            one(run(services.workerService, "container/memory/utilizations"), "ALIGN_PERCENTILE_50", "REDUCE_MEAN", "worker"),
        ] },
        // num_backends is per database; their sum is what max_connections limits.
        dbConnections: { scale: 1, series: [one(sql(database.instance, "postgresql/num_backends"), "ALIGN_MEAN", "REDUCE_SUM", "connections")] },
        dbCpu: { scale: 0.01, series: [one(sql(database.instance, "cpu/utilization"), "ALIGN_MEAN", "REDUCE_MAX", "primary")] },
        dbStorage: { scale: 0.01, series: [one(sql(database.instance, "disk/utilization"), "ALIGN_MEAN", "REDUCE_MAX", "primary")] },
        replicaLag: { scale: 1, series: database.readReplica ? [one(sql(database.readReplica, "replication/replica_lag"), "ALIGN_MAX", "REDUCE_MAX", "replica")] : [] },
        cacheMemory: { scale: 0.01, series: [one(redis("stats/memory/usage_ratio"), "ALIGN_MEAN", "REDUCE_MAX", "memory")] },
        cacheHitRatio: { scale: 0.01, series: [one(redis("stats/cache_hit_ratio"), "ALIGN_MEAN", "REDUCE_MEAN", "hit ratio")] },
        cacheEvictions: { scale: 1, series: [one(redis("stats/evicted_keys"), "ALIGN_RATE", "REDUCE_SUM", "evictions/s")] },
        workerHealth: { scale: 1, series: [one(run(services.workerService, "container/instance_count"), "ALIGN_MAX", "REDUCE_SUM", "instances")] },
    };

    const panels = dashboardPanels(args, { database: true, replica: database.readReplica !== undefined, cache: true });
    const aggregation = (s: Series) => ({ alignmentPeriod: "60s", perSeriesAligner: s.aligner, crossSeriesReducer: s.reducer });
    const tile = (panel: Panel, i: number) => {
        const { series, scale } = mapping[panel.id];
        const cell = gridCell(i, TILE.width, TILE.height);
        return {
            xPos: cell.x,
            yPos: cell.y,
            ...TILE,
            widget: {
                title: panel.title,
                xyChart: {
                    chartOptions: { mode: "COLOR" },
                    dataSets: series.map((s) => ({
                        plotType: "LINE",
                        legendTemplate: s.legend,
                        minAlignmentPeriod: "60s",
                        timeSeriesQuery: s.ratio
                            ? { timeSeriesFilterRatio: { numerator: { filter: s.ratio.numerator, aggregation: aggregation(s) }, denominator: { filter: s.ratio.denominator, aggregation: aggregation(s) } } }
                            : { timeSeriesFilter: { filter: s.filter, aggregation: aggregation(s) } },
                    })),
                    thresholds: panel.references.map((line) => ({
                        label: line.label, value: line.value * scale, color: line.label.includes("alert") ? "RED" : "YELLOW", direction: "ABOVE", targetAxis: "Y1",
                    })),
                    yAxis: { label: panel.unit, scale: "LINEAR" },
                },
            },
        };
    };
    const body = pulumi.output({
        displayName: `${args.baseName} FastAPI platform`,
        mosaicLayout: { columns: 48, tiles: panels.map(tile) },
        labels: { "fastapi-platform": "" },
    });
    const dashboard = new gcp.monitoring.Dashboard(`${name}-dashboard`, {
        dashboardJson: pulumi.jsonStringify(body),
    }, { parent, dependsOn: [project.apis.monitoring] });
    // The resource id is projects/<number>/dashboards/<id>; the console addresses it by the last part.
    const url = pulumi.interpolate`https://console.cloud.google.com/monitoring/dashboards/builder/${dashboard.id.apply((id) => id.split("/").pop())}?project=${project.id}`;
    return { dashboard, url };
}

/** Follows the API's request and container logs (`gcloud beta run services logs tail`, which needs the log-streaming component). */
export function logsTailCommand(project: GcpProject, api: gcp.cloudrunv2.Service): pulumi.Output<string> {
    return api.name.apply((service) => shellCommand(["gcloud", "beta", "run", "services", "logs", "tail", service, "--project", project.id, "--region", project.region]));
}
