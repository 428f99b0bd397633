import * as path from "path";
import { MOCK_SECRET_MARKER } from "./mocks";
import type { PolicyCheck } from "./policy-check";
import { isSecretWrapper, type RecordedResource, type RunResult } from "./stack-config";
import { AWS_SETTINGS } from "./plan-settings/aws";
import { AZURE_SETTINGS } from "./plan-settings/azure";
import type { KeySetting } from "./plan-settings/common";
import { GCP_SETTINGS } from "./plan-settings/gcp";
import { KUBERNETES_SETTINGS } from "./plan-settings/kubernetes";

/**
 * What `npm run plan` prints and writes about a run: the resources by type, the key production
 * settings, the outputs, the JSON resource list, and the redaction of every secret value in both.
 * tools/plan.ts loads it once the program's process is running.
 */

const REDACTED = "[secret]";
/** Shorter strings are too likely to occur by chance to be redacted everywhere. */
const MIN_REDACTED_LENGTH = 8;

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


/** A secret config value's strings: the value itself, or each string inside a JSON object or array. */
export function configLeaves(raw: string): string[] {
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
