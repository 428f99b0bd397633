import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ContainerSpec, PlatformArgs } from "../../components/platform";
import type { Services } from "./service";

export interface Scaling {
    api: aws.appautoscaling.Target;
    worker: aws.appautoscaling.Target;
}

/**
 * Application Auto Scaling on each ECS service: target tracking on average CPU and memory (seed
 * 000: 70 % / 80 %). Scale out fast (60 s), scale in slowly (300 s) so a burst does not flap.
 */
export function createScaling(name: string, args: PlatformArgs, services: Services, parent: pulumi.Resource): Scaling {
    const target = (role: "api" | "worker", service: aws.ecs.Service, spec: ContainerSpec) => {
        const scalable = new aws.appautoscaling.Target(`${name}-${role}-scaling`, {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${services.cluster.name}/${service.name}`,
            minCapacity: spec.minInstances,
            maxCapacity: spec.maxInstances,
            tags: args.tags,
        }, { parent });
        const policies: [string, string, number][] = [
            ["cpu", "ECSServiceAverageCPUUtilization", args.scaling.cpuTargetPercent],
            ["memory", "ECSServiceAverageMemoryUtilization", args.scaling.memoryTargetPercent],
        ];
        for (const [metric, predefinedMetricType, targetValue] of policies) {
            new aws.appautoscaling.Policy(`${name}-${role}-${metric}-tracking`, {
                policyType: "TargetTrackingScaling",
                serviceNamespace: scalable.serviceNamespace,
                scalableDimension: scalable.scalableDimension,
                resourceId: scalable.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: { predefinedMetricType },
                    targetValue,
                    scaleOutCooldown: 60,
                    scaleInCooldown: 300,
                },
            }, { parent });
        }
        return scalable;
    };
    return {
        api: target("api", services.apiService, args.service),
        worker: target("worker", services.workerService, args.worker),
    };
}
