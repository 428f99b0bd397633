import * as k8s from "@pulumi/kubernetes";
import type { ContainerSpec } from "../../components/platform";
import { objectMeta, selectorLabels, type KubeContext } from "./context";

/** autoscaling/v2 on average CPU and memory utilisation of the requests (seed 000: 70 % / 80 %). */
function createAutoscaler(ctx: KubeContext, component: string, spec: ContainerSpec, deployment: k8s.apps.v1.Deployment) {
    const target = (name: string, averageUtilization: number) => ({ type: "Resource", resource: { name, target: { type: "Utilization", averageUtilization } } });
    return new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${ctx.args.baseName}-${component}`, {
        metadata: objectMeta(ctx, component, component),
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
            minReplicas: spec.minInstances,
            maxReplicas: spec.maxInstances,
            metrics: [target("cpu", ctx.args.scaling.cpuTargetPercent), target("memory", ctx.args.scaling.memoryTargetPercent)],
        },
    }, { parent: ctx.parent });
}

export interface Scaling {
    apiAutoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    workerAutoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    apiDisruptionBudget: k8s.policy.v1.PodDisruptionBudget;
}

/** HPAs for the API and the worker, and a disruption budget that lets node drains take one API pod at a time. */
export function createScaling(ctx: KubeContext, api: k8s.apps.v1.Deployment, worker: k8s.apps.v1.Deployment): Scaling {
    return {
        apiAutoscaler: createAutoscaler(ctx, "api", ctx.args.service, api),
        workerAutoscaler: createAutoscaler(ctx, "worker", ctx.args.worker, worker),
        apiDisruptionBudget: new k8s.policy.v1.PodDisruptionBudget(`${ctx.args.baseName}-api`, {
            metadata: objectMeta(ctx, "api", "api"),
            spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels("api") } },
        }, { parent: ctx.parent }),
    };
}
