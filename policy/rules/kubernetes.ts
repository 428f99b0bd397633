import type { PolicyResource } from "@pulumi/policy";
import { list, plainSecretProblem, resourceRule, SECRET_ENV_NAMES, show, stackRule, type BaselinePolicy, type Props } from "./common";

/**
 * What the application expects and what holds on every cloud (policy/rules/common.ts), and
 * Kubernetes' own guidance (restricted Pod Security, probes, HPA, PDB, default-deny NetworkPolicies,
 * CloudNativePG), for the program's Kubernetes implementation (providers/kubernetes/). Written
 * from the @pulumi/kubernetes 4 input types; the CloudNativePG Cluster is a CustomResource with
 * an untyped spec (postgresql.cnpg.io/v1). "(prod)" rules are production-only.
 */

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const JOB = "kubernetes:batch/v1:Job";
const CRON_JOB = "kubernetes:batch/v1:CronJob";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const CNPG_CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster";

/** Where each workload type keeps its pod spec, as a property path. */
const POD_SPEC: Record<string, string> = {
    [DEPLOYMENT]: "spec.template.spec",
    [STATEFUL_SET]: "spec.template.spec",
    [JOB]: "spec.template.spec",
    [CRON_JOB]: "spec.jobTemplate.spec.template.spec",
};

function at(props: Props, dotted: string): any {
    return dotted.split(".").reduce<any>((value, key) => (value === undefined || value === null ? undefined : value[key]), props);
}

function podSpecOf(type: string, props: Props): Props {
    return at(props, POD_SPEC[type]) ?? {};
}

/** Every container of the pod, init containers included (they run with the same privileges). */
function containersOf(type: string, props: Props): Props[] {
    const pod = podSpecOf(type, props);
    return [...list(pod.initContainers), ...list(pod.containers)];
}

/** `reads` for a container-level check: the same container paths under each workload's pod spec. */
function containerReads(types: string[], containerPaths: string[], podPaths: string[] = []): Record<string, string[]> {
    return Object.fromEntries(types.map((type) => [type, [
        ...containerPaths.flatMap((p) => [`${POD_SPEC[type]}.containers.${p}`, `${POD_SPEC[type]}.initContainers.${p}`]),
        ...podPaths.map((p) => `${POD_SPEC[type]}.${p}`),
    ]]));
}

const WORKLOADS = [DEPLOYMENT, STATEFUL_SET, JOB, CRON_JOB];
const label = (c: Props) => `container ${c.name ?? c.image ?? "(unnamed)"}`;

/** The API: a Deployment whose containers declare ports (the worker serves no HTTP). */
/** A container that serves traffic: one with a port other than `metrics`, which only Prometheus scrapes. */
function servingContainer(props: Props): Props | undefined {
    return list(podSpecOf(DEPLOYMENT, props).containers).find((c) => list(c.ports).some((port: Props) => port.name !== "metrics"));
}
const notServing = (p: Props) => (servingContainer(p) ? undefined : "a Deployment without serving ports (the worker; a `metrics` port is only scraped) serves no HTTP traffic");

// ---- container hardening (restricted Pod Security Standard) ----

const runAsNonRoot = resourceRule({
    name: "kubernetes-run-as-non-root", cloud: "kubernetes", scope: "all", severity: "high",
    source: "Seeds / Kubernetes: restricted Pod Security (runAsNonRoot); AWS row's non-root user for every cloud",
    description: "Every container of a Deployment, StatefulSet, Job or CronJob runs as a non-root user.",
    remediation: "Set securityContext.runAsNonRoot: true (and runAsUser) on the pod (restrictedPodSecurity) or on each container, and never runAsUser: 0.",
    reads: containerReads(WORKLOADS, ["name", "securityContext.runAsNonRoot", "securityContext.runAsUser"], ["securityContext.runAsNonRoot", "securityContext.runAsUser"]),
    check: (p, { type }) => {
        const pod = podSpecOf(type, p).securityContext ?? {};
        return containersOf(type, p).map((c) => {
            const nonRoot = c.securityContext?.runAsNonRoot ?? pod.runAsNonRoot;
            const uid = c.securityContext?.runAsUser ?? pod.runAsUser;
            if (uid === 0) return `${label(c)}: runAsUser is 0 (root)`;
            return nonRoot === true ? undefined : `${label(c)}: runAsNonRoot is ${show(nonRoot)} on the container and the pod; must be true`;
        });
    },
});

