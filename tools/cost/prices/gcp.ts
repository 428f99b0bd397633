import type { PriceEntry } from "../model";

/**
 * Google Cloud on-demand list prices in USD, no committed-use discounts, free tiers not deducted
 * unless the entry says so. Regions: europe-west1 (Belgium, a Tier 1 region), the region of the
 * shipped stacks.
 */
const READ = "2026-11-28";
const EUROPE_WEST1 = "europe-west1";

export const GCP_PRICES: PriceEntry[] = [
    {
        id: "gcp.run.instance.vcpu", types: ["gcp:cloudrunv2/service:Service", "gcp:cloudrunv2/job:Job"],
        dimension: "Cloud Run instance-based billing (CPU always allocated) and jobs, per vCPU-second",
        regions: { [EUROPE_WEST1]: 0.000018 },
        source: "https://cloud.google.com/run/pricing", read: READ, confirmed: true,
        note: "Tier 1 table: $0.00001800 / vCPU-second for services with CPU always allocated and for jobs",
    },
    {
        id: "gcp.run.instance.memory", types: ["gcp:cloudrunv2/service:Service", "gcp:cloudrunv2/job:Job"],
        dimension: "Cloud Run instance-based billing and jobs, per GiB-second",
        regions: { [EUROPE_WEST1]: 0.000002 },
        source: "https://cloud.google.com/run/pricing", read: READ, confirmed: false,
    },
    {
        id: "gcp.lb.rules", types: ["gcp:compute/globalForwardingRule:GlobalForwardingRule"],
        dimension: "global external Application Load Balancer, per hour for the first 5 forwarding rules of a project",
        regions: { [EUROPE_WEST1]: 0.025 },
        source: "https://cloud.google.com/vpc/network-pricing#lb", read: READ, confirmed: false,
    },
    {
        id: "gcp.lb.extraRule", types: ["gcp:compute/globalForwardingRule:GlobalForwardingRule"],
        dimension: "global external Application Load Balancer, per hour for each forwarding rule beyond 5",
        regions: { [EUROPE_WEST1]: 0.01 },
        source: "https://cloud.google.com/vpc/network-pricing#lb", read: READ, confirmed: false,
    },
    {
        id: "gcp.lb.data", types: ["gcp:compute/globalForwardingRule:GlobalForwardingRule"],
        dimension: "Application Load Balancer data processing, per GB", regions: { [EUROPE_WEST1]: 0.008 },
        source: "https://cloud.google.com/vpc/network-pricing#lb", read: READ, confirmed: false,
    },
    {
        id: "gcp.egress.gb", types: ["gcp:compute/globalForwardingRule:GlobalForwardingRule"],
        dimension: "Premium Tier internet egress from Europe, per GB (first TiB)", regions: { [EUROPE_WEST1]: 0.12 },
        source: "https://cloud.google.com/vpc/network-pricing#internet_egress", read: READ, confirmed: false,
    },
    {
        id: "gcp.armor.policy", types: ["gcp:compute/securityPolicy:SecurityPolicy"],
        dimension: "Cloud Armor Standard, per security policy per month", regions: { [EUROPE_WEST1]: 5.0 },
        source: "https://cloud.google.com/armor/pricing", read: READ, confirmed: false,
    },
    {
        id: "gcp.armor.rule", types: ["gcp:compute/securityPolicy:SecurityPolicy"],
        dimension: "Cloud Armor Standard, per rule per month", regions: { [EUROPE_WEST1]: 1.0 },
        source: "https://cloud.google.com/armor/pricing", read: READ, confirmed: false,
    },
    {
        id: "gcp.armor.requests", types: ["gcp:compute/securityPolicy:SecurityPolicy"],
        dimension: "Cloud Armor Standard, per million requests evaluated", regions: { [EUROPE_WEST1]: 0.75 },
        source: "https://cloud.google.com/armor/pricing", read: READ, confirmed: false,
    },
    {
        id: "gcp.sql.vcpu", types: ["gcp:sql/databaseInstance:DatabaseInstance"],
        dimension: "Cloud SQL for PostgreSQL Enterprise, per vCPU-hour (zonal; regional HA is twice this)",
        regions: { [EUROPE_WEST1]: 0.0413 },
        source: "https://cloud.google.com/sql/pricing", read: READ, confirmed: false,
        note: "$0.0413 per vCPU-hour and $0.007 per GB-hour seen for us-central1; europe-west1 taken at the same rates",
    },
    {
        id: "gcp.sql.memory", types: ["gcp:sql/databaseInstance:DatabaseInstance"],
        dimension: "Cloud SQL for PostgreSQL Enterprise, per GB-hour of memory (zonal; regional HA is twice this)",
        regions: { [EUROPE_WEST1]: 0.007 },
        source: "https://cloud.google.com/sql/pricing", read: READ, confirmed: false,
    },
    {
        id: "gcp.sql.ssd", types: ["gcp:sql/databaseInstance:DatabaseInstance"],
        dimension: "Cloud SQL SSD storage, per GB-month (zonal; regional HA is twice this)", regions: { [EUROPE_WEST1]: 0.17 },
        source: "https://cloud.google.com/sql/pricing", read: READ, confirmed: false,
    },
    {
        id: "gcp.sql.backup", types: ["gcp:sql/databaseInstance:DatabaseInstance"],
        dimension: "Cloud SQL backup storage, per GB-month", regions: { [EUROPE_WEST1]: 0.08 },
        source: "https://cloud.google.com/sql/pricing", read: READ, confirmed: false,
    },
    {
        id: "gcp.redis.gbHour", types: ["gcp:redis/instance:Instance"],
        dimension: "Memorystore for Redis, per GB-hour of provisioned capacity, by tier and capacity band (M1 1-4 GB, M2 5-10, M3 11-35, M4 36-100, M5 >100)",
        regions: {
            [EUROPE_WEST1]: {
                "BASIC/M1": 0.049, "BASIC/M2": 0.027, "BASIC/M3": 0.022, "BASIC/M4": 0.019, "BASIC/M5": 0.016,
                "STANDARD_HA/M1": 0.064, "STANDARD_HA/M2": 0.054, "STANDARD_HA/M3": 0.044, "STANDARD_HA/M4": 0.035, "STANDARD_HA/M5": 0.023,
            },
        },
        source: "https://cloud.google.com/memorystore/docs/redis/pricing", read: READ, confirmed: false,
    },
    {
        id: "gcp.secret.version", types: ["gcp:secretmanager/secretVersion:SecretVersion"],
        dimension: "Secret Manager, per active secret version per location per month", regions: { [EUROPE_WEST1]: 0.06 },
        source: "https://cloud.google.com/secret-manager/pricing", read: READ, confirmed: false,
    },
    {
        id: "gcp.secret.access", types: ["gcp:secretmanager/secretVersion:SecretVersion"],
        dimension: "Secret Manager, per 10,000 access operations", regions: { [EUROPE_WEST1]: 0.03 },
        source: "https://cloud.google.com/secret-manager/pricing", read: READ, confirmed: false,
    },
    {
        id: "gcp.logging.ingest", types: ["gcp:logging/projectBucketConfig:ProjectBucketConfig"],
        dimension: "Cloud Logging ingestion (includes 30 days of retention), per GiB", regions: { [EUROPE_WEST1]: 0.50 },
        source: "https://cloud.google.com/stackdriver/pricing", read: READ, confirmed: false,
    },
    {
        id: "gcp.logging.retention", types: ["gcp:logging/projectBucketConfig:ProjectBucketConfig"],
        dimension: "Cloud Logging retention beyond 30 days, per GiB-month", regions: { [EUROPE_WEST1]: 0.01 },
        source: "https://cloud.google.com/stackdriver/pricing", read: READ, confirmed: false,
    },
    {
        id: "gcp.monitoring.condition", types: ["gcp:monitoring/alertPolicy:AlertPolicy"],
        dimension: "Cloud Monitoring alerting, per condition of an alert policy per month", regions: { [EUROPE_WEST1]: 0.10 },
        source: "https://cloud.google.com/stackdriver/pricing", read: READ, confirmed: false,
        note: "the alerting charge per time series returned ($0.35 per million) is not modelled",
    },
    {
        id: "gcp.monitoring.uptime", types: ["gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig"],
        dimension: "Cloud Monitoring uptime checks, per 1,000 executions beyond 1 million per project per month",
        regions: { [EUROPE_WEST1]: 0.30 },
        source: "https://cloud.google.com/stackdriver/pricing", read: READ, confirmed: false,
    },
    {
        id: "gcp.artifactregistry.storage", types: ["gcp:artifactregistry/repository:Repository"],
        dimension: "Artifact Registry storage, per GB-month (first 0.5 GB free, not deducted)", regions: { [EUROPE_WEST1]: 0.10 },
        source: "https://cloud.google.com/artifact-registry/pricing", read: READ, confirmed: false,
    },
];
