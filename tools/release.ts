import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import type { Stack } from "@pulumi/pulumi/automation";
import { DIGEST_PINNED } from "../components/release";
import { PROJECT_DIR } from "./stack-config";
import { SCHEMA } from "../config/schema";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, POLICY_DIR, UsageError, argumentsAndStack, findPulumiCli, processIo, pulumiLogin, type Io } from "./deploy";

/**
 * `npm run release -- <stack> <image@sha256:digest>`
 *
 * Ships an image without touching the infrastructure code: sets the stack's `image` (in
 * Pulumi.<stack>.yaml, through the Automation API, so the release is a reviewable one-line diff)
 * and runs `pulumi up` with the policy pack and the environment's policy config. The update
 * itself orders the release: the migrations task/job revision is registered, the migration step
 * runs it to completion (production: after a backup named after the release), and only then do
 * the API and the worker roll. Then it prints the URL and smoke-tests the health and readiness
 * paths with a bounded retry.
 *
 * Exit codes: 0 released and healthy; 1 the update or the smoke test failed; 2 usage or set-up
 * errors (nothing ran).
 */

export const USAGE = "usage: npm run release -- <stack> <image@sha256:<64 hex>>";
const STACK_SEGMENT = /^(?!\.+$)[A-Za-z0-9_.-]+$/;
const IMAGE_PATTERN = (SCHEMA.image as { pattern: RegExp }).pattern;

export interface ReleaseOptions {
    /** As given: `prod`, `acme/prod` or `acme/fastapi-platform/prod`. */
    stack: string;
    /** The stack file's name part. */
    stackName: string;
    /** A digest-pinned image reference. */
    image: string;
}

/** Validates the arguments; throws UsageError with what is wrong and what is expected. */
export function parseReleaseArgs(argv: string[]): ReleaseOptions {
    const unknown = argv.find((arg) => arg.startsWith("-"));
    if (unknown) throw new UsageError(`unknown option ${unknown}`);
    if (argv.length !== 2) throw new UsageError(argv.length < 2 ? "name the stack and the image" : `too many arguments: ${argv.join(" ")}`);
    const [stack, image] = argv;
    const segments = stack.split("/");
    if (segments.length > 3 || !segments.every((segment) => STACK_SEGMENT.test(segment))) {
        throw new UsageError(`'${stack}' is not a stack name (stack, org/stack or org/project/stack)`);
    }
    if (image === "" || !IMAGE_PATTERN.test(image)) throw new UsageError(`'${image}' is not a container image reference (e.g. ghcr.io/acme/api:1.5.0@sha256:<64 hex>)`);
    if (!DIGEST_PINNED.test(image)) {
        throw new UsageError(`'${image}' is not pinned by digest; release images as <ref>@sha256:<64 hex> (docker buildx imagetools inspect <ref> prints it)`);
    }
    return { stack, stackName: segments[segments.length - 1], image };
}

export interface SmokeResult {
    url: string;
    ok: boolean;
    /** HTTP status of the last attempt, if any answered. */
    status?: number;
    attempts: number;
    /** Why the last attempt failed. */
    error?: string;
}

export interface SmokeOptions {
    /** Tries per path, at least 1. */
    attempts: number;
    /** Pause between tries, in ms. */
    delayMs: number;
    /** Time limit of one request, in ms. */
    timeoutMs: number;
}

export const DEFAULT_SMOKE: SmokeOptions = { attempts: 10, delayMs: 6000, timeoutMs: 5000 };

/**
 * GETs `baseUrl + path` for each path until it answers 2xx, at most `attempts` times with
 * `delayMs` between tries and `timeoutMs` per request, so the whole check is bounded by
 * paths x attempts x (timeoutMs + delayMs). A fresh rollout may still be warming up, hence the retry.
 */
export async function smokeTest(baseUrl: string, paths: string[], options: SmokeOptions = DEFAULT_SMOKE): Promise<SmokeResult[]> {
    const results: SmokeResult[] = [];
    const attempts = Math.max(1, Math.floor(options.attempts));
    for (const urlPath of paths) {
        const url = `${baseUrl.replace(/\/+$/, "")}${urlPath}`;
        const result: SmokeResult = { url, ok: false, attempts: 0 };
        while (result.attempts < attempts && !result.ok) {
            if (result.attempts > 0) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
            result.attempts++;
            try {
                const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs), redirect: "follow" });
                await response.arrayBuffer();
                result.status = response.status;
                result.ok = response.ok;
                result.error = response.ok ? undefined : `HTTP ${response.status}`;
            } catch (error) {
                result.error = describeFetchError(error);
            }
        }
        results.push(result);
    }
    return results;
}

