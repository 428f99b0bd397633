import { patchResource, without, type PolicyCase } from "../fixtures";

/** Failing (and notable passing) cases for the data-protection policies (policy/rules/data-protection.ts). */
export const DATA_PROTECTION_CASES: Record<"aws" | "gcp" | "azure" | "kubernetes", PolicyCase[]> = {
    aws: [
        { policy: "aws-s3-versioning", title: "an application bucket without versioning", edit: without("app-versioning"), expect: "fail", match: /bucket app has no BucketVersioning/ },
        { policy: "aws-s3-versioning", title: "versioning suspended", edit: patchResource("app-versioning", { versioningConfiguration: { status: "Suspended" } }), expect: "fail", match: /'Suspended'; must be Enabled/ },
        { policy: "aws-s3-versioning", title: "the ALB access-log bucket (not versioned, expired by lifecycle)", edit: without("app", "app-dr", "app-versioning", "app-dr-versioning"), expect: "not-applicable" },
        { policy: "aws-s3-public-access-blocked", title: "the application bucket without a public access block", edit: without("app-block"), expect: "fail", match: /bucket app has no public access block/ },
        { policy: "aws-s3-tls-only", title: "a bucket policy that allows plain HTTP", edit: patchResource("app-policy", { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }] }) }), expect: "fail", match: /bucket app has no policy denying aws:SecureTransport false/ },
        { policy: "aws-s3-tls-only", title: "a bucket with no policy at all", edit: without("app-dr-policy"), expect: "fail", match: /bucket app-dr/ },
        { policy: "aws-s3-cross-region-replication", title: "no replication in production", edit: without("app-replication"), expect: "fail", match: /bucket app does not replicate to another region/ },
        { policy: "aws-s3-cross-region-replication", title: "a disabled replication rule", edit: patchResource("app-replication", { rules: [{ status: "Disabled", destination: { bucket: "arn:aws:s3:::app-dr" } }] }), expect: "fail" },
        { policy: "aws-s3-cross-region-replication", title: "no replication in staging", edit: without("app-replication"), environment: "staging", expect: "not-applicable" },
        { policy: "aws-rds-backups-out-of-region", title: "no automated-backups replication in production", edit: without("db-backups-dr"), expect: "fail", match: /RDS instance db has no automated-backups replication/ },
        { policy: "aws-rds-backups-out-of-region", title: "a replication of another instance's backups", edit: patchResource("db-backups-dr", { sourceDbInstanceArn: "arn:aws:rds:eu-west-1:1:db:other" }), expect: "fail" },
        { policy: "aws-rds-backups-out-of-region", title: "no replication in staging", edit: without("db-backups-dr"), environment: "staging", expect: "not-applicable" },
    ],
    gcp: [
        { policy: "gcp-storage-bucket-private", title: "public access prevention inherited", from: "app-bucket", patch: { publicAccessPrevention: "inherited" }, expect: "fail", match: /'inherited'; must be 'enforced'/ },
        { policy: "gcp-storage-bucket-private", title: "fine-grained object ACLs", from: "app-bucket", patch: { uniformBucketLevelAccess: false }, expect: "fail", match: /uniformBucketLevelAccess is false/ },
        { policy: "gcp-storage-bucket-versioning", title: "an unversioned bucket", from: "app-bucket", patch: { versioning: undefined }, expect: "fail", match: /versioning.enabled is unset/ },
        { policy: "gcp-storage-bucket-dual-region", title: "a single-region production bucket", from: "app-bucket", patch: { location: "EUROPE-WEST1", customPlacementConfig: undefined }, expect: "fail", match: /must span two regions/ },
        { policy: "gcp-storage-bucket-dual-region", title: "a single-region staging bucket", from: "app-bucket", patch: { location: "EUROPE-WEST1", customPlacementConfig: undefined }, environment: "staging", expect: "not-applicable" },
        { policy: "gcp-storage-bucket-dual-region", title: "the EU multi-region", from: "app-bucket", patch: { customPlacementConfig: undefined }, expect: "pass" },
        { policy: "gcp-sql-backups-out-of-region", title: "backups in the instance's region", from: "db", patch: { settings: { backupConfiguration: { location: undefined } } }, expect: "fail", match: /location is unset/ },
        { policy: "gcp-sql-backups-out-of-region", title: "a backup location equal to the region", from: "db", patch: { settings: { backupConfiguration: { location: "europe-west1" } } }, expect: "fail", match: /own region/ },
        { policy: "gcp-sql-backups-out-of-region", title: "a staging instance", from: "db", patch: { settings: { backupConfiguration: { location: undefined } } }, environment: "staging", expect: "not-applicable" },
    ],
    azure: [
        { policy: "azure-storage-private", title: "anonymous blob access", from: "storage", patch: { allowBlobPublicAccess: true }, expect: "fail", match: /allowBlobPublicAccess is true/ },
        { policy: "azure-storage-private", title: "shared keys allowed, plain HTTP, TLS 1.0", from: "storage", patch: { allowSharedKeyAccess: true, enableHttpsTrafficOnly: false, minimumTlsVersion: "TLS1_0" }, expect: "fail", match: /allowSharedKeyAccess is true[\s\S]*enableHttpsTrafficOnly is false[\s\S]*'TLS1_0'/ },
        { policy: "azure-storage-blob-versioning", title: "versioning off", edit: patchResource("storage-blobs", { isVersioningEnabled: false }), expect: "fail", match: /isVersioningEnabled is false/ },
        { policy: "azure-storage-blob-versioning", title: "no blob service properties", edit: without("storage-blobs"), expect: "fail", match: /storage account storage has no blob service properties/ },
        { policy: "azure-storage-geo-redundant", title: "zone-redundant only in production", from: "storage", patch: { sku: { name: "Standard_ZRS" } }, expect: "fail", match: /'Standard_ZRS'/ },
        { policy: "azure-storage-geo-redundant", title: "zone-redundant only in staging", from: "storage", patch: { sku: { name: "Standard_ZRS" } }, environment: "staging", expect: "not-applicable" },
    ],
    kubernetes: [
        { policy: "kubernetes-cnpg-backups-out-of-region", title: "backups in the cluster's own region", from: "postgres", patch: { metadata: { annotations: { "fastapi-platform/backup-region": "eu-west-1" } } }, expect: "fail", match: /cluster's own region 'eu-west-1'/ },
        { policy: "kubernetes-cnpg-backups-out-of-region", title: "no declared regions", from: "postgres", patch: { metadata: { annotations: undefined } }, expect: "fail", match: /must both name a region/ },
        { policy: "kubernetes-cnpg-backups-out-of-region", title: "no regions in staging", from: "postgres", patch: { metadata: { annotations: undefined } }, environment: "staging", expect: "not-applicable" },
    ],
};
