import type { FieldSpec, KeySpec } from "./schema";

/**
 * Turns raw config strings (as the Pulumi engine hands them over: scalars as text, arrays and
 * objects as JSON) into typed values, one message per problem. `label` is the full key as a
 * user types it, e.g. `fastapi-platform:minInstances` or `fastapi-platform:aws.vpcCidr`.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const show = (raw: unknown): string => (typeof raw === "string" ? `'${raw}'` : JSON.stringify(raw));
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });

function fromJson(raw: string): unknown {
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

/** Parses a scalar or array field; `raw` is a string from the engine or a value already decoded from JSON. */
export function parseField(label: string, spec: FieldSpec, raw: unknown): Parsed<unknown> {
    switch (spec.type) {
        case "string":
            return parseString(label, spec, raw);
        case "integer":
            return parseInteger(label, spec, raw);
        case "boolean":
            return parseBoolean(label, raw);
        case "array":
            return parseArray(label, spec, raw);
    }
}

function parseString(label: string, spec: Extract<FieldSpec, { type: "string" }>, raw: unknown): Parsed<string> {
    if (typeof raw !== "string") return fail(`${label} must be a string, got ${show(raw)}`);
    const value = raw.trim();
    if (spec.allowed && !spec.allowed.includes(value)) {
        return fail(`${label} is ${show(raw)}; allowed values: ${spec.allowed.join(", ")}`);
    }
    if (spec.pattern && !spec.pattern.test(value)) {
        return fail(`${label} is ${show(raw)}; expected ${spec.patternHint ?? spec.pattern.source}`);
    }
    return { ok: true, value };
}

function parseInteger(label: string, spec: Extract<FieldSpec, { type: "integer" }>, raw: unknown): Parsed<number> {
    const text = typeof raw === "number" ? String(raw) : raw;
    if (typeof text !== "string" || !/^-?\d+$/.test(text.trim())) {
        return fail(`${label} must be a whole number, got ${show(raw)}`);
    }
    const value = Number(text.trim());
    if (spec.allowed && !spec.allowed.includes(value)) {
        return fail(`${label} is ${value}; allowed values: ${spec.allowed.join(", ")}`);
    }
    if (value < spec.min || value > spec.max) {
        return fail(`${label} is ${value}; allowed range: ${spec.min} to ${spec.max}`);
    }
    return { ok: true, value };
}

function parseBoolean(label: string, raw: unknown): Parsed<boolean> {
    if (raw === true || raw === "true") return { ok: true, value: true };
    if (raw === false || raw === "false") return { ok: true, value: false };
    return fail(`${label} must be true or false, got ${show(raw)}`);
}

function parseArray(label: string, spec: Extract<FieldSpec, { type: "array" }>, raw: unknown): Parsed<string[]> {
    const value = typeof raw === "string" ? fromJson(raw) : raw;
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
        return fail(`${label} must be a list of strings (YAML list or JSON array), got ${show(raw)}`);
    }
    const items = value as string[];
    if (items.length < (spec.minItems ?? 0)) {
        return fail(`${label} must have at least ${spec.minItems} item(s), got an empty list`);
    }
    const empty = items.findIndex((item) => item.trim() === "");
    if (empty >= 0) return fail(`${label}[${empty}] is empty; every item must be a non-empty string`);
    const bad = spec.itemPattern ? items.find((item) => !spec.itemPattern!.test(item)) : undefined;
    if (bad !== undefined) return fail(`${label} has ${show(bad)}; expected ${spec.itemHint}`);
    return { ok: true, value: items };
}

/** Parses an object key: a typed block (fields parsed one by one) or a map of string values. */
export function parseObject(label: string, spec: Extract<KeySpec, { type: "object" }>, raw: unknown): Parsed<Record<string, unknown>> {
    const value = typeof raw === "string" ? fromJson(raw) : raw;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return fail(`${label} must be an object (a YAML mapping), got ${show(raw)}`);
    }
    const entries = Object.entries(value as Record<string, unknown>);
    const problems: string[] = [];
    const out: Record<string, unknown> = {};
    if ("fields" in spec) {
        for (const [field, fieldRaw] of entries) {
            // Own properties only: a field named "constructor" or "__proto__" is unknown, not Object's.
            const fieldSpec = Object.hasOwn(spec.fields, field) ? spec.fields[field] : undefined;
            if (!fieldSpec) {
                problems.push(`${label}.${field} is not a known field; allowed fields: ${Object.keys(spec.fields).join(", ")}${suggest(field, Object.keys(spec.fields))}`);
                continue;
            }
            const parsed = parseField(`${label}.${field}`, fieldSpec, fieldRaw);
            if (parsed.ok) out[field] = parsed.value;
            else problems.push(parsed.message);
        }
        for (const [field, fieldSpec] of Object.entries(spec.fields)) {
            if (!(field in out)) out[field] = fieldSpec.default;
        }
    } else {
        for (const [key, entry] of entries) {
            if (!spec.mapKeyPattern.test(key)) problems.push(`${label}.${key} is not a valid name; expected ${spec.mapKeyHint}`);
            else if (typeof entry !== "string" || entry === "") problems.push(`${label}.${key} must be a non-empty string, got ${show(entry)}`);
            else out[key] = entry;
        }
    }
    return problems.length > 0 ? fail(problems.join("\n  - ")) : { ok: true, value: out };
}

/** " (did you mean 'x'?)" for a near-miss, else "". */
export function suggest(word: string, candidates: string[]): string {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
        if (d < bestDistance) [best, bestDistance] = [candidate, d];
    }
    return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? ` (did you mean '${best}'?)` : "";
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}
