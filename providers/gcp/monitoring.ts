import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { ALERT_THRESHOLDS } from "../../components/alerts";
import type { PlatformArgs } from "../../components/platform";
import type { Cache } from "./cache";
import type { Database } from "./database";
import type { Edge } from "./edge";
import { gcpLabels } from "./labels";
import type { GcpProject } from "./project";
import type { Services } from "./service";

export interface Monitoring {
    channel?: gcp.monitoring.NotificationChannel;
    policies: gcp.monitoring.AlertPolicy[];
    uptimeCheck?: gcp.monitoring.UptimeCheckConfig;
}

type Threshold = gcp.types.input.monitoring.AlertPolicyConditionConditionThreshold;
interface PolicySpec {
    description: string;
    severity: "CRITICAL" | "ERROR" | "WARNING";
    condition: Threshold;
}

const FIVE_MINUTES = "300s";
const aggregate = (perSeriesAligner: string, crossSeriesReducer: string, groupByFields?: string[]) =>
    [{ alignmentPeriod: FIVE_MINUTES, perSeriesAligner, crossSeriesReducer, groupByFields }];

/**
 * An e-mail notification channel (alertEmail) and Cloud Monitoring alert policies on what the
 * seeds ask to watch: API 5xx rate, p99 latency > 2 s, the API at its instance ceiling, API and
 * worker CPU/memory, Cloud SQL CPU, connections (80 % of max_connections) and disk, Memorystore
 * memory; with a domain, load balancer 5xx and an uptime check of /health. Missing data is not an
 * incident (an idle staging stack).
 */
