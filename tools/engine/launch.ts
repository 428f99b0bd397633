import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { MOCK_ORGANIZATION, PROJECT_DIR, isSecretWrapper, stackConfig, type RunResult, type StackConfigInput } from "../stack-config";
import { setMockConfig } from "../mocks";
import { LocalEngine, type EngineLog, type EngineResource } from "./monitor";

/**
 * Starts a Pulumi program the way `pulumi preview`/`pulumi up` does, minus the CLI binary: what
 * the nodejs language host (pulumi-language-nodejs, `Run`) does, done here. It reads the
 * project's Pulumi.yaml runtime options, passes the stack config in the engine's form
 * (PULUMI_CONFIG: `<namespace>:config:<key>` -> string, objects as JSON text;
 * PULUMI_CONFIG_SECRET_KEYS), and runs `node <project>/node_modules/@pulumi/pulumi/cmd/run`
 * with the same flags, in a child process, against a LocalEngine on a loopback port. So module
 * loading, ts-node's compiler options and the gRPC protocol are the real ones.
 */

export interface ProgramRun {
    /** Directory of the project's Pulumi.yaml (the program directory). */
    projectDir: string;
    project: string;
    stack: string;
    /** Config in `<namespace>:<key>` form with engine-string values. */
    config: Record<string, string>;
    secretKeys: string[];
    /** `pulumi preview` (true) or `pulumi up` (false). */
    preview: boolean;
    organization?: string;
    /** Kills the program after this long. */
    timeoutMs?: number;
    /** Node flags before the entry point, after Pulumi.yaml's nodeargs (profiling, heap limits). */
    extraNodeArgs?: string[];
    /** Called once the program's process is started (the engine is listening by then). */
    onSpawn?: () => void;
}

export interface ProgramResult {
    exitCode: number | null;
    stdout: string;
    stderr: string;
    /** Every registration, the root stack resource included. */
    resources: EngineResource[];
    stackOutputs: Record<string, unknown>;
    logs: EngineLog[];
    invokes: { token: string; inputs: unknown }[];
    /** ms from spawn to exit. */
    durationMs: number;
}

interface RuntimeOptions {
    typescript: boolean;
    tsconfig?: string;
    nodeargs?: string;
    main?: string;
}

/** Pulumi.yaml `runtime`: a bare name or {name, options}, plus the project's `main`. */
export function runtimeOptions(projectDir: string): RuntimeOptions {
    const project = parseYaml(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as Record<string, any>;
    const runtime = project.runtime;
    const options = (typeof runtime === "object" && runtime !== null ? runtime.options : undefined) ?? {};
    return {
        // The language host's default is TypeScript on.
        typescript: options.typescript !== false,
        tsconfig: typeof options.tsconfig === "string" ? options.tsconfig : undefined,
        nodeargs: typeof options.nodeargs === "string" ? options.nodeargs : undefined,
        main: typeof project.main === "string" ? project.main : undefined,
    };
}

/** `ns:key` -> `ns:config:key`, as the language host rewrites keys for the SDK. */
export function engineConfigJson(config: Record<string, string>): string {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        const at = key.indexOf(":");
        out[`${key.slice(0, at)}:config:${key.slice(at + 1)}`] = value;
    }
    return JSON.stringify(out);
}

/** The environment the program sees: the caller's, less anything that would steer ts-node or the SDK differently than under the CLI. */
function programEnvironment(run: ProgramRun, options: RuntimeOptions): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
        if (!/^(TS_NODE_|PULUMI_|NODE_OPTIONS$)/.test(key)) env[key] = value;
    }
    env.PULUMI_CONFIG = engineConfigJson(run.config);
    env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(run.secretKeys);
    if (options.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
    return env;
}

export async function runProgram(run: ProgramRun): Promise<ProgramResult> {
    const options = runtimeOptions(run.projectDir);
    setMockConfig(run.config);
    const engine = new LocalEngine(run.stack, run.project, run.preview);
    const address = await engine.start();
    const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [run.projectDir] });
    const args = [
        ...(options.nodeargs ? options.nodeargs.split(/\s+/).filter(Boolean) : []),
        ...(run.extraNodeArgs ?? []),
        runPath,
        "--monitor", address,
        "--engine", address,
        "--organization", run.organization ?? MOCK_ORGANIZATION,
        "--project", run.project,
        "--root-directory", run.projectDir,
        "--stack", run.stack,
        "--pwd", run.projectDir,
        ...(run.preview ? ["--dry-run"] : []),
        "--parallel", "16",
        options.main ?? ".",
    ];
    const started = Date.now();
    try {
        const child = spawn(process.execPath, args, { cwd: run.projectDir, env: programEnvironment(run, options), stdio: ["ignore", "pipe", "pipe"] });
        run.onSpawn?.();
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
        const timeoutMs = run.timeoutMs ?? 120_000;
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        const exitCode = await new Promise<number | null>((resolve, reject) => {
            child.on("error", reject);
            child.on("close", (code) => resolve(code));
        }).finally(() => clearTimeout(timer));
        const timedOut = Date.now() - started >= timeoutMs;
        return {
            exitCode,
            stdout: Buffer.concat(stdout).toString("utf8"),
            stderr: Buffer.concat(stderr).toString("utf8") + (timedOut ? `\nkilled after ${timeoutMs} ms` : ""),
            resources: engine.record.resources,
            stackOutputs: engine.record.stackOutputs,
            logs: engine.record.logs,
            invokes: engine.record.invokes,
            durationMs: Date.now() - started,
        };
    } finally {
        engine.stop();
    }
}

/** The program's error as the CLI shows it: the error-level log lines, else stderr. */
export function programErrorText(result: ProgramResult): string {
    const errors = result.logs.filter((log) => log.severity === "error").map((log) => log.message.trim());
    return (errors.length > 0 ? errors.join("\n") : result.stderr.trim()) || `the program exited with code ${result.exitCode}`;
}

/**
 * Runs this repository's program for `stack` through the real entry point and returns what the
 * in-process harness returns (RunResult), plus each resource's dependencies and the engine log.
 * The root stack resource is left out of `resources`, as the in-process harness has none.
 */
export async function runStackThroughEngine(stack: string, input: EngineStackInput = {}): Promise<EngineRunResult> {
    const { project, config, secretKeys } = stackConfig(stack, input);
    const stackName = input.stackName ?? stack;
    const program = await runProgram({ projectDir: PROJECT_DIR, project, stack: stackName, config, secretKeys, preview: input.preview ?? false, onSpawn: input.onSpawn });
    const failed = program.exitCode !== 0;
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    for (const [name, value] of Object.entries(program.stackOutputs)) {
        if (isSecretWrapper(value)) secretOutputs.push(name);
        outputs[name] = isSecretWrapper(value) ? value.value : value;
    }
    return {
        project, stack: stackName,
        resources: program.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"),
        outputs, secretOutputs,
        invokes: program.invokes as RunResult["invokes"],
        error: failed ? Object.assign(new Error(programErrorText(program)), { name: "ProgramError" }) : undefined,
        program,
    };
}

export interface EngineStackInput extends StackConfigInput {
    /** `pulumi preview` rather than `pulumi up`. */
    preview?: boolean;
    onSpawn?: ProgramRun["onSpawn"];
}

export interface EngineRunResult extends RunResult {
    resources: EngineResource[];
    program: ProgramResult;
}
