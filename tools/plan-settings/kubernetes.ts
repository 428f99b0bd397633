import type { Fields, KeySetting } from "./common";

const container = (r: { plainInputs: Fields }) => ((r.plainInputs.spec as any)?.template?.spec?.containers ?? [])[0] ?? {};

/** The Kubernetes settings a reviewer looks at first, by resource type. */
export const KUBERNETES_SETTINGS: Record<string, KeySetting> = {
    "kubernetes:core/v1:Namespace": {
        label: "Namespace",
        fields: (r) => ({ name: r.plainInputs.metadata?.name, podSecurity: r.plainInputs.metadata?.labels?.["pod-security.kubernetes.io/enforce"], protect: r.protect }),
    },
    "kubernetes:apps/v1:Deployment": {
        label: "Deployment",
        fields: (r) => {
            const c = container(r);
            const pod = r.plainInputs.spec?.template?.spec ?? {};
            return {
                image: c.image,
                cpu: c.resources?.limits?.cpu,
                memory: c.resources?.limits?.memory,
                probes: ["startupProbe", "livenessProbe", "readinessProbe"].filter((p) => c[p]).map((p) => `${p.replace("Probe", "")}:${c[p].httpGet?.path}`).join(" ") || "none",
                readOnlyRootFilesystem: c.securityContext?.readOnlyRootFilesystem,
                runAsNonRoot: pod.securityContext?.runAsNonRoot,
                terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds,
                secretRefs: (c.env ?? []).filter((e: Fields) => e.valueFrom).length,
            };
        },
    },
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": {
        label: "HPA",
        fields: (r) => ({
            replicas: `${r.plainInputs.spec?.minReplicas}-${r.plainInputs.spec?.maxReplicas}`,
            targets: (r.plainInputs.spec?.metrics ?? []).map((m: any) => `${m.resource.name} ${m.resource.target.averageUtilization}%`).join(", "),
        }),
    },
    "kubernetes:batch/v1:Job": {
        label: "Migrations job",
        fields: (r) => ({ name: r.plainInputs.metadata?.name, command: (container(r).command ?? []).join(" "), backoffLimit: r.plainInputs.spec?.backoffLimit }),
    },
    "kubernetes:networking.k8s.io/v1:Ingress": {
        label: "Ingress",
        fields: (r) => ({
            class: r.plainInputs.spec?.ingressClassName,
            hosts: (r.plainInputs.spec?.tls ?? []).flatMap((t: any) => t.hosts).join(", "),
            clusterIssuer: r.plainInputs.metadata?.annotations?.["cert-manager.io/cluster-issuer"],
            rateLimitPerMinute: r.plainInputs.metadata?.annotations?.["nginx.ingress.kubernetes.io/limit-rpm"],
        }),
    },
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": {
        label: "NetworkPolicies",
        summary: (rs) => rs.map((r) => r.plainInputs.metadata?.name).join(", "),
    },
    "kubernetes:postgresql.cnpg.io/v1:Cluster": {
        label: "CloudNativePG cluster",
        fields: (r) => ({
            instances: r.plainInputs.spec?.instances,
            imageName: r.plainInputs.spec?.imageName,
            storage: r.plainInputs.spec?.storage?.size,
            max_connections: r.plainInputs.spec?.postgresql?.parameters?.max_connections,
            backups: r.plainInputs.spec?.backup ? `${r.plainInputs.spec.backup.barmanObjectStore.destinationPath} (${r.plainInputs.spec.backup.retentionPolicy})` : "none",
            protect: r.protect,
        }),
    },
    "kubernetes:postgresql.cnpg.io/v1:Pooler": {
        label: "PgBouncer",
        fields: (r) => ({ type: r.plainInputs.spec?.type, poolMode: r.plainInputs.spec?.pgbouncer?.poolMode, ...r.plainInputs.spec?.pgbouncer?.parameters }),
    },
    "kubernetes:apps/v1:StatefulSet": {
        label: "Redis",
        fields: (r) => ({ image: container(r).image, storage: r.plainInputs.spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage, protect: r.protect }),
    },
    "kubernetes:core/v1:Secret": {
        label: "Secrets",
        summary: (rs) => `${rs.length} Kubernetes Secrets (${rs.filter((r) => r.secretPaths.includes("stringData")).length} with secret stringData, ${rs.filter((r) => r.protect).length} protected)`,
    },
};
