import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { shortName } from "../../components/naming";
import { releaseStep, strictScript } from "../../components/release";
import { shellCommand } from "../../components/shell";
import { objectMeta, type KubeContext } from "./context";
import { CLUSTER_NAME, CNPG_API, type Database } from "./database";

/** Object names are DNS subdomains; 63 keeps them valid as labels too (Kubernetes object names). */
const BACKUP_NAME_MAX = 63;
/** How long the release waits for the pre-migration backup before giving up. */
export const BACKUP_WAIT_SECONDS = 3600;

/**
 * Production's pre-migration backup on Kubernetes: a CloudNativePG `Backup` named after the
 * release (to the cluster's object store), and a local `kubectl wait` until it completed. The
 * migrations Job depends on the wait, so it runs only on a fresh backup. Kubernetes' own await
 * logic knows nothing of CNPG's status, hence the explicit wait; kubectl uses the same
 * kubeconfig/context as the stack's Kubernetes provider (KUBECONFIG, kubernetes:context).
 */
export function createPreMigrationBackup(ctx: KubeContext, database: Database): pulumi.Resource[] {
    const { args, parent } = ctx;
    const name = shortName("pre-migration", args.release.name, BACKUP_NAME_MAX);
    const backup = new k8s.apiextensions.CustomResource(`${args.baseName}-pre-migration-backup`, {
        apiVersion: CNPG_API,
        kind: "Backup",
        metadata: objectMeta(ctx, name, "postgres"),
        spec: { method: "barmanObjectStore", cluster: { name: CLUSTER_NAME } },
    }, { parent, dependsOn: [database.cluster], retainOnDelete: true });
    const wait = releaseStep(`${args.baseName}-pre-migration-backup`, {
        script: strictScript([
            shellCommand(["kubectl", "-n", ctx.namespaceName, "wait", `backup/${name}`, "--for=jsonpath={.status.phase}=completed", `--timeout=${BACKUP_WAIT_SECONDS}s`]),
        ]),
        triggers: [name],
        dependsOn: [backup],
    }, parent, "wait");
    return [backup, wait];
}
