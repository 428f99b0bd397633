import * as k8s from "@pulumi/kubernetes";
import { objectMeta, type KubeContext } from "./context";
import { CLUSTER_NAME } from "./database";

export const PROMETHEUS_RULE = "fastapi-alerts";

/**
 * The seeds' alerts as a PrometheusRule (Prometheus operator): 5xx rate, p99 latency over 2 s,
 * API CPU near its limit, database connections over 80 % of max_connections. Alertmanager, the
 * cluster's own, routes them: every alert carries `namespace` and an `alert_email` label with
 * the stack's alertEmail to match a route on. API metrics are prometheus-fastapi-instrumentator's.
 */
export function createAlertRules(ctx: KubeContext, withDatabase: boolean): k8s.apiextensions.CustomResource {
    const { args } = ctx;
    const ns = ctx.namespaceName;
    const labels = { severity: "critical", ...(args.alertEmail ? { alert_email: args.alertEmail } : {}) };
    const rule = (alert: string, expr: string, summary: string) => ({ alert, expr, for: "5m", labels, annotations: { summary } });
    const rules = [
        rule("ApiHigh5xxRate",
            `sum(rate(http_requests_total{namespace="${ns}",status=~"5.."}[5m])) / sum(rate(http_requests_total{namespace="${ns}"}[5m])) > 0.05`,
            "More than 5% of API responses are 5xx"),
        rule("ApiHighP99Latency",
            `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="${ns}"}[5m]))) > 2`,
            "API p99 latency above 2 seconds"),
        rule("ApiHighCpu",
            `sum(rate(container_cpu_usage_seconds_total{namespace="${ns}",container="api"}[5m])) / sum(kube_pod_container_resource_limits{namespace="${ns}",container="api",resource="cpu"}) > 0.9`,
            "API pods use more than 90% of their CPU limit"),
        ...(withDatabase
            ? [rule("DatabaseConnectionsHigh",
                  `sum(cnpg_backends_total{namespace="${ns}",cluster="${CLUSTER_NAME}"}) by (pod) / max(cnpg_pg_settings_setting{namespace="${ns}",cluster="${CLUSTER_NAME}",name="max_connections"}) by (pod) > 0.8`,
                  "PostgreSQL connections above 80% of max_connections")]
            : []),
    ];
    return new k8s.apiextensions.CustomResource(`${args.baseName}-alerts`, {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: objectMeta(ctx, PROMETHEUS_RULE, "monitoring"),
        spec: { groups: [{ name: "fastapi-platform", rules }] },
    }, { parent: ctx.parent });
}
