import "./transpile-cache";
import * as fs from "fs";
import * as path from "path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { runStackThroughEngine } from "./engine/launch";
import { MOCK_SECRET_MARKER } from "./mocks";
import { environmentPolicyConfigFile, policyReport, readPolicyConfig, type PolicyCheck } from "./policy-check";
import { PROJECT_DIR, isSecretWrapper, stackConfig, type RecordedResource, type RunResult } from "./stack-config";
import { AWS_SETTINGS } from "./plan-settings/aws";
import { AZURE_SETTINGS } from "./plan-settings/azure";
import type { KeySetting } from "./plan-settings/common";
import { GCP_SETTINGS } from "./plan-settings/gcp";
import { KUBERNETES_SETTINGS } from "./plan-settings/kubernetes";
import { compareClouds, planCost } from "./cost/plan";
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
 */

const USAGE = "usage: npm run plan -- <stack> [--cloud <name>|all] [--json <file>] [--policy-pack-config <file>]";
export const EXIT_MANDATORY_VIOLATION = 3;
const REDACTED = "[secret]";
/** Shorter strings are too likely to occur by chance to be redacted everywhere. */
const MIN_REDACTED_LENGTH = 8;

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

// ---- key settings, table-driven by resource type (one file per cloud in plan-settings/) ----

export const KEY_SETTINGS: Record<string, KeySetting> = { ...AWS_SETTINGS, ...GCP_SETTINGS, ...AZURE_SETTINGS, ...KUBERNETES_SETTINGS };

/** "not present" lines for checks whose absence is itself the finding. */
const EXPECTED_TYPES: { type: string; label: string }[] = [
    { type: "aws:wafv2/webAcl:WebAcl", label: "WAF" },
    { type: "aws:cloudwatch/metricAlarm:MetricAlarm", label: "Alarms" },
];

export function keySettingLines(resources: RecordedResource[], cloud: string): string[] {
    const lines: string[] = [];
    for (const [type, setting] of Object.entries(KEY_SETTINGS)) {
        const ofType = resources.filter((r) => r.type === type);
        if (ofType.length === 0) continue;
        if (setting.summary) lines.push(`${setting.label}: ${setting.summary(ofType)}`);
        for (const resource of setting.fields ? ofType : []) {
            const fields = Object.entries(setting.fields!(resource))
                .filter(([, value]) => value !== undefined)
                .map(([name, value]) => `${name}=${typeof value === "object" ? JSON.stringify(value) : String(value)}`);
            lines.push(`${setting.label} ${resource.name}: ${fields.join(", ")}`);
        }
    }
    if (cloud === "aws") {
        for (const { type, label } of EXPECTED_TYPES) {
            if (!resources.some((r) => r.type === type)) lines.push(`${label}: not present`);
        }
    }
    return lines;
}

// ---- secrets ----

/**
 * Every secret value of the run: secret-wrapped inputs, generated passwords and secret outputs.
 * Redacting these strings everywhere catches a secret that leaked into a plain field too.
 */
export function secretValues(result: RunResult, extra: string[] = []): string[] {
    const values = new Set<string>(extra);
    const collect = (value: unknown) => {
        if (typeof value === "string") values.add(value);
        else if (Array.isArray(value)) value.forEach(collect);
        else if (typeof value === "object" && value !== null) Object.values(value).forEach(collect);
    };
    for (const resource of result.resources) {
        for (const value of Object.values(resource.inputs)) collectWrapped(value, collect);
        if (resource.type.startsWith("random:")) collect(resource.state.result);
    }
    for (const name of result.secretOutputs) collect(result.outputs[name]);
    return [...values].filter((value) => value.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length);
}

function collectWrapped(value: unknown, collect: (value: unknown) => void): void {
    if (isSecretWrapper(value)) collect(value.value);
    else if (Array.isArray(value)) value.forEach((item) => collectWrapped(item, collect));
    else if (typeof value === "object" && value !== null) Object.values(value).forEach((item) => collectWrapped(item, collect));
}

/** Secret-wrapped values become "[secret]"; any secret string left inside plain text is cut out. */
export function redact(value: unknown, secrets: string[]): unknown {
    if (isSecretWrapper(value)) return REDACTED;
    if (typeof value === "string") return redactText(value, secrets);
    if (Array.isArray(value)) return value.map((item) => redact(item, secrets));
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(item, secrets)]));
    }
    return value;
}

function redactText(text: string, secrets: string[]): string {
    let out = text;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
}

