import { freeLine, notPricedLine, round, type ClusterRequests, type CostLine, type PlanResource, type RuleContext, type RuleSet } from "../model";
import { cpuQuantity, memoryGiB, num, ofType } from "./common";

/**
 * Kubernetes: the program creates objects in an existing cluster, so nothing here has a list
 * price. What it costs is the room its pods ask for: CPU and memory requests (at the min and max
 * replica counts) and persistent volume storage. Those become money only when the assumptions
 * carry the node prices (kubernetes.nodeVcpuHour, nodeMemoryGiBHour, storageGiBMonth).
 */

const IN_CLUSTER = "an in-cluster object; no charge of its own";

export const KUBERNETES_RULES: RuleSet = {
    "kubernetes:core/v1:ConfigMap": { kind: "free", reason: "a Kubernetes object; no pod requests of its own" },
    "kubernetes:monitoring.coreos.com/v1:PodMonitor": { kind: "free", reason: "configuration for the cluster's Prometheus; no pod requests of its own" },
    "kubernetes:postgresql.cnpg.io/v1:Backup": { kind: "not-priced", reason: "writes a base backup to the external object store (billed by its provider per GB)" },
    "kubernetes:apps/v1:Deployment": { kind: "priced", prices: [], estimate: deployment },
    "kubernetes:apps/v1:StatefulSet": { kind: "priced", prices: [], estimate: statefulSet },
    "kubernetes:postgresql.cnpg.io/v1:Cluster": { kind: "priced", prices: [], estimate: cnpgCluster },
    "kubernetes:postgresql.cnpg.io/v1:Pooler": { kind: "priced", prices: [], estimate: cnpgPooler },
    "kubernetes:batch/v1:Job": {
        kind: "not-priced",
        reason: "the migrations pod runs for minutes per release; its requests are not a standing reservation",
    },
    "kubernetes:batch/v1:CronJob": { kind: "free", reason: "a suspended template (never scheduled); it runs no pods on its own" },
    "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup": {
        kind: "not-priced",
        reason: "base backups and WAL go to the object store at kubernetes.backupDestinationPath, billed by its provider by size",
    },
    "kubernetes:monitoring.coreos.com/v1:PrometheusRule": { kind: "free", reason: IN_CLUSTER },
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": { kind: "free", reason: "its min/max set the Deployments' replica range" },
    "kubernetes:core/v1:Namespace": { kind: "free", reason: IN_CLUSTER },
    "kubernetes:core/v1:ResourceQuota": { kind: "free", reason: IN_CLUSTER },
    "kubernetes:core/v1:Secret": { kind: "free", reason: IN_CLUSTER },
    "kubernetes:core/v1:ServiceAccount": { kind: "free", reason: IN_CLUSTER },
    "kubernetes:core/v1:Service": { kind: "priced", prices: [], estimate: service },
    "kubernetes:networking.k8s.io/v1:Ingress": {
        kind: "free", reason: "served by the cluster's existing ingress controller (its load balancer is outside this stack)",
    },
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": { kind: "free", reason: IN_CLUSTER },
    "kubernetes:policy/v1:PodDisruptionBudget": { kind: "free", reason: IN_CLUSTER },
};

interface PodSize { vcpu: number; memoryGiB: number }

function podRequests(podSpec: any): PodSize {
    const containers: any[] = [...(podSpec?.containers ?? [])];
    return containers.reduce<PodSize>((sum, c) => ({
        vcpu: sum.vcpu + cpuQuantity(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu),
        memoryGiB: sum.memoryGiB + memoryGiB(c.resources?.requests?.memory ?? c.resources?.limits?.memory),
    }), { vcpu: 0, memoryGiB: 0 });
}

