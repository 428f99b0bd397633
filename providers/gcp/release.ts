import * as pulumi from "@pulumi/pulumi";
import type * as gcp from "@pulumi/gcp";
import type { PlatformArgs } from "../../components/platform";
import { migrationScript, migrationStep } from "../../components/release";
import { shellCommand } from "../../components/shell";
import type { GcpProject } from "./project";

/** `gcloud run jobs execute --wait`: one execution of the job's current revision; non-zero unless it succeeded. */
export function executeJobCommand(job: string, project: GcpProject): string {
    return shellCommand(["gcloud", "run", "jobs", "execute", job, "--region", project.region, "--project", project.id, "--wait"]);
}

/**
 * The release step on Google Cloud: in production an on-demand Cloud SQL backup described with
 * the release's name (it waits for the backup operation), then one execution of the migrations
 * job, whose new revision Pulumi updated just before, to completion.
 */
export function createMigrationStep(
    name: string, args: PlatformArgs, project: GcpProject, job: gcp.cloudrunv2.Job, database: gcp.sql.DatabaseInstance, parent: pulumi.Resource,
): pulumi.Resource {
    const script = pulumi.all([job.name, database.name]).apply(([jobName, instance]) => migrationScript(args,
        [shellCommand(["gcloud", "sql", "backups", "create", "--instance", instance, "--project", project.id, "--description", `${args.baseName} before ${args.release.name}`])],
        executeJobCommand(jobName, project),
    ));
    return migrationStep(name, args, script, [job, database], parent);
}
