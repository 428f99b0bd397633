import type { PlatformArgs } from "../../components/platform";
import { SCHEMA } from "../../config/schema";
import { fargateMemoryOptions } from "./service";

/**
 * What only AWS constrains: Fargate's CPU/memory pairs, and how HTTPS gets its certificate.
 * One message per problem, naming the config key and what is allowed.
 */
export function validateAws(args: PlatformArgs, project: string): string[] {
    const problems: string[] = [];
    const fleets = [
        ["cpu", "memoryMb", args.service],
        ["workerCpu", "workerMemoryMb", args.worker],
    ] as const;
    for (const [cpuKey, memoryKey, spec] of fleets) {
        const options = fargateMemoryOptions(spec.cpu);
        if (!options) continue; // the schema already limits cpu to Fargate's sizes
        const fits = spec.memoryMb >= options.min && spec.memoryMb <= options.max && (spec.memoryMb - options.min) % options.step === 0;
        if (!fits) {
            problems.push(
                `${project}:${memoryKey} is ${spec.memoryMb}, which Fargate does not offer with ${project}:${cpuKey} ${spec.cpu}; ` +
                    `allowed: ${options.min} to ${options.max} MiB in steps of ${options.step}`,
            );
        }
    }
    if (args.domain && !args.domain.zone && !args.overrides.aws.certificateArn) {
        problems.push(
            `${project}:domain '${args.domain.name}' needs a certificate: set ${project}:dnsZone (a Route 53 public zone, where one is issued and validated) ` +
                `or ${project}:aws.certificateArn (an existing ACM certificate in this region)`,
        );
    }
    // ALB and ECS have one health check each and both use healthCheckPath; a separate readiness
    // probe exists on Kubernetes only. Say so rather than drop the setting silently.
    if (args.service.readinessPath !== SCHEMA.readinessPath.default) {
        problems.push(
            `${project}:readinessPath is '${args.service.readinessPath}', but AWS has no separate readiness probe: ` +
                `the ALB and ECS health checks use ${project}:healthCheckPath. Remove readinessPath from this stack`,
        );
    }
    return problems;
}
