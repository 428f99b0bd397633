import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { objectMeta, type KubeContext } from "./context";

/**
 * A Kubernetes Secret whose whole stringData is one Pulumi secret: the values exist in plain
 * text only there (encrypted in the Pulumi state). Production secrets are protected.
 */
export function createSecret(
    ctx: KubeContext, logicalName: string, secretName: string, component: string,
    values: Record<string, pulumi.Input<string>>, type = "Opaque",
): k8s.core.v1.Secret {
    return new k8s.core.v1.Secret(logicalName, {
        metadata: objectMeta(ctx, secretName, component),
        type,
        stringData: pulumi.secret(pulumi.all(values)),
    }, { parent: ctx.parent, protect: ctx.production });
}

/** An env var read from a key of a Secret: the only way a secret reaches a container. */
export function secretEnvVar(envName: string, secretName: pulumi.Input<string>, key = envName): k8s.types.input.core.v1.EnvVar {
    return { name: envName, valueFrom: { secretKeyRef: { name: secretName, key } } };
}
