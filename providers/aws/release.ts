import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import type { PlatformArgs } from "../../components/platform";
import { migrationScript, migrationStep } from "../../components/release";
import { shellCommand, shellQuote } from "../../components/shell";
import { shortName } from "../../components/naming";

/** RDS snapshot identifiers: at most 255 letters, digits and hyphens, starting with a letter (RDS API, CreateDBSnapshot). */
const SNAPSHOT_ID_MAX = 255;

export interface MigrationTarget {
    cluster: aws.ecs.Cluster;
    /** The new revision: run exactly this one, not whatever is latest in the family. */
    taskDefinition: aws.ecs.TaskDefinition;
    subnetIds: pulumi.Output<string>[];
    securityGroupId: pulumi.Output<string>;
    region: pulumi.Output<string>;
}

/**
 * `aws ecs run-task` of the migrations task definition, then wait for it to stop and fail unless
 * the container exited 0. `taskDefinition` is the family (the stack output: always the latest
 * revision) or a revision ARN (the release step).
 */
export function runTaskScript(clusterName: string, taskDefinition: string, subnets: string[], securityGroup: string, region: string): string {
    const network = `awsvpcConfiguration={subnets=[${subnets.join(",")}],securityGroups=[${securityGroup}],assignPublicIp=DISABLED}`;
    const ecs = `aws ecs --region ${shellQuote(region)}`;
    const cluster = `--cluster ${shellQuote(clusterName)}`;
    return [
        `TASK=$(${ecs} run-task ${cluster} --task-definition ${shellQuote(taskDefinition)} --launch-type FARGATE`,
        ` --started-by migrations --network-configuration ${shellQuote(network)} --query 'tasks[0].taskArn' --output text)`,
        ` && ${ecs} wait tasks-stopped ${cluster} --tasks "$TASK"`,
        ` && test "$(${ecs} describe-tasks ${cluster} --tasks "$TASK" --query 'tasks[0].containers[0].exitCode' --output text)" = 0`,
    ].join("");
}

/**
 * The release step on AWS: in production a manual RDS snapshot named after the release (kept
 * after the stack is gone; skipped when it already exists, so a re-run of the same release
 * works), then the migrations task of the new revision, to completion.
 */
export function createMigrationStep(
    name: string, args: PlatformArgs, target: MigrationTarget, database: aws.rds.Instance, parent: pulumi.Resource,
): pulumi.Resource {
    const snapshot = shortName(args.baseName, args.release.name, SNAPSHOT_ID_MAX);
    const script = pulumi
        .all([target.cluster.name, target.taskDefinition.arn, pulumi.all(target.subnetIds), target.securityGroupId, target.region, database.identifier])
        .apply(([cluster, revision, subnets, securityGroup, region, instance]) => {
            const rds = ["aws", "rds", "--region", region];
            const backup = [
                `${shellCommand([...rds, "describe-db-snapshots", "--db-snapshot-identifier", snapshot])} >/dev/null 2>&1 ||` +
                    ` ${shellCommand([...rds, "create-db-snapshot", "--db-instance-identifier", instance, "--db-snapshot-identifier", snapshot])} >/dev/null`,
                shellCommand([...rds, "wait", "db-snapshot-available", "--db-snapshot-identifier", snapshot]),
            ];
            return migrationScript(args, backup, runTaskScript(cluster, revision, subnets, securityGroup, region));
        });
    return migrationStep(name, args, script, [target.taskDefinition, database], parent);
}
