import * as pulumi from "@pulumi/pulumi";
import type { PlatformArgs } from "../../components/platform";
import { SCHEMA } from "../../config/schema";
import { fargateMemoryOptions } from "./service";
import { drRegionProblems } from "../../components/disaster-recovery";

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
    problems.push(...awsTagProblems(args.tags, project));
    // ALB and ECS have one health check each and both use healthCheckPath; a separate readiness
    // probe exists on Kubernetes only. Say so rather than drop the setting silently.
    if (args.service.readinessPath !== SCHEMA.readinessPath.default) {
        problems.push(
            `${project}:readinessPath is '${args.service.readinessPath}', but AWS has no separate readiness probe: ` +
                `the ALB and ECS health checks use ${project}:healthCheckPath. Remove readinessPath from this stack`,
        );
    }
    problems.push(...awsDataProtectionProblems(args, project));
    return problems;
}

/** RDS snapshot identifiers: a letter, then letters, digits and hyphens; automated ones start with "rds:". */
const RDS_SNAPSHOT = /^(rds:)?[A-Za-z][A-Za-z0-9-]{0,254}$|^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:snapshot:(rds:)?[A-Za-z][A-Za-z0-9-]{0,254}$/;
/** A DB instance identifier, or the ARN of automated backups (replicated from another region). */
const RDS_SOURCE = /^[a-z][a-z0-9-]{0,62}$|^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:auto-backup:ab-[a-z0-9]+$/;

/** drRegion (required in production, not the primary region) and the restore block's AWS shapes. */
function awsDataProtectionProblems(args: PlatformArgs, project: string): string[] {
    const k = (key: string) => `${project}:${key}`;
    const problems: string[] = [];
    const drRegion = args.overrides.aws.drRegion;
    const region = new pulumi.Config("aws").get("region");
    problems.push(...drRegionProblems(project, "aws", drRegion, { key: "aws:region", region }, args.environment === "production",
        "a second region (e.g. eu-central-1), where the application bucket replicates and RDS copies its automated backups"));
    const restore = args.restore;
    if (restore?.kind === "backup" && !RDS_SNAPSHOT.test(restore.backupId)) {
        problems.push(`${k("restore.from")} is '${restore.backupId}', which is not an RDS snapshot identifier or snapshot ARN (arn:aws:rds:<region>:<account>:snapshot:<name>)`);
    }
    if (restore?.kind === "backup" && restore.source) {
        problems.push(`${k("restore.source")} is set with ${k("restore.from")}; an RDS snapshot names its own source, remove restore.source`);
    }
    if (restore && restore.kind !== "backup" && !RDS_SOURCE.test(restore.source)) {
        problems.push(
            `${k("restore.source")} is '${restore.source}', which is neither an RDS instance identifier (lower-case letters, digits, '-') ` +
                `nor an automated-backups ARN (arn:aws:rds:<region>:<account>:auto-backup:ab-...)`,
        );
    }
    return problems;
}

/**
 * AWS tag limits (docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html, "Tag naming
 * limits and requirements"): at most 50 user tags per resource, keys up to 128 and values up to
 * 256 Unicode characters of letters, digits, spaces and + - = . _ : / @, and no key starting
 * with the prefix "aws:", which AWS reserves. `tags` includes the platform's own four.
 */
export const AWS_MAX_TAGS = 50;
export const AWS_MAX_TAG_KEY = 128;
export const AWS_MAX_TAG_VALUE = 256;
const AWS_TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function awsTagProblems(tags: Record<string, string>, project: string): string[] {
    const k = (key: string) => `${project}:tags.${key}`;
    const problems: string[] = [];
    const count = Object.keys(tags).length;
    if (count > AWS_MAX_TAGS) {
        problems.push(`${project}:tags has ${count - 4} tags; with the platform's 4 that makes ${count}, but AWS allows at most ${AWS_MAX_TAGS} per resource`);
    }
    for (const [key, value] of Object.entries(tags)) {
        if (key.toLowerCase().startsWith("aws:")) problems.push(`${k(key)}: the prefix 'aws:' is reserved by AWS; choose another key`);
        if ([...key].length > AWS_MAX_TAG_KEY) problems.push(`${k(key)}: AWS tag keys have at most ${AWS_MAX_TAG_KEY} characters`);
        if ([...value].length > AWS_MAX_TAG_VALUE) problems.push(`${k(key)} is ${[...value].length} characters long; AWS tag values have at most ${AWS_MAX_TAG_VALUE}`);
        if (!AWS_TAG_TEXT.test(value)) problems.push(`${k(key)} has characters AWS tags do not allow; allowed: letters, digits, spaces and + - = . _ : / @`);
    }
    return problems;
}
