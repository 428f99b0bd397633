/**
 * Metric names the services really emit, per namespace / metric prefix / exporter, with the page
 * that lists them. The dashboard tests accept a metric only when it is here, so a typo (or a
 * metric a service never publishes) fails instead of drawing an empty chart.
 */
export interface Catalog {
    doc: string;
    metrics: readonly string[];
    /** CloudWatch: the dimension names the namespace's metrics take. */
    dimensions?: readonly string[];
}

/** CloudWatch namespaces. */
export const CLOUDWATCH: Record<string, Catalog> = {
    "AWS/ApplicationELB": {
        doc: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html",
        metrics: ["RequestCount", "HTTPCode_Target_5XX_Count", "HTTPCode_Target_4XX_Count", "HTTPCode_ELB_5XX_Count", "TargetResponseTime", "UnHealthyHostCount", "HealthyHostCount"],
        dimensions: ["LoadBalancer", "TargetGroup", "AvailabilityZone"],
    },
    "AWS/ECS": {
        doc: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html",
        metrics: ["CPUUtilization", "MemoryUtilization", "CPUReservation", "MemoryReservation"],
        dimensions: ["ClusterName", "ServiceName"],
    },
    "ECS/ContainerInsights": {
        doc: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html",
        metrics: ["RunningTaskCount", "DesiredTaskCount", "PendingTaskCount", "CpuUtilized", "MemoryUtilized", "TaskCount"],
        dimensions: ["ClusterName", "ServiceName", "TaskDefinitionFamily"],
    },
    "AWS/RDS": {
        doc: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html",
        metrics: ["CPUUtilization", "DatabaseConnections", "FreeStorageSpace", "ReplicaLag", "FreeableMemory", "ReadIOPS", "WriteIOPS"],
        dimensions: ["DBInstanceIdentifier", "DBClusterIdentifier"],
    },
    "AWS/ElastiCache": {
        doc: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html",
        metrics: ["DatabaseMemoryUsagePercentage", "CacheHitRate", "CacheHits", "CacheMisses", "Evictions", "EngineCPUUtilization", "CurrConnections"],
        dimensions: ["CacheClusterId", "CacheNodeId", "ReplicationGroupId"],
    },
};

/** Cloud Monitoring metric types (prefix -> names), with the monitored resource type each is written against. */
export const CLOUD_MONITORING: Record<string, Catalog & { resourceTypes: readonly string[] }> = {
    "run.googleapis.com": {
        doc: "https://cloud.google.com/monitoring/api/metrics_gcp_p_z#gcp-run",
        metrics: ["request_count", "request_latencies", "container/instance_count", "container/cpu/utilizations", "container/memory/utilizations", "container/billable_instance_time"],
        resourceTypes: ["cloud_run_revision"],
    },
    "cloudsql.googleapis.com": {
        doc: "https://cloud.google.com/monitoring/api/metrics_gcp_c#gcp-cloudsql",
        metrics: ["database/postgresql/num_backends", "database/cpu/utilization", "database/disk/utilization", "database/replication/replica_lag", "database/memory/utilization"],
        resourceTypes: ["cloudsql_database"],
    },
    "redis.googleapis.com": {
        doc: "https://cloud.google.com/monitoring/api/metrics_gcp_p_z#gcp-redis",
        metrics: ["stats/memory/usage_ratio", "stats/cache_hit_ratio", "stats/evicted_keys", "clients/connected"],
        resourceTypes: ["redis_instance"],
    },
    "loadbalancing.googleapis.com": {
        doc: "https://cloud.google.com/monitoring/api/metrics_gcp_i_o#gcp-loadbalancing",
        metrics: ["https/request_count", "https/total_latencies"],
        resourceTypes: ["https_lb_rule"],
    },
    "monitoring.googleapis.com": {
        doc: "https://cloud.google.com/monitoring/api/metrics_gcp_i_o#gcp-monitoring",
        metrics: ["uptime_check/check_passed", "uptime_check/request_latency"],
        resourceTypes: ["uptime_url"],
    },
};

