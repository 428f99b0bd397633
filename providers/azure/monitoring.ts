import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { ALERT_THRESHOLDS } from "../../components/alerts";
import { shortName } from "../../components/naming";
import { localName, type AzureContext } from "./context";
import type { Cache } from "./cache";
import type { Database } from "./database";
import type { Edge } from "./edge";
import type { SecretStore } from "./secrets";
import { containerAppSize, type Services } from "./service";

/** Share of dbMaxStorageGb at which auto-grown storage is reported (Azure's auto-grow has no ceiling). */
const DB_STORAGE_CEILING_PERCENT = 90;

/** Log Analytics keeps 30 to 730 days of interactive retention (PerGB2018). */
export const LOG_ANALYTICS_RETENTION = { min: 30, max: 730 } as const;

export interface Observability {
    workspace: operationalinsights.Workspace;
    insights: applicationinsights.Component;
    actionGroup: monitor.ActionGroup;
}

/**
 * Log Analytics (retention from logRetentionDays, raised to Azure's 30-day floor), workspace-based
 * Application Insights for the API, and the action group every alert notifies (e-mail to
 * alertEmail). Created before the services, which need the Application Insights connection string.
 */
export function createObservability(ctx: AzureContext): Observability {
    const { args, location, resourceGroupName, parent } = ctx;
    const workspace = new operationalinsights.Workspace(`${ctx.name}-logs`, {
        workspaceName: localName(ctx, "logs", 63),
        resourceGroupName, location,
        sku: { name: "PerGB2018" },
        retentionInDays: Math.max(args.logRetentionDays, LOG_ANALYTICS_RETENTION.min),
        features: { enableLogAccessUsingOnlyResourcePermissions: true },
        tags: args.tags,
    }, { parent });
    const insights = new applicationinsights.Component(`${ctx.name}-insights`, {
        resourceName: localName(ctx, "insights", 255),
        resourceGroupName, location,
        kind: "web",
        applicationType: "web",
        ingestionMode: "LogAnalytics",
        workspaceResourceId: workspace.id,
        tags: args.tags,
    }, { parent });
    const actionGroup = new monitor.ActionGroup(`${ctx.name}-alerts`, {
        actionGroupName: localName(ctx, "alerts", 260),
        groupShortName: shortName(args.baseName, "", 12),
        resourceGroupName, location: "global",
        enabled: true,
        emailReceivers: args.alertEmail ? [{ name: "on-call", emailAddress: args.alertEmail, useCommonAlertSchema: true }] : [],
        tags: args.tags,
    }, { parent });
    return { workspace, insights, actionGroup };
}

interface AlertSpec {
    description: string;
    scope: pulumi.Input<string>;
    namespace: string;
    metric: string;
    aggregation: "Average" | "Maximum" | "Minimum" | "Total";
    operator: "GreaterThan" | "LessThan";
    threshold: number;
    /** 0 critical ... 4 verbose. */
    severity: number;
}

/**
 * Metric alerts on what the seeds ask to watch - 5xx, response time > 2 s, failing health checks,
 * plan and worker CPU/memory, PostgreSQL CPU, connections (80 % of max_connections) and storage,
 * replica lag, Redis memory - and diagnostic settings that send every log category to the
 * workspace.
 */
