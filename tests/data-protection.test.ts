import * as assert from "assert";
import type { RunResult, StackConfigInput } from "../tools/harness";
import { MOCK_SUBSCRIPTION_ID } from "../tools/mocks/azure";
import { appSettings, azureContainer, containerEnv, primaryServer, Z } from "./clouds/azure";
import { G, gcpContainer, plainEnvOf } from "./clouds/gcp";
import { K, K8S_PRODUCTION_OVERRIDES, k8sContainer, plainEnv, secretRefs } from "./clouds/kubernetes";
import { container, deploy, envOf, ofType, only, rejected } from "./support";

/**
 * Data protection on every cloud (docs/disaster-recovery.md): the application bucket (private,
 * TLS only, versioned, replicated to the second region in production, reached with the app's own
 * identity), the database backups kept outside the region in production, and restore mode, whose
 * config must land on the database's restore inputs.
 */

const A = {
    bucket: "aws:s3/bucket:Bucket",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    rds: "aws:rds/instance:Instance",
    backupReplication: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    kmsKey: "aws:kms/key:Key",
};
const GCS = { bucket: "gcp:storage/bucket:Bucket", iam: "gcp:storage/bucketIAMMember:BucketIAMMember" };
const AZ = {
    account: "azure-native:storage:StorageAccount",
    blobService: "azure-native:storage:BlobServiceProperties",
    lifecycle: "azure-native:storage:ManagementPolicy",
    container: "azure-native:storage:BlobContainer",
};
const STORAGE_ALIASES = ["STORAGE_BUCKET", "STORAGE_ENDPOINT", "MINIO_ENDPOINT", "MINIO_BUCKET", "MINIO_SECURE"];
const policyDocument = (r: RunResult, type: string, suffix: string) => JSON.parse(only(r, type, suffix).plainInputs.policy);
const key = (name: string) => new RegExp(`fastapi-platform:${name.replace(/[.]/g, "\\.")}\\b`);

const onCloud = (cloud: string, overrides: Record<string, unknown> = {}): StackConfigInput => ({ overrides: { cloud, ...overrides } });

