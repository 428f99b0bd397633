import type { FieldSpec, ValuesOf } from "../spec";
import { ipv4Cidr } from "./cidr";

/** Google Cloud-only knobs; the neutral keys of config/schema.ts cover everything the clouds share. */
export const GCP_OVERRIDES = {
    subnetCidr: {
        type: "string", default: "10.50.0.0/20",
        description: "Private CIDR block of the subnet Cloud Run's direct VPC egress takes addresses from (a /16 to /24; each instance uses two).",
        pattern: ipv4Cidr("(1[6-9]|2[0-4])"), patternHint: "a private IPv4 CIDR from /16 to /24, e.g. 10.50.0.0/20",
    },
    sqlTier: {
        type: "string", default: "",
        description: "Overrides the Cloud SQL machine type chosen by `dbTier` (e.g. db-custom-8-32768; db-perf-optimized-N-* selects Enterprise Plus).",
        pattern: /^(db-[a-zA-Z0-9-]+)?$/, patternHint: "a Cloud SQL tier such as db-custom-4-16384",
    },
    dnsManagedZone: {
        type: "string", default: "",
        description: "Name of the Cloud DNS managed zone that holds `dnsZone`; when empty, the public zone whose DNS name is `dnsZone` is looked up.",
        pattern: /^([a-z]([a-z0-9-]{0,61}[a-z0-9])?)?$/, patternHint: "a Cloud DNS zone name such as example-com",
    },
    drRegion: {
        type: "string", default: "",
        description: "Second Google Cloud region for disaster recovery: production's application bucket is a dual-region bucket over gcp:region and this region (turbo replication), and Cloud SQL backups are stored here. Required in production; must differ from gcp:region, on the same continent.",
        pattern: /^([a-z]+-[a-z]+\d+)?$/, patternHint: "a Google Cloud region such as europe-west4, or empty",
    },
} satisfies Record<string, FieldSpec>;

export type GcpOverrides = ValuesOf<typeof GCP_OVERRIDES>;
