import { runStackThroughEngine } from "../engine/launch";
import { stackConfig, type RecordedResource } from "../stack-config";
import { CLOUDS, estimateMonthlyCost, money, moneyRange, renderCost, requestsText, type CostEstimate } from "./index";
import { round } from "./model";

/** Config key of each cloud's region (as the stack files set it); Kubernetes has none. */
export const REGION_KEYS: Record<string, string | undefined> = {
    aws: "aws:region", gcp: "gcp:region", azure: "azure-native:location", kubernetes: undefined,
};

/** The region a stack's config puts `cloud` in. */
export function regionOf(cloud: string, config: Record<string, string>): string | undefined {
    const key = REGION_KEYS[cloud];
    return key ? config[key] : undefined;
}

/** The estimate of a harness run: its recorded resources with their plain inputs. */
export function estimateRun(stack: string, cloud: string, config: Record<string, string>, resources: RecordedResource[]): CostEstimate {
    return estimateMonthlyCost({
        cloud, stack, region: regionOf(cloud, config),
        resources: resources.map((r) => ({ type: r.type, name: r.name, custom: r.custom, inputs: r.plainInputs })),
    });
}

/** What `npm run plan` adds: the text after its report and the `cost` field of its JSON. */
export function planCost(stack: string, cloud: string, config: Record<string, string>, resources: RecordedResource[]): { text: string; json: CostEstimate } {
    const estimate = estimateRun(stack, cloud, config, resources);
    return { text: renderCost(estimate), json: estimate };
}

/**
 * `npm run plan -- <stack> --cloud all`: the same stack planned on every cloud, the estimates side
 * by side. Returns the plan's exit code (1 when a cloud's program fails for this stack).
 */
export async function compareClouds(stack: string, write: (text: string) => void = (text) => process.stdout.write(text)): Promise<number> {
    const estimates: CostEstimate[] = [];
    let failed = false;
    // Each cloud's program in its own process, started as `pulumi up` starts it, all at once.
    const runs = CLOUDS.map((cloud) => runStackThroughEngine(stack, { overrides: { cloud } }));
    for (const [i, cloud] of CLOUDS.entries()) {
        const { config } = stackConfig(stack, { overrides: { cloud } });
        const result = await runs[i];
        if (result.error) {
            write(`${cloud}: the program failed for stack '${stack}': ${result.error.message}\n`);
            failed = true;
            continue;
        }
        estimates.push(estimateRun(stack, cloud, config, result.resources));
    }
    write(`${compareText(stack, estimates)}\n`);
    return failed ? 1 : 0;
}

/** The four clouds' totals and largest items, one column per cloud. */
export function compareText(stack: string, estimates: CostEstimate[]): string {
    const rows: [string, ...string[]][] = [];
    // A cloud with nothing priced but requests (Kubernetes without node prices) has no money total.
    const cell = (e: CostEstimate, key: "totalMin" | "totalMax") =>
        e.requests && !e.lines.some((l) => l.status === "priced") ? "requests only" : money(e[key]);
    rows.push(["", ...estimates.map((e) => `${e.cloud}${e.region ? ` (${e.region})` : ""}`)]);
    rows.push(["monthly, min instances", ...estimates.map((e) => cell(e, "totalMin"))]);
    rows.push(["monthly, max instances", ...estimates.map((e) => cell(e, "totalMax"))]);
    rows.push(["not priced (items)", ...estimates.map((e) => String(e.lines.filter((l) => l.status === "not-priced").length))]);
    rows.push(["in-cluster requests", ...estimates.map((e) => (e.requests ? requestsText(e.requests) : "-"))]);
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    const lines = [`Monthly cost of stack '${stack}' on each cloud (USD, on-demand list prices; price table of ${estimates.map((e) => e.priceTableDate).sort().pop() ?? "?"})`];
    for (const row of rows) lines.push(row.map((value, column) => (column === 0 ? value.padEnd(widths[column]) : value.padStart(widths[column]))).join("   "));
    lines.push("");
    lines.push("Largest items per cloud (at max instances):");
    for (const e of estimates) {
        const byType = new Map<string, { min: number; max: number }>();
        for (const line of e.lines.filter((l) => l.status === "priced")) {
            const total = byType.get(line.type) ?? { min: 0, max: 0 };
            byType.set(line.type, { min: total.min + line.monthlyMin, max: total.max + line.monthlyMax });
        }
        const top = [...byType.entries()].sort(([, a], [, b]) => b.max - a.max).slice(0, 4);
        lines.push(`  ${e.cloud}: ${top.map(([type, t]) => `${type.split(":").pop()} ${moneyRange(round(t.min), round(t.max))}`).join("; ") || "nothing priced"}`);
    }
    lines.push("", "Kubernetes prices only in-cluster requests, and only with node prices in the cost assumptions; each cloud's full plan: npm run plan -- <stack> --cloud <name>.");
    return lines.join("\n");
}
