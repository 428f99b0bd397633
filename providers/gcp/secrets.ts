import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import type { PlatformArgs } from "../../components/platform";
import { gcpLabels } from "./labels";
import type { GcpProject } from "./project";

/** A pinned secret version, as Cloud Run references it: a value change rolls out as a new revision. */
export interface SecretRef {
    secret: pulumi.Output<string>;
    version: pulumi.Output<string>;
}

export interface SecretStore {
    secrets: Record<string, gcp.secretmanager.Secret>;
    refs: Record<string, SecretRef>;
    /** The per-secret grants to the runtime service account; Cloud Run checks them when a revision is created. */
    grants: gcp.secretmanager.SecretIamMember[];
}

/** Thirty days to restore a replaced or deleted production secret version, like AWS's recovery window. */
const PRODUCTION_VERSION_DESTROY_TTL = `${30 * 24 * 3600}s`;

/**
 * One Secret Manager secret per entry. The value exists in exactly one resource input, the
 * SecretVersion's secretData; each secret is readable only by the services' own account.
 * Production secrets are protected (in Pulumi and in Secret Manager) and destroyed versions stay
 * recoverable for 30 days; staging ones go at once, so a re-created stack can reuse the ids.
 */
export function createSecretStore(
    name: string, args: PlatformArgs, project: GcpProject, values: Record<string, pulumi.Output<string>>,
    reader: pulumi.Output<string>, parent: pulumi.Resource,
): SecretStore {
    const production = args.environment === "production";
    const secrets: Record<string, gcp.secretmanager.Secret> = {};
    const refs: Record<string, SecretRef> = {};
    const grants: gcp.secretmanager.SecretIamMember[] = [];
    for (const [key, value] of Object.entries(values)) {
        const slug = key.toLowerCase().replace(/_/g, "-");
        const secret = new gcp.secretmanager.Secret(`${name}-${slug}`, {
            secretId: `${args.baseName}-${key}`,
            replication: { auto: {} },
            deletionProtection: production,
            versionDestroyTtl: production ? PRODUCTION_VERSION_DESTROY_TTL : undefined,
            labels: gcpLabels(args.tags),
        }, { parent, protect: production, dependsOn: [project.apis.secretManager] });
        const version = new gcp.secretmanager.SecretVersion(`${name}-${slug}`, {
            secret: secret.id,
            secretData: pulumi.secret(value),
        }, { parent });
        grants.push(new gcp.secretmanager.SecretIamMember(`${name}-${slug}-reader`, {
            secretId: secret.id,
            role: "roles/secretmanager.secretAccessor",
            member: reader,
        }, { parent }));
        secrets[key] = secret;
        refs[key] = { secret: secret.secretId, version: version.version };
    }
    return { secrets, refs, grants };
}
