import type { PriceEntry } from "../model";

/**
 * AWS on-demand list prices in USD, no discounts, free tiers not deducted. Regions: eu-west-1
 * (Europe, Ireland), the region of the shipped stacks. `confirmed: false` marks figures whose
 * regional value could not be re-read from a copy of the page on the date (see README).
 */
const READ = "2026-11-28";
const EU_WEST_1 = "eu-west-1";

export const AWS_PRICES: PriceEntry[] = [
    {
        id: "aws.fargate.vcpu", types: ["aws:ecs/service:Service", "aws:ecs/taskDefinition:TaskDefinition"],
        dimension: "Fargate, per vCPU-hour of a running task (Linux)",
        regions: { [EU_WEST_1]: { X86_64: 0.04048, ARM64: 0.03238 } },
        source: "https://aws.amazon.com/fargate/pricing/", read: READ, confirmed: false,
        note: "x86 $0.04048 and ARM $0.03238 seen for us-east-1 in pages quoting the pricing page; eu-west-1 taken at the same rates (not re-checked)",
    },
    {
        id: "aws.fargate.memory", types: ["aws:ecs/service:Service", "aws:ecs/taskDefinition:TaskDefinition"],
        dimension: "Fargate, per GB-hour of task memory (Linux)",
        regions: { [EU_WEST_1]: { X86_64: 0.004445, ARM64: 0.00356 } },
        source: "https://aws.amazon.com/fargate/pricing/", read: READ, confirmed: false,
    },
    {
        id: "aws.alb.hour", types: ["aws:lb/loadBalancer:LoadBalancer"],
        dimension: "Application Load Balancer, per hour", regions: { [EU_WEST_1]: 0.0252 },
        source: "https://aws.amazon.com/elasticloadbalancing/pricing/", read: READ, confirmed: false,
    },
    {
        id: "aws.alb.lcu", types: ["aws:lb/loadBalancer:LoadBalancer"],
        dimension: "Application Load Balancer, per LCU-hour", regions: { [EU_WEST_1]: 0.008 },
        source: "https://aws.amazon.com/elasticloadbalancing/pricing/", read: READ, confirmed: false,
    },
    {
        id: "aws.publicIpv4.hour", types: ["aws:ec2/eip:Eip", "aws:lb/loadBalancer:LoadBalancer"],
        dimension: "public IPv4 address, per hour (in use or idle)", regions: { [EU_WEST_1]: 0.005 },
        source: "https://aws.amazon.com/vpc/pricing/", read: READ, confirmed: true,
        note: "$0.005 per IP-hour in every region since 2024-02-01",
    },
    {
        id: "aws.nat.hour", types: ["aws:ec2/natGateway:NatGateway"],
        dimension: "NAT gateway, per hour", regions: { [EU_WEST_1]: 0.048 },
        source: "https://aws.amazon.com/vpc/pricing/", read: READ, confirmed: false,
        note: "Europe (Ireland) $0.048 per hour and per GB processed",
    },
    {
        id: "aws.nat.gb", types: ["aws:ec2/natGateway:NatGateway"],
        dimension: "NAT gateway, per GB processed", regions: { [EU_WEST_1]: 0.048 },
        source: "https://aws.amazon.com/vpc/pricing/", read: READ, confirmed: false,
    },
    {
        id: "aws.egress.gb", types: ["aws:lb/loadBalancer:LoadBalancer"],
        dimension: "data transfer out to the internet, per GB (first 10 TB/month)", regions: { [EU_WEST_1]: 0.09 },
        source: "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer", read: READ, confirmed: false,
    },
    {
        id: "aws.rds.postgres.instance", types: ["aws:rds/instance:Instance"],
        dimension: "RDS for PostgreSQL, per instance-hour (Single-AZ; Multi-AZ with one standby is twice this)",
        regions: {
            [EU_WEST_1]: {
                "db.t4g.micro": 0.018, "db.t4g.small": 0.036, "db.t4g.medium": 0.072, "db.t4g.large": 0.145,
                "db.r7g.large": 0.263, "db.r7g.xlarge": 0.526, "db.r7g.2xlarge": 1.052, "db.r7g.4xlarge": 2.104,
                "db.m7g.large": 0.178, "db.m7g.xlarge": 0.356, "db.m7g.2xlarge": 0.712,
            },
        },
        source: "https://aws.amazon.com/rds/postgresql/pricing/", read: READ, confirmed: false,
    },
    {
        id: "aws.rds.gp3", types: ["aws:rds/instance:Instance"],
        dimension: "RDS gp3 storage, per GB-month (Single-AZ; Multi-AZ is twice this)", regions: { [EU_WEST_1]: 0.127 },
        source: "https://aws.amazon.com/rds/postgresql/pricing/", read: READ, confirmed: false,
    },
    {
        id: "aws.rds.backup", types: ["aws:rds/instance:Instance"],
        dimension: "RDS backup storage beyond 100% of the provisioned storage, per GB-month", regions: { [EU_WEST_1]: 0.095 },
        source: "https://aws.amazon.com/rds/postgresql/pricing/", read: READ, confirmed: false,
    },
    {
        id: "aws.rds.proxy.vcpu", types: ["aws:rds/proxy:Proxy"],
        dimension: "RDS Proxy, per vCPU-hour of the database instance behind it (2 vCPU minimum)", regions: { [EU_WEST_1]: 0.0165 },
        source: "https://aws.amazon.com/rds/proxy/pricing/", read: READ, confirmed: false,
    },
    {
        id: "aws.elasticache.node", types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
        dimension: "ElastiCache (Redis OSS) on-demand node, per node-hour",
        regions: {
            [EU_WEST_1]: {
                "cache.t4g.micro": 0.018, "cache.t4g.small": 0.036, "cache.t4g.medium": 0.073,
                "cache.r7g.large": 0.242, "cache.r7g.xlarge": 0.484, "cache.r7g.2xlarge": 0.968,
                "cache.m7g.large": 0.176, "cache.m7g.xlarge": 0.352,
            },
        },
        source: "https://aws.amazon.com/elasticache/pricing/", read: READ, confirmed: false,
    },
    {
        id: "aws.logs.ingest", types: ["aws:cloudwatch/logGroup:LogGroup"],
        dimension: "CloudWatch Logs standard ingestion, per GB", regions: { [EU_WEST_1]: 0.57 },
        source: "https://aws.amazon.com/cloudwatch/pricing/", read: READ, confirmed: false,
    },
    {
        id: "aws.logs.store", types: ["aws:cloudwatch/logGroup:LogGroup"],
        dimension: "CloudWatch Logs storage, per GB-month (compressed)", regions: { [EU_WEST_1]: 0.03 },
        source: "https://aws.amazon.com/cloudwatch/pricing/", read: READ, confirmed: false,
    },
    {
        id: "aws.cloudwatch.alarm", types: ["aws:cloudwatch/metricAlarm:MetricAlarm"],
        dimension: "CloudWatch standard-resolution alarm, per alarm metric per month", regions: { [EU_WEST_1]: 0.10 },
        source: "https://aws.amazon.com/cloudwatch/pricing/", read: READ, confirmed: false,
    },
    {
        id: "aws.secretsmanager.secret", types: ["aws:secretsmanager/secret:Secret"],
        dimension: "Secrets Manager, per secret per month", regions: { [EU_WEST_1]: 0.40 },
        source: "https://aws.amazon.com/secrets-manager/pricing/", read: READ, confirmed: true,
        note: "$0.40 per secret-month and $0.05 per 10,000 API calls",
    },
    {
        id: "aws.secretsmanager.calls", types: ["aws:secretsmanager/secret:Secret"],
        dimension: "Secrets Manager, per 10,000 API calls", regions: { [EU_WEST_1]: 0.05 },
        source: "https://aws.amazon.com/secrets-manager/pricing/", read: READ, confirmed: true,
    },
    {
        id: "aws.waf.acl", types: ["aws:wafv2/webAcl:WebAcl"],
        dimension: "AWS WAF, per web ACL per month", regions: { [EU_WEST_1]: 5.0 },
        source: "https://aws.amazon.com/waf/pricing/", read: READ, confirmed: true,
        note: "AWS WAF prices are the same in every region",
    },
    {
        id: "aws.waf.rule", types: ["aws:wafv2/webAcl:WebAcl"],
        dimension: "AWS WAF, per rule (or AWS managed rule group) per month", regions: { [EU_WEST_1]: 1.0 },
        source: "https://aws.amazon.com/waf/pricing/", read: READ, confirmed: true,
    },
    {
        id: "aws.waf.requests", types: ["aws:wafv2/webAcl:WebAcl"],
        dimension: "AWS WAF, per million requests inspected", regions: { [EU_WEST_1]: 0.60 },
        source: "https://aws.amazon.com/waf/pricing/", read: READ, confirmed: true,
    },
    {
        id: "aws.s3.standard", types: ["aws:s3/bucket:Bucket"],
        dimension: "S3 Standard storage, per GB-month (first 50 TB)", regions: { [EU_WEST_1]: 0.023 },
        source: "https://aws.amazon.com/s3/pricing/", read: READ, confirmed: false,
    },
    {
        id: "aws.ecr.storage", types: ["aws:ecr/repository:Repository"],
        dimension: "ECR private repository storage, per GB-month", regions: { [EU_WEST_1]: 0.10 },
        source: "https://aws.amazon.com/ecr/pricing/", read: READ, confirmed: false,
    },
    {
        id: "aws.cloudwatch.dashboard", types: ["aws:cloudwatch/dashboard:Dashboard"],
        dimension: "CloudWatch dashboard, per dashboard per month", regions: { [EU_WEST_1]: 3.0 },
        source: "https://aws.amazon.com/cloudwatch/pricing/", read: READ, confirmed: false,
    },
];