const readOnlyRootFilesystem = resourceRule({
    name: "kubernetes-read-only-root-filesystem", cloud: "kubernetes", scope: "all", severity: "medium",
    source: "Seeds / Kubernetes: readOnlyRootFilesystem with an emptyDir for /tmp; AWS row's readonlyRootFilesystem",
    description: "Every container runs on a read-only root filesystem.",
    remediation: "Set securityContext.readOnlyRootFilesystem: true on each container and mount an emptyDir where the app writes (/tmp).",
    reads: containerReads(WORKLOADS, ["name", "securityContext.readOnlyRootFilesystem"]),
    check: (p, { type }) => containersOf(type, p).map((c) =>
        c.securityContext?.readOnlyRootFilesystem === true ? undefined : `${label(c)}: readOnlyRootFilesystem is ${show(c.securityContext?.readOnlyRootFilesystem)}; must be true`),
});

const noPrivilegeEscalation = resourceRule({
    name: "kubernetes-no-privilege-escalation", cloud: "kubernetes", scope: "all", severity: "high",
    source: "Seeds / Kubernetes: restricted Pod Security (allowPrivilegeEscalation: false, not privileged)",
    description: "No container is privileged or may gain privileges beyond its parent process.",
    remediation: "Set securityContext.allowPrivilegeEscalation: false on each container and never privileged: true.",
    reads: containerReads(WORKLOADS, ["name", "securityContext.allowPrivilegeEscalation", "securityContext.privileged"]),
    check: (p, { type }) => containersOf(type, p).flatMap((c) => [
        c.securityContext?.allowPrivilegeEscalation === false ? undefined : `${label(c)}: allowPrivilegeEscalation is ${show(c.securityContext?.allowPrivilegeEscalation)}; must be false`,
        c.securityContext?.privileged === true ? `${label(c)}: privileged is true` : undefined,
    ]),
});

const dropAllCapabilities = resourceRule({
    name: "kubernetes-drop-all-capabilities", cloud: "kubernetes", scope: "all", severity: "medium",
    source: "Seeds / Kubernetes: restricted Pod Security (capabilities.drop [ALL])",
    description: "Every container drops all Linux capabilities.",
    remediation: "Set securityContext.capabilities: { drop: [\"ALL\"] } on each container (RESTRICTED_CONTAINER_SECURITY).",
    reads: containerReads(WORKLOADS, ["name", "securityContext.capabilities.drop"]),
    check: (p, { type }) => containersOf(type, p).map((c) => {
        const drop = list<string>(c.securityContext?.capabilities?.drop);
        return drop.includes("ALL") ? undefined : `${label(c)}: capabilities.drop is ${show(c.securityContext?.capabilities?.drop)}; must include ALL`;
    }),
});

const resourceLimits = resourceRule({
    name: "kubernetes-resource-requests-limits", cloud: "kubernetes", scope: "all", severity: "medium",
    source: "Seeds / Kubernetes: CPU and memory requests and limits (the HPA's utilisation targets are of the requests)",
    description: "Every container sets CPU and memory requests and limits.",
    remediation: "Set resources: { requests: { cpu, memory }, limits: { cpu, memory } } on each container (containerResources).",
    reads: containerReads(WORKLOADS, ["name", "resources.requests", "resources.limits"]),
    check: (p, { type }) => containersOf(type, p).map((c) => {
        const missing = (["requests", "limits"] as const).flatMap((kind) => ["cpu", "memory"].filter((r) => !c.resources?.[kind]?.[r]).map((r) => `${kind}.${r}`));
        return missing.length === 0 ? undefined : `${label(c)}: resources lack ${missing.join(", ")}`;
    }),
});

// ---- secrets ----

