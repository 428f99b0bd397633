import "../transpile-cache";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR, runStack, stackConfig } from "../harness";
import { latestReadDate, money, type CostEstimate } from "./index";
import { estimateRun } from "./plan";

/**
 * Rewrites README's cost table (between the cost-table markers) from the estimate of every shipped
 * stack on every cloud, and the price table's date in the sentence above it; tests/cost.test.ts
 * fails while the two differ.
 *
 *   node -r ./tools/register.js tools/cost/readme.ts
 */

const STACKS = ["staging", "prod"];
const COLUMNS = [
    { cloud: "aws", title: "AWS (eu-west-1)" },
    { cloud: "gcp", title: "Google Cloud (europe-west1)" },
    { cloud: "azure", title: "Azure (westeurope)" },
    { cloud: "kubernetes", title: "Kubernetes (requests)" },
];

export function cell(estimate: CostEstimate, bound: "min" | "max"): string {
    if (estimate.cloud !== "kubernetes") return money(bound === "min" ? estimate.totalMin : estimate.totalMax);
    const r = estimate.requests;
    if (!r) return "-";
    return bound === "min"
        ? `${r.vcpuMin} vCPU, ${r.memoryGiBMin} GiB memory, ${r.storageGiB} GiB storage`
        : `${r.vcpuMax} vCPU, ${r.memoryGiBMax} GiB memory, ${r.storageGiB} GiB storage`;
}

async function main(): Promise<void> {
    const lines = [`| stack | ${COLUMNS.map((c) => c.title).join(" | ")} |`, `|---|${COLUMNS.map(() => "---|").join("")}`];
    for (const stack of STACKS) {
        const estimates: CostEstimate[] = [];
        for (const { cloud } of COLUMNS) {
            const overrides = { cloud };
            const result = await runStack(stack, { overrides });
            if (result.error) throw result.error;
            estimates.push(estimateRun(stack, cloud, stackConfig(stack, { overrides }).config, result.resources));
        }
        for (const bound of ["min", "max"] as const) lines.push(`| ${stack}, ${bound} instances | ${estimates.map((e) => cell(e, bound)).join(" | ")} |`);
    }
    const file = path.join(PROJECT_DIR, "README.md");
    const readme = fs.readFileSync(file, "utf8");
    const updated = readme
        // Replacer functions: the table's "$1,358.86" must not be read as replacement patterns.
        .replace(/(<!-- cost-table:begin[^\n]*\n)[\s\S]*?(<!-- cost-table:end -->)/, (_, begin: string, end: string) => `${begin}${lines.join("\n")}\n${end}`)
        .replace(/price table of \d{4}-\d{2}-\d{2}/, () => `price table of ${latestReadDate()}`);
    fs.writeFileSync(file, updated);
    process.stdout.write(`${lines.join("\n")}\n`);
}

if (require.main === module) {
    main().catch((error: Error) => {
        process.stderr.write(`${error.stack ?? error.message}\n`);
        process.exit(1);
    });
}