function describeFetchError(error: unknown): string {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if ((error as Error).name === "TimeoutError") return "timed out";
    return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** The stack file's value of a project key, else Pulumi.yaml's default (health paths, build). */
function stackValue(stackName: string, key: string, projectDir: string): unknown {
    const file = path.join(projectDir, `Pulumi.${stackName}.yaml`);
    const values = ((fs.existsSync(file) ? parseYaml(fs.readFileSync(file, "utf8")) : undefined) ?? {}) as { config?: Record<string, unknown> };
    return values.config?.[`fastapi-platform:${key}`];
}

/** Everything before the Automation API; an exit code to stop with, or the checked plan. */
export function preflight(argv: string[], io: Io = processIo, projectDir = PROJECT_DIR): { code: number } | { options: ReleaseOptions; environment: string } {
    const parsed = argumentsAndStack(argv, parseReleaseArgs, USAGE, io, projectDir);
    if ("code" in parsed) return parsed;
    const { options, facts } = parsed;
    const build = stackValue(options.stackName, "build", projectDir) as { context?: string } | undefined;
    if (build?.context) {
        io.err(`Stack '${options.stackName}' builds its image from source (fastapi-platform:build.context in ${facts.stackFile}); release it with \`pulumi up\` (the build is tagged with the commit), not with an image.\n`);
        return { code: EXIT_USAGE };
    }
    if (!findPulumiCli(io.env)) {
        io.err("Pulumi CLI not found: there is no `pulumi` executable on PATH; install it (https://www.pulumi.com/docs/install/) and run this again.\n");
        return { code: EXIT_USAGE };
    }
    if (!pulumiLogin(io.env, facts)) {
        io.err("Not logged in to a Pulumi backend: run `pulumi login` or export PULUMI_ACCESS_TOKEN, and run this again.\n");
        return { code: EXIT_USAGE };
    }
    if (!fs.existsSync(path.join(projectDir, POLICY_DIR, "PulumiPolicy.yaml"))) {
        io.err(`The policy pack is missing: ${path.join(projectDir, POLICY_DIR, "PulumiPolicy.yaml")} does not exist. Releases always run with it.\n`);
        return { code: EXIT_USAGE };
    }
    return { options, environment: facts.environment };
}

/** Sets the image, runs `up` (which runs the migration step before the services roll), smoke-tests. */
export async function release(argv: string[], io: Io = processIo, projectDir = PROJECT_DIR, smoke: SmokeOptions = DEFAULT_SMOKE): Promise<number> {
    const checked = preflight(argv, io, projectDir);
    if ("code" in checked) return checked.code;
    const { options, environment } = checked;
    const automation = await import("@pulumi/pulumi/automation");
    let stack: Stack;
    try {
        stack = await automation.LocalWorkspace.selectStack({ stackName: options.stack, workDir: projectDir });
    } catch (error) {
        io.err(`Could not select stack '${options.stack}': ${(error as Error).message}\n`);
        return EXIT_FAILED;
    }

    const policyPacks = [path.join(projectDir, POLICY_DIR)];
    const policyPackConfigs = [path.join(projectDir, POLICY_DIR, "config", `${environment === "production" ? "production" : "staging"}.json`)];
    io.out(`release ${options.image} to ${options.stack}: migrations run to completion before the API and worker roll\n`);
    try {
        await stack.setConfig("fastapi-platform:image", { value: options.image });
        const result = await stack.up({ onOutput: (text) => io.out(text), onError: (text) => io.err(text), policyPacks, policyPackConfigs, message: `release ${options.image}` });
        io.out(`\nup of ${options.stack}: ${result.summary.result}\n`);
        const url = String(result.outputs.url?.value ?? "");
        io.out(`url: ${url}\n`);
        const paths = [
            String(stackValue(options.stackName, "healthCheckPath", projectDir) ?? SCHEMA.healthCheckPath.default),
            String(stackValue(options.stackName, "readinessPath", projectDir) ?? SCHEMA.readinessPath.default),
        ];
        const results = await smokeTest(url, paths, smoke);
        for (const r of results) io.out(`smoke ${r.url}: ${r.ok ? `ok (HTTP ${r.status}, attempt ${r.attempts})` : `FAILED after ${r.attempts} attempts: ${r.error}`}\n`);
        return results.every((r) => r.ok) ? EXIT_OK : EXIT_FAILED;
    } catch (error) {
        const message = error instanceof automation.CommandError ? "the Pulumi CLI reported the failure above (a failed migration stops the update before any service rolls)" : (error as Error).message;
        io.err(`\nrelease to ${options.stack} failed: ${message}\n`);
        return EXIT_FAILED;
    }
}

if (require.main === module) {
    release(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error: Error) => {
            process.stderr.write(`${error.stack ?? error.message}\n`);
            process.exit(EXIT_FAILED);
        },
    );
}
