import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { shortName } from "../../components/naming";
import type { PlatformArgs } from "../../components/platform";
import type { GcpProject } from "./project";
import type { Services } from "./service";

/** Cloud Logging keeps a bucket's logs for 1 to 3650 days. */
export const MAX_LOG_RETENTION_DAYS = 3650;

export interface LogRetention {
    bucket: gcp.logging.ProjectBucketConfig;
    sink: gcp.logging.ProjectSink;
    /** Which log entries are this stack's container logs. */
    filter: pulumi.Output<string>;
}

/**
 * The container logs of the API, worker and migrations go to their own log bucket, kept for
 * logRetentionDays, and are excluded from the project's _Default bucket (30 days) so the
 * configured retention is the one that applies.
 */
export function createLogRetention(
    name: string, args: PlatformArgs, project: GcpProject, services: Services, uniqueSuffix: pulumi.Output<string>, parent: pulumi.Resource,
): LogRetention {
    const opts = { parent, dependsOn: [project.apis.logging] };
    const filter = pulumi.interpolate`(resource.type="cloud_run_revision" AND resource.labels.service_name=("${services.apiService.name}" OR "${services.workerService.name}")) OR (resource.type="cloud_run_job" AND resource.labels.job_name="${services.migrationJob.name}")`;
    const bucket = new gcp.logging.ProjectBucketConfig(`${name}-logs`, {
        project: project.id,
        location: project.region,
        // A deleted bucket's id (at most 100 characters) stays reserved for a week, like a Cloud SQL instance name.
        bucketId: pulumi.interpolate`${shortName(args.baseName, "logs", 93)}-${uniqueSuffix}`,
        retentionDays: args.logRetentionDays,
        description: `${args.baseName}: container logs of the API, worker and migrations`,
    }, opts);
    const sink = new gcp.logging.ProjectSink(`${name}-logs`, {
        description: `${args.baseName}: container logs to their own bucket`,
        destination: pulumi.interpolate`logging.googleapis.com/projects/${project.id}/locations/${project.region}/buckets/${bucket.bucketId}`,
        filter,
        uniqueWriterIdentity: true,
    }, opts);
    new gcp.logging.ProjectExclusion(`${name}-logs-not-in-default`, {
        description: `${args.baseName}: container logs are kept in their own bucket instead`,
        filter,
    }, { parent, dependsOn: [sink] });
    return { bucket, sink, filter };
}
