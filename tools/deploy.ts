import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import type { Stack } from "@pulumi/pulumi/automation";
import { PROJECT_DIR } from "./stack-config";

/**
 * `npm run deploy -- <stack> <preview|up|refresh|destroy> [--yes-destroy-production]`
 *
 * Runs a Pulumi operation on a stack of this project through the Automation API
 * (LocalWorkspace on this directory), streaming the CLI's output and applying the CrossGuard
 * pack in policy/ to previews and updates. Checks run in this order, each before anything is
 * touched: the arguments and the stack file; the production guard (destroy is refused on a
 * stack whose `fastapi-platform:environment` is production, its default, unless
 * --yes-destroy-production is given); the Pulumi CLI on PATH; a Pulumi login; the policy pack.
 *
 * Exit codes: 0 the operation succeeded; 1 it failed; 2 usage, guard or set-up errors (nothing ran).
 */

export const OPERATIONS = ["preview", "up", "refresh", "destroy"] as const;
export type Operation = (typeof OPERATIONS)[number];

export const USAGE = "usage: npm run deploy -- <stack> <preview|up|refresh|destroy> [--yes-destroy-production]";
export const DESTROY_FLAG = "--yes-destroy-production";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface DeployOptions {
    /** As given: `prod`, `acme/prod` or `acme/fastapi-platform/prod`. */
    stack: string;
    /** The last segment: the name of the stack file Pulumi.<name>.yaml. */
    stackName: string;
    operation: Operation;
    yesDestroyProduction: boolean;
}

export class UsageError extends Error {}

const STACK_SEGMENT = /^(?!\.+$)[A-Za-z0-9_.-]+$/;

export function parseArgs(argv: string[]): DeployOptions {
    const positional: string[] = [];
    let yesDestroyProduction = false;
    for (const arg of argv) {
        if (arg === DESTROY_FLAG) yesDestroyProduction = true;
        else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
        else positional.push(arg);
    }
    if (positional.length !== 2) {
        throw new UsageError(positional.length < 2 ? "name the stack and the operation" : `too many arguments: ${positional.join(" ")}`);
    }
    const [stack, operation] = positional;
    const segments = stack.split("/");
    if (segments.length > 3 || !segments.every((segment) => STACK_SEGMENT.test(segment))) {
        throw new UsageError(`'${stack}' is not a stack name (stack, org/stack or org/project/stack)`);
    }
    if (!OPERATIONS.includes(operation as Operation)) {
        throw new UsageError(`unknown operation '${operation}'; one of ${OPERATIONS.join(", ")}`);
    }
    if (yesDestroyProduction && operation !== "destroy") throw new UsageError(`${DESTROY_FLAG} only goes with destroy`);
    return { stack, stackName: segments[segments.length - 1], operation: operation as Operation, yesDestroyProduction };
}

export interface StackFacts {
    project: string;
    stackFile: string;
    environment: string;
    /** Where the environment came from, for messages. */
    environmentSource: string;
    /** Backend URL from Pulumi.yaml (`backend.url`), if the project pins one. */
    backendUrl?: string;
}