/** Cloud Monitoring enums the dashboard API accepts (projects.dashboards reference, Aggregation and XyChart). */
export const CLOUD_MONITORING_ENUMS = {
    aligners: ["ALIGN_NONE", "ALIGN_DELTA", "ALIGN_RATE", "ALIGN_MEAN", "ALIGN_MAX", "ALIGN_MIN", "ALIGN_SUM", "ALIGN_COUNT", "ALIGN_PERCENTILE_99", "ALIGN_PERCENTILE_95", "ALIGN_PERCENTILE_50", "ALIGN_PERCENTILE_05", "ALIGN_NEXT_OLDER"],
    reducers: ["REDUCE_NONE", "REDUCE_MEAN", "REDUCE_MIN", "REDUCE_MAX", "REDUCE_SUM", "REDUCE_COUNT", "REDUCE_PERCENTILE_99", "REDUCE_PERCENTILE_95", "REDUCE_PERCENTILE_50"],
    plotTypes: ["LINE", "STACKED_AREA", "STACKED_BAR", "HEATMAP"],
    colors: ["YELLOW", "RED", "COLOR_UNSPECIFIED"],
    directions: ["ABOVE", "BELOW"],
    doc: "https://cloud.google.com/monitoring/api/ref_v3/rest/v1/projects.dashboards",
} as const;

/** Azure Monitor platform metrics by resource type (the "supported metrics" reference per namespace). */
export const AZURE_MONITOR: Record<string, Catalog> = {
    "Microsoft.Web/sites": {
        doc: "https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-web-sites-metrics",
        metrics: ["Requests", "Http5xx", "Http4xx", "HttpResponseTime", "HealthCheckStatus", "CpuTime"],
    },
    "Microsoft.Web/serverFarms": {
        doc: "https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-web-serverfarms-metrics",
        metrics: ["CpuPercentage", "MemoryPercentage", "HttpQueueLength"],
    },
    "Microsoft.Insights/autoscalesettings": {
        doc: "https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-insights-autoscalesettings-metrics",
        metrics: ["ObservedCapacity", "ObservedMetricValue", "MetricThreshold", "ScaleActionsInitiated"],
    },
    "Microsoft.App/containerApps": {
        doc: "https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-app-containerapps-metrics",
        metrics: ["Replicas", "RestartCount", "UsageNanoCores", "WorkingSetBytes", "Requests"],
    },
    "Microsoft.DBforPostgreSQL/flexibleServers": {
        doc: "https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-dbforpostgresql-flexibleservers-metrics",
        metrics: ["active_connections", "cpu_percent", "memory_percent", "storage_percent", "storage_used", "physical_replication_delay_in_seconds"],
    },
    "Microsoft.Cache/redis": {
        doc: "https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-cache-redis-metrics",
        metrics: ["usedmemorypercentage", "cachehits", "cachemisses", "evictedkeys", "connectedclients", "serverLoad"],
    },
};

/** Prometheus series the Kubernetes dashboard and rules read, by exporter. */
export const PROMETHEUS: Record<string, Catalog> = {
    "prometheus-fastapi-instrumentator": {
        doc: "https://github.com/trallnag/prometheus-fastapi-instrumentator#default-metrics",
        metrics: ["http_requests_total", "http_request_duration_seconds_bucket", "http_request_duration_seconds_sum", "http_request_duration_seconds_count", "http_request_size_bytes", "http_response_size_bytes"],
    },
    "kube-state-metrics": {
        doc: "https://github.com/kubernetes/kube-state-metrics/tree/main/docs/metrics",
        metrics: [
            "kube_horizontalpodautoscaler_status_current_replicas", "kube_horizontalpodautoscaler_spec_min_replicas", "kube_horizontalpodautoscaler_spec_max_replicas",
            "kube_pod_container_resource_requests", "kube_pod_container_resource_limits",
            "kube_deployment_status_replicas_available", "kube_deployment_status_replicas_unavailable",
        ],
    },
    "cAdvisor (kubelet)": {
        doc: "https://github.com/google/cadvisor/blob/master/docs/storage/prometheus.md",
        metrics: ["container_cpu_usage_seconds_total", "container_memory_working_set_bytes"],
    },
    "kubelet volume stats": {
        doc: "https://kubernetes.io/docs/reference/instrumentation/metrics/",
        metrics: ["kubelet_volume_stats_used_bytes", "kubelet_volume_stats_capacity_bytes"],
    },
    "CloudNativePG exporter": {
        doc: "https://cloudnative-pg.io/documentation/current/monitoring/#predefined-set-of-metrics",
        metrics: ["cnpg_backends_total", "cnpg_pg_settings_setting", "cnpg_pg_replication_lag", "cnpg_collector_up", "cnpg_pg_database_size_bytes"],
    },
};

export const PROMETHEUS_METRICS = new Set(Object.values(PROMETHEUS).flatMap((c) => c.metrics));