/** The line for `pods` replicas (min..max) of `size` plus `storageGiB` of volumes, priced when node prices are set. */
export function requestsLine(ctx: RuleContext, resource: PlanResource, what: string, size: PodSize, min: number, max: number, storageGiB: number): CostLine {
    const requests: ClusterRequests = {
        vcpuMin: round(size.vcpu * min), vcpuMax: round(size.vcpu * max),
        memoryGiBMin: round(size.memoryGiB * min), memoryGiBMax: round(size.memoryGiB * max),
        storageGiB: round(storageGiB),
    };
    const replicas = min === max ? `${min}` : `${min}-${max}`;
    const description = `${what}: ${replicas} x (${round(size.vcpu)} vCPU, ${round(size.memoryGiB)} GiB)` + (storageGiB > 0 ? ` + ${round(storageGiB)} GiB volumes` : "");
    const { nodeVcpuHour, nodeMemoryGiBHour, storageGiBMonth } = ctx.assumptions.kubernetes;
    const needsStorage = storageGiB > 0;
    if (nodeVcpuHour === null || nodeMemoryGiBHour === null || (needsStorage && storageGiBMonth === null)) {
        const missing = [nodeVcpuHour === null && "nodeVcpuHour", nodeMemoryGiBHour === null && "nodeMemoryGiBHour", needsStorage && storageGiBMonth === null && "storageGiBMonth"]
            .filter(Boolean).map((key) => `kubernetes.${key}`);
        return notPricedLine(resource, description, `in-cluster requests; set ${missing.join(", ")} in the cost assumptions to price them`, { requests });
    }
    const hourly = (pods: number) => pods * (size.vcpu * nodeVcpuHour + size.memoryGiB * nodeMemoryGiBHour) * ctx.hours;
    const storage = storageGiB * (storageGiBMonth ?? 0);
    return {
        type: resource.type, name: resource.name, description, monthlyMin: round(hourly(min) + storage), monthlyMax: round(hourly(max) + storage),
        priced: true, status: "priced", requests, assumptions: ["kubernetes.nodeVcpuHour", "kubernetes.nodeMemoryGiBHour", ...(needsStorage ? ["kubernetes.storageGiBMonth"] : [])],
    };
}

/** A Deployment's replica range: the HPA that scales it, else spec.replicas. */
function replicaRange(ctx: RuleContext, kind: string, name: string, replicas: number): { min: number; max: number } {
    const hpa = ofType(ctx, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")
        .find((h) => h.inputs.spec?.scaleTargetRef?.kind === kind && h.inputs.spec?.scaleTargetRef?.name === name);
    return hpa ? { min: num(hpa.inputs.spec.minReplicas, 1), max: num(hpa.inputs.spec.maxReplicas, 1) } : { min: replicas, max: replicas };
}

function deployment(resource: PlanResource, ctx: RuleContext): CostLine[] {
    const name = String(resource.inputs.metadata?.name ?? resource.name);
    const { min, max } = replicaRange(ctx, "Deployment", name, num(resource.inputs.spec?.replicas, 1));
    return [requestsLine(ctx, resource, `Deployment ${name}`, podRequests(resource.inputs.spec?.template?.spec), min, max, 0)];
}

function statefulSet(resource: PlanResource, ctx: RuleContext): CostLine[] {
    const name = String(resource.inputs.metadata?.name ?? resource.name);
    const replicas = num(resource.inputs.spec?.replicas, 1);
    const perPodStorage = ((resource.inputs.spec?.volumeClaimTemplates ?? []) as any[])
        .reduce((sum, claim) => sum + memoryGiB(claim.spec?.resources?.requests?.storage), 0);
    return [requestsLine(ctx, resource, `StatefulSet ${name}`, podRequests(resource.inputs.spec?.template?.spec), replicas, replicas, perPodStorage * replicas)];
}

function cnpgCluster(resource: PlanResource, ctx: RuleContext): CostLine[] {
    const spec = resource.inputs.spec ?? {};
    const instances = num(spec.instances, 1);
    const size = { vcpu: cpuQuantity(spec.resources?.requests?.cpu), memoryGiB: memoryGiB(spec.resources?.requests?.memory) };
    const perInstanceStorage = memoryGiB(spec.storage?.size) + memoryGiB(spec.walStorage?.size);
    return [requestsLine(ctx, resource, "CloudNativePG PostgreSQL instances", size, instances, instances, perInstanceStorage * instances)];
}

function cnpgPooler(resource: PlanResource, ctx: RuleContext): CostLine[] {
    const spec = resource.inputs.spec ?? {};
    const instances = num(spec.instances, 1);
    const size = podRequests(spec.template?.spec);
    const line = requestsLine(ctx, resource, `PgBouncer ${spec.type ?? ""} pooler`, size, instances, instances, 0);
    if (size.vcpu === 0 && size.memoryGiB === 0) line.description += " (no requests set: scheduled as best effort)";
    return [line];
}

function service(resource: PlanResource): CostLine[] {
    if (resource.inputs.spec?.type === "LoadBalancer") {
        return [notPricedLine(resource, "Service of type LoadBalancer", "the cluster's cloud creates and bills a load balancer for it; not in any price table here")];
    }
    return [freeLine(resource, IN_CLUSTER)];
}
