import * as pulumi from "@pulumi/pulumi";
import type * as app from "@pulumi/azure-native/app";
import type * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import { shortName } from "../../components/naming";
import { migrationScript, migrationStep } from "../../components/release";
import { shellCommand, shellQuote } from "../../components/shell";
import type { AzureContext } from "./context";

/** On-demand backup names: at most 128 characters of letters, digits, '-' and '_' (az postgres flexible-server backup create). */
const BACKUP_NAME_MAX = 128;

/**
 * Starts one execution of the migrations job, polls it until it leaves Running/Processing, and
 * fails unless it Succeeded: the step between updating the job's image and rolling the API.
 */
export function jobRunScript(subscription: string, group: string, job: string): string {
    const target = `--subscription ${shellQuote(subscription)} --resource-group ${shellQuote(group)} --name ${shellQuote(job)}`;
    return [
        `EXECUTION=$(az containerapp job start ${target} --query name --output tsv)`,
        ` && STATUS=Running && while [ "$STATUS" = Running ] || [ "$STATUS" = Processing ]; do sleep 10;`,
        ` STATUS=$(az containerapp job execution show ${target} --job-execution-name "$EXECUTION" --query properties.status --output tsv); done`,
        ` && echo "migrations: $STATUS" && test "$STATUS" = Succeeded`,
    ].join("");
}

/**
 * The release step on Azure: in production an on-demand backup of the Flexible Server named
 * after the release (where the server's tier supports on-demand backups), then one execution of
 * the migrations job, whose new template Pulumi updated just before, to completion.
 */
export function createMigrationStep(
    ctx: AzureContext, subscriptionId: pulumi.Output<string>, job: app.Job, server: dbforpostgresql.Server,
): pulumi.Resource {
    const { args } = ctx;
    const backupName = shortName(args.baseName, args.release.name, BACKUP_NAME_MAX);
    const script = pulumi.all([subscriptionId, ctx.resourceGroupName, job.name, server.name]).apply(([subscription, group, jobName, serverName]) => migrationScript(args,
        [shellCommand(["az", "postgres", "flexible-server", "backup", "create", "--subscription", subscription, "--resource-group", group, "--name", serverName, "--backup-name", backupName])],
        jobRunScript(subscription, group, jobName),
    ));
    return migrationStep(ctx.name, args, script, [job, server], ctx.parent);
}
