import { loadAssumptions, type Assumptions } from "./assumptions";
import { CURRENCY, notPricedLine, round, type ClusterRequests, type CostEstimate, type CostLine, type PlanInput, type PriceEntry, type RuleContext, type RuleSet } from "./model";
import { AWS_PRICES } from "./prices/aws";
import { AZURE_PRICES } from "./prices/azure";
import { GCP_PRICES } from "./prices/gcp";
import { AWS_RULES } from "./rules/aws";
import { AZURE_RULES } from "./rules/azure";
import { COMMON_RULES, PROVIDER_TYPE_PREFIX } from "./rules/common";
import { GCP_RULES } from "./rules/gcp";
import { KUBERNETES_RULES } from "./rules/kubernetes";

export type { CostEstimate, CostLine, PlanInput, PlanResource } from "./model";
export { loadAssumptions } from "./assumptions";

/** Per cloud: the price table and the rule for every resource type the program may create there. */
export const CLOUD_MODELS: Record<string, { prices: PriceEntry[]; rules: RuleSet }> = {
    aws: { prices: AWS_PRICES, rules: { ...COMMON_RULES, ...AWS_RULES } },
    gcp: { prices: GCP_PRICES, rules: { ...COMMON_RULES, ...GCP_RULES } },
    azure: { prices: AZURE_PRICES, rules: { ...COMMON_RULES, ...AZURE_RULES } },
    kubernetes: { prices: [], rules: { ...COMMON_RULES, ...KUBERNETES_RULES } },
};

export const CLOUDS = Object.keys(CLOUD_MODELS);

/** The message a type without a rule gets, in the estimate and in the tests. */
export function unknownTypeReason(cloud: string, type: string): string {
    return `no price entry or "not priced" reason for ${type}: add one to tools/cost/rules/${cloud}.ts (and its price to tools/cost/prices/${cloud}.ts)`;
}

/**
 * The monthly list-price estimate of a plan's resources: one or more lines per billable resource
 * (min at the fewest instances the autoscaling allows, max at the most), free resources with the
 * reason they cost nothing, and billable ones the table cannot price with the reason why. Totals
 * add the priced lines only; `unknownTypes` lists types no rule covers.
 */
export function estimateMonthlyCost(plan: PlanInput, assumptions: Assumptions = loadAssumptions(plan.stack)): CostEstimate {
    const model = CLOUD_MODELS[plan.cloud];
    if (!model) throw new Error(`no cost model for cloud '${plan.cloud}' (clouds: ${CLOUDS.join(", ")})`);
    const table = Object.fromEntries(model.prices.map((entry) => [entry.id, entry]));
    const custom = plan.resources.filter((r) => r.custom !== false);
    const ctx: RuleContext = { cloud: plan.cloud, region: plan.region, assumptions, hours: assumptions.hoursPerMonth, resources: custom, table };

    const lines: CostLine[] = [];
    const unknownTypes = new Set<string>();
    for (const resource of custom) {
        if (resource.type.startsWith(PROVIDER_TYPE_PREFIX)) continue;
        const rule = model.rules[resource.type];
        if (!rule) {
            unknownTypes.add(resource.type);
            lines.push(notPricedLine(resource, "unknown resource type", unknownTypeReason(plan.cloud, resource.type)));
        } else if (rule.kind === "free") {
            lines.push({ type: resource.type, name: resource.name, description: "no charge", monthlyMin: 0, monthlyMax: 0, priced: true, status: "free", reason: rule.reason });
        } else if (rule.kind === "not-priced") {
            lines.push(notPricedLine(resource, "not priced", rule.reason));
        } else {
            lines.push(...rule.estimate(resource, ctx));
        }
    }

    const pricedLines = lines.filter((line) => line.priced);
    const used = new Set(lines.flatMap((line) => line.prices ?? []));
    const dates = model.prices.filter((entry) => used.has(entry.id)).map((entry) => entry.read).sort();
    const withRequests = lines.filter((line) => line.requests);
    return {
        cloud: plan.cloud,
        ...(plan.region ? { region: plan.region } : {}),
        ...(plan.stack ? { stack: plan.stack } : {}),
        currency: CURRENCY,
        priceTableDate: dates[dates.length - 1] ?? latestReadDate(),
        hoursPerMonth: assumptions.hoursPerMonth,
        lines,
        totalMin: round(pricedLines.reduce((sum, line) => sum + line.monthlyMin, 0)),
        totalMax: round(pricedLines.reduce((sum, line) => sum + line.monthlyMax, 0)),
        unknownTypes: [...unknownTypes].sort(),
        ...(withRequests.length > 0 ? { requests: sumRequests(withRequests.map((line) => line.requests!)) } : {}),
        assumptions,
    };
}

/** The newest `read` date across every cloud's price table. */
export function latestReadDate(): string {
    return Object.values(CLOUD_MODELS).flatMap((m) => m.prices.map((p) => p.read)).sort().pop() ?? "";
}

function sumRequests(all: ClusterRequests[]): ClusterRequests {
    const sum = (key: keyof ClusterRequests) => round(all.reduce((total, r) => total + r[key], 0));
    return { vcpuMin: sum("vcpuMin"), vcpuMax: sum("vcpuMax"), memoryGiBMin: sum("memoryGiBMin"), memoryGiBMax: sum("memoryGiBMax"), storageGiB: sum("storageGiB") };
}

