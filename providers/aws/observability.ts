import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { dashboardPanels, gridCell, type Panel, type PanelId } from "../../components/dashboards";
import { shellCommand } from "../../components/shell";
import { shortName } from "../../components/naming";
import type { PlatformArgs } from "../../components/platform";
import type { Cache } from "./cache";
import type { Database } from "./database";
import type { Edge } from "./edge";
import type { Services } from "./service";

/**
 * AWS Distro for OpenTelemetry collector (https://aws-otel.github.io/docs/setup/ecs): a pinned
 * release of the public image, run as a sidecar of the API and worker tasks.
 */
export const ADOT_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3";
/** The collector's container name in the task definitions. */
export const COLLECTOR_CONTAINER = "otel-collector";

export interface MetricsWorkspace {
    workspace: aws.amp.Workspace;
    /** remote_write URL of the workspace. */
    remoteWriteUrl: pulumi.Output<string>;
}

/** The Amazon Managed Service for Prometheus workspace the collectors write the app's metrics to. */
export function createMetricsWorkspace(name: string, args: PlatformArgs, parent: pulumi.Resource): MetricsWorkspace {
    const workspace = new aws.amp.Workspace(`${name}-metrics`, {
        // AMP workspace aliases are 1-100 characters (APS CreateWorkspace API reference, `alias`).
        alias: shortName(args.baseName, "metrics", 100),
        tags: args.tags,
    }, { parent });
    return { workspace, remoteWriteUrl: pulumi.interpolate`${workspace.prometheusEndpoint}api/v1/remote_write` };
}

/**
 * The collector's configuration (passed in AOT_CONFIG_CONTENT, which the ADOT image reads instead
 * of its bundled file): scrape the app's metrics endpoint on localhost (same task, awsvpc network
 * namespace) every 30 s and remote-write them to the workspace, signed with SigV4 by the task role.
 */
export function collectorConfig(args: PlatformArgs, role: "api" | "worker", remoteWriteUrl: string, region: string): string {
    const config = {
        extensions: { sigv4auth: { region, service: "aps" }, health_check: {} },
        receivers: {
            prometheus: {
                config: {
                    global: { scrape_interval: "30s", scrape_timeout: "10s" },
                    scrape_configs: [{
                        job_name: role,
                        metrics_path: args.metrics.path,
                        static_configs: [{ targets: [`localhost:${args.metrics.port}`], labels: { service: role, stack: args.baseName, environment: args.environment } }],
                    }],
                },
            },
        },
        processors: { batch: { timeout: "30s" } },
        exporters: {
            prometheusremotewrite: {
                endpoint: remoteWriteUrl,
                auth: { authenticator: "sigv4auth" },
                resource_to_telemetry_conversion: { enabled: true },
            },
        },
        service: {
            extensions: ["sigv4auth", "health_check"],
            pipelines: { metrics: { receivers: ["prometheus"], processors: ["batch"], exporters: ["prometheusremotewrite"] } },
        },
    };
    // JSON is YAML: the collector parses it as its configuration file.
    return JSON.stringify(config);
}

/** The sidecar container definition; not essential, so a collector failure never stops the app. */
export function collectorContainer(args: PlatformArgs, role: "api" | "worker", remoteWriteUrl: string, region: string, logGroup: string): Record<string, unknown> {
    return {
        name: COLLECTOR_CONTAINER,
        image: ADOT_IMAGE,
        essential: false,
        user: "10001:10001",
        readonlyRootFilesystem: true,
        // Stops with the app, so the last scrape is flushed before the task goes.
        stopTimeout: args.service.terminationGraceSeconds,
        environment: [{ name: "AOT_CONFIG_CONTENT", value: collectorConfig(args, role, remoteWriteUrl, region) }],
        logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": logGroup, "awslogs-region": region, "awslogs-stream-prefix": `${role}-collector` },
        },
    };
}

/** The task role may write samples to this workspace and nothing else (least privilege: aps:RemoteWrite on its ARN). */
export function grantRemoteWrite(name: string, taskRole: aws.iam.Role, metrics: MetricsWorkspace, parent: pulumi.Resource): aws.iam.RolePolicy {
    return new aws.iam.RolePolicy(`${name}-task-remote-write`, {
        role: taskRole.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [{ Sid: "WriteAppMetrics", Effect: "Allow", Action: ["aps:RemoteWrite"], Resource: [metrics.workspace.arn] }],
        }),
    }, { parent });
}

/** A CloudWatch metric entry: [namespace, name, dim1, value1, ..., {options}]. */
type MetricRow = (string | pulumi.Output<string> | Record<string, unknown>)[];
interface PanelMetrics { metrics: MetricRow[]; period?: number }

/** CloudWatch widget grid: 24 columns. */
const WIDGET = { width: 12, height: 6 };

/**
 * The shared panels as a CloudWatch dashboard: one `metric` widget per panel over the metrics
 * AWS/ApplicationELB, AWS/ECS, ECS/ContainerInsights, AWS/RDS and AWS/ElastiCache publish, with
 * the panel's reference lines as horizontal annotations.
 */