const secretsByReference = resourceRule<{ secretNames: string[] }>({
    name: "kubernetes-secrets-by-reference", cloud: "kubernetes", scope: "all", severity: "critical",
    source: "What the application expects: secrets delivered by reference, never as plain values (env[].valueFrom.secretKeyRef)",
    description: "Secrets reach containers only as env[].valueFrom.secretKeyRef, never as plain env values.",
    remediation: "Put the value in a Secret and use env: [{ name, valueFrom: { secretKeyRef: { name, key } } }] (secretEnvVar).",
    config: { secretNames: { type: "array", items: { type: "string" }, default: SECRET_ENV_NAMES, description: "Env var names that must be secret references." } },
    reads: containerReads(WORKLOADS, ["name", "env.name", "env.value", "env.valueFrom.secretKeyRef"]),
    check: (p, { type, config }) => containersOf(type, p).flatMap((c) => list(c.env).map((e) => {
        if (e.valueFrom?.secretKeyRef) return undefined;
        const problem = plainSecretProblem(e.name, e.value, config.secretNames);
        return problem ? `${label(c)}: ${problem}` : undefined;
    })),
});

// ---- the API Deployment ----

const apiProbes = resourceRule<{ path: string }>({
    name: "kubernetes-api-health-probes", cloud: "kubernetes", scope: "all", severity: "medium",
    source: "What the application expects: GET /health for liveness, a readiness path (/health/ready) where the platform supports separate probes",
    description: "The API Deployment's serving container has an HTTP liveness probe on the health path and a readiness probe.",
    remediation: "Add livenessProbe { httpGet: { path: healthCheckPath, port: \"http\" } } and readinessProbe { httpGet: { path: readinessPath } } to the container with ports.",
    config: { path: { type: "string", default: "/health", description: "The expected liveness path." } },
    reads: { [DEPLOYMENT]: ["spec.template.spec.containers.ports", "spec.template.spec.containers.livenessProbe.httpGet.path", "spec.template.spec.containers.readinessProbe"] },
    skip: notServing,
    check: (p, { config }) => {
        const c = servingContainer(p)!;
        return [
            c.livenessProbe?.httpGet?.path === config.path ? undefined : `${label(c)}: livenessProbe is ${show(c.livenessProbe)}; must GET ${config.path}`,
            c.readinessProbe ? undefined : `${label(c)}: readinessProbe is unset; pods would receive traffic before they are ready`,
        ];
    },
});

const gracefulShutdown = resourceRule<{ minimumSeconds: number }>({
    name: "kubernetes-graceful-shutdown", cloud: "kubernetes", scope: "all", severity: "medium",
    source: "What the application expects: graceful shutdown, ~60 s termination grace",
    description: "The API Deployment gives stopping pods at least 60 seconds of termination grace.",
    remediation: "Set spec.template.spec.terminationGracePeriodSeconds from terminationGraceSeconds (>= 60; Kubernetes' default is 30).",
    config: { minimumSeconds: { type: "integer", minimum: 1, default: 60, description: "Fewest seconds of termination grace." } },
    reads: { [DEPLOYMENT]: ["spec.template.spec.containers.ports", "spec.template.spec.terminationGracePeriodSeconds"] },
    skip: notServing,
    check: (p, { config }) => {
        const grace = podSpecOf(DEPLOYMENT, p).terminationGracePeriodSeconds ?? 30; // Kubernetes' default
        return [grace >= config.minimumSeconds ? undefined : `terminationGracePeriodSeconds is ${grace}; must be at least ${config.minimumSeconds}`];
    },
});

// ---- availability (production) ----

const hpaMinReplicas = resourceRule<{ minimum: number }>({
    name: "kubernetes-hpa-min-replicas", cloud: "kubernetes", scope: "production", severity: "high",
    source: "What the application expects: autoscaling, prod min >= 2 (seed 000: 3-10)",
    description: "Production HorizontalPodAutoscalers keep at least 2 replicas.",
    remediation: "Set spec.minReplicas >= 2 in production (minInstances / workerMinInstances).",
    config: { minimum: { type: "integer", minimum: 1, default: 2, description: "Fewest replicas in production." } },
    reads: { [HPA]: ["spec.minReplicas"] },
    check: (p, { config }) => {
        const min = p.spec?.minReplicas ?? 1; // autoscaling/v2's default
        return [min >= config.minimum ? undefined : `spec.minReplicas is ${min}; production keeps at least ${config.minimum}`];
    },
});

