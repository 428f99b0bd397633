import { guarded, pricedLine, unitPrice, type CostLine, type PlanResource, type RuleContext, type RuleSet } from "../model";

/** Types every cloud's plan holds that no cloud bills. */
export const COMMON_RULES: RuleSet = {
    "command:local:Command": { kind: "free", reason: "runs where `pulumi up` runs (the migration job it starts, and any backup, are priced on their own lines)" },
    "docker-build:index:Image": { kind: "free", reason: "built where `pulumi up` runs; the pushed image is stored in the registry, priced on the repository's line" },
    "random:index/randomId:RandomId": { kind: "free", reason: "generated in the Pulumi state; no cloud resource" },
    "random:index/randomPassword:RandomPassword": { kind: "free", reason: "generated in the Pulumi state; no cloud resource" },
};

/** Provider resources (`pulumi:providers:<pkg>`) configure a plugin; they are never billed. */
export const PROVIDER_TYPE_PREFIX = "pulumi:providers:";

/** Instances of a resource type, in plan order. */
export function ofType(ctx: RuleContext, type: string): PlanResource[] {
    return ctx.resources.filter((r) => r.type === type && r.custom !== false);
}

/** Index of `resource` among the resources of its type (0 for the first). */
export function indexOfType(ctx: RuleContext, resource: PlanResource): number {
    return ofType(ctx, resource.type).findIndex((r) => r.name === resource.name);
}

/** Kubernetes-style quantities: "500m" -> 0.5 CPUs; "2048Mi" -> 2 GiB; "1Gi"; "0.5Gi"; plain numbers. */
export function cpuQuantity(value: unknown): number {
    if (typeof value === "number") return value;
    if (typeof value !== "string" || value === "") return 0;
    return value.endsWith("m") ? Number(value.slice(0, -1)) / 1000 : Number(value);
}

export function memoryGiB(value: unknown): number {
    if (typeof value === "number") return value / 1024 ** 3;
    if (typeof value !== "string" || value === "") return 0;
    const match = /^([0-9.]+)\s*(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(value);
    if (!match) return 0;
    const amount = Number(match[1]);
    const factor: Record<string, number> = {
        Ki: 1 / 1024 ** 2, Mi: 1 / 1024, Gi: 1, Ti: 1024,
        K: 1e3 / 1024 ** 3, M: 1e6 / 1024 ** 3, G: 1e9 / 1024 ** 3, T: 1e12 / 1024 ** 3,
    };
    return match[2] ? amount * factor[match[2]] : amount / 1024 ** 3;
}

/** The resource's numeric input, or `fallback` when absent or not a number (strings of digits count). */
export function num(value: unknown, fallback: number): number {
    const parsed = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    return typeof parsed === "number" && Number.isFinite(parsed) ? parsed : fallback;
}

/** A resource billed at one fixed price, per hour around the clock or per month. */
export function flatRate(entryId: string, per: "hour" | "month", label: string | ((resource: PlanResource) => string)): (resource: PlanResource, ctx: RuleContext) => CostLine[] {
    return (resource, ctx) => guarded(resource, () => {
        const monthly = unitPrice(ctx, entryId) * (per === "hour" ? ctx.hours : 1);
        return [pricedLine(ctx, resource, typeof label === "string" ? label : label(resource), monthly, monthly, [entryId])];
    });
}

/**
 * Log ingestion (logGbPerMonth from the assumptions) and its retention beyond the days the
 * ingestion price includes, pro rata per 30 days.
 */
export function logVolumeLine(ctx: RuleContext, resource: PlanResource, prices: { ingest: string; retention: string }, keptDays: number, includedDays: number, unit: string): CostLine {
    const gb = ctx.assumptions.logGbPerMonth;
    const beyond = gb * Math.max(0, keptDays - includedDays) / 30;
    const monthly = gb * unitPrice(ctx, prices.ingest) + beyond * unitPrice(ctx, prices.retention);
    return pricedLine(ctx, resource, `logs ${gb} ${unit}/month kept ${keptDays} days`, monthly, monthly, [prices.ingest, prices.retention], ["logGbPerMonth"]);
}

/** An image registry priced by stored GB: registryStorageGb from the assumptions, spread over the stack's registries. */
export function registry(entryId: string): (resource: PlanResource, ctx: RuleContext) => CostLine[] {
    return (resource, ctx) => guarded(resource, () => {
        const registries = ofType(ctx, resource.type).length;
        const gb = ctx.assumptions.registryStorageGb / registries;
        const monthly = gb * unitPrice(ctx, entryId);
        return [pricedLine(ctx, resource, `images ${gb} GB stored`, monthly, monthly, [entryId], ["registryStorageGb"])];
    });
}
