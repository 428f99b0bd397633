import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { PlatformArgs } from "../../components/platform";

export interface SecretStore {
    secrets: Record<string, aws.secretsmanager.Secret>;
    /** Env var name -> secret ARN, what the task definitions reference with `valueFrom`. */
    arns: Record<string, pulumi.Output<string>>;
}

/**
 * One Secrets Manager secret per env var. The value exists in exactly one resource input, the
 * SecretVersion's secretString; tasks receive it by ARN. Production secrets keep a 30-day
 * recovery window and are protected; staging ones are deleted at once so a re-created stack can
 * reuse the names.
 */
export function createSecretStore(
    name: string, args: PlatformArgs, values: Record<string, pulumi.Output<string>>, parent: pulumi.Resource,
): SecretStore {
    const production = args.environment === "production";
    const secrets: Record<string, aws.secretsmanager.Secret> = {};
    for (const [envName, value] of Object.entries(values)) {
        const slug = envName.toLowerCase().replace(/_/g, "-");
        const secret = new aws.secretsmanager.Secret(`${name}-${slug}`, {
            name: `${args.baseName}/${envName}`,
            description: `${envName} for ${args.baseName}`,
            recoveryWindowInDays: production ? 30 : 0,
            tags: args.tags,
        }, { parent, protect: production });
        new aws.secretsmanager.SecretVersion(`${name}-${slug}`, {
            secretId: secret.id,
            secretString: pulumi.secret(value),
        }, { parent });
        secrets[envName] = secret;
    }
    return {
        secrets,
        arns: Object.fromEntries(Object.entries(secrets).map(([envName, s]) => [envName, s.arn])),
    };
}
