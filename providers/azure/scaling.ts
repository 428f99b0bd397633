import * as monitor from "@pulumi/azure-native/monitor";
import { localName, type AzureContext } from "./context";
import type { Services } from "./service";

/** Scale in only this many points below the target, so an instance removed does not bounce straight back. */
export const SCALE_IN_MARGIN = 20;

/** The threshold under which a metric must stay before the plan scales in. */
export function scaleInThreshold(targetPercent: number): number {
    return Math.max(targetPercent - SCALE_IN_MARGIN, 5);
}

/**
 * Autoscale of the API's App Service plan between minInstances and maxInstances. Azure has no
 * target tracking: each metric scales out by one above its target (cpuTargetPercent,
 * memoryTargetPercent; 5-minute average, 5-minute cooldown) and in by one only when every
 * scale-in rule holds (well below target for 10 minutes, 10-minute cooldown). The worker scales
 * on the same targets through its own Container Apps rules (service.ts).
 */
export function createScaling(ctx: AzureContext, services: Services): monitor.AutoscaleSetting {
    const { args } = ctx;
    const plan = services.plan.id;
    const rule = (metricName: string, direction: "out" | "in", threshold: number) => ({
        metricTrigger: {
            metricName,
            metricNamespace: "microsoft.web/serverfarms",
            metricResourceUri: plan,
            timeGrain: "PT1M",
            statistic: monitor.MetricStatisticType.Average,
            timeWindow: direction === "out" ? "PT5M" : "PT10M",
            timeAggregation: monitor.TimeAggregationType.Average,
            operator: direction === "out" ? monitor.ComparisonOperationType.GreaterThan : monitor.ComparisonOperationType.LessThan,
            threshold,
        },
        scaleAction: {
            direction: direction === "out" ? monitor.ScaleDirection.Increase : monitor.ScaleDirection.Decrease,
            type: monitor.ScaleType.ChangeCount,
            value: "1",
            cooldown: direction === "out" ? "PT5M" : "PT10M",
        },
    });
    const { cpuTargetPercent: cpu, memoryTargetPercent: memory } = args.scaling;
    return new monitor.AutoscaleSetting(`${ctx.name}-api-autoscale`, {
        autoscaleSettingName: localName(ctx, "api-autoscale"),
        resourceGroupName: ctx.resourceGroupName,
        location: ctx.location,
        targetResourceUri: plan,
        enabled: true,
        profiles: [{
            name: "cpu-and-memory",
            capacity: {
                minimum: String(args.service.minInstances),
                maximum: String(args.service.maxInstances),
                default: String(args.service.minInstances),
            },
            rules: [
                rule("CpuPercentage", "out", cpu),
                rule("CpuPercentage", "in", scaleInThreshold(cpu)),
                rule("MemoryPercentage", "out", memory),
                rule("MemoryPercentage", "in", scaleInThreshold(memory)),
            ],
        }],
        tags: args.tags,
    }, { parent: ctx.parent });
}