// ---- text ----

export function money(amount: number): string {
    return `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function moneyRange(min: number, max: number): string {
    return min === max ? money(min) : `${money(min)} - ${money(max)}`;
}

/** The requests line of a Kubernetes estimate, e.g. "3.75-9.75 vCPU, 7.5-19.5 GiB memory, 23 GiB storage". */
export function requestsText(requests: ClusterRequests): string {
    const r = (min: number, max: number) => (min === max ? `${min}` : `${min}-${max}`);
    return `${r(requests.vcpuMin, requests.vcpuMax)} vCPU, ${r(requests.memoryGiBMin, requests.memoryGiBMax)} GiB memory, ${requests.storageGiB} GiB storage`;
}

/** The estimate as plan text: per resource type (priced, then not priced), the total, and what it assumed. */
export function renderCost(estimate: CostEstimate): string {
    const out: string[] = [];
    const where = estimate.region ? ` in ${estimate.region}` : "";
    out.push(`Monthly cost estimate (${estimate.currency}, on-demand list prices${where}, ${estimate.hoursPerMonth} h/month; price table of ${estimate.priceTableDate})`);
    const byType = new Map<string, CostLine[]>();
    for (const line of estimate.lines) byType.set(line.type, [...(byType.get(line.type) ?? []), line]);

    const priced = [...byType.entries()].filter(([, lines]) => lines.some((l) => l.status === "priced"));
    const width = Math.max(20, ...priced.map(([, lines]) => moneyRange(sum(lines, "monthlyMin"), sum(lines, "monthlyMax")).length));
    for (const [type, lines] of priced.sort(([, a], [, b]) => sum(b, "monthlyMax") - sum(a, "monthlyMax"))) {
        const pricedLines = lines.filter((l) => l.status === "priced");
        const names = new Set(pricedLines.map((l) => l.name)).size;
        const mark = pricedLines.some((l) => l.unconfirmed) ? "*" : " ";
        out.push(`  ${moneyRange(sum(pricedLines, "monthlyMin"), sum(pricedLines, "monthlyMax")).padStart(width)}${mark} ${type} (${names})`);
        // Identical lines (three NAT gateways, fourteen alarms) print once with their count.
        const groups = new Map<string, CostLine[]>();
        for (const line of pricedLines) {
            const key = `${line.description}|${line.monthlyMin}|${line.monthlyMax}`;
            groups.set(key, [...(groups.get(key) ?? []), line]);
        }
        for (const group of groups.values()) {
            const [line] = group;
            const who = group.length === 1 ? `${line.name}: ` : `${group.length} x `;
            const each = group.length === 1 ? "" : " each";
            out.push(`  ${"".padStart(width)}    ${who}${line.description} = ${moneyRange(line.monthlyMin, line.monthlyMax)}${each}`);
        }
    }
    const notPriced = estimate.lines.filter((l) => l.status === "not-priced");
    if (notPriced.length > 0) {
        out.push("  Not priced (counted as 0 in the total):");
        for (const line of notPriced) out.push(`    ${line.type} ${line.name}: ${line.description}; ${line.reason}`);
    }
    const free = [...byType.entries()].filter(([, lines]) => lines.every((l) => l.status === "free"));
    if (free.length > 0) out.push(`  No charge: ${free.length} resource types (${[...new Set(free.map(([type]) => shortType(type)))].sort().join(", ")}); reasons in the JSON`);
    out.push(`  Total: ${moneyRange(estimate.totalMin, estimate.totalMax)} per month (min at the fewest instances the autoscaling allows, max at the most)`);
    if (estimate.requests) out.push(`  Kubernetes requests: ${requestsText(estimate.requests)}`);
    if (notPriced.length > 0) out.push(`  ${notPriced.length} billable item(s) not priced (listed above).`);
    if (estimate.unknownTypes.length > 0) out.push(`  UNKNOWN resource types (no cost rule): ${estimate.unknownTypes.join(", ")}`);
    if (estimate.lines.some((l) => l.unconfirmed)) {
        out.push("  * uses a list price not re-confirmed for the region on the table's date (tools/cost/prices/*.ts names its source page)");
    }
    out.push("  Usage assumptions (tools/cost/assumptions.yaml, or COST_ASSUMPTIONS=<file>): " + usageSummary(estimate));
    return out.join("\n");
}

function usageSummary(estimate: CostEstimate): string {
    const keys = new Set(estimate.lines.flatMap((l) => l.assumptions ?? []));
    const a = estimate.assumptions as unknown as Record<string, unknown>;
    const shown = [...keys].sort().map((key) => {
        const value = key.startsWith("kubernetes.") ? (estimate.assumptions.kubernetes as Record<string, unknown>)[key.slice("kubernetes.".length)] : a[key];
        return `${key}=${value}`;
    });
    return shown.length > 0 ? shown.join(", ") : "none used";
}

function sum(lines: CostLine[], key: "monthlyMin" | "monthlyMax"): number {
    return round(lines.reduce((total, line) => total + line[key], 0));
}

/** "aws:ec2/subnet:Subnet" -> "Subnet"; kept unique enough for a one-line summary. */
function shortType(type: string): string {
    return type.split(":").pop() ?? type;
}
