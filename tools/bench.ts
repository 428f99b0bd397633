import "./transpile-cache";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { availableClouds } from "../providers";
import { PROJECT_DIR, runStack } from "./harness";

/**
 * `npm run bench [-- --no-tests] [--runs N]`: how long the offline plan takes (the program
 * started through @pulumi/pulumi's cmd/run in its own process, as `pulumi up` starts it), against
 * the floor of loading the Pulumi SDK at all, and how long the test suite takes. Peak RSS is GNU
 * time's: that of the largest process of the tree (the plan tool or the program). Prints a table
 * and writes bench/results.json.
 */

const GNU_TIME = "/usr/bin/time";
const PLAN_GOAL_SECONDS = 3;
const PLAN_GOAL_RSS_MB = 300;
const RATIO_GOAL = 5;

interface Sample {
    seconds: number;
    /** Peak resident set size of the process tree, when GNU time is available. */
    rssMb?: number;
    exitCode: number;
}

interface Measurement {
    label: string;
    command: string;
    runs: number;
    medianSeconds: number;
    medianRssMb?: number;
    samples: Sample[];
}

interface BenchOptions {
    runs: number;
    tests: boolean;
}

function parseArgs(argv: string[]): BenchOptions {
    const options: BenchOptions = { runs: 5, tests: true };
    for (let i = 0; i < argv.length; i++) {
        const count = () => {
            const n = Number(argv[++i]);
            if (!Number.isInteger(n) || n < 1) throw new Error(`${argv[i - 1]} needs a positive whole number`);
            return n;
        };
        if (argv[i] === "--no-tests") options.tests = false;
        else if (argv[i] === "--runs") options.runs = count();
        else throw new Error(`unknown option ${argv[i]}; usage: npm run bench -- [--no-tests] [--runs N]`);
    }
    return options;
}

