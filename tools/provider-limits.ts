import { AUTO_NAME_SUFFIX_LENGTH } from "../components/naming";
import { LABEL_VALUE_RULE, NAME_RULES, isNamed, nameProblem, type NameRule } from "../components/name-rules";
import { UNKNOWN_VALUE, type RecordedResource } from "./harness";

/**
 * The physical names a run would create and what breaks a provider's rule (components/name-rules.ts).
 * A name the program sets is read from the resource's inputs; one it leaves to Pulumi's auto-namer
 * is "<logical name>-" plus 7 characters (zeros here: their count, not their value, matters).
 */

export interface PhysicalName {
    type: string;
    /** The resource's logical name. */
    resource: string;
    property: string;
    name: string;
    autoNamed: boolean;
    rule: NameRule;
}

export interface NameFinding {
    type: string;
    resource: string;
    property: string;
    name: string;
    problem: string;
    source: string;
}

function at(value: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((node, key) => (typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined), value);
}

export const AUTO_NAME_FILLER = "0".repeat(AUTO_NAME_SUFFIX_LENGTH - 1);

/** Types that no entry covers: each needs one before its names can be trusted. */
export function typesWithoutRules(resources: RecordedResource[]): string[] {
    return [...new Set(resources.filter((r) => r.custom && !(r.type in NAME_RULES)).map((r) => r.type))].sort();
}

export function physicalNames(resources: RecordedResource[]): PhysicalName[] {
    const names: PhysicalName[] = [];
    for (const resource of resources) {
        const entry = NAME_RULES[resource.type];
        if (!resource.custom || !entry || !isNamed(entry)) continue;
        const set = at(resource.plainInputs, entry.property);
        if (typeof set === "string") {
            if (set !== UNKNOWN_VALUE) names.push({ type: resource.type, resource: resource.name, property: entry.property, name: set, autoNamed: false, rule: entry });
        } else if (entry.autoNamed) {
            names.push({ type: resource.type, resource: resource.name, property: entry.property, name: `${resource.name}-${AUTO_NAME_FILLER}`, autoNamed: true, rule: entry });
        }
    }
    return names;
}

/** Every label value anywhere in a Kubernetes object's inputs (metadata, selectors, pod templates). */
export function labelValues(resource: RecordedResource): string[] {
    const values: string[] = [];
    const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (typeof node === "object" && node !== null) {
            for (const [childKey, child] of Object.entries(node)) {
                // A PrometheusRule's alert rules carry Prometheus labels, whose values may be anything.
                if (childKey === "groups") continue;
                if ((childKey === "labels" || childKey === "matchLabels") && typeof child === "object" && child !== null && !Array.isArray(child)) {
                    for (const value of Object.values(child)) if (typeof value === "string") values.push(value);
                } else walk(child);
            }
        }
    };
    walk(resource.plainInputs);
    return values;
}

export function labelProblem(value: string): string | undefined {
    if (value.length > LABEL_VALUE_RULE.max) return `${value.length} characters, allowed ${LABEL_VALUE_RULE.max}`;
    return LABEL_VALUE_RULE.pattern.test(value) ? undefined : "allowed: letters, digits, - _ . ; a letter or digit at both ends";
}

/** Every name and Kubernetes label value of a run that breaks its rule. */
export function nameFindings(resources: RecordedResource[]): NameFinding[] {
    const findings: NameFinding[] = [];
    for (const name of physicalNames(resources)) {
        const problem = nameProblem(name.rule, name.name);
        if (problem) findings.push({ type: name.type, resource: name.resource, property: name.property, name: name.name, problem, source: name.rule.source });
    }
    for (const resource of resources.filter((r) => r.type.startsWith("kubernetes:"))) {
        for (const value of labelValues(resource)) {
            const problem = labelProblem(value);
            if (problem && value !== UNKNOWN_VALUE) findings.push({ type: resource.type, resource: resource.name, property: "label value", name: value, problem, source: LABEL_VALUE_RULE.source });
        }
    }
    return findings;
}
