import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

/** Usage the plan cannot know; see assumptions.yaml for what each key means. */
export interface Assumptions {
    hoursPerMonth: number;
    requestsPerMonth: number;
    egressGbPerMonth: number;
    natProcessedGbPerMonth: number;
    logGbPerMonth: number;
    accessLogGbPerMonth: number;
    albLcuAverage: number;
    secretReadsPerMonth: number;
    migrationRunsPerMonth: number;
    migrationMinutesPerRun: number;
    backupStorageGbBeyondFree: number;
    registryStorageGb: number;
    kubernetes: { nodeVcpuHour: number | null; nodeMemoryGiBHour: number | null; storageGiBMonth: number | null };
}

export const DEFAULT_ASSUMPTIONS_FILE = path.join(__dirname, "assumptions.yaml");
/** A file of the same shape whose values replace the defaults (only the keys it names). */
export const ASSUMPTIONS_ENV = "COST_ASSUMPTIONS";

type Layered = { defaults?: Record<string, unknown>; stacks?: Record<string, Record<string, unknown>> };

/**
 * The assumptions for `stack`: assumptions.yaml's defaults, then its `stacks.<stack>`, then the
 * same two layers of the file COST_ASSUMPTIONS names (or `file`). Unknown keys and wrong types are
 * errors naming the key, so a typo never silently falls back to a default.
 */
export function loadAssumptions(stack?: string, file: string | undefined = process.env[ASSUMPTIONS_ENV]): Assumptions {
    const layers: { label: string; values: Record<string, unknown> }[] = [];
    for (const source of [DEFAULT_ASSUMPTIONS_FILE, ...(file ? [path.resolve(file)] : [])]) {
        if (!fs.existsSync(source)) throw new Error(`${ASSUMPTIONS_ENV}: no file ${source}`);
        const parsed = (parseYaml(fs.readFileSync(source, "utf8")) ?? {}) as Layered;
        if (typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`${source}: expected a mapping with 'defaults' and 'stacks'`);
        for (const key of Object.keys(parsed)) {
            if (key !== "defaults" && key !== "stacks") throw new Error(`${source}: unknown top-level key '${key}' (allowed: defaults, stacks)`);
        }
        if (parsed.defaults) layers.push({ label: `${source} defaults`, values: parsed.defaults });
        const forStack = stack ? parsed.stacks?.[stack] : undefined;
        if (forStack) layers.push({ label: `${source} stacks.${stack}`, values: forStack });
    }
    const merged: Record<string, unknown> = {};
    for (const { label, values } of layers) mergeInto(merged, values, label, "");
    return validate(merged);
}

const NUMBER_KEYS = [
    "hoursPerMonth", "requestsPerMonth", "egressGbPerMonth", "natProcessedGbPerMonth", "logGbPerMonth", "accessLogGbPerMonth",
    "albLcuAverage", "secretReadsPerMonth", "migrationRunsPerMonth", "migrationMinutesPerRun", "backupStorageGbBeyondFree", "registryStorageGb",
] as const;
const KUBERNETES_KEYS = ["nodeVcpuHour", "nodeMemoryGiBHour", "storageGiBMonth"] as const;

function mergeInto(target: Record<string, unknown>, values: Record<string, unknown>, label: string, prefix: string): void {
    for (const [key, value] of Object.entries(values)) {
        const known = prefix === "" ? [...NUMBER_KEYS, "kubernetes"] : [...KUBERNETES_KEYS];
        if (!(known as string[]).includes(key)) throw new Error(`${label}: unknown assumption '${prefix}${key}' (known: ${known.join(", ")})`);
        if (key === "kubernetes" && prefix === "") {
            if (typeof value !== "object" || value === null) throw new Error(`${label}: kubernetes must be a mapping`);
            const nested = (target.kubernetes ?? {}) as Record<string, unknown>;
            mergeInto(nested, value as Record<string, unknown>, label, "kubernetes.");
            target.kubernetes = nested;
        } else {
            const nullable = prefix !== "";
            if (!(typeof value === "number" && Number.isFinite(value) && value >= 0) && !(nullable && value === null)) {
                throw new Error(`${label}: ${prefix}${key} is ${JSON.stringify(value)}; expected a number >= 0${nullable ? " or null" : ""}`);
            }
            target[key] = value;
        }
    }
}

function validate(merged: Record<string, unknown>): Assumptions {
    for (const key of NUMBER_KEYS) if (typeof merged[key] !== "number") throw new Error(`cost assumption ${key} is not set`);
    if ((merged.hoursPerMonth as number) <= 0) throw new Error("cost assumption hoursPerMonth must be positive");
    const kubernetes = (merged.kubernetes ?? {}) as Record<string, number | null>;
    return {
        ...(Object.fromEntries(NUMBER_KEYS.map((key) => [key, merged[key]])) as Omit<Assumptions, "kubernetes">),
        kubernetes: {
            nodeVcpuHour: kubernetes.nodeVcpuHour ?? null,
            nodeMemoryGiBHour: kubernetes.nodeMemoryGiBHour ?? null,
            storageGiBMonth: kubernetes.storageGiBMonth ?? null,
        },
    };
}
