import * as pulumi from "@pulumi/pulumi";

/**
 * The application's object storage as the app sees it: env var names every cloud sets, with the
 * MinIO/S3 names the FastAPI template reads (MINIO_ENDPOINT, MINIO_BUCKET, MINIO_SECURE) as
 * aliases. On AWS, Google Cloud and Azure the app authenticates with its own identity (task role,
 * service account, managed identity), so no access key exists; on Kubernetes the keys come from
 * the cluster's Secret by secretKeyRef.
 */
export const STORAGE_ENV = [
    "STORAGE_PROVIDER", "STORAGE_BUCKET", "STORAGE_ENDPOINT", "STORAGE_REGION", "STORAGE_ACCESS_KEY", "STORAGE_SECRET_KEY",
    "MINIO_ENDPOINT", "MINIO_BUCKET", "MINIO_SECURE", "MINIO_ACCESS_KEY", "MINIO_SECRET_KEY",
] as const;

/** Which client the app should use: S3-compatible, Cloud Storage or Blob Storage. */
export type StorageProvider = "s3" | "gcs" | "azure-blob";

/** Noncurrent object versions are kept this long, then deleted (deleted or overwritten uploads stay recoverable a month). */
export const NONCURRENT_VERSION_DAYS = 30;

export interface StorageLocation {
    provider: StorageProvider;
    bucket: pulumi.Input<string>;
    /** https:// URL of the service endpoint. */
    endpoint: pulumi.Input<string>;
    region: pulumi.Input<string>;
}

/** The plain env vars of the bucket (no credentials: the app's identity signs its requests). */
export function storageEnvironment(location: StorageLocation): Record<string, pulumi.Output<string>> {
    const endpoint = pulumi.output(location.endpoint);
    const bucket = pulumi.output(location.bucket);
    return {
        STORAGE_PROVIDER: pulumi.output(location.provider),
        STORAGE_BUCKET: bucket,
        STORAGE_ENDPOINT: endpoint,
        STORAGE_REGION: pulumi.output(location.region),
        // MinIO's client takes host[:port] and a separate `secure` flag; TLS is the only way in.
        MINIO_ENDPOINT: endpoint.apply((url) => url.replace(/^https:\/\//, "").replace(/\/$/, "")),
        MINIO_BUCKET: bucket,
        MINIO_SECURE: pulumi.output("true"),
    };
}

/** The same as a list of {name, value}, the shape ECS, Cloud Run and Azure take. */
export function storageEnvList(location: StorageLocation | undefined): { name: string; value: pulumi.Output<string> }[] {
    return location ? Object.entries(storageEnvironment(location)).map(([name, value]) => ({ name, value })) : [];
}