/** Every stack file beside Pulumi.yaml. */
export function shippedStacks(projectDir = PROJECT_DIR): string[] {
    return fs.readdirSync(projectDir)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/** The stack's environment: its stack file's `<project>:environment`, else Pulumi.yaml's default. */
export function stackFacts(stackName: string, projectDir = PROJECT_DIR): StackFacts | undefined {
    const stackFile = ["yaml", "yml"].map((ext) => path.join(projectDir, `Pulumi.${stackName}.${ext}`)).find((file) => fs.existsSync(file));
    if (!stackFile) return undefined;
    const project = (parseYaml(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) ?? {}) as {
        name?: string;
        backend?: { url?: string };
        config?: Record<string, { default?: unknown } | undefined>;
    };
    const name = project.name ?? path.basename(projectDir);
    const values = ((parseYaml(fs.readFileSync(stackFile, "utf8")) ?? {}) as { config?: Record<string, unknown> }).config ?? {};
    const key = `${name}:environment`;
    const fromStack = values[key];
    const fromProject = project.config?.environment?.default;
    return {
        project: name,
        stackFile: path.basename(stackFile),
        environment: String(fromStack ?? fromProject ?? "production"),
        environmentSource: fromStack !== undefined ? `${key} in ${path.basename(stackFile)}` : `the default of ${key} in Pulumi.yaml`,
        backendUrl: project.backend?.url,
    };
}

/** The refusal message when `options` would destroy a production stack without the explicit flag. */
export function productionDestroyRefusal(options: DeployOptions, facts: StackFacts): string | undefined {
    if (options.operation !== "destroy" || facts.environment !== "production" || options.yesDestroyProduction) return undefined;
    return [
        `Refusing to destroy stack '${options.stack}': it is a production stack (environment: production, from ${facts.environmentSource}).`,
        "Production data stores are protected (see the README's \"Teardown, and what is protected\").",
        `If you really mean to tear production down, run it again with ${DESTROY_FLAG}.`,
    ].join("\n");
}

/** The `pulumi` executable on PATH, or undefined. */
export function findPulumiCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
    const extensions = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
    for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
        for (const extension of extensions) {
            const candidate = path.join(dir, `pulumi${extension}`);
            try {
                fs.accessSync(candidate, fs.constants.X_OK);
                if (fs.statSync(candidate).isFile()) return candidate;
            } catch {
                // not here
            }
        }
    }
    return undefined;
}

/** How the CLI would find a backend and its credentials, or undefined when it has none. */
export function pulumiLogin(env: NodeJS.ProcessEnv = process.env, facts?: StackFacts): string | undefined {
    if (env.PULUMI_ACCESS_TOKEN) return "PULUMI_ACCESS_TOKEN";
    if (env.PULUMI_BACKEND_URL) return `PULUMI_BACKEND_URL (${env.PULUMI_BACKEND_URL})`;
    if (facts?.backendUrl) return `backend.url in Pulumi.yaml (${facts.backendUrl})`;
    const home = env.PULUMI_HOME || path.join(env.HOME || env.USERPROFILE || os.homedir(), ".pulumi");
    const credentialsFile = path.join(home, "credentials.json");
    try {
        const credentials = JSON.parse(fs.readFileSync(credentialsFile, "utf8")) as { current?: string };
        if (credentials.current) return `pulumi login (${credentials.current})`;
    } catch {
        // no credentials file, or an unreadable one: not logged in
    }
    return undefined;
}

export const POLICY_DIR = "policy";

export interface Io {
    out: (text: string) => void;
    err: (text: string) => void;
    env: NodeJS.ProcessEnv;
}

export const processIo: Io = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
};

/**
 * The command line parsed and the stack's file found, shared by the runners (deploy, release):
 * on a usage error or an unknown stack, the message is written and EXIT_USAGE returned.
 */
export function argumentsAndStack<T extends { stackName: string }>(
    argv: string[], parse: (argv: string[]) => T, usage: string, io: Pick<Io, "err">, projectDir: string,
): { code: number } | { options: T; facts: StackFacts } {
    let options: T;
    try {
        options = parse(argv);
    } catch (error) {
        io.err(`${(error as Error).message}\n${usage}\n`);
        return { code: EXIT_USAGE };
    }
    const facts = stackFacts(options.stackName, projectDir);
    if (!facts) {
        io.err(`There is no stack '${options.stackName}' (no Pulumi.${options.stackName}.yaml); stacks: ${shippedStacks(projectDir).join(", ")}\n`);
        return { code: EXIT_USAGE };
    }
    return { options, facts };
}