describe("data protection: AWS", () => {
    describe("prod", () => {
        let r: RunResult;
        before(async () => {
            r = await deploy("prod");
        });

        it("keeps the application bucket private, encrypted, TLS only and versioned, and protects it", () => {
            const bucket = only(r, A.bucket, "-app-bucket");
            assert.strictEqual(bucket.protect, true);
            assert.ok(bucket.plainInputs.bucket.length <= 63 && /^[a-z0-9-]+$/.test(bucket.plainInputs.bucket), bucket.plainInputs.bucket);
            const block = only(r, A.publicAccessBlock, "-app-bucket").plainInputs;
            for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.strictEqual(block[flag], true, flag);
            assert.strictEqual(only(r, A.versioning, "-app-bucket").plainInputs.versioningConfiguration.status, "Enabled");
            const deny = policyDocument(r, A.bucketPolicy, "-app-bucket").Statement.find((s: any) => s.Effect === "Deny");
            assert.deepStrictEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
            const rules = only(r, A.lifecycle, "-app-bucket").plainInputs.rules;
            assert.strictEqual(rules.find((x: any) => x.id === "expire-noncurrent-versions").noncurrentVersionExpiration.noncurrentDays, 30);
        });

        it("replicates every object to a versioned, protected bucket in aws.drRegion under Replication Time Control", () => {
            const replica = only(r, A.bucket, "-app-dr-bucket");
            assert.strictEqual(replica.plainInputs.region, "eu-central-1");
            assert.strictEqual(replica.protect, true);
            assert.strictEqual(only(r, A.versioning, "-app-dr-bucket").plainInputs.versioningConfiguration.status, "Enabled");
            const replication = only(r, A.replication).plainInputs;
            assert.strictEqual(replication.bucket, only(r, A.bucket, "-app-bucket").state.id);
            const [rule] = replication.rules;
            assert.strictEqual(rule.status, "Enabled");
            assert.strictEqual(rule.destination.bucket, replica.state.arn);
            assert.deepStrictEqual(rule.destination.replicationTime, { status: "Enabled", time: { minutes: 15 } });
            assert.deepStrictEqual(rule.deleteMarkerReplication, { status: "Enabled" });
        });

        it("lets the task role, and only it, use the bucket's objects", () => {
            const bucketArn = only(r, A.bucket, "-app-bucket").state.arn;
            const grant = only(r, A.rolePolicy, "-task-app-bucket");
            assert.strictEqual(grant.plainInputs.role, only(r, "aws:iam/role:Role", "-task-role").state.id);
            const resources = policyDocument(r, A.rolePolicy, "-task-app-bucket").Statement.flatMap((s: any) => s.Resource);
            assert.deepStrictEqual(resources.sort(), [bucketArn, `${bucketArn}/*`].sort());
            const execution = policyDocument(r, A.rolePolicy, "-execution-read-secrets");
            assert.ok(!JSON.stringify(execution).includes("s3:"), "the execution role gets no bucket access");
        });

        it("copies the RDS automated backups to aws.drRegion, encrypted with a key there", () => {
            const replication = only(r, A.backupReplication);
            assert.strictEqual(replication.plainInputs.sourceDbInstanceArn, only(r, A.rds, "-db").state.arn);
            assert.strictEqual(replication.plainInputs.region, "eu-central-1");
            assert.strictEqual(replication.plainInputs.retentionPeriod, 30);
            assert.strictEqual(replication.protect, true);
            const key = only(r, A.kmsKey, "-db-backups-dr-key");
            assert.strictEqual(key.plainInputs.region, "eu-central-1");
            assert.strictEqual(replication.plainInputs.kmsKeyId, key.state.arn);
        });

        it("gives the API, worker and migrations the bucket by name, with the MinIO/S3 aliases", () => {
            const bucketName = only(r, A.bucket, "-app-bucket").plainInputs.bucket;
            for (const role of ["api", "worker", "migrations"]) {
                const env = envOf(container(r, role));
                assert.strictEqual(env.STORAGE_BUCKET, bucketName, role);
                assert.strictEqual(env.MINIO_BUCKET, bucketName, role);
                assert.strictEqual(env.STORAGE_ENDPOINT, "https://s3.eu-west-1.amazonaws.com", role);
                assert.strictEqual(env.MINIO_ENDPOINT, "s3.eu-west-1.amazonaws.com", role);
                assert.strictEqual(env.MINIO_SECURE, "true", role);
                assert.ok(!("MINIO_ACCESS_KEY" in env) && !("MINIO_SECRET_KEY" in env), "no stored keys: the task role signs requests");
            }
            assert.strictEqual(r.outputs.storageBucket, bucketName);
        });
    });

    it("staging: a versioned bucket without replication and no backup copies elsewhere", async () => {
        const r = await deploy("staging");
        assert.strictEqual(only(r, A.versioning, "-app-bucket").plainInputs.versioningConfiguration.status, "Enabled");
        assert.deepStrictEqual(ofType(r, A.bucket).map((b) => b.name), ["fastapi-platform-staging-app-bucket"]);
        assert.deepStrictEqual(ofType(r, A.replication), []);
        assert.deepStrictEqual(ofType(r, A.backupReplication), []);
        assert.strictEqual(only(r, A.bucket, "-app-bucket").protect, false);
    });

    describe("restore mode", () => {
        it("restores a snapshot: snapshotIdentifier, and the database and user come from it", async () => {
            const r = await deploy("prod", { overrides: { restore: { from: "fastapi-platform-prod-db-final-1a2b3c4d" } } });
            const db = only(r, A.rds, "-db").plainInputs;
            assert.strictEqual(db.snapshotIdentifier, "fastapi-platform-prod-db-final-1a2b3c4d");
            assert.strictEqual(db.restoreToPointInTime, undefined);
            assert.strictEqual(db.dbName, undefined);
            assert.strictEqual(db.username, undefined);
            assert.ok(db.password, "the stack's own password is set on the restored instance");
            assert.strictEqual(r.outputs.restoredFrom, "backup fastapi-platform-prod-db-final-1a2b3c4d");
        });

        it("rebuilds in the DR region from the replicated automated backups, at their latest restorable time", async () => {
            const source = "arn:aws:rds:eu-central-1:123456789012:auto-backup:ab-4xq2v7bnw5mhp3k6d2g7xfjwq4";
            const r = await deploy("prod", { overrides: { "aws:region": "eu-central-1", aws: { drRegion: "eu-west-1" }, restore: { source } } });
            assert.deepStrictEqual(only(r, A.rds, "-db").plainInputs.restoreToPointInTime, { sourceDbInstanceAutomatedBackupsArn: source, useLatestRestorableTime: true });
            assert.strictEqual(only(r, A.backupReplication).plainInputs.region, "eu-west-1", "the rebuilt platform protects itself the other way round");
        });

        const bad: [string, Record<string, unknown>, RegExp[]][] = [
            ["a snapshot and a point in time at once", { from: "snap-1", pointInTime: "2026-11-27T22:15:00Z", source: "db" }, [key("restore.from"), key("restore.pointInTime"), /not both/]],
            ["a point in time without its source", { pointInTime: "2026-11-27T22:15:00Z" }, [key("restore.pointInTime"), key("restore.source")]],
            ["a timestamp without an offset", { pointInTime: "2026-11-27 22:15:00", source: "db" }, [key("restore.pointInTime"), /RFC 3339/]],
            ["a timestamp that is no date", { pointInTime: "2026-13-45T25:00:00Z", source: "db" }, [key("restore.pointInTime"), /not a real date/]],
            ["a Cloud SQL backup run id as an RDS snapshot", { from: "1732762800000" }, [key("restore.from"), /RDS snapshot identifier/]],
            ["an Azure server id as the RDS source", { source: "/subscriptions/x/resourceGroups/rg" }, [key("restore.source"), /RDS instance identifier/]],
        ];
        for (const [title, restore, patterns] of bad) {
            it(`rejects ${title}, naming the key, before any resource`, async () => {
                const message = await rejected("prod", { overrides: { restore } });
                for (const pattern of patterns) assert.match(message, pattern);
            });
        }
    });

    it("rejects aws.drRegion equal to aws:region", async () => {
        assert.match(await rejected("prod", { overrides: { aws: { drRegion: "eu-west-1" } } }), /fastapi-platform:aws\.drRegion is 'eu-west-1', the same as aws:region/);
    });
});