export function createDashboard(
    name: string, args: PlatformArgs, edge: Edge, services: Services, database: Database, cache: Cache, parent: pulumi.Resource,
): { dashboard: aws.cloudwatch.Dashboard; url: pulumi.Output<string> } {
    const region = aws.getRegionOutput({}, { parent }).region;
    const lb = edge.loadBalancer.arnSuffix;
    const cluster = services.cluster.name;
    const ecs = (namespace: string, metric: string, service: aws.ecs.Service, label: string, stat = "Average"): MetricRow =>
        [namespace, metric, "ClusterName", cluster, "ServiceName", service.name, { stat, label }];
    const rds = (metric: string, instance: aws.rds.Instance, options: Record<string, unknown>): MetricRow =>
        ["AWS/RDS", metric, "DBInstanceIdentifier", instance.identifier, options];
    const perNode = (metric: string, stat: string): MetricRow[] =>
        cache.memberIds.map((id, i) => ["AWS/ElastiCache", metric, "CacheClusterId", id, { stat, label: `node ${i + 1}` }]);
    const allocatedBytes = args.database.storageGb * 1e9;

    const mapping: Record<PanelId, PanelMetrics> = {
        requestRate: { metrics: [
            [{ expression: "m1 / PERIOD(m1)", label: "requests/s", id: "e1" }],
            ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", lb, { stat: "Sum", id: "m1", visible: false }],
        ] },
        errorRate: { metrics: [
            [{ expression: "IF(m1 > 0, 100 * m2 / m1, 0)", label: "5xx %", id: "e1" }],
            ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", lb, { stat: "Sum", id: "m1", visible: false }],
            ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", lb, { stat: "Sum", id: "m2", visible: false }],
        ] },
        latency: { metrics: ["p50", "p95", "p99"].map((stat) => ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", lb, { stat, label: stat }]) },
        instances: { metrics: [ecs("ECS/ContainerInsights", "RunningTaskCount", services.apiService, "running", "Average")] },
        cpu: { metrics: [ecs("AWS/ECS", "CPUUtilization", services.apiService, "api"), ecs("AWS/ECS", "CPUUtilization", services.workerService, "worker")] },
        memory: { metrics: [ecs("AWS/ECS", "MemoryUtilization", services.apiService, "api"), ecs("AWS/ECS", "MemoryUtilization", services.workerService, "worker")] },
        dbConnections: { metrics: [rds("DatabaseConnections", database.instance, { stat: "Maximum", label: "connections" })] },
        dbCpu: { metrics: [rds("CPUUtilization", database.instance, { stat: "Average", label: "primary" })] },
        // FreeStorageSpace is in bytes; the share is of the initial allocation (dbStorageGb), which storage autoscaling may raise.
        dbStorage: { metrics: [
            [{ expression: `100 - 100 * m1 / ${allocatedBytes}`, label: `used % of ${args.database.storageGb} GB`, id: "e1" }],
            rds("FreeStorageSpace", database.instance, { stat: "Minimum", id: "m1", visible: false }),
        ] },
        replicaLag: { metrics: database.readReplica ? [rds("ReplicaLag", database.readReplica, { stat: "Maximum", label: "replica" })] : [] },
        cacheMemory: { metrics: perNode("DatabaseMemoryUsagePercentage", "Average") },
        cacheHitRatio: { metrics: perNode("CacheHitRate", "Average") },
        cacheEvictions: { metrics: perNode("Evictions", "Sum") },
        workerHealth: { metrics: [ecs("ECS/ContainerInsights", "RunningTaskCount", services.workerService, "running", "Average")] },
    };

    const panels = dashboardPanels(args, { database: true, replica: database.readReplica !== undefined, cache: true });
    const body = pulumi.all([region, pulumi.output(panels.map((panel) => mapping[panel.id].metrics))]).apply(([awsRegion, metrics]) => ({
        widgets: panels.map((panel: Panel, i) => ({
            type: "metric",
            ...gridCell(i, WIDGET.width, WIDGET.height),
            ...WIDGET,
            properties: {
                title: panel.title,
                view: "timeSeries",
                region: awsRegion,
                period: mapping[panel.id].period ?? 60,
                stacked: false,
                metrics: metrics[i],
                yAxis: { left: { min: 0, ...(panel.unit === "percent" ? { max: 100 } : {}) } },
                annotations: { horizontal: panel.references.map((line) => ({ label: line.label, value: line.value })) },
            },
        })),
    }));
    // Dashboard names: up to 255 characters of A-Z a-z 0-9 - _ (CloudWatch PutDashboard API reference).
    const dashboardName = shortName(args.baseName, "platform", 255).replace(/[^A-Za-z0-9_-]/g, "-");
    const dashboard = new aws.cloudwatch.Dashboard(`${name}-dashboard`, { dashboardName, dashboardBody: pulumi.jsonStringify(body) }, { parent });
    const url = pulumi.interpolate`https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${dashboard.dashboardName}`;
    return { dashboard, url };
}

/** `aws logs tail` on the API's log group, following new events (the awslogs driver writes every task's stdout there). */
export function logsTailCommand(logGroup: aws.cloudwatch.LogGroup): pulumi.Output<string> {
    const region = aws.getRegionOutput({}, { parent: logGroup }).region;
    return pulumi.all([logGroup.name, region]).apply(([group, awsRegion]) =>
        shellCommand(["aws", "logs", "tail", group, "--follow", "--format", "short", "--region", awsRegion]));
}