/** Everything before the Automation API: returns an exit code to stop with, or the checked plan. */
export function preflight(argv: string[], io: Io = processIo, projectDir = PROJECT_DIR): { code: number } | { options: DeployOptions; facts: StackFacts; policyPacks: string[] } {
    const parsed = argumentsAndStack(argv, parseArgs, USAGE, io, projectDir);
    if ("code" in parsed) return parsed;
    const { options, facts } = parsed;
    const refusal = productionDestroyRefusal(options, facts);
    if (refusal) {
        io.err(`${refusal}\n`);
        return { code: EXIT_USAGE };
    }
    if (!findPulumiCli(io.env)) {
        io.err([
            "Pulumi CLI not found: there is no `pulumi` executable on PATH.",
            "The Automation API drives the CLI; install it (https://www.pulumi.com/docs/install/), check `pulumi version`, and run this again.",
            "Without a cloud account, `npm run plan -- <stack>` shows what the stack would create.",
        ].join("\n") + "\n");
        return { code: EXIT_USAGE };
    }
    if (!pulumiLogin(io.env, facts)) {
        io.err([
            "Not logged in to a Pulumi backend: no PULUMI_ACCESS_TOKEN, no PULUMI_BACKEND_URL and no `pulumi login` credentials.",
            "Run `pulumi login` (Pulumi Cloud, or s3://..., gs://..., azblob://..., file://...), or export PULUMI_ACCESS_TOKEN, and run this again.",
        ].join("\n") + "\n");
        return { code: EXIT_USAGE };
    }
    const policyPacks: string[] = [];
    if (options.operation === "preview" || options.operation === "up") {
        const pack = path.join(projectDir, POLICY_DIR);
        if (!fs.existsSync(path.join(pack, "PulumiPolicy.yaml"))) {
            io.err(`The policy pack is missing: ${path.join(pack, "PulumiPolicy.yaml")} does not exist. Previews and updates always run with it.\n`);
            return { code: EXIT_USAGE };
        }
        policyPacks.push(pack);
    }
    return { options, facts, policyPacks };
}

/** Runs the operation; the CLI's own output streams as it comes. */
export async function deploy(argv: string[], io: Io = processIo, projectDir = PROJECT_DIR): Promise<number> {
    const checked = preflight(argv, io, projectDir);
    if ("code" in checked) return checked.code;
    const { options, policyPacks } = checked;
    // Loaded only now: the checks above stay fast and need no Pulumi SDK.
    const automation = await import("@pulumi/pulumi/automation");

    let stack: Stack;
    try {
        stack = await automation.LocalWorkspace.selectStack({ stackName: options.stack, workDir: projectDir });
    } catch (error) {
        if (error instanceof automation.StackNotFoundError) {
            io.err(`Stack '${options.stack}' does not exist in the backend you are logged in to. Create it once with \`pulumi stack init ${options.stack}\` (Pulumi.${options.stackName}.yaml is already here).\n`);
        } else {
            io.err(`Could not select stack '${options.stack}': ${(error as Error).message}\n`);
        }
        return EXIT_FAILED;
    }

    const onOutput = (text: string) => io.out(text);
    const onError = (text: string) => io.err(text);
    io.out(`${options.operation} ${options.stack}${policyPacks.length > 0 ? ` with policy pack ${path.relative(projectDir, policyPacks[0]) || "."}` : ""}\n`);
    try {
        switch (options.operation) {
            case "preview": {
                const result = await stack.preview({ onOutput, onError, policyPacks, diff: true });
                io.out(`\npreview of ${options.stack}: ${summary(result.changeSummary)}\n`);
                break;
            }
            case "up": {
                const result = await stack.up({ onOutput, onError, policyPacks });
                io.out(`\nup of ${options.stack}: ${result.summary.result}, ${summary(result.summary.resourceChanges)}\n`);
                break;
            }
            case "refresh": {
                const result = await stack.refresh({ onOutput, onError });
                io.out(`\nrefresh of ${options.stack}: ${result.summary.result}\n`);
                break;
            }
            case "destroy": {
                const result = await stack.destroy({ onOutput, onError });
                io.out(`\ndestroy of ${options.stack}: ${result.summary.result}\n`);
                break;
            }
        }
    } catch (error) {
        const message = error instanceof automation.CommandError ? "the Pulumi CLI reported the failure above" : (error as Error).message;
        io.err(`\n${options.operation} of ${options.stack} failed: ${message}\n`);
        return EXIT_FAILED;
    }
    return EXIT_OK;
}

function summary(changes: { [op: string]: number | undefined } | undefined): string {
    const entries = Object.entries(changes ?? {}).filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0);
    return entries.length === 0 ? "no changes" : entries.map(([op, count]) => `${count} ${op}`).join(", ");
}

if (require.main === module) {
    deploy(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error: Error) => {
            process.stderr.write(`${error.stack ?? error.message}\n`);
            process.exit(EXIT_FAILED);
        },
    );
}