describe("data protection: Google Cloud", () => {
    describe("prod", () => {
        let r: RunResult;
        before(async () => {
            r = await deploy("prod", onCloud("gcp"));
        });

        it("makes the bucket a private, versioned dual-region bucket over gcp:region and gcp.drRegion with turbo replication", () => {
            const bucket = only(r, GCS.bucket, "-app-bucket");
            const b = bucket.plainInputs;
            assert.strictEqual(b.location, "EU");
            assert.deepStrictEqual(b.customPlacementConfig.dataLocations, ["EUROPE-WEST1", "EUROPE-WEST4"]);
            assert.strictEqual(b.rpo, "ASYNC_TURBO");
            assert.strictEqual(b.publicAccessPrevention, "enforced");
            assert.strictEqual(b.uniformBucketLevelAccess, true);
            assert.deepStrictEqual(b.versioning, { enabled: true });
            assert.strictEqual(b.lifecycleRules[0].condition.daysSinceNoncurrentTime, 30);
            assert.ok(b.name.length <= 63, b.name);
            assert.strictEqual(bucket.protect, true);
        });

        it("grants the Cloud Run service account, and nobody else, the object role on the bucket", () => {
            const grants = ofType(r, GCS.iam);
            assert.strictEqual(grants.length, 1);
            assert.strictEqual(grants[0].plainInputs.role, "roles/storage.objectUser");
            assert.strictEqual(grants[0].plainInputs.member, only(r, G.serviceAccount).state.member);
            assert.strictEqual(grants[0].plainInputs.bucket, only(r, GCS.bucket, "-app-bucket").state.name);
        });

        it("stores the Cloud SQL backups in gcp.drRegion", () => {
            const primary = ofType(r, G.sql).find((s) => !s.plainInputs.masterInstanceName)!;
            assert.strictEqual(primary.plainInputs.settings.backupConfiguration.location, "europe-west4");
        });

        it("gives every container the bucket and the endpoint, with the MinIO/S3 aliases", () => {
            for (const role of ["api", "worker", "migrations"] as const) {
                const env = plainEnvOf(gcpContainer(r, role));
                for (const name of STORAGE_ALIASES) assert.ok(env[name], `${role}: ${name}`);
                assert.strictEqual(env.STORAGE_BUCKET, only(r, GCS.bucket, "-app-bucket").state.name);
                assert.strictEqual(env.STORAGE_PROVIDER, "gcs");
            }
        });
    });

    it("staging: a versioned bucket in its region only, backups in the instance's region", async () => {
        const r = await deploy("staging", onCloud("gcp"));
        const b = only(r, GCS.bucket, "-app-bucket").plainInputs;
        assert.strictEqual(b.location, "EUROPE-WEST1");
        assert.strictEqual(b.customPlacementConfig, undefined);
        assert.strictEqual(b.rpo, undefined);
        assert.deepStrictEqual(b.versioning, { enabled: true });
        assert.strictEqual(only(r, G.sql, "-db").plainInputs.settings.backupConfiguration.location, undefined);
    });

    it("restore mode: clones the source at a point in time into the private services range", async () => {
        const r = await deploy("prod", onCloud("gcp", { restore: { pointInTime: "2026-11-27T22:15:00Z", source: "fastapi-platform-prod-db-566480" } }));
        const clone = only(r, G.sql, "-db").plainInputs.clone;
        assert.deepStrictEqual(clone, {
            sourceInstanceName: "fastapi-platform-prod-db-566480", pointInTime: "2026-11-27T22:15:00Z",
            allocatedIpRange: only(r, "gcp:compute/globalAddress:GlobalAddress", "-private-services").state.name,
        });
        assert.strictEqual(ofType(r, G.sqlDatabase).length, 0);
        assert.strictEqual(only(r, G.sqlUser).plainInputs.name, "app", "the user's password is set to the stack's");
    });

    const bad: [string, Record<string, unknown>, RegExp[]][] = [
        ["a backup run id that is not a number", { restore: { from: "rds:snap-1", source: "db" } }, [key("restore.from"), /backup run id/]],
        ["a backup run without its instance", { restore: { from: "1732762800000" } }, [key("restore.source"), /belongs to an instance/]],
        ["gcp.drRegion on another continent", { gcp: { drRegion: "us-central1" } }, [key("gcp.drRegion"), /same continent/]],
        ["gcp.drRegion equal to gcp:region", { gcp: { drRegion: "europe-west1" } }, [key("gcp.drRegion"), /same as gcp:region/]],
        ["production without gcp.drRegion", { gcp: {} }, [key("gcp.drRegion"), /production requires/]],
    ];
    for (const [title, overrides, patterns] of bad) {
        it(`rejects ${title}, naming the key, before any resource`, async () => {
            const message = await rejected("prod", onCloud("gcp", overrides));
            for (const pattern of patterns) assert.match(message, pattern);
        });
    }
});