/** Plain (not secret-wrapped) inputs that contain a secret value: each one is a leak to fix. */
export function secretLeaks(result: RunResult, secrets: string[]): string[] {
    const leaks: string[] = [];
    const walk = (value: unknown, at: string, resource: RecordedResource) => {
        if (isSecretWrapper(value)) return;
        if (typeof value === "string") {
            if (secrets.some((secret) => value.includes(secret)) || value.includes(MOCK_SECRET_MARKER)) leaks.push(`${resource.type} ${resource.name}: ${at}`);
        } else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${at}.${i}`, resource));
        else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) walk(item, at ? `${at}.${key}` : key, resource);
    };
    for (const resource of result.resources) walk(resource.inputs, "", resource);
    for (const [name, value] of Object.entries(result.outputs)) {
        if (result.secretOutputs.includes(name)) continue;
        const text = JSON.stringify(value) ?? "";
        if (secrets.some((secret) => text.includes(secret)) || text.includes(MOCK_SECRET_MARKER)) leaks.push(`stack output ${name} is not secret but holds a secret value`);
    }
    return leaks;
}

// ---- report ----

export function planReport(result: RunResult, cloud: string, planFile: string, secrets: string[], policyLines: string[] = []): string {
    const lines: string[] = [];
    const environment = result.outputs.environment ?? "?";
    lines.push(`Plan for stack '${result.stack}' of project '${result.project}': cloud ${cloud}, environment ${environment}`);
    lines.push("Offline run under mocks: nothing was deployed; ids, ARNs and endpoints are mock values.", "");

    const byType = new Map<string, number>();
    for (const r of result.resources) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
    const custom = result.resources.filter((r) => r.custom).length;
    const components = result.resources.length - custom;
    lines.push(`Resources (${result.resources.length}: ${custom} cloud resource${custom === 1 ? "" : "s"}, ${components} component${components === 1 ? "" : "s"})`);
    const width = Math.max(...[...byType.values()].map((n) => String(n).length), 1);
    for (const [type, count] of [...byType.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`  ${String(count).padStart(width)}  ${type}`);
    }
    const protectedNames = result.resources.filter((r) => r.protect).map((r) => r.name);
    lines.push(`  protected: ${protectedNames.length > 0 ? protectedNames.join(", ") : "none"}`, "");

    lines.push("Key production settings");
    for (const line of keySettingLines(result.resources, cloud)) lines.push(`  ${line}`);
    lines.push("");

    lines.push("Stack outputs");
    const nameWidth = Math.max(...Object.keys(result.outputs).map((name) => name.length), 1);
    for (const [name, value] of Object.entries(result.outputs)) {
        const shown = result.secretOutputs.includes(name) ? REDACTED : typeof value === "string" ? value : JSON.stringify(value);
        lines.push(`  ${name.padEnd(nameWidth)}  ${shown}`);
    }

    if (policyLines.length > 0) lines.push("", ...policyLines);

    const leaks = secretLeaks(result, secrets);
    if (leaks.length > 0) {
        lines.push("", `WARNING: ${leaks.length} secret value(s) outside secret fields (redacted above and in the JSON):`);
        for (const leak of leaks) lines.push(`  ${leak}`);
    }
    const relative = path.relative(process.cwd(), planFile);
    lines.push("", `Full resource list: ${relative.startsWith("..") || path.isAbsolute(relative) ? planFile : relative}`);
    return redactText(lines.join("\n"), secrets);
}

export function planJson(result: RunResult, cloud: string, secrets: string[], policy?: PolicyCheck): unknown {
    return {
        stack: result.stack,
        project: result.project,
        cloud,
        outputs: Object.fromEntries(
            Object.entries(result.outputs).map(([name, value]) => [name, result.secretOutputs.includes(name) ? REDACTED : redact(value, secrets)]),
        ),
        secretOutputs: result.secretOutputs,
        resources: result.resources.map((r) => ({
            type: r.type,
            name: r.name,
            urn: r.urn,
            parent: r.parent,
            protect: r.protect,
            custom: r.custom,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            secretPaths: r.secretPaths,
            inputs: redact(r.inputs, secrets),
        })),
        ...(policy ? { policyViolations: redact(policy.violations, secrets) } : {}),
    };
}

/** What a mandatory violation stops, for stderr: the policy, the resource and the remediation. */
export function mandatoryViolationText(policy: PolicyCheck, secrets: string[]): string {
    const mandatory = policy.violations.filter((v) => v.enforcement === "mandatory");
    const lines = [`${mandatory.length} mandatory policy violation(s); \`pulumi preview --policy-pack policy\` would stop here:`];
    for (const v of mandatory) {
        lines.push(`  policy:      ${v.policy} (${v.severity})`);
        lines.push(`  resource:    ${v.resource ? `${v.resource.type} ${v.resource.name} (${v.resource.urn})` : "the stack"}`);
        lines.push(`  problem:     ${v.message}`);
        lines.push(`  remediation: ${v.remediation}`);
        lines.push("");
    }
    lines.push("Fix the program or the stack config; to lower a policy on purpose see docs/guardrails.md (policy config).");
    return redactText(lines.join("\n"), secrets);
}

/** The stacks this repository ships: every Pulumi.<stack>.yaml beside Pulumi.yaml. */
export function shippedStacks(): string[] {
    return fs.readdirSync(PROJECT_DIR).flatMap((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1] ?? []).sort();
}

export async function plan(options: PlanOptions): Promise<number> {
    if (!shippedStacks().includes(options.stack)) {
        process.stderr.write(`There is no stack '${options.stack}' (no Pulumi.${options.stack}.yaml); stacks: ${shippedStacks().join(", ")}\n`);
        return 2;
    }
    if (options.cloud === "all") return compareClouds(options.stack);
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
    // The program runs in its own process; the policies load here meanwhile.
    const running = runStackThroughEngine(options.stack, { overrides });
    const { checkPolicies, preloadPolicies } = await import("./policy-check");
    preloadPolicies();
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

/** A secret config value's strings: the value itself, or each string inside a JSON object or array. */
function configLeaves(raw: string): string[] {
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch {
        return [raw];
    }
    if (typeof parsed !== "object" || parsed === null) return [raw];
    const leaves: string[] = [];
    const walk = (value: unknown) => {
        if (typeof value === "string") leaves.push(value);
        else if (typeof value === "object" && value !== null) Object.values(value).forEach(walk);
    };
    walk(parsed);
    return leaves;
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
