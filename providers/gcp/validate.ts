import type { PlatformArgs } from "../../components/platform";
import { SCHEMA } from "../../config/schema";
import { REDIS_CA_SECRET } from "./cache";
import { CLOUD_ARMOR_MAX_RATE_LIMIT } from "./edge";
import { labelKeyCollisions } from "./labels";
import { MAX_LOG_RETENTION_DAYS } from "./logging";
import { providerSettings } from "./project";
import { dualRegionParent } from "./storage";
import { CLOUD_RUN_MEMORY_MIB, CLOUD_RUN_RESERVED_ENV, cloudRunVcpu } from "./service";
import { drRegionProblems } from "../../components/disaster-recovery";

/** Role names Cloud SQL creates or reserves in every PostgreSQL instance. */
const CLOUD_SQL_RESERVED_USERS = /^(postgres|cloudsql.*)$/;
/** Databases every Cloud SQL PostgreSQL instance already has. */
const CLOUD_SQL_RESERVED_DATABASES = ["postgres", "cloudsqladmin", "template0", "template1"];

/**
 * What only Google Cloud constrains: the provider settings, Cloud Run's CPU/memory pairs and
 * reserved variables, Cloud SQL's own roles and databases, Cloud Logging's and Cloud Armor's
 * limits, label keys, and the network plan. One message per problem, naming the config key.
 */
/** Cloud Run's request size limit for HTTP/1 (Cloud Run "Quotas and limits": 32 MiB). */
export const CLOUD_RUN_MAX_REQUEST_MB = 32;

export function validateGcp(args: PlatformArgs, project: string): string[] {
    const k = (key: string) => `${project}:${key}`;
    const problems: string[] = [];

    const settings = providerSettings();
    for (const [key, value] of [["project", settings.project], ["region", settings.region]] as const) {
        if (!value) problems.push(`gcp:${key} is not set; Cloud Run, Cloud SQL and Memorystore need it (pulumi config set gcp:${key} <${key}>)`);
    }

    const fleets = [["cpu", "memoryMb", args.service], ["workerCpu", "workerMemoryMb", args.worker]] as const;
    for (const [cpuKey, memoryKey, spec] of fleets) {
        const vcpu = cloudRunVcpu(spec.cpu);
        const range = CLOUD_RUN_MEMORY_MIB[vcpu];
        if (range && (spec.memoryMb < range.min || spec.memoryMb > range.max)) {
            problems.push(
                `${k(memoryKey)} is ${spec.memoryMb}, which Cloud Run does not allow with ${k(cpuKey)} ${spec.cpu} (${vcpu} vCPU); ` +
                    `allowed: ${range.min} to ${range.max} MiB`,
            );
        }
    }

    // Cloud Run scales on request concurrency and CPU only; a memory target has no setting to land on.
    if (args.scaling.memoryTargetPercent !== SCHEMA.memoryTargetPercent.default) {
        problems.push(
            `${k("memoryTargetPercent")} is ${args.scaling.memoryTargetPercent}, but Cloud Run does not scale on memory ` +
                `(only on ${k("cpuTargetPercent")} and request concurrency). Remove memoryTargetPercent from this stack`,
        );
    }

    const reservedEnv = CLOUD_RUN_RESERVED_ENV.filter((name) => name !== "PORT"); // PORT is rejected for every cloud
    for (const [key, names] of [["env", Object.keys(args.env)], ["secretEnv", Object.keys(args.secretEnv)]] as const) {
        for (const name of names.filter((n) => reservedEnv.includes(n))) {
            problems.push(`${k(`${key}.${name}`)} is set by Cloud Run itself and cannot be supplied`);
        }
    }

    if (REDIS_CA_SECRET in args.secretEnv) {
        problems.push(`${k(`secretEnv.${REDIS_CA_SECRET}`)} is the secret that delivers Memorystore's CA certificate on GCP; choose another name`);
    }

    if (CLOUD_SQL_RESERVED_USERS.test(args.database.username)) {
        problems.push(`${k("dbUser")} '${args.database.username}' is a role Cloud SQL creates or reserves; choose another name`);
    }
    if (CLOUD_SQL_RESERVED_DATABASES.includes(args.database.name)) {
        problems.push(`${k("dbName")} '${args.database.name}' is a database Cloud SQL already has; choose another name`);
    }
    if (args.service.maxRequestBodyMb > CLOUD_RUN_MAX_REQUEST_MB) {
        problems.push(
            `${k("maxRequestBodyMb")} is ${args.service.maxRequestBodyMb}, but Cloud Run accepts HTTP/1 request bodies of at most ` +
                `${CLOUD_RUN_MAX_REQUEST_MB} MiB; set maxRequestBodyMb to ${CLOUD_RUN_MAX_REQUEST_MB} or less (larger uploads go to Cloud Storage by signed URL)`,
        );
    }

    if (args.logRetentionDays > MAX_LOG_RETENTION_DAYS) {
        problems.push(`${k("logRetentionDays")} is ${args.logRetentionDays}; Cloud Logging keeps logs at most ${MAX_LOG_RETENTION_DAYS} days`);
    }
    if (args.edgeRateLimitPerMinute > CLOUD_ARMOR_MAX_RATE_LIMIT) {
        problems.push(`${k("edgeRateLimitPerMinute")} is ${args.edgeRateLimitPerMinute}; a Cloud Armor rate limit allows at most ${CLOUD_ARMOR_MAX_RATE_LIMIT} requests per interval`);
    }

    for (const [label, keys] of labelKeyCollisions(args.tags)) {
        problems.push(`${keys.map((key) => k(`tags.${key}`)).join(" and ")} all become the GCP label '${label}' (lower-case, '_' for other characters); keep one`);
    }

    const cidrProblem = privateCidrProblem(args.overrides.gcp.subnetCidr);
    if (cidrProblem) problems.push(`${k("gcp.subnetCidr")} is '${args.overrides.gcp.subnetCidr}': ${cidrProblem}`);

    if (args.overrides.gcp.dnsManagedZone && !args.domain?.zone) {
        problems.push(`${k("gcp.dnsManagedZone")} is set but ${k("dnsZone")} is empty; set dnsZone to the zone's DNS name, or remove gcp.dnsManagedZone`);
    }
    problems.push(...gcpDataProtectionProblems(args, project, settings.region));
    return problems;
}