describe("data protection: Azure", () => {
    describe("prod", () => {
        let r: RunResult;
        before(async () => {
            r = await deploy("prod", onCloud("azure"));
        });

        it("keeps the storage account RA-GZRS, HTTPS and TLS 1.2 only, without anonymous access or shared keys, and protects it", () => {
            const account = only(r, AZ.account);
            const a = account.plainInputs;
            assert.strictEqual(a.sku.name, "Standard_RAGZRS");
            assert.strictEqual(a.enableHttpsTrafficOnly, true);
            assert.strictEqual(a.minimumTlsVersion, "TLS1_2");
            assert.strictEqual(a.allowBlobPublicAccess, false);
            assert.strictEqual(a.allowSharedKeyAccess, false);
            assert.strictEqual(a.encryption.requireInfrastructureEncryption, true);
            assert.match(a.accountName, /^[a-z0-9]{3,24}$/);
            assert.strictEqual(account.protect, true);
            assert.strictEqual(only(r, AZ.container).protect, true);
            assert.strictEqual(only(r, AZ.container).plainInputs.publicAccess, "None");
        });

        it("versions blobs and deletes noncurrent versions after 30 days", () => {
            assert.strictEqual(only(r, AZ.blobService).plainInputs.isVersioningEnabled, true);
            const rule = only(r, AZ.lifecycle).plainInputs.policy.rules[0];
            assert.strictEqual(rule.definition.actions.version.delete.daysAfterCreationGreaterThan, 30);
        });

        it("grants the apps' identity Storage Blob Data Contributor on the container only", () => {
            const grant = only(r, Z.roleAssignment, "-app-uses-blobs").plainInputs;
            assert.strictEqual(grant.roleDefinitionId, `/subscriptions/${MOCK_SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe`);
            assert.strictEqual(grant.scope, only(r, AZ.container).state.id);
            assert.strictEqual(grant.principalId, only(r, Z.identity).state.principalId);
        });

        it("keeps PostgreSQL backups geo-redundant (copied to the paired region)", () => {
            assert.strictEqual(primaryServer(r).plainInputs.backup.geoRedundantBackup, "Enabled");
        });

        it("gives the API, worker and migrations the blob endpoint and the identity to sign with", () => {
            const clientId = only(r, Z.identity).state.clientId;
            const endpoint = only(r, AZ.account).state.primaryEndpoints.blob;
            const envs = [appSettings(only(r, Z.webApp)), containerEnv(azureContainer(r, "worker")).plain, containerEnv(azureContainer(r, "migrations")).plain];
            for (const env of envs) {
                assert.strictEqual(env.STORAGE_ENDPOINT, endpoint);
                assert.strictEqual(env.STORAGE_BUCKET, "app");
                assert.strictEqual(env.AZURE_CLIENT_ID, clientId);
                for (const name of STORAGE_ALIASES) assert.ok(env[name], name);
            }
        });
    });

    it("staging: zone-redundant storage, versioned, no geo copy", async () => {
        const r = await deploy("staging", onCloud("azure"));
        assert.strictEqual(only(r, AZ.account).plainInputs.sku.name, "Standard_ZRS");
        assert.strictEqual(only(r, AZ.blobService).plainInputs.isVersioningEnabled, true);
    });

    it("restore mode: geo-restores the source's latest geo-redundant backup", async () => {
        const source = "/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/fastapi-platform-prod-rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/fastapi-platform-prod-pg-566480";
        const r = await deploy("prod", onCloud("azure", { "azure-native:location": "northeurope", azure: { drRegion: "westeurope" }, restore: { source } }));
        const server = primaryServer(r).plainInputs;
        assert.strictEqual(server.createMode, "GeoRestore");
        assert.strictEqual(server.sourceServerResourceId, source);
        assert.ok(!Number.isNaN(Date.parse(server.pointInTimeUTC)), server.pointInTimeUTC);
    });

    const bad: [string, Record<string, unknown>, RegExp[]][] = [
        ["a backup id (Azure has none)", { restore: { from: "backup-1" } }, [key("restore.from"), /no identifiers/]],
        ["a source that is not a Flexible Server id", { restore: { source: "fastapi-platform-prod-db" } }, [key("restore.source"), /Flexible Server resource id/]],
        ["a drRegion that is not the location's pair", { azure: { drRegion: "francecentral" } }, [key("azure.drRegion"), /pair northeurope/]],
        ["an AZURE_CLIENT_ID of its own", { env: { AZURE_CLIENT_ID: "00000000-0000-0000-0000-000000000000" } }, [key("env.AZURE_CLIENT_ID"), /set by the platform/]],
    ];
    for (const [title, overrides, patterns] of bad) {
        it(`rejects ${title}, naming the key, before any resource`, async () => {
            const message = await rejected("prod", onCloud("azure", overrides));
            for (const pattern of patterns) assert.match(message, pattern);
        });
    }
});

