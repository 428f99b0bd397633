import { orEmpty, type FieldSpec, type ValuesOf } from "../spec";

const K8S_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const K8S_NAME_HINT = "a Kubernetes object name (lower-case letters, digits and '-', at most 63 characters)";
/** The same, or empty where the field is optional. */
const OPTIONAL_K8S_NAME = orEmpty(K8S_NAME);
const OPTIONAL_K8S_NAME_HINT = `${K8S_NAME_HINT}, or empty`;
/** Characters RFC 3986 allows in a URI (unreserved, reserved and %-escapes), without quotes or spaces. */
const URI_CHARS = "[A-Za-z0-9._~:/?#\\[\\]@!$&()*+,;=%-]";

/** Kubernetes-only knobs: what the cluster already runs (ingress controller, cert-manager, operators) and where backups go. */
export const KUBERNETES_OVERRIDES = {
    ingressClassName: {
        type: "string", default: "nginx", pattern: K8S_NAME, patternHint: K8S_NAME_HINT,
        description: "IngressClass of the cluster's ingress controller that serves `domain`.",
    },
    ingressNamespace: {
        type: "string", default: "ingress-nginx", pattern: K8S_NAME, patternHint: K8S_NAME_HINT,
        description: "Namespace of the ingress controller: the only namespace whose pods may reach the API (NetworkPolicy).",
    },
    clusterIssuer: {
        type: "string", default: "letsencrypt-prod", pattern: K8S_NAME, patternHint: K8S_NAME_HINT,
        description: "cert-manager ClusterIssuer that issues the TLS certificate for `domain`.",
    },
    storageClassName: {
        type: "string", default: "", pattern: OPTIONAL_K8S_NAME, patternHint: OPTIONAL_K8S_NAME_HINT,
        description: "StorageClass of the PostgreSQL and Redis volumes; empty uses the cluster's default class.",
    },
    operatorNamespace: {
        type: "string", default: "cnpg-system", pattern: K8S_NAME, patternHint: K8S_NAME_HINT,
        description: "Namespace of the CloudNativePG operator, which must reach the PostgreSQL pods (NetworkPolicy).",
    },
    backupDestinationPath: {
        type: "string", default: "", pattern: new RegExp(`^((s3|gs|https):\\/\\/${URI_CHARS}+)?$`), patternHint: "an object store path such as s3://acme-backups/fastapi",
        description: "Object store path for PostgreSQL base backups and WAL (point-in-time recovery). Required in production unless `externalDatabaseSecret` is set.",
    },
    backupCredentialsSecret: {
        type: "string", default: "", pattern: OPTIONAL_K8S_NAME, patternHint: OPTIONAL_K8S_NAME_HINT,
        description: "Existing Secret in the stack's namespace with ACCESS_KEY_ID and ACCESS_SECRET_KEY for the S3-compatible backup store. Required with `backupDestinationPath`.",
    },
    backupEndpointUrl: {
        type: "string", default: "", pattern: new RegExp(`^(https:\\/\\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\\/${URI_CHARS}*)?)?$`), patternHint: "an https:// endpoint such as https://minio.example.com",
        description: "Endpoint of an S3-compatible store other than AWS S3 (MinIO, Ceph, GCS interoperability).",
    },
    externalDatabaseSecret: {
        type: "string", default: "", pattern: OPTIONAL_K8S_NAME, patternHint: OPTIONAL_K8S_NAME_HINT,
        description: "Existing Secret in the stack's namespace whose DATABASE_URL key points at a database run elsewhere; when set, no CloudNativePG cluster is created.",
    },
    externalRedisSecret: {
        type: "string", default: "", pattern: OPTIONAL_K8S_NAME, patternHint: OPTIONAL_K8S_NAME_HINT,
        description: "Existing Secret in the stack's namespace whose REDIS_URL key points at a replicated Redis run elsewhere; required when `cacheHa` is true.",
    },
    imageRegistry: {
        type: "string", default: "", pattern: /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)+)?$/, patternHint: "a registry repository such as ghcr.io/acme/fastapi-backend (no tag)",
        description: "Repository of an external registry that built images (build.context) are pushed to; required with build.context on Kubernetes.",
    },
    imagePullSecret: {
        type: "string", default: "", pattern: OPTIONAL_K8S_NAME, patternHint: OPTIONAL_K8S_NAME_HINT,
        description: "Existing Secret (type kubernetes.io/dockerconfigjson) in the stack's namespace the pods pull private images with; the registry password never enters the stack's config.",
    },
    prometheusRules: {
        type: "boolean", default: true,
        description: "Create the PrometheusRule with the seeds' alerts and the PodMonitors that scrape the API, worker and PostgreSQL (needs the Prometheus operator in the cluster; Alertmanager routes the alerts). Required in production.",
    },
    prometheusNamespace: {
        type: "string", default: "monitoring", pattern: K8S_NAME, patternHint: K8S_NAME_HINT,
        description: "Namespace of the Prometheus that scrapes the stack: the only namespace admitted to the metrics ports (NetworkPolicy).",
    },
    grafanaUrl: {
        type: "string", default: "", pattern: /^(https:\/\/[^\s/]+(\/[^\s]*)?)?$/, patternHint: "an https:// URL such as https://grafana.example.com",
        description: "Base URL of the cluster's Grafana, whose dashboard sidecar loads the stack's dashboard ConfigMap; the dashboardUrl output links into it.",
    },
    objectStorageSecret: {
        type: "string", default: "", pattern: OPTIONAL_K8S_NAME, patternHint: OPTIONAL_K8S_NAME_HINT,
        description: "Existing Secret in the stack's namespace describing the application's S3-compatible bucket (keys MINIO_ENDPOINT as host[:port], MINIO_BUCKET, MINIO_ACCESS_KEY, MINIO_SECRET_KEY); its values reach the app by secretKeyRef, also as STORAGE_*. Required in production.",
    },
    clusterRegion: {
        type: "string", default: "", pattern: /^([a-z0-9][a-z0-9-]{0,62})?$/, patternHint: "a region name such as eu-west-1, or empty",
        description: "Region the cluster runs in. With drRegion, states that PostgreSQL backups leave the cluster's region (required in production with an in-cluster database).",
    },
    drRegion: {
        type: "string", default: "", pattern: /^([a-z0-9][a-z0-9-]{0,62})?$/, patternHint: "a region name such as eu-central-1, or empty",
        description: "Region of the bucket behind backupDestinationPath; must differ from clusterRegion (required in production with an in-cluster database).",
    },
} satisfies Record<string, FieldSpec>;

export type KubernetesOverrides = ValuesOf<typeof KUBERNETES_OVERRIDES>;
