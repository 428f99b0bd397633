import type { RecordedResource, RunResult } from "../../tools/harness";
import { ofType, only } from "../support";
import type { CloudFixture } from "./types";

export const KUBERNETES_FIXTURE: CloudFixture = {
    sdk: "@pulumi/kubernetes",
    secretHolders: { "kubernetes:core/v1:Secret": ["stringData"] },
    storedValues: (r) => ofType(r, K.secret).flatMap((s) => Object.values(s.plainInputs.stringData as Record<string, string>)),
    storedSecret: (r, key) => {
        const value = appSecretData(r)[key];
        if (value === undefined) throw new Error(`the app Secret has no ${key}`);
        return value;
    },
    migrationCommand: (r) => k8sContainer(r, "migrations").command,
    workloadEnv: (r, role) => {
        const c = k8sContainer(r, role);
        return { plain: plainEnv(c), secrets: Object.fromEntries(Object.entries(secretRefs(c)).map(([k, ref]) => [k, ref.key])) };
    },
};

// ---- helpers of the Kubernetes tests (tests/kubernetes*.test.ts) ----

/** Resource types of the Kubernetes platform. */
export const K = {
    platform: "fastapi-platform:kubernetes:Platform",
    namespace: "kubernetes:core/v1:Namespace",
    secret: "kubernetes:core/v1:Secret",
    service: "kubernetes:core/v1:Service",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    quota: "kubernetes:core/v1:ResourceQuota",
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    cluster: "kubernetes:postgresql.cnpg.io/v1:Cluster",
    pooler: "kubernetes:postgresql.cnpg.io/v1:Pooler",
    scheduledBackup: "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup",
    prometheusRule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    podMonitor: "kubernetes:monitoring.coreos.com/v1:PodMonitor",
    configMap: "kubernetes:core/v1:ConfigMap",
};

/** What a production stack on Kubernetes must name that no shipped stack file carries (see docs/kubernetes.md). */
export const K8S_PRODUCTION_OVERRIDES = {
    backupDestinationPath: "s3://acme-backups/fastapi-prod",
    backupCredentialsSecret: "backup-credentials",
    externalRedisSecret: "managed-redis",
    objectStorageSecret: "app-object-storage",
    clusterRegion: "eu-west-1",
    drRegion: "eu-central-1",
};

export const onKubernetes = (overrides: Record<string, unknown> = {}, kubernetes: Record<string, unknown> = {}) =>
    ({ overrides: { cloud: "kubernetes", ...overrides, kubernetes } });

/** A named object of a type, by metadata.name. */
export function named(r: RunResult, type: string, name: string): RecordedResource {
    const found = ofType(r, type).filter((x) => x.plainInputs.metadata?.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
    return found[0];
}

/** The single container of a Deployment (api, worker), the migrations Job or the Redis StatefulSet. */
export function k8sContainer(r: RunResult, role: "api" | "worker" | "migrations" | "redis"): Record<string, any> {
    const resource = role === "migrations" ? only(r, K.job) : role === "redis" ? only(r, K.statefulSet) : named(r, K.deployment, role);
    const containers = resource.plainInputs.spec.template.spec.containers;
    if (containers.length !== 1) throw new Error(`${role} has ${containers.length} containers`);
    return containers[0];
}

export const podSpecOf = (r: RunResult, role: "api" | "worker" | "migrations"): Record<string, any> =>
    (role === "migrations" ? only(r, K.job) : named(r, K.deployment, role)).plainInputs.spec.template.spec;

export const plainEnv = (c: Record<string, any>): Record<string, string> =>
    Object.fromEntries((c.env as { name: string; value?: string }[]).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
export const secretRefs = (c: Record<string, any>): Record<string, { name: string; key: string }> =>
    Object.fromEntries((c.env as { name: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[])
        .filter((e) => e.valueFrom).map((e) => [e.name, e.valueFrom!.secretKeyRef]));
/** The app Secret's plain stringData. */
export const appSecretData = (r: RunResult): Record<string, string> => named(r, K.secret, "app-env").plainInputs.stringData;
