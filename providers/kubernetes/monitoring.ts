import * as k8s from "@pulumi/kubernetes";
import { ALERT_THRESHOLDS } from "../../components/alerts";
import type { PlatformArgs } from "../../components/platform";
import { objectMeta, selectorLabels, type KubeContext } from "./context";
import { CLUSTER_NAME } from "./database";

export const PROMETHEUS_RULE = "fastapi-alerts";
/** The PodMonitor of the API and worker (CloudNativePG creates the PostgreSQL one itself, named after the cluster). */
export const APP_POD_MONITOR = "fastapi-app";
/** Port CloudNativePG's exporter listens on in every instance pod (named `metrics`). */
export const CNPG_METRICS_PORT = 9187;
/** The container port name the PodMonitor scrapes when /metrics is not on the app port. */
export const METRICS_PORT_NAME = "metrics";

export interface AlertRule {
    alert: string;
    expr: string;
    for: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
}

/** What the stack runs in the cluster, which decides the PostgreSQL alerts. */
export interface AlertScope {
    /** The CloudNativePG cluster exists (not an external database). */
    database: boolean;
    /** It has standbys whose replication lag is measurable. */
    replicas: boolean;
}

/** Selector of the stack's CloudNativePG instance pods (<cluster>-<n>), by pod name: the exporter's series carry no cluster label. */
export const postgresPods = (ns: string) => `namespace="${ns}",pod=~"${CLUSTER_NAME}-[0-9]+"`;

/**
 * The alert rules, from the one threshold table (components/alerts.ts): API 5xx share and p99
 * latency (prometheus-fastapi-instrumentator's http_requests_total and
 * http_request_duration_seconds), unavailable API pods (health checks failing), API and worker
 * CPU and memory against their limits (cAdvisor and kube-state-metrics), the worker below its
 * minimum, and for the in-cluster PostgreSQL (CloudNativePG's exporter) connections against
 * max_connections, replication lag and volume usage. Every alert carries `namespace` and, with
 * an alertEmail, an `alert_email` label for an Alertmanager route to match.
 */