/** One run of `command`, timed by GNU time when present (wall and peak RSS), else by the clock alone. */
function sample(command: string[], env: NodeJS.ProcessEnv): Sample & { stdout: string; stderr: string } {
    const useGnuTime = fs.existsSync(GNU_TIME);
    const report = path.join(os.tmpdir(), `bench-time-${process.pid}.txt`);
    const argv = useGnuTime ? [GNU_TIME, "-o", report, "-f", "%e %M", ...command] : command;
    const started = process.hrtime.bigint();
    const child = spawnSync(argv[0], argv.slice(1), { cwd: PROJECT_DIR, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const clockSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (child.error) throw child.error;
    let seconds = clockSeconds;
    let rssMb: number | undefined;
    if (useGnuTime && fs.existsSync(report)) {
        const last = fs.readFileSync(report, "utf8").trim().split("\n").pop() ?? "";
        const [wall, rssKb] = last.split(" ").map(Number);
        if (Number.isFinite(wall)) seconds = wall;
        if (Number.isFinite(rssKb)) rssMb = rssKb / 1024;
        fs.rmSync(report, { force: true });
    }
    return { seconds, rssMb, exitCode: child.status ?? 1, stdout: child.stdout, stderr: child.stderr };
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median of `runs` runs; a failing run aborts the bench unless `mayFail` (then it is reported). */
function measure(label: string, command: string[], runs: number, env: NodeJS.ProcessEnv = process.env, mayFail = false): Measurement {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) {
        const { seconds, rssMb, exitCode, stderr } = sample(command, env);
        if (exitCode !== 0 && !mayFail) throw new Error(`${label} failed (exit ${exitCode}):\n${stderr}`);
        if (exitCode !== 0) process.stderr.write(`  ${label} exited ${exitCode}:\n${stderr.split("\n").slice(0, 20).join("\n")}\n`);
        samples.push({ seconds, rssMb, exitCode });
        process.stderr.write(`  ${label}: ${seconds.toFixed(2)} s${rssMb !== undefined ? `, ${rssMb.toFixed(0)} MB` : ""}\n`);
    }
    const rss = samples.flatMap((s) => (s.rssMb !== undefined ? [s.rssMb] : []));
    return {
        label,
        command: command.map((part) => (/\s/.test(part) ? `'${part}'` : part)).join(" "),
        runs,
        medianSeconds: median(samples.map((s) => s.seconds)),
        medianRssMb: rss.length > 0 ? median(rss) : undefined,
        samples,
    };
}

function runTests(): { seconds: number; passed?: number; failed?: number; exitCode: number } {
    const mocha = path.join(PROJECT_DIR, "node_modules", "mocha", "bin", "mocha.js");
    const { seconds, exitCode, stdout } = sample([process.execPath, mocha], process.env);
    const count = (word: string) => {
        const match = new RegExp(`(\\d+) ${word}`).exec(stdout);
        return match ? Number(match[1]) : undefined;
    };
    return { seconds, passed: count("passing"), failed: count("failing") ?? 0, exitCode };
}

const seconds = (value: number) => `${value.toFixed(2)} s`;
const megabytes = (value?: number) => (value === undefined ? "n/a" : `${value.toFixed(0)} MB`);

async function main(): Promise<void> {
    const options = parseArgs(process.argv.slice(2));
    const node = process.execPath;
    const plan = [node, "-r", "ts-node/register/transpile-only", "tools/plan.ts", "prod"];
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";

    process.stderr.write("measuring...\n");
    // One unmeasured run fills the transpile cache, as any run after the first would find it.
    sample(plan, process.env);
    const planDirect = measure("plan prod (node)", plan, options.runs);
    // The same plan on every other cloud the program can deploy: the prod stack file, only `cloud` changed.
    const otherClouds = availableClouds().filter((cloud) => cloud !== "aws").map((cloud) => {
        sample([...plan, "--cloud", cloud], process.env);
        return measure(`plan prod --cloud ${cloud} (node)`, [...plan, "--cloud", cloud], options.runs);
    });
    const planNpm = measure("plan prod (npm run)", [npm, "run", "--silent", "plan", "--", "prod"], 1);
    const bareSdk = measure("bare require @pulumi/pulumi", [node, "-e", 'require("@pulumi/pulumi")'], options.runs);

    const counts: Record<string, number> = {};
    for (const cloud of availableClouds()) {
        for (const stack of ["staging", "prod"]) {
            const result = await runStack(stack, { overrides: { cloud } });
            if (result.error) throw new Error(`${stack} on ${cloud} does not run: ${result.error.message}`);
            counts[`${cloud} ${stack}`] = result.resources.length;
        }
    }
    const tests = options.tests ? runTests() : undefined;
    const ratio = planDirect.medianSeconds / bareSdk.medianSeconds;

    const rows: [string, string, string, string][] = [
        ["measurement", "wall (median)", "peak RSS (median)", "runs"],
        ...[planDirect, ...otherClouds, planNpm, bareSdk].map((m): [string, string, string, string] => [
            m.label, seconds(m.medianSeconds), megabytes(m.medianRssMb),
            m.samples.some((s) => s.exitCode !== 0) ? `${m.runs} (FAILED: exit ${m.samples.find((s) => s.exitCode !== 0)?.exitCode})` : String(m.runs),
        ]),
        ["plan / bare SDK", `${ratio.toFixed(2)}x`, "", ""],
        ...Object.entries(counts).map(([stack, count]): [string, string, string, string] => [`resources, ${stack}`, String(count), "", ""]),
        ...(tests
            ? [["test suite (mocha)", seconds(tests.seconds), "", `${tests.passed ?? "?"} passed, ${tests.failed ?? "?"} failed`] as [string, string, string, string]]
            : []),
    ];
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    const table = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()).join("\n");

    const goals = [planDirect, ...otherClouds].flatMap((m) => [
        `${m.label} wall ${seconds(m.medianSeconds)} (goal <= ${PLAN_GOAL_SECONDS} s): ${m.medianSeconds <= PLAN_GOAL_SECONDS ? "met" : "MISSED"}`,
        `${m.label} peak RSS ${megabytes(m.medianRssMb)} (goal <= ${PLAN_GOAL_RSS_MB} MB): ${m.medianRssMb === undefined ? "not measured" : m.medianRssMb <= PLAN_GOAL_RSS_MB ? "met" : "MISSED"}`,
    ]);
    goals.push(`plan / bare SDK ${ratio.toFixed(2)}x (goal <= ${RATIO_GOAL}x): ${ratio <= RATIO_GOAL ? "met" : "MISSED"}`);
    process.stdout.write(`\n${table}\n\n${goals.join("\n")}\n`);

    const results = {
        date: new Date().toISOString(),
        machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: os.cpus().length, loadAverage: os.loadavg() },
        goals: { planSeconds: PLAN_GOAL_SECONDS, planRssMb: PLAN_GOAL_RSS_MB, ratio: RATIO_GOAL },
        planDirect, otherClouds, planNpm, bareSdk,
        ratio,
        resourceCounts: counts,
        tests: tests ?? null,
    };
    const file = path.join(PROJECT_DIR, "bench", "results.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`\nwritten to ${path.relative(process.cwd(), file) || file}\n`);
}

main().catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
});
