import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import { shortName } from "../../components/naming";
import type { PlatformArgs } from "../../components/platform";
import { NONCURRENT_VERSION_DAYS, type StorageLocation } from "../../components/storage";

/**
 * Bucket names: 3-63 characters, lower-case letters, digits, '-' and '.', globally unique
 * (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). IAM role names: at
 * most 64 characters (docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 */
const S3_BUCKET_MAX = 63;
const IAM_ROLE_MAX = 64;
/** Inline policy names: at most 128 characters (the same IAM quotas page). */
export const IAM_INLINE_POLICY_MAX = 128;
/** S3 Replication Time Control: 99.99 % of objects replicated within 15 minutes (AWS's SLA). */
const REPLICATION_TIME_MINUTES = 15;

export interface Storage {
    bucket: aws.s3.Bucket;
    versioning: aws.s3.BucketVersioning;
    /** Production: the versioned copy in aws.drRegion and the rule that fills it. */
    replica?: aws.s3.Bucket;
    replication?: aws.s3.BucketReplicationConfig;
    location: StorageLocation;
}

/**
 * The application's bucket: private (public access block, ACLs disabled), encrypted, TLS only
 * (a bucket policy denying aws:SecureTransport=false), versioned, noncurrent versions expired
 * after NONCURRENT_VERSION_DAYS. Production replicates every object, delete markers included,
 * to a bucket of the same settings in aws.drRegion under Replication Time Control. Both buckets
 * are protected in production.
 */
export function createStorage(name: string, args: PlatformArgs, parent: pulumi.Resource): Storage {
    const production = args.environment === "production";
    const drRegion = args.overrides.aws.drRegion;
    // S3 names are global across all accounts: a random suffix keeps two stacks of the same name apart.
    const suffix = new random.RandomId(`${name}-bucket-suffix`, { byteLength: 3 }, { parent }).hex;
    const region = aws.getRegionOutput({}, { parent }).region;

    const primary = privateBucket(name, "app", args, suffix, undefined, parent);
    let replica: PrivateBucket | undefined;
    let replication: aws.s3.BucketReplicationConfig | undefined;
    if (production && drRegion) {
        replica = privateBucket(name, "app-dr", args, suffix, drRegion, parent);
        replication = createReplication(name, args, primary, replica, drRegion, parent);
    }
    return {
        bucket: primary.bucket,
        versioning: primary.versioning,
        replica: replica?.bucket,
        replication,
        location: {
            provider: "s3",
            bucket: primary.bucket.bucket,
            endpoint: pulumi.interpolate`https://s3.${region}.amazonaws.com`,
            region,
        },
    };
}

/** Read, write and delete objects of this bucket only: the statement for the task role (the app's identity). */
export function bucketAccessPolicy(bucket: aws.s3.Bucket): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "ListAppBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: [bucket.arn] },
            {
                Sid: "ReadWriteAppObjects", Effect: "Allow",
                Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
                Resource: [pulumi.interpolate`${bucket.arn}/*`],
            },
        ],
    });
}

interface PrivateBucket {
    bucket: aws.s3.Bucket;
    versioning: aws.s3.BucketVersioning;
}

function privateBucket(
    name: string, role: string, args: PlatformArgs, suffix: pulumi.Output<string>, region: string | undefined, parent: pulumi.Resource,
): PrivateBucket {
    const production = args.environment === "production";
    const opts = { parent };
    const inRegion = region ? { region } : {};
    const bucket = new aws.s3.Bucket(`${name}-${role}-bucket`, {
        ...inRegion,
        bucket: suffix.apply((s) => shortName(args.baseName, `${role}-${s}`, S3_BUCKET_MAX)),
        forceDestroy: false,
        tags: args.tags,
    }, { parent, protect: production });
    new aws.s3.BucketPublicAccessBlock(`${name}-${role}-bucket`, {
        ...inRegion, bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, opts);
    new aws.s3.BucketOwnershipControls(`${name}-${role}-bucket`, {
        ...inRegion, bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" },
    }, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-${role}-bucket`, {
        ...inRegion, bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    }, opts);
    const versioning = new aws.s3.BucketVersioning(`${name}-${role}-bucket`, {
        ...inRegion, bucket: bucket.id, versioningConfiguration: { status: "Enabled" },
    }, opts);
    new aws.s3.BucketLifecycleConfiguration(`${name}-${role}-bucket`, {
        ...inRegion,
        bucket: bucket.id,
        rules: [
            { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS } },
            { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        ],
    }, { parent, dependsOn: [versioning] });
    new aws.s3.BucketPolicy(`${name}-${role}-bucket`, {
        ...inRegion,
        bucket: bucket.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [{
                Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
                Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            }],
        }),
    }, opts);
    return { bucket, versioning };
}

/** S3 Cross-Region Replication of every object and delete marker, with its own role allowed exactly that. */
function createReplication(
    name: string, args: PlatformArgs, source: PrivateBucket, destination: PrivateBucket, drRegion: string, parent: pulumi.Resource,
): aws.s3.BucketReplicationConfig {
    const opts = { parent };
    const role = new aws.iam.Role(`${name}-s3-replication-role`, {
        name: shortName(args.baseName, "s3-replication", IAM_ROLE_MAX),
        description: `${args.baseName}: S3 replicates the application bucket to ${drRegion}`,
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        tags: args.tags,
    }, opts);
    const policy = new aws.iam.RolePolicy(`${name}-s3-replication`, {
        name: shortName(args.baseName, "s3-replication", IAM_INLINE_POLICY_MAX),
        role: role.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: [source.bucket.arn] },
                {
                    Effect: "Allow", Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                    Resource: [pulumi.interpolate`${source.bucket.arn}/*`],
                },
                {
                    Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                    Resource: [pulumi.interpolate`${destination.bucket.arn}/*`],
                },
            ],
        }),
    }, opts);
    // S3 refuses a replication rule until versioning is on at both ends.
    return new aws.s3.BucketReplicationConfig(`${name}-app-bucket-replication`, {
        bucket: source.bucket.id,
        role: role.arn,
        rules: [{
            id: "replicate-everything-to-dr-region",
            status: "Enabled",
            priority: 1,
            filter: {},
            deleteMarkerReplication: { status: "Enabled" },
            destination: {
                bucket: destination.bucket.arn,
                storageClass: "STANDARD",
                replicationTime: { status: "Enabled", time: { minutes: REPLICATION_TIME_MINUTES } },
                metrics: { status: "Enabled", eventThreshold: { minutes: REPLICATION_TIME_MINUTES } },
            },
        }],
    }, { parent, dependsOn: [source.versioning, destination.versioning, policy] });
}