export function alertRules(args: PlatformArgs, ns: string, scope: AlertScope): AlertRule[] {
    const t = ALERT_THRESHOLDS;
    const labels = (severity: string) => ({ severity, namespace: ns, ...(args.alertEmail ? { alert_email: args.alertEmail } : {}) });
    const rule = (alert: string, severity: string, expr: string, summary: string): AlertRule =>
        ({ alert, expr, for: "5m", labels: labels(severity), annotations: { summary } });
    const app = `namespace="${ns}"`;
    const ratio = (percent: number) => String(percent / 100);
    const usage = (role: string, resource: "cpu" | "memory") => {
        const used = resource === "cpu"
            ? `sum by (pod) (rate(container_cpu_usage_seconds_total{${app},container="${role}"}[5m]))`
            : `sum by (pod) (container_memory_working_set_bytes{${app},container="${role}"})`;
        return `${used} / sum by (pod) (kube_pod_container_resource_limits{${app},container="${role}",resource="${resource}"})`;
    };
    const rules: AlertRule[] = [
        rule("ApiHigh5xxRate", "critical",
            `sum(rate(http_requests_total{${app},status=~"5.."}[5m])) / sum(rate(http_requests_total{${app}}[5m])) > ${ratio(t.http5xxPercent)}`,
            `More than ${t.http5xxPercent}% of API responses are 5xx`),
        rule("ApiHighP99Latency", "warning",
            `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${app}}[5m]))) > ${t.p99LatencySeconds}`,
            `API p99 latency above ${t.p99LatencySeconds} seconds`),
        rule("ApiPodsUnavailable", "critical",
            `kube_deployment_status_replicas_unavailable{${app},deployment="api"} > 0`,
            `API pods failing their ${args.service.readinessPath} / ${args.service.healthCheckPath} checks`),
        rule("WorkerBelowMinimum", "critical",
            `kube_deployment_status_replicas_available{${app},deployment="worker"} < ${args.worker.minInstances}`,
            `Fewer than ${args.worker.minInstances} worker pods available`),
    ];
    for (const role of ["api", "worker"]) {
        const title = role === "api" ? "Api" : "Worker";
        rules.push(
            rule(`${title}HighCpu`, "warning", `${usage(role, "cpu")} > ${ratio(t.serviceCpuPercent)}`,
                `A ${role} pod uses more than ${t.serviceCpuPercent}% of its CPU limit (autoscaling is not keeping up)`),
            rule(`${title}HighMemory`, "warning", `${usage(role, "memory")} > ${ratio(t.serviceMemoryPercent)}`,
                `A ${role} pod uses more than ${t.serviceMemoryPercent}% of its memory limit`),
        );
    }
    if (scope.database) {
        const pg = postgresPods(ns);
        rules.push(
            rule("DatabaseConnectionsHigh", "critical",
                `sum by (pod) (cnpg_backends_total{${pg}}) / max by (pod) (cnpg_pg_settings_setting{${pg},name="max_connections"}) > ${ratio(t.dbConnectionsPercent)}`,
                `PostgreSQL connections above ${t.dbConnectionsPercent}% of max_connections (${args.database.maxConnections})`),
            rule("DatabaseStorageHigh", "critical",
                `max by (persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${app},persistentvolumeclaim=~"${CLUSTER_NAME}-[0-9]+"} / kubelet_volume_stats_capacity_bytes{${app},persistentvolumeclaim=~"${CLUSTER_NAME}-[0-9]+"}) > ${ratio(t.dbStorageUsedPercent)}`,
                `A PostgreSQL volume is more than ${t.dbStorageUsedPercent}% full`),
        );
        if (scope.replicas) {
            rules.push(rule("DatabaseReplicationLagHigh", "warning",
                `max(cnpg_pg_replication_lag{${pg}}) > ${t.replicaLagSeconds}`,
                `A PostgreSQL standby is more than ${t.replicaLagSeconds} s behind the primary`));
        }
    }
    return rules;
}

/** The PrometheusRule (Prometheus operator) holding `alertRules`; Alertmanager, the cluster's own, routes them. */
export function createAlertRules(ctx: KubeContext, scope: AlertScope): k8s.apiextensions.CustomResource {
    const { args } = ctx;
    return new k8s.apiextensions.CustomResource(`${args.baseName}-alerts`, {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: objectMeta(ctx, PROMETHEUS_RULE, "monitoring"),
        spec: { groups: [{ name: "fastapi-platform", rules: alertRules(args, ctx.namespaceName, scope) }] },
    }, { parent: ctx.parent });
}

/** The container port name that serves the metrics: the app's `http` port, or a separate `metrics` port. */
export function metricsPortName(args: PlatformArgs): string {
    return args.metrics.port === args.service.port ? "http" : METRICS_PORT_NAME;
}

/**
 * One PodMonitor for the API and worker pods (each scraped on the metrics port and path every
 * 30 s). CloudNativePG makes the PostgreSQL one (`monitoring.enablePodMonitor`, database.ts).
 */
export function createPodMonitor(ctx: KubeContext): k8s.apiextensions.CustomResource {
    const { args } = ctx;
    return new k8s.apiextensions.CustomResource(`${args.baseName}-pod-monitor`, {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: objectMeta(ctx, APP_POD_MONITOR, "monitoring"),
        spec: {
            selector: {
                matchLabels: { "app.kubernetes.io/part-of": selectorLabels("api")["app.kubernetes.io/part-of"] },
                matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["api", "worker"] }],
            },
            podMetricsEndpoints: ["api", "worker"].map((role) => ({
                port: role === "api" ? metricsPortName(args) : METRICS_PORT_NAME,
                path: args.metrics.path,
                interval: "30s",
                scheme: "http",
                // Only this role's pods on this endpoint: the worker has no `http` port.
                relabelings: [{ sourceLabels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], regex: role, action: "keep" }],
            })),
        },
    }, { parent: ctx.parent });
}
