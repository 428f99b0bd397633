import type { PolicyResource } from "@pulumi/policy";
import { list, resourceRule, show, stackRule, type BaselinePolicy, type Props } from "./common";

/**
 * Data protection on every cloud: the application's object storage is private and versioned, and
 * production keeps copies of the data (bucket objects, database backups) outside its region, so
 * the platform can be rebuilt elsewhere (docs/disaster-recovery.md).
 */

type Finding = { urn?: string; message: string };

// ---- AWS ----

const S3_BUCKET = "aws:s3/bucket:Bucket";
const S3_VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
const S3_REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const S3_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";
const RDS = "aws:rds/instance:Instance";
const RDS_BACKUP_REPLICATION = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";

/** A bucket's names as other resources refer to it: its id, its name, its ARN. */
const bucketRefs = (bucket: PolicyResource) => [bucket.props.id, bucket.props.bucket, bucket.props.arn].filter((v) => typeof v === "string" && v !== "");
const refersTo = (bucket: PolicyResource, value: unknown) => bucketRefs(bucket).includes(value as string);

/** Buckets that only receive ALB access logs (written once, expired by lifecycle; versions add nothing). */
function accessLogBuckets(resources: PolicyResource[]): Set<PolicyResource> {
    const targets = resources.filter((r) => r.type === LOAD_BALANCER).map((lb) => lb.props.accessLogs?.bucket).filter(Boolean);
    return new Set(resources.filter((r) => r.type === S3_BUCKET && targets.some((t) => refersTo(r, t))));
}

const s3Versioning = stackRule({
    name: "aws-s3-versioning", cloud: "aws", scope: "all", severity: "high", source: "Object storage: versioning enabled",
    description: "Every application S3 bucket has versioning enabled, so an overwritten or deleted object can be recovered.",
    remediation: "Add an aws.s3.BucketVersioning for the bucket with versioningConfiguration.status \"Enabled\" (providers/aws/storage.ts).",
    reads: { [S3_BUCKET]: ["bucket"], [S3_VERSIONING]: ["bucket", "versioningConfiguration.status"], [LOAD_BALANCER]: ["accessLogs.bucket"] },
    check: (resources) => {
        const logs = accessLogBuckets(resources);
        const buckets = resources.filter((r) => r.type === S3_BUCKET && !logs.has(r));
        if (buckets.length === 0) return "the stack has no application S3 bucket";
        const versionings = resources.filter((r) => r.type === S3_VERSIONING);
        return buckets.flatMap((bucket): Finding[] => {
            const versioning = versionings.find((v) => refersTo(bucket, v.props.bucket));
            const status = versioning?.props.versioningConfiguration?.status;
            if (!versioning) return [{ urn: bucket.urn, message: `bucket ${bucket.name} has no BucketVersioning` }];
            return status === "Enabled" ? [] : [{ urn: versioning.urn, message: `versioning of ${bucket.name} is ${show(status)}; must be Enabled` }];
        });
    },
});

const s3TlsOnly = stackRule({
    name: "aws-s3-tls-only", cloud: "aws", scope: "all", severity: "high", source: "Object storage: HTTPS only (the app sets MINIO_SECURE=true)",
    description: "Every S3 bucket has a bucket policy that denies requests without TLS (aws:SecureTransport false).",
    remediation: "Add a Deny statement for s3:* on the bucket and its objects with Condition { Bool: { \"aws:SecureTransport\": \"false\" } } to its aws.s3.BucketPolicy.",
    reads: { [S3_BUCKET]: ["bucket"], [S3_POLICY]: ["bucket", "policy"] },
    check: (resources) => {
        const buckets = resources.filter((r) => r.type === S3_BUCKET);
        if (buckets.length === 0) return "the stack has no S3 bucket";
        const policies = resources.filter((r) => r.type === S3_POLICY);
        return buckets.flatMap((bucket): Finding[] => {
            const policy = policies.find((p) => refersTo(bucket, p.props.bucket));
            return policy && deniesInsecureTransport(policy.props.policy) ? [] : [{ urn: bucket.urn, message: `bucket ${bucket.name} has no policy denying aws:SecureTransport false` }];
        });
    },
});

