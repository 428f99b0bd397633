import { patchResource, without, type PolicyCase, type FixtureResource } from "../fixtures";

const RESOURCES = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "500m", memory: "1Gi" } };
const SECURITY = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } };
const PROBES = { livenessProbe: { httpGet: { path: "/health", port: "http" } }, readinessProbe: { httpGet: { path: "/health/ready", port: "http" } } };
const RESTRICTED_OK = { resources: RESOURCES, securityContext: SECURITY, ...PROBES };

/** A patch of the first container of a pod spec (arrays replace, so the container is rebuilt in full). */
const apiContainer = (container: Record<string, unknown>, pod: Record<string, unknown> = {}) => ({
    spec: { template: { spec: { containers: [{ name: "api", image: "i", ports: [{ name: "http", containerPort: 8000 }], ...RESTRICTED_OK, ...container }], ...pod } } },
});
const withSecurity = (patch: Record<string, unknown>) => apiContainer({ securityContext: { ...SECURITY, ...patch } });
const addResource = (resource: FixtureResource) => (stack: FixtureResource[]) => [...stack, resource];

/** Failing (and notable passing) cases for every Kubernetes policy; compliant resources are in ../fixtures.ts. */
export const KUBERNETES_CASES: PolicyCase[] = [
    { policy: "kubernetes-run-as-non-root", title: "a container without runAsNonRoot in a pod without it", from: "api", patch: { spec: { template: { spec: { securityContext: { runAsNonRoot: undefined }, containers: [{ name: "api", securityContext: { readOnlyRootFilesystem: true } }] } } } }, expect: "fail", match: /container api: runAsNonRoot is unset on the container and the pod/ },
    { policy: "kubernetes-run-as-non-root", title: "runAsUser 0 in the migrations Job", from: "migrations", patch: { spec: { template: { spec: { containers: [{ name: "migrations", securityContext: { ...SECURITY, runAsUser: 0 } }] } } } }, expect: "fail", match: /runAsUser is 0/ },
    { policy: "kubernetes-run-as-non-root", title: "runAsNonRoot only at the pod level", from: "worker", patch: { spec: { template: { spec: { containers: [{ name: "worker", securityContext: { readOnlyRootFilesystem: true } }] } } } }, expect: "pass" },
    { policy: "kubernetes-run-as-non-root", title: "an Ingress", from: "ingress", expect: "not-applicable" },
    { policy: "kubernetes-read-only-root-filesystem", title: "a writable root filesystem", from: "api", patch: withSecurity({ readOnlyRootFilesystem: false }), expect: "fail", match: /readOnlyRootFilesystem is false/ },
    { policy: "kubernetes-read-only-root-filesystem", title: "an init container with a writable root filesystem", from: "migrations", patch: { spec: { template: { spec: { initContainers: [{ name: "wait-for-db", image: "busybox" }] } } } }, expect: "fail", match: /container wait-for-db: readOnlyRootFilesystem is unset/ },
    { policy: "kubernetes-read-only-root-filesystem", title: "the CronJob's nested pod template", from: "migrations-template", patch: { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "migrations", securityContext: {} }] } } } } } }, expect: "fail" },
    { policy: "kubernetes-no-privilege-escalation", title: "allowPrivilegeEscalation left at its default", from: "api", patch: withSecurity({ allowPrivilegeEscalation: undefined }), expect: "fail", match: /allowPrivilegeEscalation is unset; must be false/ },
    { policy: "kubernetes-no-privilege-escalation", title: "a privileged Redis", from: "redis", patch: { spec: { template: { spec: { containers: [{ name: "redis", securityContext: { ...SECURITY, privileged: true } }] } } } }, expect: "fail", match: /privileged is true/ },
    { policy: "kubernetes-drop-all-capabilities", title: "only NET_RAW dropped", from: "worker", patch: { spec: { template: { spec: { containers: [{ name: "worker", securityContext: { ...SECURITY, capabilities: { drop: ["NET_RAW"] } } }] } } } }, expect: "fail", match: /capabilities.drop is \["NET_RAW"\]; must include ALL/ },
    { policy: "kubernetes-drop-all-capabilities", title: "a HorizontalPodAutoscaler", from: "api-hpa", expect: "not-applicable" },
    { policy: "kubernetes-resource-requests-limits", title: "no limits", from: "api", patch: apiContainer({ resources: { requests: { cpu: "500m", memory: "1Gi" } } }), expect: "fail", match: /resources lack limits.cpu, limits.memory/ },
    { policy: "kubernetes-resource-requests-limits", title: "no resources on the migrations Job", from: "migrations", patch: { spec: { template: { spec: { containers: [{ name: "migrations", securityContext: SECURITY }] } } } }, expect: "fail", match: /requests.cpu, requests.memory, limits.cpu, limits.memory/ },

    { policy: "kubernetes-secrets-by-reference", title: "DATABASE_URL as a plain env value", from: "api", patch: apiContainer({ env: [{ name: "DATABASE_URL", value: "postgresql+asyncpg://app:pw@postgres:5432/app" }] }), expect: "fail", match: /DATABASE_URL is set as a plain value/ },
    { policy: "kubernetes-secrets-by-reference", title: "JWT_SECRET_KEY from a ConfigMap", from: "worker", patch: { spec: { template: { spec: { containers: [{ name: "worker", env: [{ name: "JWT_SECRET_KEY", valueFrom: { configMapKeyRef: { name: "cfg", key: "jwt" } } }] }] } } } }, expect: "fail", match: /JWT_SECRET_KEY/ },
    { policy: "kubernetes-secrets-by-reference", title: "a URL with an inline password under another name", from: "migrations", patch: { spec: { template: { spec: { containers: [{ name: "migrations", env: [{ name: "CELERY_BROKER", value: "redis://:hunter2@redis:6379/0" }] }] } } } }, expect: "fail", match: /inline password/ },
    { policy: "kubernetes-secrets-by-reference", title: "secrets by secretKeyRef", from: "api", expect: "pass" },
    { policy: "kubernetes-secrets-by-reference", title: "a Secret", from: "app-env", expect: "not-applicable" },

    { policy: "kubernetes-api-health-probes", title: "no readiness probe", from: "api", patch: apiContainer({ readinessProbe: undefined }), expect: "fail", match: /readinessProbe is unset/ },
    { policy: "kubernetes-api-health-probes", title: "a TCP liveness probe", from: "api", patch: apiContainer({ livenessProbe: { tcpSocket: { port: "http" } } }), expect: "fail", match: /livenessProbe is .*must GET \/health/ },
    { policy: "kubernetes-api-health-probes", title: "the worker (no ports)", from: "worker", expect: "not-applicable" },
    { policy: "kubernetes-graceful-shutdown", title: "Kubernetes' default 30 s grace", from: "api", patch: { spec: { template: { spec: { terminationGracePeriodSeconds: undefined } } } }, expect: "fail", match: /terminationGracePeriodSeconds is 30; must be at least 60/ },
    { policy: "kubernetes-graceful-shutdown", title: "45 s grace", from: "api", patch: { spec: { template: { spec: { terminationGracePeriodSeconds: 45 } } } }, expect: "fail" },
    { policy: "kubernetes-graceful-shutdown", title: "the worker (no ports)", from: "worker", patch: { spec: { template: { spec: { terminationGracePeriodSeconds: 10 } } } }, expect: "not-applicable" },

    { policy: "kubernetes-hpa-min-replicas", title: "one API replica in production", from: "api-hpa", patch: { spec: { minReplicas: 1 } }, expect: "fail", match: /spec.minReplicas is 1; production keeps at least 2/ },
    { policy: "kubernetes-hpa-min-replicas", title: "minReplicas left at its default (1)", from: "worker-hpa", patch: { spec: { minReplicas: undefined } }, expect: "fail" },
    { policy: "kubernetes-hpa-min-replicas", title: "one replica in staging", from: "api-hpa", patch: { spec: { minReplicas: 1 } }, environment: "staging", expect: "not-applicable" },
    { policy: "kubernetes-pod-disruption-budget", title: "no PodDisruptionBudget", edit: without("api-pdb"), expect: "fail", match: /Deployment api has no PodDisruptionBudget/ },
    { policy: "kubernetes-pod-disruption-budget", title: "a budget that selects the worker", edit: patchResource("api-pdb", { spec: { selector: { matchLabels: { "app.kubernetes.io/name": "worker" } } } }), expect: "fail" },
    { policy: "kubernetes-pod-disruption-budget", title: "a budget that allows no disruption", edit: patchResource("api-pdb", { spec: { maxUnavailable: 0 } }), expect: "fail" },
    { policy: "kubernetes-pod-disruption-budget", title: "a staging stack without a budget", edit: without("api-pdb"), environment: "staging", expect: "not-applicable" },

    { policy: "kubernetes-ingress-tls", title: "no TLS", from: "ingress", patch: { spec: { tls: undefined } }, expect: "fail", match: /spec.tls is empty/ },
    { policy: "kubernetes-ingress-tls", title: "a host outside the certificate", from: "ingress", patch: { spec: { rules: [{ host: "admin.example.com" }] } }, expect: "fail", match: /does not cover admin.example.com/ },
    { policy: "kubernetes-ingress-tls", title: "a NetworkPolicy", from: "netpol-default-deny", expect: "not-applicable" },
    { policy: "kubernetes-default-deny-network-policy", title: "no default-deny policy", edit: without("netpol-default-deny"), expect: "fail", match: /namespace fastapi-platform-prod has no default-deny NetworkPolicy/ },
    { policy: "kubernetes-default-deny-network-policy", title: "a default deny for ingress only", edit: patchResource("netpol-default-deny", { spec: { policyTypes: ["Ingress"] } }), expect: "fail" },
    { policy: "kubernetes-default-deny-network-policy", title: "a 'deny' policy that allows everything in", edit: patchResource("netpol-default-deny", { spec: { ingress: [{}] } }), expect: "fail" },
    {
        policy: "kubernetes-default-deny-network-policy", title: "a second namespace without one",
        edit: addResource({ type: "kubernetes:apps/v1:Deployment", name: "other", props: { metadata: { name: "other", namespace: "other" }, spec: { template: { spec: { containers: [] } } } } }),
        expect: "fail", match: /namespace other/,
    },
    { policy: "kubernetes-default-deny-network-policy", title: "staging (applies in every environment)", edit: without("netpol-default-deny"), environment: "staging", expect: "fail" },

    { policy: "kubernetes-cnpg-instances", title: "a single production instance", from: "postgres", patch: { spec: { instances: 1 } }, expect: "fail", match: /spec.instances is 1; production runs at least 3/ },
    { policy: "kubernetes-cnpg-instances", title: "a single staging instance", from: "postgres", patch: { spec: { instances: 1 } }, environment: "staging", expect: "not-applicable" },
    { policy: "kubernetes-cnpg-instances", title: "a PodDisruptionBudget", from: "api-pdb", expect: "not-applicable" },
    { policy: "kubernetes-cnpg-backups", title: "no backup section in production", from: "postgres", patch: { spec: { backup: undefined } }, expect: "fail", match: /destinationPath is unset; the database has no backups/ },
    { policy: "kubernetes-cnpg-backups", title: "3 days of retention", from: "postgres", patch: { spec: { backup: { retentionPolicy: "3d" } } }, expect: "fail", match: /'3d'; production keeps at least 7d/ },
    { policy: "kubernetes-cnpg-backups", title: "two weeks of retention", from: "postgres", patch: { spec: { backup: { retentionPolicy: "2w" } } }, expect: "pass" },
    { policy: "kubernetes-cnpg-backups", title: "no backups in staging", from: "postgres", patch: { spec: { backup: undefined } }, environment: "staging", expect: "not-applicable" },
];
