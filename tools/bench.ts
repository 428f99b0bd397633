import "./transpile-cache";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { availableClouds } from "../providers";
import { runProgram, runStackThroughEngine } from "./engine/launch";
import { PROJECT_DIR, runStack } from "./harness";
import { npmScriptArgv } from "./npm-script";

/**
 * `npm run bench [-- --no-tests] [--runs N]`: how long the offline plan takes (the program
 * started through @pulumi/pulumi's cmd/run in its own process, as `pulumi up` starts it), against
 * the floor of loading the Pulumi SDK at all, and how long the test suite takes. Peak RSS is GNU
 * time's: that of the largest process of the tree (the plan tool or the program). Prints a table
 * and writes bench/results.json.
 *
 * Two more rows split the plan's time: the program's own process (spawn to exit, the plan tool
 * left out), and the same entry point running bench/empty-program, a program that only loads the
 * SDK: what cmd/run, ts-node and the SDK cost before any resource is declared.
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

const EMPTY_PROGRAM_DIR = path.join(PROJECT_DIR, "bench", "empty-program");

/** One row of the table: how to take one sample of it. */
interface Probe {
    label: string;
    command: string;
    take(): Promise<Sample>;
}

/** A probe that runs `argv` as its own process (wall time and peak RSS from GNU time). */
function processProbe(label: string, argv: string[]): Probe {
    return {
        label,
        command: argv.map((part) => (/\s/.test(part) ? `'${part}'` : part)).join(" "),
        async take() {
            const { seconds, rssMb, exitCode, stderr } = sample(argv, process.env);
            if (exitCode !== 0) throw new Error(`${label} failed (exit ${exitCode}):\n${stderr}`);
            return { seconds, rssMb, exitCode };
        },
    };
}

/** A probe timing a program process started by tools/engine/launch.ts (spawn to exit). */
function programProbe(label: string, run: () => Promise<number>): Probe {
    return { label, command: "tools/engine/launch.ts runProgram (spawn to exit)", take: async () => ({ seconds: (await run()) / 1000, exitCode: 0 }) };
}

/**
 * One unmeasured round (caches filled, as any run after the first finds them), then `runs`
 * rounds in which every probe takes one sample in turn: this shared VM's speed drifts by a third
 * within minutes, and interleaving lets the drift hit every row alike, so the rows compare.
 */
async function measureInRounds(probes: Probe[], runs: number): Promise<Measurement[]> {
    const samples = probes.map((): Sample[] => []);
    for (let round = 0; round <= runs; round++) {
        for (const [i, probe] of probes.entries()) {
            const taken = await probe.take();
            if (round === 0) continue;
            samples[i].push(taken);
            process.stderr.write(`  round ${round}: ${probe.label}: ${taken.seconds.toFixed(2)} s${taken.rssMb !== undefined ? `, ${taken.rssMb.toFixed(0)} MB` : ""}\n`);
        }
    }
    return probes.map((probe, i) => {
        const rss = samples[i].flatMap((s) => (s.rssMb !== undefined ? [s.rssMb] : []));
        return {
            label: probe.label, command: probe.command, runs,
            medianSeconds: median(samples[i].map((s) => s.seconds)),
            medianRssMb: rss.length > 0 ? median(rss) : undefined,
            samples: samples[i],
        };
    });
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
    // Exactly what `npm run plan -- prod` executes.
    const plan = npmScriptArgv("plan", "prod");
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";

    process.stderr.write("measuring...\n");
    // The same plan on every other cloud the program can deploy: the prod stack file, only `cloud` changed.
    const otherClouds = availableClouds().filter((cloud) => cloud !== "aws");
    const [planDirect, ...rest] = await measureInRounds([
        processProbe("plan prod (node)", plan),
        ...otherClouds.map((cloud) => processProbe(`plan prod --cloud ${cloud} (node)`, [...plan, "--cloud", cloud])),
        processProbe("plan prod (npm run)", [npm, "run", "--silent", "plan", "--", "prod"]),
        programProbe("program process alone, prod (cmd/run)", async () => {
            const result = await runStackThroughEngine("prod");
            if (result.error) throw new Error(`prod does not run through the entry point: ${result.error.message}`);
            return result.program.durationMs;
        }),
        programProbe("empty program (cmd/run floor)", async () => {
            const result = await runProgram({ projectDir: EMPTY_PROGRAM_DIR, project: "empty-program", stack: "bench", config: {}, secretKeys: [], preview: false });
            if (result.exitCode !== 0) throw new Error(`bench/empty-program failed (exit ${result.exitCode}):\n${result.stderr}`);
            return result.durationMs;
        }),
        processProbe("bare require @pulumi/pulumi", [node, "-e", 'require("@pulumi/pulumi")']),
    ], options.runs);
    const otherCloudPlans = rest.slice(0, otherClouds.length);
    const [planNpm, programAlone, entryPointFloor, bareSdk] = rest.slice(otherClouds.length);

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
    // No goal: how much of the plan is the entry point's fixed cost (cmd/run, ts-node, the SDK).
    const floorShare = entryPointFloor.medianSeconds / planDirect.medianSeconds;

    const rows: [string, string, string, string][] = [
        ["measurement", "wall (median)", "peak RSS (median)", "runs"],
        ...[planDirect, ...otherCloudPlans, planNpm, programAlone, entryPointFloor, bareSdk].map((m): [string, string, string, string] => [
            m.label, seconds(m.medianSeconds), megabytes(m.medianRssMb),
            m.samples.some((s) => s.exitCode !== 0) ? `${m.runs} (FAILED: exit ${m.samples.find((s) => s.exitCode !== 0)?.exitCode})` : String(m.runs),
        ]),
        ["plan / bare SDK", `${ratio.toFixed(2)}x`, "", ""],
        ["empty program / plan", `${(floorShare * 100).toFixed(0)} %`, "", ""],
        ...Object.entries(counts).map(([stack, count]): [string, string, string, string] => [`resources, ${stack}`, String(count), "", ""]),
        ...(tests
            ? [["test suite (mocha)", seconds(tests.seconds), "", `${tests.passed ?? "?"} passed, ${tests.failed ?? "?"} failed`] as [string, string, string, string]]
            : []),
    ];
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    const table = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()).join("\n");

    const goals = [planDirect, ...otherCloudPlans].flatMap((m) => [
        `${m.label} wall ${seconds(m.medianSeconds)} (goal <= ${PLAN_GOAL_SECONDS} s): ${m.medianSeconds <= PLAN_GOAL_SECONDS ? "met" : "MISSED"}`,
        `${m.label} peak RSS ${megabytes(m.medianRssMb)} (goal <= ${PLAN_GOAL_RSS_MB} MB): ${m.medianRssMb === undefined ? "not measured" : m.medianRssMb <= PLAN_GOAL_RSS_MB ? "met" : "MISSED"}`,
    ]);
    goals.push(`plan / bare SDK ${ratio.toFixed(2)}x (goal <= ${RATIO_GOAL}x): ${ratio <= RATIO_GOAL ? "met" : "MISSED"}`);
    process.stdout.write(`\n${table}\n\n${goals.join("\n")}\n`);

    const results = {
        date: new Date().toISOString(),
        machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: os.cpus().length, loadAverage: os.loadavg() },
        goals: { planSeconds: PLAN_GOAL_SECONDS, planRssMb: PLAN_GOAL_RSS_MB, ratio: RATIO_GOAL },
        planDirect, otherClouds: otherCloudPlans, planNpm, programAlone, entryPointFloor, bareSdk,
        ratio,
        floorShare,
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