function deniesInsecureTransport(document: unknown): boolean {
    try {
        const parsed = typeof document === "string" ? JSON.parse(document) : document;
        return list<Props>(parsed?.Statement).some((s) => s.Effect === "Deny" && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false");
    } catch {
        return false;
    }
}

const s3Replication = stackRule({
    name: "aws-s3-cross-region-replication", cloud: "aws", scope: "production", severity: "high", source: "Object storage: cross-region replication (prod)",
    description: "In production every application S3 bucket replicates to a bucket in another region.",
    remediation: "Set aws.drRegion: the program adds a replica bucket there and an aws.s3.BucketReplicationConfig with an Enabled rule (providers/aws/storage.ts).",
    reads: {
        [S3_BUCKET]: ["bucket", "region"], [S3_REPLICATION]: ["bucket", "rules"], [LOAD_BALANCER]: ["accessLogs.bucket"],
    },
    check: (resources, ctx) => {
        const logs = accessLogBuckets(resources);
        const replications = resources.filter((r) => r.type === S3_REPLICATION);
        const destinations = replications.flatMap((r) => list<Props>(r.props.rules).map((rule) => rule.destination?.bucket));
        const sources = resources.filter((r) => r.type === S3_BUCKET && !logs.has(r) && ctx.environmentOf(r) === "production" && !destinations.some((d) => refersTo(r, d)));
        if (sources.length === 0) return "the stack has no production application S3 bucket";
        return sources.flatMap((bucket): Finding[] => {
            const replication = replications.find((r) => refersTo(bucket, r.props.bucket));
            const enabled = list<Props>(replication?.props.rules).some((rule) => rule.status === "Enabled" && rule.destination?.bucket);
            return enabled ? [] : [{ urn: bucket.urn, message: `bucket ${bucket.name} does not replicate to another region (no enabled BucketReplicationConfig rule)` }];
        });
    },
});

const rdsBackupReplication = stackRule({
    name: "aws-rds-backups-out-of-region", cloud: "aws", scope: "production", severity: "high", source: "Backups: cross-region replication of backups (prod)",
    description: "In production every RDS primary copies its automated backups to another region.",
    remediation: "Set aws.drRegion: the program adds an aws.rds.InstanceAutomatedBackupsReplication for the primary in that region (providers/aws/database.ts).",
    reads: { [RDS]: ["arn", "replicateSourceDb"], [RDS_BACKUP_REPLICATION]: ["sourceDbInstanceArn", "region"] },
    check: (resources, ctx) => {
        const primaries = resources.filter((r) => r.type === RDS && !r.props.replicateSourceDb && ctx.environmentOf(r) === "production");
        if (primaries.length === 0) return "the stack has no production RDS primary";
        const replications = resources.filter((r) => r.type === RDS_BACKUP_REPLICATION);
        return primaries.flatMap((db): Finding[] => {
            // Before the instance exists its ARN is unknown: a replication whose source is unknown too counts.
            const covered = replications.some((r) => r.props.sourceDbInstanceArn === db.props.arn || !r.props.sourceDbInstanceArn || !db.props.arn);
            return covered ? [] : [{ urn: db.urn, message: `RDS instance ${db.name} has no automated-backups replication to another region` }];
        });
    },
});

// ---- Google Cloud ----

const GCS_BUCKET = "gcp:storage/bucket:Bucket";
const CLOUD_SQL = "gcp:sql/databaseInstance:DatabaseInstance";
const MULTI_REGIONS = ["EU", "US", "ASIA"];

const gcsPrivate = resourceRule({
    name: "gcp-storage-bucket-private", cloud: "gcp", scope: "all", severity: "critical", source: "Object storage: private bucket",
    description: "Cloud Storage buckets enforce public access prevention and uniform bucket-level access (no object ACLs).",
    remediation: "Set publicAccessPrevention: \"enforced\" and uniformBucketLevelAccess: true on the gcp.storage.Bucket.",
    reads: { [GCS_BUCKET]: ["publicAccessPrevention", "uniformBucketLevelAccess"] },
    check: (p) => [
        p.publicAccessPrevention === "enforced" ? undefined : `publicAccessPrevention is ${show(p.publicAccessPrevention)}; must be 'enforced'`,
        p.uniformBucketLevelAccess === true ? undefined : `uniformBucketLevelAccess is ${show(p.uniformBucketLevelAccess)}; must be true`,
    ],
});

const gcsVersioning = resourceRule({
    name: "gcp-storage-bucket-versioning", cloud: "gcp", scope: "all", severity: "high", source: "Object storage: versioning enabled",
    description: "Cloud Storage buckets keep noncurrent object versions, so an overwritten or deleted object can be recovered.",
    remediation: "Set versioning: { enabled: true } on the gcp.storage.Bucket (with a lifecycle rule deleting old noncurrent versions).",
    reads: { [GCS_BUCKET]: ["versioning.enabled"] },
    check: (p) => [p.versioning?.enabled === true ? undefined : `versioning.enabled is ${show(p.versioning?.enabled)}; must be true`],
});

const gcsDualRegion = resourceRule({
    name: "gcp-storage-bucket-dual-region", cloud: "gcp", scope: "production", severity: "high", source: "Object storage: cross-region replication (prod)",
    description: "In production Cloud Storage buckets keep their objects in two regions (a dual-region or multi-region location).",
    remediation: "Set gcp.drRegion: the program makes the bucket a configurable dual-region (location EU/US/ASIA with customPlacementConfig.dataLocations) with turbo replication.",
    reads: { [GCS_BUCKET]: ["location", "customPlacementConfig.dataLocations"] },
    check: (p) => {
        const location = String(p.location ?? "").toUpperCase();
        const regions = list<string>(p.customPlacementConfig?.dataLocations);
        const twoRegions = MULTI_REGIONS.includes(location) && (regions.length === 0 || new Set(regions).size >= 2);
        return [twoRegions ? undefined : `location is ${show(p.location)}${regions.length ? ` with dataLocations ${regions.join(", ")}` : ""}; must span two regions`];
    },
});

const sqlBackupsOutOfRegion = resourceRule({
    name: "gcp-sql-backups-out-of-region", cloud: "gcp", scope: "production", severity: "high", source: "Backups: cross-region replication of backups (prod)",
    description: "In production Cloud SQL primaries store their backups in a location other than their own region.",
    remediation: "Set gcp.drRegion: the program sets settings.backupConfiguration.location to it (providers/gcp/database.ts).",
    reads: { [CLOUD_SQL]: ["region", "masterInstanceName", "settings.backupConfiguration.location"] },
    skip: (p) => (p.masterInstanceName ? "a read replica keeps no backups of its own" : undefined),
    check: (p) => {
        const location = p.settings?.backupConfiguration?.location;
        if (!location) return ["settings.backupConfiguration.location is unset; backups stay in the instance's region"];
        return [location === p.region ? `settings.backupConfiguration.location is the instance's own region ${show(p.region)}` : undefined];
    },
});

// ---- Azure ----

const STORAGE_ACCOUNT = "azure-native:storage:StorageAccount";
const BLOB_SERVICE = "azure-native:storage:BlobServiceProperties";
const GEO_SKUS = ["Standard_GRS", "Standard_RAGRS", "Standard_GZRS", "Standard_RAGZRS"];

const azureStoragePrivate = resourceRule({
    name: "azure-storage-private", cloud: "azure", scope: "all", severity: "critical", source: "Object storage: private, HTTPS only, identities only",
    description: "Storage accounts allow no anonymous blob access and no shared keys, and accept HTTPS with TLS 1.2 or newer only.",
    remediation: "Set allowBlobPublicAccess: false, allowSharedKeyAccess: false, enableHttpsTrafficOnly: true and minimumTlsVersion: \"TLS1_2\" on the storage.StorageAccount.",
    reads: { [STORAGE_ACCOUNT]: ["allowBlobPublicAccess", "allowSharedKeyAccess", "enableHttpsTrafficOnly", "minimumTlsVersion"] },
    check: (p) => [
        p.allowBlobPublicAccess === false ? undefined : `allowBlobPublicAccess is ${show(p.allowBlobPublicAccess)}; must be false`,
        p.allowSharedKeyAccess === false ? undefined : `allowSharedKeyAccess is ${show(p.allowSharedKeyAccess)}; must be false (identities only)`,
        p.enableHttpsTrafficOnly === true ? undefined : `enableHttpsTrafficOnly is ${show(p.enableHttpsTrafficOnly)}; must be true`,
        p.minimumTlsVersion === "TLS1_2" || p.minimumTlsVersion === "TLS1_3" ? undefined : `minimumTlsVersion is ${show(p.minimumTlsVersion)}; must be TLS1_2 or newer`,
    ],
});

const azureBlobVersioning = stackRule({
    name: "azure-storage-blob-versioning", cloud: "azure", scope: "all", severity: "high", source: "Object storage: versioning enabled",
    description: "Every storage account has blob versioning on, so an overwritten or deleted blob can be recovered.",
    remediation: "Add a storage.BlobServiceProperties (blobServicesName \"default\") for the account with isVersioningEnabled: true.",
    reads: { [STORAGE_ACCOUNT]: ["accountName"], [BLOB_SERVICE]: ["accountName", "isVersioningEnabled"] },
    check: (resources) => {
        const accounts = resources.filter((r) => r.type === STORAGE_ACCOUNT);
        if (accounts.length === 0) return "the stack has no storage account";
        const services = resources.filter((r) => r.type === BLOB_SERVICE);
        return accounts.flatMap((account): Finding[] => {
            const name = account.props.accountName ?? account.props.name;
            // Before the account exists its generated name may be unknown: then any service of the stack counts.
            const service = services.find((s) => !name || !s.props.accountName || s.props.accountName === name);
            if (!service) return [{ urn: account.urn, message: `storage account ${account.name} has no blob service properties (versioning off)` }];
            return service.props.isVersioningEnabled === true ? [] : [{ urn: service.urn, message: `isVersioningEnabled is ${show(service.props.isVersioningEnabled)}; must be true` }];
        });
    },
});

const azureStorageGeo = resourceRule({
    name: "azure-storage-geo-redundant", cloud: "azure", scope: "production", severity: "high", source: "Object storage: cross-region replication (prod)",
    description: "In production storage accounts replicate to the paired region (GRS, RA-GRS, GZRS or RA-GZRS).",
    remediation: "Use sku Standard_RAGZRS (or another geo-redundant sku) for production storage accounts (providers/azure/storage.ts).",
    reads: { [STORAGE_ACCOUNT]: ["sku.name"] },
    check: (p) => [GEO_SKUS.includes(p.sku?.name) ? undefined : `sku.name is ${show(p.sku?.name)}; must be one of ${GEO_SKUS.join(", ")}`],
});

// ---- Kubernetes ----

const CNPG_CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster";
const CLUSTER_REGION = "fastapi-platform/cluster-region";
const BACKUP_REGION = "fastapi-platform/backup-region";

const cnpgBackupsOutOfRegion = resourceRule({
    name: "kubernetes-cnpg-backups-out-of-region", cloud: "kubernetes", scope: "production", severity: "high", source: "Backups: cross-region replication of backups (prod)",
    description: "In production the CloudNativePG cluster's object store is declared to be in another region than the cluster.",
    remediation: "Set kubernetes.clusterRegion and kubernetes.drRegion (the region of backupDestinationPath's bucket); they become the cluster's fastapi-platform/*-region annotations.",
    reads: { [CNPG_CLUSTER]: ["metadata.annotations", "spec.backup.barmanObjectStore.destinationPath"] },
    check: (p) => {
        const annotations = p.metadata?.annotations ?? {};
        const cluster = annotations[CLUSTER_REGION];
        const backups = annotations[BACKUP_REGION];
        if (!p.spec?.backup?.barmanObjectStore?.destinationPath) return ["spec.backup.barmanObjectStore is unset; there are no backups to keep elsewhere"];
        if (!cluster || !backups) return [`annotations ${CLUSTER_REGION} and ${BACKUP_REGION} must both name a region (${show(cluster)}, ${show(backups)})`];
        return [cluster === backups ? `backups are kept in the cluster's own region ${show(cluster)}` : undefined];
    },
});

export const DATA_PROTECTION_POLICIES: Record<"aws" | "gcp" | "azure" | "kubernetes", BaselinePolicy[]> = {
    aws: [s3Versioning, s3TlsOnly, s3Replication, rdsBackupReplication],
    gcp: [gcsPrivate, gcsVersioning, gcsDualRegion, sqlBackupsOutOfRegion],
    azure: [azureStoragePrivate, azureBlobVersioning, azureStorageGeo],
    kubernetes: [cnpgBackupsOutOfRegion],
};
