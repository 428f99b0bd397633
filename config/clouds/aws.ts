import type { FieldSpec, ValuesOf } from "../spec";
import { ipv4Cidr } from "./cidr";

/** AWS-only knobs; the neutral keys above cover everything the other clouds share. */
export const AWS_OVERRIDES = {
    vpcCidr: {
        type: "string", default: "10.40.0.0/16", description: "CIDR block of the VPC (a /16 to /20).",
        pattern: ipv4Cidr("(1[6-9]|20)"), patternHint: "an IPv4 CIDR from /16 to /20, e.g. 10.40.0.0/16",
    },
    availabilityZones: {
        type: "integer", default: 3, min: 2, max: 3,
        description: "How many availability zones the VPC, database subnets and tasks span.",
    },
    certificateArn: {
        type: "string", default: "", description: "An existing ACM certificate for `domain`; when empty, one is issued and validated in `dnsZone`.",
        pattern: /^(arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+)?$/, patternHint: "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
    },
    dbInstanceClass: {
        type: "string", default: "", description: "Overrides the RDS instance class chosen by `dbTier` (e.g. db.r7g.large).",
        pattern: /^(db\.[a-z0-9]+\.[a-z0-9]+)?$/, patternHint: "an RDS instance class such as db.r7g.large",
    },
    cacheNodeType: {
        type: "string", default: "", description: "Overrides the ElastiCache node type chosen by `cacheTier` (e.g. cache.r7g.large).",
        pattern: /^(cache\.[a-z0-9]+\.[a-z0-9]+)?$/, patternHint: "an ElastiCache node type such as cache.r7g.large",
    },
    rdsProxy: {
        type: "boolean", default: false, description: "Put RDS Proxy between the services and PostgreSQL (connection pooling for bursty fleets).",
    },
    albAccessLogs: {
        type: "boolean", default: true, description: "Write ALB access logs to an encrypted S3 bucket (production only).",
    },
    drRegion: {
        type: "string", default: "", description: "Second AWS region for disaster recovery: the application bucket replicates there (S3 Cross-Region Replication) and RDS automated backups are copied there. Required in production; must differ from aws:region.",
        pattern: /^([a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d)?$/, patternHint: "an AWS region such as eu-central-1, or empty",
    },
} satisfies Record<string, FieldSpec>;

export type AwsOverrides = ValuesOf<typeof AWS_OVERRIDES>;