export function createMonitoring(
    ctx: AzureContext, observability: Observability, services: Services, database: Database, cache: Cache, store: SecretStore, edge: Edge,
): monitor.MetricAlert[] {
    const { args } = ctx;
    const t = ALERT_THRESHOLDS;
    const site = { scope: services.api.id, namespace: "Microsoft.Web/sites" };
    const plan = { scope: services.plan.id, namespace: "Microsoft.Web/serverFarms" };
    const worker = { scope: services.worker.id, namespace: "Microsoft.App/containerApps" };
    const postgres = { scope: database.server.id, namespace: "Microsoft.DBforPostgreSQL/flexibleServers" };
    const workerSize = containerAppSize(args.worker.cpu, args.worker.memoryMb)!;
    const gib = 1024 ** 3;

    const specs: Record<string, AlertSpec> = {
        "api-http-5xx": {
            ...site, description: `More than ${t.http5xxPerFiveMinutes} API responses were 5xx in 5 minutes`,
            metric: "Http5xx", aggregation: "Total", operator: "GreaterThan", threshold: t.http5xxPerFiveMinutes, severity: 1,
        },
        "api-response-time": {
            ...site, description: `API average response time above ${t.p99LatencySeconds} s`,
            metric: "HttpResponseTime", aggregation: "Average", operator: "GreaterThan", threshold: t.p99LatencySeconds, severity: 2,
        },
        "api-health-check": {
            ...site, description: `Instances failing the ${args.service.healthCheckPath} health check`,
            metric: "HealthCheckStatus", aggregation: "Average", operator: "LessThan", threshold: 100, severity: 1,
        },
        "api-cpu": {
            ...plan, description: `API plan CPU above ${t.serviceCpuPercent}% (autoscaling is not keeping up)`,
            metric: "CpuPercentage", aggregation: "Average", operator: "GreaterThan", threshold: t.serviceCpuPercent, severity: 2,
        },
        "api-memory": {
            ...plan, description: `API plan memory above ${t.serviceMemoryPercent}%`,
            metric: "MemoryPercentage", aggregation: "Average", operator: "GreaterThan", threshold: t.serviceMemoryPercent, severity: 2,
        },
        "worker-cpu": {
            ...worker, description: `Worker CPU above ${t.serviceCpuPercent}% of its ${workerSize.cpu} vCPU`,
            metric: "UsageNanoCores", aggregation: "Average", operator: "GreaterThan",
            threshold: Math.round(workerSize.cpu * 1e9 * t.serviceCpuPercent / 100), severity: 2,
        },
        "worker-memory": {
            ...worker, description: `Worker memory above ${t.serviceMemoryPercent}% of its ${workerSize.memoryGi} GiB`,
            metric: "WorkingSetBytes", aggregation: "Average", operator: "GreaterThan",
            threshold: Math.round(workerSize.memoryGi * gib * t.serviceMemoryPercent / 100), severity: 2,
        },
        "db-cpu": {
            ...postgres, description: `PostgreSQL CPU above ${t.dbCpuPercent}%`,
            metric: "cpu_percent", aggregation: "Average", operator: "GreaterThan", threshold: t.dbCpuPercent, severity: 2,
        },
        "db-connections": {
            ...postgres, description: `PostgreSQL connections above ${t.dbConnectionsPercent}% of the ${args.database.maxConnections} the capacity rule provides`,
            metric: "active_connections", aggregation: "Maximum", operator: "GreaterThan",
            threshold: Math.floor((args.database.maxConnections * t.dbConnectionsPercent) / 100), severity: 1,
        },
        "db-storage": {
            ...postgres, description: `PostgreSQL storage above ${t.dbStorageUsedPercent}% (auto-grow is about to add a disk size)`,
            metric: "storage_percent", aggregation: "Maximum", operator: "GreaterThan", threshold: t.dbStorageUsedPercent, severity: 3,
        },
        "db-storage-ceiling": {
            ...postgres, description: `PostgreSQL storage grew past ${DB_STORAGE_CEILING_PERCENT}% of dbMaxStorageGb (${args.database.maxStorageGb} GB): Azure auto-grow has no ceiling of its own`,
            metric: "storage_used", aggregation: "Maximum", operator: "GreaterThan",
            threshold: Math.floor(args.database.maxStorageGb * 1e9 * DB_STORAGE_CEILING_PERCENT / 100), severity: 2,
        },
        "cache-memory": {
            scope: cache.redis.id, namespace: "Microsoft.Cache/redis", description: `Redis memory above ${t.cacheMemoryPercent}%`,
            metric: "usedmemorypercentage", aggregation: "Maximum", operator: "GreaterThan", threshold: t.cacheMemoryPercent, severity: 2,
        },
    };
    if (database.readReplica) {
        specs["db-replica-lag"] = {
            scope: database.readReplica.id, namespace: "Microsoft.DBforPostgreSQL/flexibleServers",
            description: `Read replica more than ${t.replicaLagSeconds} s behind the primary`,
            metric: "physical_replication_delay_in_seconds", aggregation: "Maximum", operator: "GreaterThan", threshold: t.replicaLagSeconds, severity: 2,
        };
    }

    const alerts = Object.entries(specs).map(([alert, spec]) =>
        new monitor.MetricAlert(`${ctx.name}-${alert}`, {
            ruleName: localName(ctx, alert, 260),
            resourceGroupName: ctx.resourceGroupName,
            location: "global",
            description: spec.description,
            severity: spec.severity,
            enabled: true,
            scopes: [spec.scope],
            evaluationFrequency: "PT1M",
            windowSize: "PT5M",
            autoMitigate: true,
            criteria: {
                odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
                allOf: [{
                    criterionType: "StaticThresholdCriterion", name: alert, metricNamespace: spec.namespace, metricName: spec.metric,
                    timeAggregation: spec.aggregation, operator: spec.operator, threshold: spec.threshold,
                }],
            },
            actions: [{ actionGroupId: observability.actionGroup.id }],
            tags: args.tags,
        }, { parent: ctx.parent }));

    type Diagnostics = [role: string, resourceUri: pulumi.Input<string>, categoryGroup: "allLogs" | "audit"];
    const diagnostics: Diagnostics[] = [
        ["api", services.api.id, "allLogs"],
        ["apps-env", services.environment.id, "allLogs"],
        ["postgres", database.server.id, "allLogs"],
        ["vault", store.vault.id, "audit"],
        ...(edge.profile ? [["front-door", edge.profile.id, "allLogs"] satisfies Diagnostics] : []),
    ];
    for (const [role, resourceUri, categoryGroup] of diagnostics) {
        new monitor.DiagnosticSetting(`${ctx.name}-${role}-diagnostics`, {
            name: "to-log-analytics",
            resourceUri,
            workspaceId: observability.workspace.id,
            logs: [{ categoryGroup, enabled: true }],
        }, { parent: ctx.parent });
    }
    return alerts;
}
