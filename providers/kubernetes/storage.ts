import type * as k8s from "@pulumi/kubernetes";
import type { KubeContext } from "./context";
import { secretEnvVar } from "./secrets";

/**
 * The keys of `kubernetes.objectStorageSecret`, named as the FastAPI template reads them: the
 * S3-compatible endpoint as host[:port] (MinIO's client takes the scheme as a separate flag), the
 * bucket, and the access key pair. The bucket's own protection (versioning, replication to
 * another region, TLS only) is its operator's, outside this cluster.
 */
export const OBJECT_STORAGE_KEYS = ["MINIO_ENDPOINT", "MINIO_BUCKET", "MINIO_ACCESS_KEY", "MINIO_SECRET_KEY"] as const;

/**
 * The application's object storage env for every container, from the Secret by secretKeyRef, with
 * the neutral STORAGE_* names as well. STORAGE_ENDPOINT expands $(MINIO_ENDPOINT), which the
 * kubelet resolves from the variable defined before it, so the value never leaves the Secret.
 */
export function objectStorageEnv(ctx: KubeContext): k8s.types.input.core.v1.EnvVar[] {
    const secret = ctx.args.overrides.kubernetes.objectStorageSecret;
    if (!secret) return [];
    return [
        ...OBJECT_STORAGE_KEYS.map((key) => secretEnvVar(key, secret, key)),
        secretEnvVar("STORAGE_BUCKET", secret, "MINIO_BUCKET"),
        secretEnvVar("STORAGE_ACCESS_KEY", secret, "MINIO_ACCESS_KEY"),
        secretEnvVar("STORAGE_SECRET_KEY", secret, "MINIO_SECRET_KEY"),
        { name: "STORAGE_ENDPOINT", value: "https://$(MINIO_ENDPOINT)" },
        { name: "STORAGE_PROVIDER", value: "s3" },
        { name: "MINIO_SECURE", value: "true" },
    ];
}
