import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { shortName } from "../../components/naming";
import type { PlatformArgs } from "../../components/platform";
import { NONCURRENT_VERSION_DAYS, type StorageLocation } from "../../components/storage";
import { gcpLabels } from "./labels";
import type { GcpProject } from "./project";

/** Bucket names without dots: 3-63 characters, lower-case letters, digits, '-' and '_' (cloud.google.com/storage/docs/buckets#naming). */
const GCS_BUCKET_MAX = 63;
/** The object role that reads, writes, lists and deletes objects and nothing at the bucket level. */
export const OBJECT_USER_ROLE = "roles/storage.objectUser";

/**
 * The multi-region a configurable dual-region belongs to: both regions must lie in the same one
 * (cloud.google.com/storage/docs/locations#configurable), by the region's continent prefix.
 */
export function dualRegionParent(region: string): "EU" | "US" | "ASIA" | undefined {
    const continent = region.split("-")[0];
    return continent === "europe" ? "EU" : continent === "us" ? "US" : continent === "asia" ? "ASIA" : undefined;
}

export interface Storage {
    bucket: gcp.storage.Bucket;
    location: StorageLocation;
}

/**
 * The application's bucket: uniform bucket-level access (no object ACLs), public access
 * prevention enforced, versioned, noncurrent versions deleted after NONCURRENT_VERSION_DAYS,
 * encrypted at rest by Google (always on). Production makes it a configurable dual-region bucket
 * over gcp:region and gcp.drRegion with turbo replication (RPO 15 minutes); staging stays in
 * its region. Only the Cloud Run service account may use its objects.
 */
export function createStorage(
    name: string, args: PlatformArgs, project: GcpProject, uniqueSuffix: pulumi.Output<string>, member: pulumi.Output<string>, parent: pulumi.Resource,
): Storage {
    const production = args.environment === "production";
    const drRegion = args.overrides.gcp.drRegion;
    const dualRegion = production && drRegion ? dualRegionParent(project.region) : undefined;
    const bucket = new gcp.storage.Bucket(`${name}-app-bucket`, {
        // Bucket names are global: the stack's suffix keeps two stacks of the same name apart.
        name: uniqueSuffix.apply((suffix) => shortName(args.baseName, `app-${suffix}`, GCS_BUCKET_MAX)),
        project: project.id,
        ...(dualRegion
            ? {
                  location: dualRegion,
                  customPlacementConfig: { dataLocations: [project.region.toUpperCase(), drRegion.toUpperCase()] },
                  rpo: "ASYNC_TURBO",
              }
            : { location: project.region.toUpperCase() }),
        storageClass: "STANDARD",
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        versioning: { enabled: true },
        lifecycleRules: [
            { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: NONCURRENT_VERSION_DAYS, withState: "ARCHIVED" } },
            { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } },
        ],
        forceDestroy: false,
        labels: gcpLabels(args.tags),
    }, { parent, protect: production, dependsOn: [project.apis.storage] });

    new gcp.storage.BucketIAMMember(`${name}-app-bucket-objects`, {
        bucket: bucket.name, role: OBJECT_USER_ROLE, member,
    }, { parent });

    return {
        bucket,
        location: { provider: "gcs", bucket: bucket.name, endpoint: "https://storage.googleapis.com", region: dualRegion ? `${project.region}+${drRegion}` : project.region },
    };
}