export function createMonitoring(
    name: string, args: PlatformArgs, project: GcpProject, services: Services, database: Database, cache: Cache,
    edge: Edge | undefined, parent: pulumi.Resource,
): Monitoring {
    const opts = { parent, dependsOn: [project.apis.monitoring] };
    const t = ALERT_THRESHOLDS;
    const labels = gcpLabels(args.tags);
    const channel = args.alertEmail
        ? new gcp.monitoring.NotificationChannel(`${name}-alerts-email`, {
              displayName: `${args.baseName} alerts`,
              type: "email",
              labels: { email_address: args.alertEmail },
              userLabels: labels,
          }, opts)
        : undefined;

    const run = (service: gcp.cloudrunv2.Service, metric: string) =>
        pulumi.interpolate`resource.type = "cloud_run_revision" AND resource.labels.service_name = "${service.name}" AND metric.type = "run.googleapis.com/${metric}"`;
    const sql = (metric: string) =>
        pulumi.interpolate`resource.type = "cloudsql_database" AND resource.labels.database_id = "${project.id}:${database.instance.name}" AND metric.type = "cloudsql.googleapis.com/database/${metric}"`;
    const api = services.apiService;

    const specs: Record<string, PolicySpec> = {
        "api-5xx-rate": {
            description: `More than ${t.http5xxPercent}% of API responses are 5xx`,
            severity: "ERROR",
            condition: {
                filter: pulumi.interpolate`${run(api, "request_count")} AND metric.labels.response_code_class = "5xx"`,
                aggregations: aggregate("ALIGN_DELTA", "REDUCE_SUM"),
                denominatorFilter: run(api, "request_count"),
                denominatorAggregations: aggregate("ALIGN_DELTA", "REDUCE_SUM"),
                comparison: "COMPARISON_GT", thresholdValue: t.http5xxPercent / 100, duration: FIVE_MINUTES,
            },
        },
        "api-p99-latency": {
            description: `API p99 latency above ${t.p99LatencySeconds} s`,
            severity: "WARNING",
            condition: {
                filter: run(api, "request_latencies"),
                aggregations: aggregate("ALIGN_PERCENTILE_99", "REDUCE_MAX"),
                comparison: "COMPARISON_GT", thresholdValue: t.p99LatencySeconds * 1000, duration: FIVE_MINUTES,
            },
        },
        "api-at-max-instances": {
            description: `The API runs its maximum of ${args.service.maxInstances} instances (raise maxInstances, mind the capacity rule)`,
            severity: "WARNING",
            condition: {
                filter: run(api, "container/instance_count"),
                aggregations: aggregate("ALIGN_MAX", "REDUCE_SUM"),
                comparison: "COMPARISON_GT", thresholdValue: args.service.maxInstances - 1, duration: FIVE_MINUTES,
            },
        },
        "db-cpu": {
            description: `Cloud SQL CPU above ${t.dbCpuPercent}%`,
            severity: "WARNING",
            condition: {
                filter: sql("cpu/utilization"),
                aggregations: aggregate("ALIGN_MEAN", "REDUCE_MAX"),
                comparison: "COMPARISON_GT", thresholdValue: t.dbCpuPercent / 100, duration: FIVE_MINUTES,
            },
        },
        "db-connections": {
            description: `Cloud SQL connections above ${t.dbConnectionsPercent}% of max_connections (${args.database.maxConnections})`,
            severity: "ERROR",
            condition: {
                filter: sql("postgresql/num_backends"),
                // num_backends is reported per database: the sum is what max_connections limits.
                aggregations: aggregate("ALIGN_MAX", "REDUCE_SUM"),
                comparison: "COMPARISON_GT",
                thresholdValue: Math.floor((args.database.maxConnections * t.dbConnectionsPercent) / 100),
                duration: FIVE_MINUTES,
            },
        },
        "db-disk": {
            description: `Cloud SQL disk above ${t.dbStorageUsedPercent}% (autoresize stops at dbMaxStorageGb, ${args.database.maxStorageGb} GB)`,
            severity: "ERROR",
            condition: {
                filter: sql("disk/utilization"),
                aggregations: aggregate("ALIGN_MEAN", "REDUCE_MAX"),
                comparison: "COMPARISON_GT", thresholdValue: t.dbStorageUsedPercent / 100, duration: FIVE_MINUTES,
            },
        },
        "cache-memory": {
            description: `Memorystore memory above ${t.cacheMemoryPercent}%`,
            severity: "WARNING",
            condition: {
                filter: pulumi.interpolate`resource.type = "redis_instance" AND resource.labels.instance_id = "${cache.instance.id}" AND metric.type = "redis.googleapis.com/stats/memory/usage_ratio"`,
                aggregations: aggregate("ALIGN_MEAN", "REDUCE_MAX"),
                comparison: "COMPARISON_GT", thresholdValue: t.cacheMemoryPercent / 100, duration: FIVE_MINUTES,
            },
        },
    };
    for (const [role, service] of [["api", services.apiService], ["worker", services.workerService]] as const) {
        // Median instance: above the threshold, most instances are hot and autoscaling is not keeping up.
        specs[`${role}-cpu`] = {
            description: `${role} CPU above ${t.serviceCpuPercent}% on the median instance`,
            severity: "WARNING",
            condition: {
                filter: run(service, "container/cpu/utilizations"),
                aggregations: aggregate("ALIGN_PERCENTILE_50", "REDUCE_MEAN"),
                comparison: "COMPARISON_GT", thresholdValue: t.serviceCpuPercent / 100, duration: FIVE_MINUTES,
            },
        };
        specs[`${role}-memory`] = {
            description: `${role} memory above ${t.serviceMemoryPercent}% on the median instance`,
            severity: "ERROR",
            condition: {
                filter: run(service, "container/memory/utilizations"),
                aggregations: aggregate("ALIGN_PERCENTILE_50", "REDUCE_MEAN"),
                comparison: "COMPARISON_GT", thresholdValue: t.serviceMemoryPercent / 100, duration: FIVE_MINUTES,
            },
        };
    }

    let uptimeCheck: gcp.monitoring.UptimeCheckConfig | undefined;
    if (edge && args.domain) {
        specs["lb-5xx"] = {
            description: "The load balancer returns 5xx (no healthy backend, timeouts)",
            severity: "ERROR",
            condition: {
                filter: pulumi.interpolate`resource.type = "https_lb_rule" AND resource.labels.forwarding_rule_name = "${edge.httpsForwardingRule.name}" AND metric.type = "loadbalancing.googleapis.com/https/request_count" AND metric.labels.response_code_class = 500`,
                aggregations: aggregate("ALIGN_DELTA", "REDUCE_SUM"),
                comparison: "COMPARISON_GT", thresholdValue: t.http5xxPerFiveMinutes, duration: "0s",
            },
        };
        uptimeCheck = new gcp.monitoring.UptimeCheckConfig(`${name}-health`, {
            displayName: `${args.baseName} ${args.service.healthCheckPath}`,
            monitoredResource: { type: "uptime_url", labels: { project_id: project.id, host: args.domain.name } },
            httpCheck: { path: args.service.healthCheckPath, port: 443, useSsl: true, validateSsl: true, acceptedResponseStatusCodes: [{ statusClass: "STATUS_CLASS_2XX" }] },
            period: "60s",
            timeout: "10s",
            userLabels: labels,
        }, opts);
        specs["api-health-check"] = {
            description: `${args.domain.name}${args.service.healthCheckPath} fails from several uptime-check regions`,
            severity: "CRITICAL",
            condition: {
                filter: pulumi.interpolate`resource.type = "uptime_url" AND metric.type = "monitoring.googleapis.com/uptime_check/check_passed" AND metric.labels.check_id = "${uptimeCheck.uptimeCheckId}"`,
                aggregations: [{ alignmentPeriod: "1200s", perSeriesAligner: "ALIGN_NEXT_OLDER", crossSeriesReducer: "REDUCE_COUNT_FALSE", groupByFields: ["resource.label.host"] }],
                comparison: "COMPARISON_GT", thresholdValue: 1, duration: "60s",
            },
        };
    }

    const policies = Object.entries(specs).map(([policy, spec]) =>
        new gcp.monitoring.AlertPolicy(`${name}-${policy}`, {
            displayName: `${args.baseName} ${policy}`,
            combiner: "OR",
            severity: spec.severity,
            conditions: [{
                displayName: spec.description,
                conditionThreshold: { evaluationMissingData: "EVALUATION_MISSING_DATA_INACTIVE", ...spec.condition },
            }],
            documentation: { content: spec.description, mimeType: "text/markdown" },
            notificationChannels: channel ? [channel.name] : [],
            alertStrategy: { autoClose: "1800s" },
            userLabels: labels,
        }, opts));
    return { channel, policies, uptimeCheck };
}
