import * as fs from "fs";
import * as path from "path";
import type {
    EnforcementLevel,
    PolicyPackConfig,
    PolicyResource,
    ResourceValidationArgs,
    Severity,
    StackValidationArgs,
} from "@pulumi/policy";
import type { BaselinePolicy } from "../policy/rules";
import { PROJECT_DIR, type RecordedResource, type RunResult } from "./stack-config";

/**
 * The pack's policies, loaded on first use: `npm run plan` imports this module, and its error
 * paths (unknown stack, bad config) should not pay for transpiling a hundred policies.
 */
const pack = (): typeof import("../policy/rules") => require("../policy/rules");

/** Loads the policies now (while the program runs in its own process). */
export function preloadPolicies(): void {
    pack();
}

/**
 * Runs the CrossGuard pack (policy/rules) over the resources of a RunResult, the way the Pulumi
 * engine would during `pulumi preview --policy-pack policy`: resource policies see each resource's
 * inputs and options, stack policies see every resource's outputs; a policy's enforcement level
 * comes from the policy config (per policy, then `all`), then the policy, then the pack. No policy
 * server is started: the policies are plain functions called with validation args built here.
 */

export interface Violation {
    policy: string;
    severity: Severity;
    enforcement: EnforcementLevel;
    /** The resource it concerns; undefined for a stack-wide finding. */
    resource?: { urn: string; type: string; name: string };
    message: string;
    remediation: string;
}

export interface PolicyCheck {
    violations: Violation[];
    /** How many (policy, resource) pairs and stack policies ran to a verdict (violation or pass). */
    evaluated: number;
    /** Policy name -> how many resources (1 for a stack policy) it applied to. */
    applied: Record<string, number>;
    /** Policies that were disabled by config. */
    disabled: string[];
}

/** What `reportViolation`-free callers need: a policy said it does not apply. */
export class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "not applicable");
        this.name = "NotApplicableError";
    }
}

const notApplicable = (reason?: string): never => {
    throw new NotApplicableError(reason);
};

type ResourceClass = { __pulumiType?: string; isInstance?: (o: unknown) => boolean };
function isTypeOf(type: string, resourceClass: unknown): boolean {
    const cls = resourceClass as ResourceClass;
    if (typeof cls.__pulumiType === "string") return cls.__pulumiType === type;
    return cls.isInstance?.({ __pulumiType: type }) === true;
}

/** The config of one policy without enforcementLevel, as `args.getConfig()` returns it. */
export function policyConfigOf(config: PolicyPackConfig, policy: string): object {
    const entry = config[policy];
    if (typeof entry !== "object" || entry === null) return {};
    const { enforcementLevel: _level, ...rest } = entry as Record<string, unknown>;
    return rest;
}

/** Enforcement after policy config: a policy's own entry, then `all`, then the policy, then the pack. */
export function enforcementOf(policy: BaselinePolicy, config: PolicyPackConfig = {}): EnforcementLevel {
    const level = (entry: unknown): EnforcementLevel | undefined =>
        typeof entry === "string" ? (entry as EnforcementLevel) : (entry as { enforcementLevel?: EnforcementLevel } | undefined)?.enforcementLevel;
    return level(config[policy.name]) ?? level(config.all) ?? policy.enforcementLevel ?? pack().DEFAULT_ENFORCEMENT;
}

export interface ResourceArgsInput {
    type: string;
    name: string;
    urn: string;
    props: Record<string, any>;
    protect?: boolean;
    parent?: string;
    config?: object;
    stackTags?: ReadonlyMap<string, string>;
}

/** ResourceValidationArgs as the engine builds them, including stackTags and notApplicable. */
export function resourceArgs(input: ResourceArgsInput): ResourceValidationArgs {
    return {
        type: input.type,
        name: input.name,
        urn: input.urn,
        props: input.props,
        opts: {
            protect: input.protect ?? false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
            ...(input.parent ? { parent: input.parent } : {}),
        },
        stackTags: input.stackTags ?? new Map(),
        isType: (resourceClass) => isTypeOf(input.type, resourceClass),
        asType: ((resourceClass: unknown) => (isTypeOf(input.type, resourceClass) ? input.props : undefined)) as ResourceValidationArgs["asType"],
        getConfig: <T extends object>() => (input.config ?? {}) as T,
        notApplicable,
    };
}

/** A resource of the stack as the stack policies see it: the per-resource input without policy config. */
export type StackResourceInput = Omit<ResourceArgsInput, "config" | "stackTags">;

/** StackValidationArgs over `resources` (their outputs), parents linked, including stackTags and notApplicable. */
export function stackArgs(resources: StackResourceInput[], config: object = {}, stackTags: ReadonlyMap<string, string> = new Map()): StackValidationArgs {
    const byUrn = new Map<string, PolicyResource>();
    const policyResources = resources.map((r) => {
        const resource: PolicyResource = {
            type: r.type, name: r.name, urn: r.urn, props: r.props,
            opts: {
                protect: r.protect ?? false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [],
                customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
                ...(r.parent ? { parent: r.parent } : {}),
            },
            dependencies: [],
            propertyDependencies: {},
            isType: (resourceClass) => isTypeOf(r.type, resourceClass),
            asType: ((resourceClass: unknown) => (isTypeOf(r.type, resourceClass) ? r.props : undefined)) as PolicyResource["asType"],
        };
        byUrn.set(r.urn, resource);
        return resource;
    });
    resources.forEach((r, i) => {
        if (r.parent && byUrn.has(r.parent)) policyResources[i].parent = byUrn.get(r.parent);
    });
    return { resources: policyResources, stackTags, getConfig: <T extends object>() => config as T, notApplicable };
}

