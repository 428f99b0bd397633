import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "../config";
import { selectProvider } from "../providers";
import { PROJECT_DIR, stackConfig, type StackConfigInput } from "../tools/harness";
import { PlatformMocks } from "../tools/mocks";
import { npmScriptArgv } from "../tools/npm-script";

/** `npm run plan -- <args>` as a user runs it, in a child process. */
export function planChild(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const [node, ...argv] = npmScriptArgv("plan", ...args);
    const result = spawnSync(node, argv, {
        cwd: PROJECT_DIR, encoding: "utf8", timeout: 120000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let counter = 0;
/**
 * A stack file written beside Pulumi.yaml for the duration of `use` (the plan tool only plans
 * stacks that have one), removed afterwards whatever happens.
 */
export async function withStackFile<T>(content: string, use: (stack: string) => T | Promise<T>): Promise<T> {
    const stack = `hardening-${process.pid}-${++counter}`;
    const file = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, content);
    try {
        return await use(stack);
    } finally {
        fs.rmSync(file, { force: true });
    }
}

/**
 * The staging stack file with `lines` (indented under `config:`) appended; a one-line key of the
 * file that an appended line sets again is dropped first, so the result has no duplicate.
 */
export function stagingWith(...lines: string[]): string {
    const appendedKeys = new Set(lines.flatMap((line) => /^  (\S+?):(\s|$)/.exec(line)?.[1] ?? []));
    const original = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.staging.yaml"), "utf8").trimEnd().split("\n");
    const kept = original.filter((line, i) => {
        const key = /^  (\S+?):\s+\S/.exec(line)?.[1];
        return !(key && appendedKeys.has(key) && !/^   /.test(original[i + 1] ?? ""));
    });
    return `${kept.join("\n")}\n${lines.join("\n")}\n`;
}

/** The staging stack file with `lines` appended as they are (duplicates included). */
export function stagingAppended(...lines: string[]): string {
    return `${fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.staging.yaml"), "utf8").trimEnd()}\n${lines.join("\n")}\n`;
}

/**
 * The program's whole validation path (loadConfig, then the cloud's own checks in
 * selectProvider) in this process, without building the stack: the code the program runs first.
 * Returns the error the program would fail with, or undefined when it would go on.
 */
export function validateInProcess(stack: string, input: StackConfigInput): Promise<Error | undefined> {
    // The runtime's config is global: concurrent callers (the end-to-end batches) take turns, or
    // one case's checks would read another case's settings.
    const turn = validationQueue.then(() => validateNow(stack, input));
    validationQueue = turn.catch(() => undefined);
    return turn;
}

let validationQueue: Promise<unknown> = Promise.resolve();

async function validateNow(stack: string, input: StackConfigInput): Promise<Error | undefined> {
    const { project, config, secretKeys } = stackConfig(stack, input);
    // Mocks once per stack name: setMocks costs far more than the validation itself.
    if (currentStack() !== stack) await pulumi.runtime.setMocks(new PlatformMocks(), project, stack, true);
    pulumi.runtime.setAllConfig(config, secretKeys);
    try {
        const args = loadConfig();
        await selectProvider(args, project, stack);
        return undefined;
    } catch (error) {
        return error as Error;
    }
}

function currentStack(): string | undefined {
    try {
        return pulumi.getStack();
    } catch {
        return undefined;
    }
}