/** Does a PDB's selector (matchLabels only) select the pods of a Deployment's template? */
function selects(pdb: PolicyResource, deployment: PolicyResource): boolean {
    const wanted: Record<string, unknown> = pdb.props.spec?.selector?.matchLabels ?? {};
    const labels: Record<string, unknown> = deployment.props.spec?.template?.metadata?.labels ?? deployment.props.spec?.selector?.matchLabels ?? {};
    return Object.keys(wanted).length > 0 && Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

const disruptionBudget = stackRule({
    name: "kubernetes-pod-disruption-budget", cloud: "kubernetes", scope: "production", severity: "medium",
    source: "Seeds / Kubernetes: a PodDisruptionBudget for the API (stateless API behind a load balancer) (prod)",
    description: "Every production API Deployment has a PodDisruptionBudget that selects its pods, so node drains keep it serving.",
    remediation: "Create a policy/v1 PodDisruptionBudget with spec.selector.matchLabels = the API's selector labels and maxUnavailable: 1 (createScaling).",
    reads: {
        [DEPLOYMENT]: ["spec.template.spec.containers.ports", "spec.template.metadata.labels", "spec.selector.matchLabels"],
        [PDB]: ["spec.selector.matchLabels", "spec.maxUnavailable", "spec.minAvailable"],
    },
    check: (resources, { environmentOf }) => {
        const apis = resources.filter((r) => r.type === DEPLOYMENT && environmentOf(r) === "production" && servingContainer(r.props));
        if (apis.length === 0) return "the stack has no production API Deployment";
        const budgets = resources.filter((r) => r.type === PDB && !(r.props.spec?.maxUnavailable === 0 || r.props.spec?.maxUnavailable === "0%"));
        return apis.filter((api) => !budgets.some((pdb) => selects(pdb, api)))
            .map((api) => ({ urn: api.urn, message: `Deployment ${api.name} has no PodDisruptionBudget selecting its pods (one that allows some disruption)` }));
    },
});

// ---- edge and network ----

const ingressTls = resourceRule({
    name: "kubernetes-ingress-tls", cloud: "kubernetes", scope: "all", severity: "high",
    source: "Every cloud: HTTPS at the edge; seeds / Kubernetes: Ingress TLS from cert-manager",
    description: "Every Ingress terminates TLS for each host it routes.",
    remediation: "Set spec.tls: [{ hosts: [domain], secretName }] (cert-manager's cluster-issuer annotation issues the certificate) covering every rules[].host.",
    reads: { [INGRESS]: ["spec.tls.hosts", "spec.tls.secretName", "spec.rules.host"] },
    check: (p) => {
        const tls = list(p.spec?.tls);
        if (tls.length === 0) return ["spec.tls is empty; the Ingress would serve plain HTTP"];
        const covered = new Set(tls.flatMap((t) => list<string>(t.hosts)));
        const uncovered = list(p.spec?.rules).map((r) => r.host).filter((h): h is string => typeof h === "string" && !covered.has(h));
        return [
            ...tls.map((t, i) => (t.secretName ? undefined : `spec.tls[${i}].secretName is unset; no certificate to serve`)),
            uncovered.length === 0 ? undefined : `spec.tls does not cover ${uncovered.join(", ")}`,
        ];
    },
});

/** A NetworkPolicy that selects every pod and denies both directions (no ingress/egress rules). */
function isDefaultDeny(r: PolicyResource): boolean {
    const spec = r.props.spec ?? {};
    const selector = spec.podSelector ?? {};
    const selectsAll = Object.keys(selector.matchLabels ?? {}).length === 0 && list(selector.matchExpressions).length === 0;
    const types = list<string>(spec.policyTypes);
    return selectsAll && types.includes("Ingress") && types.includes("Egress") && list(spec.ingress).length === 0 && list(spec.egress).length === 0;
}

const defaultDeny = stackRule({
    name: "kubernetes-default-deny-network-policy", cloud: "kubernetes", scope: "all", severity: "high",
    source: "Seeds / Kubernetes: default-deny NetworkPolicy, then only the traffic the platform needs (AWS row: DB and cache accept only the service)",
    description: "Every namespace with a workload has a default-deny NetworkPolicy for ingress and egress.",
    remediation: "Create a NetworkPolicy with podSelector: {} and policyTypes: [\"Ingress\", \"Egress\"] and no rules in the namespace, then allow-list (createNetworkPolicies).",
    reads: {
        [DEPLOYMENT]: ["metadata.namespace"],
        [NETWORK_POLICY]: ["metadata.namespace", "spec.podSelector.matchLabels", "spec.podSelector.matchExpressions", "spec.policyTypes", "spec.ingress", "spec.egress"],
    },
    check: (resources) => {
        const workloads = resources.filter((r) => r.type === DEPLOYMENT);
        if (workloads.length === 0) return "the stack has no Deployment";
        const namespace = (r: PolicyResource) => String(r.props.metadata?.namespace ?? "default");
        const denied = new Set(resources.filter((r) => r.type === NETWORK_POLICY && isDefaultDeny(r)).map(namespace));
        const missing = [...new Set(workloads.map(namespace))].filter((ns) => !denied.has(ns));
        return missing.map((ns) => ({
            urn: workloads.find((w) => namespace(w) === ns)!.urn,
            message: `namespace ${ns} has no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)`,
        }));
    },
});

// ---- CloudNativePG (production) ----

/** CloudNativePG retentionPolicy ("30d", "4w", "3m") in days. */
function retentionDays(value: unknown): number | undefined {
    const m = typeof value === "string" ? /^(\d+)([dwm])$/.exec(value) : null;
    return m ? Number(m[1]) * { d: 1, w: 7, m: 30 }[m[2] as "d" | "w" | "m"] : undefined;
}

const cnpgInstances = resourceRule<{ minimum: number }>({
    name: "kubernetes-cnpg-instances", cloud: "kubernetes", scope: "production", severity: "high",
    source: "Every cloud: a standby in another zone for the production database (Multi-AZ / REGIONAL / ZoneRedundant) (prod); seeds / Kubernetes: CloudNativePG 3 instances",
    description: "The production CloudNativePG cluster runs at least 3 instances (a primary and standbys spread across zones).",
    remediation: "Set spec.instances >= 3 on the postgresql.cnpg.io/v1 Cluster in production (createDatabase).",
    config: { minimum: { type: "integer", minimum: 1, default: 3, description: "Fewest PostgreSQL instances in production." } },
    reads: { [CNPG_CLUSTER]: ["spec.instances"] },
    check: (p, { config }) => {
        const instances = p.spec?.instances;
        return [typeof instances === "number" && instances >= config.minimum ? undefined : `spec.instances is ${show(instances)}; production runs at least ${config.minimum}`];
    },
});

const cnpgBackups = resourceRule<{ minimumDays: number }>({
    name: "kubernetes-cnpg-backups", cloud: "kubernetes", scope: "production", severity: "critical",
    source: "What the application expects: backups, prod retention >= 7 days, point-in-time recovery (prod)",
    description: "The production CloudNativePG cluster archives WAL and base backups to an object store and keeps them at least 7 days.",
    remediation: "Set kubernetes.backupDestinationPath and backupCredentialsSecret in the stack config: spec.backup { barmanObjectStore: { destinationPath, ... }, retentionPolicy: \"<dbBackupDays>d\" }.",
    config: { minimumDays: { type: "integer", minimum: 1, default: 7, description: "Fewest days of backup retention." } },
    reads: { [CNPG_CLUSTER]: ["spec.backup.barmanObjectStore.destinationPath", "spec.backup.retentionPolicy"] },
    check: (p, { config }) => {
        const backup = p.spec?.backup;
        if (!backup?.barmanObjectStore?.destinationPath) return ["spec.backup.barmanObjectStore.destinationPath is unset; the database has no backups and no point-in-time recovery"];
        const days = retentionDays(backup.retentionPolicy);
        return [days !== undefined && days >= config.minimumDays ? undefined : `spec.backup.retentionPolicy is ${show(backup.retentionPolicy)}; production keeps at least ${config.minimumDays}d`];
    },
});

export const KUBERNETES_POLICIES: BaselinePolicy[] = [
    runAsNonRoot, readOnlyRootFilesystem, noPrivilegeEscalation, dropAllCapabilities, resourceLimits, secretsByReference,
    apiProbes, gracefulShutdown, hpaMinReplicas, disruptionBudget, ingressTls, defaultDeny, cnpgInstances, cnpgBackups,
];