describe("data protection: Kubernetes", () => {
    const prod = (overrides: Record<string, unknown> = {}, kubernetes: Record<string, unknown> = {}) =>
        onCloud("kubernetes", { ...overrides, kubernetes: { ...K8S_PRODUCTION_OVERRIDES, ...kubernetes } });

    it("prod: gives every container the object storage Secret by reference, with STORAGE_* and MINIO_* names", async () => {
        const r = await deploy("prod", prod());
        for (const role of ["api", "worker", "migrations"] as const) {
            const c = k8sContainer(r, role);
            for (const name of ["MINIO_ENDPOINT", "MINIO_BUCKET", "MINIO_ACCESS_KEY", "MINIO_SECRET_KEY"]) {
                assert.deepStrictEqual(secretRefs(c)[name], { name: "app-object-storage", key: name }, `${role}: ${name}`);
            }
            assert.deepStrictEqual(secretRefs(c).STORAGE_BUCKET, { name: "app-object-storage", key: "MINIO_BUCKET" });
            assert.strictEqual(plainEnv(c).MINIO_SECURE, "true");
            const names = (c.env as { name: string }[]).map((e) => e.name);
            assert.ok(names.indexOf("MINIO_ENDPOINT") < names.indexOf("STORAGE_ENDPOINT"), "$(MINIO_ENDPOINT) expands only from an earlier variable");
        }
        const annotations = only(r, K.cluster).plainInputs.metadata.annotations;
        assert.strictEqual(annotations["fastapi-platform/cluster-region"], "eu-west-1");
        assert.strictEqual(annotations["fastapi-platform/backup-region"], "eu-central-1");
    });

    it("restore mode: bootstraps CloudNativePG from the object store to the end of one backup, archiving under a new server name", async () => {
        const r = await deploy("prod", prod({ restore: { from: "20261128T020000" } }));
        const spec = only(r, K.cluster).plainInputs.spec;
        assert.deepStrictEqual(spec.bootstrap.recovery.recoveryTarget, { backupID: "20261128T020000" });
        assert.strictEqual(spec.bootstrap.recovery.source, "origin");
        assert.strictEqual(spec.bootstrap.recovery.secret.name, "postgres-app-credentials", "the owner's password is reset to the stack's");
        assert.deepStrictEqual(spec.externalClusters.map((c: any) => [c.name, c.barmanObjectStore.serverName, c.barmanObjectStore.destinationPath]), [["origin", "postgres", "s3://acme-backups/fastapi-prod"]]);
        assert.match(spec.backup.barmanObjectStore.serverName, /^postgres-restored-[0-9a-f]{6}$/);
    });

    const bad: [string, StackConfigInput, RegExp[]][] = [
        ["a backup id that is not a CloudNativePG one", prod({ restore: { from: "snap-1" } }), [key("restore.from"), /CloudNativePG backup id/]],
        ["a restore with an external database", prod({ restore: { source: "postgres" }, dbTier: "medium" }, { externalDatabaseSecret: "db", backupDestinationPath: "", backupCredentialsSecret: "" }), [key("restore"), key("kubernetes.externalDatabaseSecret")]],
        ["backups declared in the cluster's own region", prod({}, { drRegion: "eu-west-1" }), [key("kubernetes.drRegion"), /another region/]],
        ["production without the object storage Secret", prod({}, { objectStorageSecret: "" }), [key("kubernetes.objectStorageSecret"), /production requires/]],
    ];
    for (const [title, input, patterns] of bad) {
        it(`rejects ${title}, naming the key, before any resource`, async () => {
            const message = await rejected("prod", input);
            for (const pattern of patterns) assert.match(message, pattern);
        });
    }
});
