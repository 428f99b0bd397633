import type { Assumptions } from "./assumptions";

/**
 * The cost model's vocabulary. A price table (prices/<cloud>.ts) holds list prices with their
 * source; the rules (rules/<cloud>.ts) say, for every resource type the program creates, how its
 * inputs turn into monthly cost lines, or why the type has no price of its own.
 */

export const CURRENCY = "USD";

/** One list price: what it prices, per which unit, where it applies and where it was read. */
export interface PriceEntry {
    /** Stable key the rules use, e.g. "aws.fargate.vcpu". */
    id: string;
    /** Resource type tokens whose cost this price makes up. */
    types: string[];
    /** What one unit is, e.g. "per vCPU-hour of a running task". */
    dimension: string;
    /**
     * Price per unit in each region it was read for; a record when it depends on a size (instance
     * class, tier, SKU). A region missing here is reported as "not priced in region X".
     */
    regions: Record<string, number | Record<string, number>>;
    /** The public pricing page the figure comes from. */
    source: string;
    /** Date the figure was read (YYYY-MM-DD). */
    read: string;
    /**
     * true: the figure for these regions was seen on the `read` date in a copy of a public page
     * (the provider's pricing page or a page quoting it); false: the figure could not be
     * re-checked for the region on that date (the estimate marks lines using it with "*", so
     * nobody mistakes it for a quote). Check the source page before relying on such a figure.
     */
    confirmed: boolean;
    note?: string;
}

/** A plan's resource as the estimator needs it: from the harness (plainInputs) or a plan JSON (inputs). */
export interface PlanResource {
    type: string;
    name: string;
    /** false for component resources, which are never billed. */
    custom?: boolean;
    inputs: Record<string, any>;
}

export interface PlanInput {
    cloud: string;
    /** The stack's region (aws:region, gcp:region, azure-native:location); none for Kubernetes. */
    region?: string;
    stack?: string;
    resources: PlanResource[];
}

export type LineStatus = "priced" | "free" | "not-priced";

/** Kubernetes requests of a line: what the cluster must have room for. */
export interface ClusterRequests {
    vcpuMin: number;
    vcpuMax: number;
    memoryGiBMin: number;
    memoryGiBMax: number;
    storageGiB: number;
}

export interface CostLine {
    type: string;
    /** The resource's logical name. */
    name: string;
    description: string;
    monthlyMin: number;
    monthlyMax: number;
    /** false when the amount is unknown: the line says why in `reason`, and counts 0 in the totals. */
    priced: boolean;
    status: LineStatus;
    reason?: string;
    /** Price entry ids behind the amount. */
    prices?: string[];
    /** Some price behind the amount is not confirmed for the region (see PriceEntry.confirmed). */
    unconfirmed?: boolean;
    /** Assumption keys the amount depends on (usage the plan cannot know). */
    assumptions?: string[];
    requests?: ClusterRequests;
}

export interface CostEstimate {
    cloud: string;
    region?: string;
    stack?: string;
    currency: string;
    /** Latest `read` date among the price entries the estimate used. */
    priceTableDate: string;
    hoursPerMonth: number;
    lines: CostLine[];
    totalMin: number;
    totalMax: number;
    /** Resource types with no rule at all: a new type someone must price or explain. */
    unknownTypes: string[];
    /** Sum of Kubernetes requests (in-cluster parts), when any. */
    requests?: ClusterRequests;
    /** The assumptions the usage-based lines used. */
    assumptions: Assumptions;
}

/** What a rule sees besides its resource. */
export interface RuleContext {
    cloud: string;
    region?: string;
    assumptions: Assumptions;
    hours: number;
    resources: PlanResource[];
    /** The cloud's price table. */
    table: Record<string, PriceEntry>;
}

export type TypeRule =
    /** Priced from the resource's inputs; `prices` are the entries it may use. */
    | { kind: "priced"; prices: string[]; estimate(resource: PlanResource, ctx: RuleContext): CostLine[] }
    /** No charge of its own; the reason says why (or where its cost is counted instead). */
    | { kind: "free"; reason: string }
    /** Billable, but not estimated; the reason says what it costs and why it is left out. */
    | { kind: "not-priced"; reason: string };

export type RuleSet = Record<string, TypeRule>;

export class NotPriced extends Error {}

/** The price of `entryId` in the context's region (and size, for sized entries); throws NotPriced. */
export function unitPrice(ctx: RuleContext, entryId: string, size?: string): number {
    const entry = ctx.table[entryId];
    if (!entry) throw new Error(`the cost rules use a price entry '${entryId}' that the ${ctx.cloud} price table does not have`);
    const region = ctx.region ?? "";
    const byRegion = entry.regions[region];
    if (byRegion === undefined) {
        throw new NotPriced(`${entry.dimension}: not priced in region ${region || "(none)"} (the price table has ${Object.keys(entry.regions).join(", ")})`);
    }
    if (typeof byRegion === "number") return byRegion;
    if (size === undefined) throw new Error(`price entry '${entryId}' is sized; the rule must name the size`);
    const value = byRegion[size];
    if (value === undefined) {
        throw new NotPriced(`${size} is not in the price table for ${entry.dimension} in ${region} (priced: ${Object.keys(byRegion).join(", ")})`);
    }
    return value;
}

/** A line priced from the given entries; `unconfirmed` follows from them. */
export function pricedLine(
    ctx: RuleContext, resource: PlanResource, description: string, monthlyMin: number, monthlyMax: number,
    prices: string[], assumptions?: string[],
): CostLine {
    const unconfirmed = prices.some((id) => ctx.table[id] && !ctx.table[id].confirmed);
    return {
        type: resource.type, name: resource.name, description, monthlyMin: round(monthlyMin), monthlyMax: round(monthlyMax),
        priced: true, status: "priced", prices, ...(unconfirmed ? { unconfirmed } : {}), ...(assumptions?.length ? { assumptions } : {}),
    };
}

export function notPricedLine(resource: PlanResource, description: string, reason: string, extra: Partial<CostLine> = {}): CostLine {
    return { type: resource.type, name: resource.name, description, monthlyMin: 0, monthlyMax: 0, priced: false, status: "not-priced", reason, ...extra };
}

export function freeLine(resource: PlanResource, reason: string): CostLine {
    return { type: resource.type, name: resource.name, description: "no charge", monthlyMin: 0, monthlyMax: 0, priced: true, status: "free", reason };
}

/** Cents are the finest the estimate claims; rounding each line keeps lines and totals consistent. */
export function round(amount: number): number {
    return Math.round(amount * 100) / 100;
}

/** Runs `estimate`, turning a NotPriced into a line that says what is missing. */
export function guarded(resource: PlanResource, estimate: () => CostLine[]): CostLine[] {
    try {
        return estimate();
    } catch (error) {
        if (error instanceof NotPriced) return [notPricedLine(resource, "not priced", error.message)];
        throw error;
    }
}

/** A readable count range, "3" or "3-10". */
export function range(min: number, max: number): string {
    return min === max ? String(min) : `${min}-${max}`;
}