/** Cloud SQL instance names: lower-case letters, digits and hyphens, starting with a letter, at most 98 characters. */
const CLOUD_SQL_INSTANCE = /^[a-z][a-z0-9-]{0,97}$/;

/** drRegion (required in production; another region of the same continent) and the restore block's Cloud SQL shapes. */
function gcpDataProtectionProblems(args: PlatformArgs, project: string, region: string | undefined): string[] {
    const k = (key: string) => `${project}:${key}`;
    const problems: string[] = [];
    const drRegion = args.overrides.gcp.drRegion;
    problems.push(...drRegionProblems(project, "gcp", drRegion, { key: "gcp:region", region }, args.environment === "production",
        "a second region (e.g. europe-west4) for the Cloud SQL backups and the dual-region bucket's second copy"));
    if (drRegion && region && drRegion !== region && args.environment === "production" &&
        (!dualRegionParent(region) || dualRegionParent(region) !== dualRegionParent(drRegion))) {
        problems.push(
            `${k("gcp.drRegion")} is '${drRegion}', but a dual-region bucket pairs two regions of one multi-region (EU: europe-*, US: us-*, ASIA: asia-*) ` +
                `and gcp:region is '${region}'; choose a drRegion on the same continent`,
        );
    }
    const restore = args.restore;
    if (restore?.kind === "backup") {
        if (!/^\d{1,19}$/.test(restore.backupId)) {
            problems.push(`${k("restore.from")} is '${restore.backupId}', which is not a Cloud SQL backup run id (digits, from gcloud sql backups list --instance <source>)`);
        }
        if (!restore.source) problems.push(`${k("restore.source")} is empty; a Cloud SQL backup run belongs to an instance, so name the instance it was taken from`);
    }
    if (restore?.source && !CLOUD_SQL_INSTANCE.test(restore.source)) {
        problems.push(`${k("restore.source")} is '${restore.source}', which is not a Cloud SQL instance name (lower-case letters, digits, '-', starting with a letter)`);
    }
    return problems;
}

/** Why a CIDR cannot be the subnet (not RFC 1918, or host bits set), or undefined. */
export function privateCidrProblem(cidr: string): string | undefined {
    const [address, prefixText] = cidr.split("/");
    const octets = address.split(".").map(Number);
    if (octets.some((o) => o > 255)) return "not an IPv4 address";
    const [a, b] = octets;
    const isPrivate = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
    if (!isPrivate) return "not a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16";
    const value = octets.reduce((acc, o) => acc * 256 + o, 0);
    const hostBits = 32 - Number(prefixText);
    if (value % 2 ** hostBits !== 0) return `host bits are set; the /${prefixText} network containing it starts elsewhere`;
    return undefined;
}
