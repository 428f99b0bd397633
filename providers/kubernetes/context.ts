import * as crypto from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import type { PlatformArgs } from "../../components/platform";

/** Label that marks the pods allowed to reach PostgreSQL and Redis (NetworkPolicy). */
export const DATA_CLIENT_LABEL = "fastapi-platform/data-client";
/** Annotation prefix for the stack facts the cluster's own pipelines read (alert routing, log retention). */
export const ANNOTATION_PREFIX = "fastapi-platform";
/** UID/GID the application containers run as when the image does not pin one. */
export const APP_UID = 10001;

/** What every Kubernetes object of the stack shares: its namespace, labels, annotations and parent. */
export interface KubeContext {
    args: PlatformArgs;
    namespace: pulumi.Output<string>;
    /** The namespace's name, known before the Namespace exists (for commands and hostnames). */
    namespaceName: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    production: boolean;
    parent: pulumi.Resource;
}

/** Labels that select one component's pods. */
export function selectorLabels(component: string): Record<string, string> {
    return { "app.kubernetes.io/name": component, "app.kubernetes.io/part-of": "fastapi-platform" };
}

/** Object metadata in the stack's namespace with the stack's labels and the tags as annotations. */
export function objectMeta(ctx: KubeContext, name: pulumi.Input<string>, component: string, extraLabels: Record<string, string> = {}): k8s.types.input.meta.v1.ObjectMeta {
    return {
        name, namespace: ctx.namespace,
        labels: { ...ctx.labels, ...selectorLabels(component), ...extraLabels },
        annotations: ctx.annotations,
    };
}

/** Kubernetes quantities from the neutral millicores and MiB; requests equal limits so the pod is Guaranteed. */
export function containerResources(cpuMillicores: number, memoryMb: number): k8s.types.input.core.v1.ResourceRequirements {
    const quantities = { cpu: `${cpuMillicores}m`, memory: `${memoryMb}Mi` };
    return { requests: quantities, limits: quantities };
}

/** Pod-level hardening of the restricted Pod Security Standard. */
export function restrictedPodSecurity(uid: number): k8s.types.input.core.v1.PodSecurityContext {
    return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: "RuntimeDefault" } };
}

export const RESTRICTED_CONTAINER_SECURITY: k8s.types.input.core.v1.SecurityContext = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
};

/** Spread a component's pods across zones first, then nodes; best effort so a single-zone cluster still schedules. */
export function spreadAcrossZones(component: string): k8s.types.input.core.v1.TopologySpreadConstraint[] {
    return ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
        maxSkew: 1, topologyKey, whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selectorLabels(component) },
    }));
}

/** A short stable hash of `parts`, for names that must change when their content does. */
export function contentHash(parts: unknown, length = 10): string {
    return crypto.createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, length);
}