export type Verdict = { applicable: false; reason?: string } | { applicable: true; messages: { message: string; urn?: string }[] };

/** Runs one policy against built args: its violation messages, or why it does not apply. */
export async function evaluate(policy: BaselinePolicy, args: ResourceValidationArgs | StackValidationArgs): Promise<Verdict> {
    const messages: { message: string; urn?: string }[] = [];
    const report = (message: string, urn?: string) => void messages.push({ message, urn });
    try {
        if ("validateStack" in policy && policy.validateStack) {
            await policy.validateStack(args as StackValidationArgs, report);
        } else if ("validateResource" in policy && policy.validateResource) {
            const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
            for (const validate of validations) await validate(args as ResourceValidationArgs, report);
        }
    } catch (error) {
        if (error instanceof NotApplicableError) return { applicable: false, reason: error.reason };
        throw error;
    }
    return { applicable: true, messages };
}

const isStackPolicy = (policy: BaselinePolicy) => "validateStack" in policy && typeof policy.validateStack === "function";

/** Runs every policy of the pack (or `policies`) over a run's resources; violations in resource order. */
export async function checkPolicies(
    result: Pick<RunResult, "resources">,
    options: { policies?: BaselinePolicy[]; config?: PolicyPackConfig; stackTags?: ReadonlyMap<string, string> } = {},
): Promise<PolicyCheck> {
    const policies = options.policies ?? pack().ALL_POLICIES;
    const config = options.config ?? {};
    const stackTags = options.stackTags ?? new Map<string, string>();
    const check: PolicyCheck = { violations: [], evaluated: 0, applied: {}, disabled: [] };
    const applied = (policy: BaselinePolicy) => {
        check.evaluated++;
        check.applied[policy.name] = (check.applied[policy.name] ?? 0) + 1;
    };
    const byUrn = new Map(result.resources.map((r) => [r.urn, r]));
    const violation = (policy: BaselinePolicy, message: string, resource?: RecordedResource): Violation => ({
        policy: policy.name,
        severity: policy.severity,
        enforcement: enforcementOf(policy, config),
        resource: resource ? { urn: resource.urn, type: resource.type, name: resource.name } : undefined,
        message,
        remediation: policy.remediationSteps,
    });

    for (const policy of policies) {
        if (enforcementOf(policy, config) === "disabled") {
            check.disabled.push(policy.name);
            continue;
        }
        const policyConfig = policyConfigOf(config, policy.name);
        if (isStackPolicy(policy)) {
            const inputs = result.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.state, protect: r.protect, parent: r.parent }));
            const verdict = await evaluate(policy, stackArgs(inputs, policyConfig, stackTags));
            if (!verdict.applicable) continue;
            applied(policy);
            for (const { message, urn } of verdict.messages) check.violations.push(violation(policy, message, urn ? byUrn.get(urn) : undefined));
            continue;
        }
        const types = Object.keys(policy.baseline.reads);
        for (const resource of result.resources) {
            if (!types.includes(resource.type)) continue; // the engine's fast type filter; the policy would say "not applicable"
            const args = resourceArgs({
                type: resource.type, name: resource.name, urn: resource.urn, props: resource.plainInputs,
                protect: resource.protect, parent: resource.parent, config: policyConfig, stackTags,
            });
            const verdict = await evaluate(policy, args);
            if (!verdict.applicable) continue;
            applied(policy);
            for (const { message } of verdict.messages) check.violations.push(violation(policy, message, resource));
        }
    }
    return check;
}

/** policy/config/<environment>.json: what the docs tell each environment to pass as --policy-pack-config. */
export function environmentPolicyConfigFile(environment: string): string {
    return path.join(PROJECT_DIR, "policy", "config", `${environment}.json`);
}

export function readPolicyConfig(file: string): PolicyPackConfig {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${file}: a policy pack config is a JSON object`);
    return parsed as PolicyPackConfig;
}

/** The plan's policy section: a summary line, then every violation with its remediation. */
export function policyReport(check: PolicyCheck, configLabel: string): string[] {
    const mandatory = check.violations.filter((v) => v.enforcement === "mandatory").length;
    const advisory = check.violations.length - mandatory;
    const lines = [
        `Policies (${pack().PACK_NAME}, ${pack().ALL_POLICIES.length} policies, config ${configLabel}${check.disabled.length > 0 ? `, ${check.disabled.length} disabled` : ""})`,
        `  ${check.evaluated} checks: ${check.violations.length === 0 ? "no violations" : `${mandatory} mandatory, ${advisory} advisory violation(s)`}`,
    ];
    const order: EnforcementLevel[] = ["mandatory", "remediate", "advisory"];
    const sorted = [...check.violations].sort((a, b) => order.indexOf(a.enforcement) - order.indexOf(b.enforcement));
    for (const v of sorted) {
        const where = v.resource ? `${v.resource.type} ${v.resource.name}` : "stack";
        lines.push(`  ${v.enforcement.toUpperCase()} ${v.policy} (${v.severity}) on ${where}: ${v.message}`);
        lines.push(`      remediation: ${v.remediation}`);
    }
    return lines;
}
