import "./transpile-cache";
import * as fs from "fs";
import * as path from "path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { shippedStacks } from "./deploy";
import { runStackThroughEngine } from "./engine/launch";
import { environmentPolicyConfigFile, readPolicyConfig } from "./policy-check";
import { PROJECT_DIR, stackConfig } from "./stack-config";
import { planArgumentProblem, stackFileProblem, validatedEnvironment } from "./plan-input";

/**
 * `npm run plan -- <stack> [--cloud <name>] [--json <file>] [--policy-pack-config <file>]`: starts
 * the real program the way `pulumi up` does (@pulumi/pulumi's cmd/run in a child process, with
 * Pulumi.yaml's runtime options and the stack's real configuration in the engine's form) against
 * a local engine that answers with mocks, prints what it would create, with no cloud account,
 * then runs the CrossGuard pack (policy/) over it. Computed attributes (ids, ARNs, endpoints) are
 * mock values.
 *
 * Exit codes: 0 planned (advisory violations allowed), 1 bad configuration or a program error,
 * 2 bad usage (unknown stack, unreadable policy config), 3 a mandatory policy violation.
 * The policy config is --policy-pack-config, else policy/config/<environment>.json.
 *
 * The program's process starts first, as soon as the stack config is read: it takes a few seconds
 * to load the SDK, while this process has a core to itself. The policy pack, the cost model and
 * the report (tools/plan-report.ts) load meanwhile.
 */

const USAGE = "usage: npm run plan -- <stack> [--cloud <name>|all] [--json <file>] [--policy-pack-config <file>]";
export const EXIT_MANDATORY_VIOLATION = 3;

export interface PlanOptions {
    stack: string;
    cloud?: string;
    jsonFile?: string;
    /** Like `pulumi preview --policy-pack-config`; default policy/config/<environment>.json. */
    policyConfigFile?: string;
}

export function parseArgs(argv: string[]): PlanOptions {
    const positional: string[] = [];
    const options: Partial<PlanOptions> = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const value = () => {
            const next = argv[++i];
            if (next === undefined || next.startsWith("--")) throw new UsageError(`${arg} needs a value`);
            return next;
        };
        if (arg === "--cloud") options.cloud = value();
        else if (arg === "--json") options.jsonFile = value();
        else if (arg === "--policy-pack-config") options.policyConfigFile = value();
        else if (arg.startsWith("--")) throw new UsageError(`unknown option ${arg}`);
        else positional.push(arg);
    }
    if (positional.length !== 1) throw new UsageError(positional.length === 0 ? "name the stack" : `one stack at a time, got ${positional.join(" ")}`);
    const problem = planArgumentProblem({ stack: positional[0], cloud: options.cloud });
    if (problem) throw new UsageError(problem);
    return { stack: positional[0], ...options };
}

class UsageError extends Error {}

export async function plan(options: PlanOptions): Promise<number> {
    if (!shippedStacks().includes(options.stack)) {
        process.stderr.write(`There is no stack '${options.stack}' (no Pulumi.${options.stack}.yaml); stacks: ${shippedStacks().join(", ")}\n`);
        return 2;
    }
    if (options.cloud === "all") return (await import("./cost/plan")).compareClouds(options.stack);
    const overrides = options.cloud ? { cloud: options.cloud } : undefined;
    let stack: ReturnType<typeof stackConfig>;
    try {
        stack = stackConfig(options.stack, { overrides });
    } catch (error) {
        const problem = stackFileProblem(error);
        if (problem === undefined) throw error;
        process.stderr.write(`${problem}\n`);
        return 1;
    }
    const { project, config, secretKeys } = stack;
    const cloud = options.cloud ?? config[`${project}:cloud`] ?? "aws";
    // An invalid environment gets no policy config: the program rejects the stack (exit 1) anyway.
    const environment = validatedEnvironment(config[`${project}:environment`]);
    const policyConfigFile = options.policyConfigFile ? path.resolve(options.policyConfigFile) : environment ? environmentPolicyConfigFile(environment) : "";
    let policyConfig: PolicyPackConfig = {};
    if (options.policyConfigFile || (policyConfigFile && fs.existsSync(policyConfigFile))) {
        try {
            policyConfig = readPolicyConfig(policyConfigFile);
        } catch (error) {
            process.stderr.write(`Cannot read the policy config ${policyConfigFile}: ${(error as Error).message}\n`);
            return 2;
        }
    }
    let spawned: () => void = () => {};
    const running = runStackThroughEngine(options.stack, { overrides, onSpawn: () => spawned() });
    // The rest loads once the program's process runs (or has failed to start).
    await Promise.race([new Promise<void>((resolve) => (spawned = resolve)), running]);
    const { checkPolicies, policyReport, preloadPolicies } = await import("./policy-check");
    preloadPolicies();
    const { planCost } = await import("./cost/plan");
    const { configLeaves, mandatoryViolationText, planJson, planReport, secretValues } = await import("./plan-report");
    const result = await running;

    if (result.error) {
        const registered = result.resources.filter((r) => r.custom).length;
        process.stderr.write(`${result.error.message}\n\n` +
            (registered === 0 ? "No resource was registered.\n" : `${registered} resource(s) had been registered when it failed.\n`));
        return 1;
    }
    const secrets = secretValues(result, secretKeys.flatMap((key) => configLeaves(config[key])));
    const planFile = path.resolve(options.jsonFile ?? path.join(PROJECT_DIR, "plan", `${options.stack}-${cloud}.json`));
    const policy = await checkPolicies(result, { config: policyConfig });
    const configLabel = policyConfigFile && fs.existsSync(policyConfigFile) ? path.relative(process.cwd(), policyConfigFile) || policyConfigFile : "none (every policy at its own level)";
    const cost = planCost(options.stack, cloud, config, result.resources);
    fs.mkdirSync(path.dirname(planFile), { recursive: true });
    fs.writeFileSync(planFile, `${JSON.stringify({ ...(planJson(result, cloud, secrets, policy) as object), cost: cost.json }, null, 2)}\n`);
    process.stdout.write(`${planReport(result, cloud, planFile, secrets, policyReport(policy, configLabel))}\n\n${cost.text}\n`);
    if (policy.violations.some((v) => v.enforcement === "mandatory")) {
        process.stderr.write(`${mandatoryViolationText(policy, secrets)}\n`);
        return EXIT_MANDATORY_VIOLATION;
    }
    return 0;
}

if (require.main === module) {
    let options: PlanOptions;
    try {
        options = parseArgs(process.argv.slice(2));
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
        process.exit(2);
    }
    plan(options).then(
        (code) => process.exit(code),
        (error: Error) => {
            process.stderr.write(`${error.stack ?? error.message}\n`);
            process.exit(1);
        },
    );
}
