import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ALERT_THRESHOLDS } from "../../components/alerts";
import type { PlatformArgs } from "../../components/platform";
import type { Cache } from "./cache";
import type { Database } from "./database";
import type { Edge } from "./edge";
import type { Services } from "./service";

export interface Monitoring {
    topic: aws.sns.Topic;
    alarms: aws.cloudwatch.MetricAlarm[];
}

type AlarmSpec = Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "tags">;

/**
 * An SNS topic (e-mail subscription from alertEmail) and CloudWatch alarms on what the seeds ask
 * to watch: 5xx rate, p99 latency > 2 s, unhealthy targets, service CPU/memory, database
 * CPU/connections/free storage and cache memory. Missing data is not an alarm (idle staging).
 */
export function createMonitoring(
    name: string, args: PlatformArgs, edge: Edge, services: Services, database: Database, cache: Cache, parent: pulumi.Resource,
): Monitoring {
    const opts = { parent };
    const t = ALERT_THRESHOLDS;
    const topic = new aws.sns.Topic(`${name}-alerts`, { tags: args.tags }, opts);
    if (args.alertEmail) {
        new aws.sns.TopicSubscription(`${name}-alerts-email`, { topic: topic.arn, protocol: "email", endpoint: args.alertEmail }, opts);
    }

    const alb = { LoadBalancer: edge.loadBalancer.arnSuffix };
    const targets = { LoadBalancer: edge.loadBalancer.arnSuffix, TargetGroup: edge.targetGroup.arnSuffix };
    const ecs = (service: aws.ecs.Service) => ({ ClusterName: services.cluster.name, ServiceName: service.name });
    const db = (instance: aws.rds.Instance) => ({ DBInstanceIdentifier: instance.identifier });
    const threeOfFive = { evaluationPeriods: 3, datapointsToAlarm: 2 };
    const fiveMinutes = { period: 300, ...threeOfFive };

    const specs: Record<string, AlarmSpec> = {
        "api-5xx-rate": {
            alarmDescription: `More than ${t.http5xxPercent}% of API responses are 5xx`,
            // The period lives in each metric query: the provider rejects `period` beside `metricQueries`
            // (terraform-provider-aws internal/service/cloudwatch/metric_alarm.go, ConflictsWith).
            comparisonOperator: "GreaterThanThreshold", threshold: t.http5xxPercent, ...threeOfFive,
            metricQueries: [
                { id: "rate", expression: "IF(requests > 0, 100 * errors / requests, 0)", label: "5xx %", returnData: true },
                { id: "errors", metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", stat: "Sum", period: 300, dimensions: alb } },
                { id: "requests", metric: { namespace: "AWS/ApplicationELB", metricName: "RequestCount", stat: "Sum", period: 300, dimensions: alb } },
            ],
        },
        "alb-5xx": {
            alarmDescription: "The load balancer itself returns 5xx (no healthy target, timeouts)",
            namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count", statistic: "Sum", dimensions: alb,
            comparisonOperator: "GreaterThanThreshold", threshold: t.http5xxPerFiveMinutes, ...fiveMinutes,
        },
        "api-p99-latency": {
            alarmDescription: `API p99 latency above ${t.p99LatencySeconds} s`,
            namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", extendedStatistic: "p99", dimensions: alb,
            comparisonOperator: "GreaterThanThreshold", threshold: t.p99LatencySeconds, ...fiveMinutes,
        },
        "api-unhealthy-targets": {
            alarmDescription: "API tasks failing the /health check",
            namespace: "AWS/ApplicationELB", metricName: "UnHealthyHostCount", statistic: "Maximum", dimensions: targets,
            comparisonOperator: "GreaterThanThreshold", threshold: 0, period: 60, evaluationPeriods: 5, datapointsToAlarm: 3,
        },
        "db-cpu": {
            alarmDescription: `Database CPU above ${t.dbCpuPercent}%`,
            namespace: "AWS/RDS", metricName: "CPUUtilization", statistic: "Average", dimensions: db(database.instance),
            comparisonOperator: "GreaterThanThreshold", threshold: t.dbCpuPercent, ...fiveMinutes,
        },
        "db-connections": {
            alarmDescription: `Database connections above ${t.dbConnectionsPercent}% of max_connections (${args.database.maxConnections})`,
            namespace: "AWS/RDS", metricName: "DatabaseConnections", statistic: "Maximum", dimensions: db(database.instance),
            comparisonOperator: "GreaterThanThreshold", threshold: Math.floor((args.database.maxConnections * t.dbConnectionsPercent) / 100), ...fiveMinutes,
        },
        "db-free-storage": {
            alarmDescription: `Database free storage below ${100 - t.dbStorageUsedPercent}% of the allocated ${args.database.storageGb} GB`,
            namespace: "AWS/RDS", metricName: "FreeStorageSpace", statistic: "Minimum", dimensions: db(database.instance),
            comparisonOperator: "LessThanThreshold", threshold: (args.database.storageGb * 1e9 * (100 - t.dbStorageUsedPercent)) / 100, ...fiveMinutes,
        },
    };
    for (const [role, service] of [["api", services.apiService], ["worker", services.workerService]] as const) {
        specs[`${role}-cpu`] = {
            alarmDescription: `${role} CPU above ${t.serviceCpuPercent}% (autoscaling is not keeping up)`,
            namespace: "AWS/ECS", metricName: "CPUUtilization", statistic: "Average", dimensions: ecs(service),
            comparisonOperator: "GreaterThanThreshold", threshold: t.serviceCpuPercent, ...fiveMinutes,
        };
        specs[`${role}-memory`] = {
            alarmDescription: `${role} memory above ${t.serviceMemoryPercent}%`,
            namespace: "AWS/ECS", metricName: "MemoryUtilization", statistic: "Average", dimensions: ecs(service),
            comparisonOperator: "GreaterThanThreshold", threshold: t.serviceMemoryPercent, ...fiveMinutes,
        };
    }
    if (database.readReplica) {
        specs["db-replica-lag"] = {
            alarmDescription: `Read replica more than ${t.replicaLagSeconds} s behind the primary`,
            namespace: "AWS/RDS", metricName: "ReplicaLag", statistic: "Maximum", dimensions: db(database.readReplica),
            comparisonOperator: "GreaterThanThreshold", threshold: t.replicaLagSeconds, ...fiveMinutes,
        };
    }
    cache.memberIds.forEach((memberId, i) => {
        specs[`cache-memory-${i + 1}`] = {
            alarmDescription: `Redis node ${i + 1} memory above ${t.cacheMemoryPercent}%`,
            namespace: "AWS/ElastiCache", metricName: "DatabaseMemoryUsagePercentage", statistic: "Average",
            dimensions: { CacheClusterId: memberId },
            comparisonOperator: "GreaterThanThreshold", threshold: t.cacheMemoryPercent, ...fiveMinutes,
        };
    });

    const alarms = Object.entries(specs).map(([alarm, spec]) =>
        new aws.cloudwatch.MetricAlarm(`${name}-${alarm}`, {
            name: `${args.baseName}-${alarm}`,
            treatMissingData: "notBreaching",
            ...spec,
            alarmActions: [topic.arn],
            okActions: [topic.arn],
            tags: args.tags,
        }, opts));
    return { topic, alarms };
}
