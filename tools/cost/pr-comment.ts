import "../transpile-cache";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { CLOUDS, estimateMonthlyCost, moneyRange, type CostEstimate, type PlanResource } from "./index";
import { REGION_KEYS } from "./plan";

/**
 * The pull request's cost comment: for each stack, the estimate of the base branch's plan and of
 * the pull request's plan, and the difference. Both plans (plan/<stack>-<cloud>.json, written by
 * `npm run plan` in each checkout) are re-estimated here with this checkout's price table and
 * assumptions, so the difference is what the change to the resources costs.
 *
 *   node -r ./tools/register.js tools/cost/pr-comment.ts --base <dir> --head <dir> <stack>...
 */

/** First line of the comment, so the workflow finds and updates its own comment. */
export const COMMENT_MARKER = "<!-- fastapi-platform:cost-estimate -->";

interface PlanFile { cloud: string; resources: PlanResource[] }

/** The stack file of checkout `dir`: its config and the cloud it names (aws when unset, as Pulumi.yaml defaults). */
export function stackFile(dir: string, stack: string): { cloud: string; config: Record<string, unknown> } | undefined {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    const projectFile = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(file) || !fs.existsSync(projectFile)) return undefined;
    const project = (parseYaml(fs.readFileSync(projectFile, "utf8")) as { name?: string } | null)?.name;
    const config = (parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {};
    const cloud = config[`${project}:cloud`];
    return { cloud: typeof cloud === "string" && CLOUDS.includes(cloud) ? cloud : "aws", config };
}

/** The plan `npm run plan -- <stack>` wrote in checkout `dir` for the stack's cloud, or undefined. */
export function readPlan(dir: string, stack: string): PlanFile | undefined {
    const facts = stackFile(dir, stack);
    const file = facts && path.join(dir, "plan", `${stack}-${facts.cloud}.json`);
    if (!file || !fs.existsSync(file)) return undefined;
    return JSON.parse(fs.readFileSync(file, "utf8")) as PlanFile;
}

/** The region the stack file of checkout `dir` sets for `cloud`. */
export function stackRegion(dir: string, stack: string, cloud: string): string | undefined {
    const key = REGION_KEYS[cloud];
    const value = key ? stackFile(dir, stack)?.config[key] : undefined;
    return typeof value === "string" ? value : undefined;
}

export function estimatePlanIn(dir: string, stack: string): CostEstimate | undefined {
    const plan = readPlan(dir, stack);
    if (!plan) return undefined;
    return estimateMonthlyCost({ cloud: plan.cloud, stack, region: stackRegion(dir, stack, plan.cloud), resources: plan.resources });
}

function signed(amount: number): string {
    const rounded = Math.round(amount * 100) / 100;
    return `${rounded < 0 ? "-" : "+"}$${Math.abs(rounded).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function perType(estimate: CostEstimate | undefined): Map<string, { min: number; max: number }> {
    const totals = new Map<string, { min: number; max: number }>();
    for (const line of estimate?.lines ?? []) {
        if (line.status !== "priced") continue;
        const total = totals.get(line.type) ?? { min: 0, max: 0 };
        totals.set(line.type, { min: total.min + line.monthlyMin, max: total.max + line.monthlyMax });
    }
    return totals;
}

/** The comment: a row per stack (base, this pull request, change), then what changed per resource type. */
export function commentText(rows: { stack: string; base?: CostEstimate; head?: CostEstimate }[]): string {
    const out = [COMMENT_MARKER, "### Monthly cost estimate", ""];
    out.push("| stack | cloud | base branch | this pull request | change (min / max) |", "|---|---|---|---|---|");
    const total = (e?: CostEstimate) => (e ? moneyRange(e.totalMin, e.totalMax) : "no plan");
    for (const { stack, base, head } of rows) {
        const cloud = head?.cloud ?? base?.cloud ?? "?";
        const moved = base && head && base.cloud !== head.cloud ? ` (was ${base.cloud})` : "";
        const change = base && head ? `${signed(head.totalMin - base.totalMin)} / ${signed(head.totalMax - base.totalMax)}` : "n/a";
        out.push(`| ${stack} | ${cloud}${moved} | ${total(base)} | ${total(head)} | ${change} |`);
    }
    for (const { stack, base, head } of rows) {
        if (!base || !head) continue;
        const before = perType(base);
        const after = perType(head);
        const changed = [...new Set([...before.keys(), ...after.keys()])].sort().filter((type) => {
            const b = before.get(type) ?? { min: 0, max: 0 };
            const a = after.get(type) ?? { min: 0, max: 0 };
            return Math.abs(a.min - b.min) >= 0.005 || Math.abs(a.max - b.max) >= 0.005;
        });
        if (changed.length === 0) continue;
        out.push("", `<details><summary>${stack}: ${changed.length} resource type(s) change cost</summary>`, "");
        out.push("| resource type | base branch | this pull request |", "|---|---|---|");
        for (const type of changed) {
            const b = before.get(type);
            const a = after.get(type);
            out.push(`| \`${type}\` | ${b ? moneyRange(round(b.min), round(b.max)) : "-"} | ${a ? moneyRange(round(a.min), round(a.max)) : "-"} |`);
        }
        out.push("", "</details>");
    }
    const heads = rows.map((r) => r.head).filter((e): e is CostEstimate => e !== undefined);
    const notPriced = heads.reduce((n, e) => n + e.lines.filter((l) => l.status === "not-priced").length, 0);
    const unknown = [...new Set(heads.flatMap((e) => e.unknownTypes))];
    out.push("");
    if (unknown.length > 0) out.push(`**Resource types without a cost rule:** ${unknown.map((t) => `\`${t}\``).join(", ")}`, "");
    const date = heads.map((e) => e.priceTableDate).sort().pop() ?? "?";
    out.push(`USD, on-demand list prices of ${date}, min/max at the autoscaling range; ${notPriced} billable item(s) not priced. ` +
        "Usage assumptions: tools/cost/assumptions.yaml. Details: `npm run plan -- <stack>`.");
    return out.join("\n");
}

function round(amount: number): number {
    return Math.round(amount * 100) / 100;
}

export function main(argv: string[]): number {
    let baseDir: string | undefined;
    let headDir = ".";
    const stacks: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--base") baseDir = argv[++i];
        else if (argv[i] === "--head") headDir = argv[++i];
        else if (argv[i].startsWith("--")) {
            process.stderr.write(`unknown option ${argv[i]}\nusage: pr-comment.ts --base <dir> [--head <dir>] <stack>...\n`);
            return 2;
        } else stacks.push(argv[i]);
    }
    if (!baseDir || stacks.length === 0) {
        process.stderr.write("usage: pr-comment.ts --base <dir> [--head <dir>] <stack>...\n");
        return 2;
    }
    const base = baseDir;
    const rows = stacks.map((stack) => ({ stack, base: estimatePlanIn(base, stack), head: estimatePlanIn(headDir, stack) }));
    process.stdout.write(`${commentText(rows)}\n`);
    return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
