import type { FieldSpec, KeySpec } from "./schema";

/**
 * Turns raw config strings (as the Pulumi engine hands them over: scalars as text, arrays and
 * objects as JSON) into typed values, one message per problem. `label` is the full key as a
 * user types it, e.g. `fastapi-platform:minInstances` or `fastapi-platform:aws.vpcCidr`.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** How a value that is (or came from) a secret appears in any message: never the value itself. */
export const SECRET_SHOWN = "[secret]";
/** Longest scalar a stack may give (an image reference is at most 255 + 129 + 72). */
export const MAX_STRING_LENGTH = 2048;
/** Longest value of an env/secretEnv entry (a PEM bundle fits; a runaway paste does not). */
export const MAX_ENV_VALUE_LENGTH = 32768;
/** Longest part of a given value a message repeats. */
const SHOWN_LENGTH = 80;

/**
 * Control characters (C0, DEL, C1), line and paragraph separators and the bidirectional
 * overrides that make text display differently from what it is ("Trojan Source",
 * CVE-2021-42574). No key accepts them; env values may hold tab, line feed and carriage return.
 */
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const UNSAFE_IN_ENV_VALUE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** Keys that reach Object.prototype through `obj[key] = ...` (prototype pollution): rejected wherever they appear. */
export const POLLUTING_KEYS = ["__proto__", "constructor", "prototype"];

export interface ParseOptions {
    /** The value is, or came from, a secret: messages say [secret] instead of showing it. */
    secret?: boolean;
}

/**
 * A given value as a message shows it: quoted, control characters escaped (a message must not
 * drive the terminal), cut to SHOWN_LENGTH characters; "[secret]" for a secret.
 */
export function showValue(raw: unknown, options: ParseOptions = {}): string {
    if (options.secret) return SECRET_SHOWN;
    const text = typeof raw === "string" ? raw : JSON.stringify(raw) ?? String(raw);
    const cut = text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH)}... (${text.length} characters)` : text;
    const escaped = UNSAFE_CHARACTER.test(cut) || /[\u0080-\uffff]/.test(cut) ? JSON.stringify(cut).slice(1, -1).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : cut;
    return typeof raw === "string" ? `'${escaped}'` : escaped;
}

const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });

/** Why a string cannot be used whatever the key (too long, control characters), or undefined. */
function unsafeText(text: string, max: number, unsafe: RegExp): string | undefined {
    if (text.length > max) return `is ${text.length} characters long; at most ${max} are allowed`;
    const bad = unsafe.exec(text);
    if (bad) return `contains the control or invisible character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}; only printable characters are allowed`;
    return undefined;
}

function fromJson(raw: string): unknown {
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

/** Parses a scalar or array field; `raw` is a string from the engine or a value already decoded from JSON. */
export function parseField(label: string, spec: FieldSpec, raw: unknown, options: ParseOptions = {}): Parsed<unknown> {
    switch (spec.type) {
        case "string":
            return parseString(label, spec, raw, options);
        case "integer":
            return parseInteger(label, spec, raw, options);
        case "boolean":
            return parseBoolean(label, raw, options);
        case "array":
            return parseArray(label, spec, raw, options);
    }
}

function parseString(label: string, spec: Extract<FieldSpec, { type: "string" }>, raw: unknown, options: ParseOptions): Parsed<string> {
    const show = (value: unknown) => showValue(value, options);
    if (typeof raw !== "string") return fail(`${label} must be a string, got ${show(raw)}`);
    const unsafe = unsafeText(raw, MAX_STRING_LENGTH, UNSAFE_CHARACTER);
    if (unsafe) return fail(`${label} ${unsafe}`);
    const value = raw.trim();
    if (spec.allowed && !spec.allowed.includes(value)) {
        return fail(`${label} is ${show(raw)}; allowed values: ${spec.allowed.join(", ")}`);
    }
    if (spec.pattern && !spec.pattern.test(value)) {
        return fail(`${label} is ${show(raw)}; expected ${spec.patternHint ?? spec.pattern.source}`);
    }
    return { ok: true, value };
}

function parseInteger(label: string, spec: Extract<FieldSpec, { type: "integer" }>, raw: unknown, options: ParseOptions): Parsed<number> {
    const show = (value: unknown) => showValue(value, options);
    const number = (text: string) => (options.secret ? SECRET_SHOWN : showValue(text).slice(1, -1));
    const text = typeof raw === "number" ? String(raw) : raw;
    if (typeof text !== "string" || !/^-?\d+$/.test(text.trim())) {
        return fail(`${label} must be a whole number, got ${show(raw)}`);
    }
    const value = Number(text.trim());
    if (spec.allowed && !spec.allowed.includes(value)) {
        return fail(`${label} is ${number(text.trim())}; allowed values: ${spec.allowed.join(", ")}`);
    }
    if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
        return fail(`${label} is ${number(text.trim())}; allowed range: ${spec.min} to ${spec.max}`);
    }
    return { ok: true, value };
}

function parseBoolean(label: string, raw: unknown, options: ParseOptions): Parsed<boolean> {
    if (raw === true || raw === "true") return { ok: true, value: true };
    if (raw === false || raw === "false") return { ok: true, value: false };
    return fail(`${label} must be true or false, got ${showValue(raw, options)}`);
}

/** Most items an array key may have (a command line, a list of origins). */
export const MAX_ARRAY_ITEMS = 64;

function parseArray(label: string, spec: Extract<FieldSpec, { type: "array" }>, raw: unknown, options: ParseOptions): Parsed<string[]> {
    const show = (value: unknown) => showValue(value, options);
    const value = typeof raw === "string" ? fromJson(raw) : raw;
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
        return fail(`${label} must be a list of strings (YAML list or JSON array), got ${show(raw)}`);
    }
    const items = value as string[];
    if (items.length > MAX_ARRAY_ITEMS) return fail(`${label} has ${items.length} items; at most ${MAX_ARRAY_ITEMS} are allowed`);
    for (const [index, item] of items.entries()) {
        const unsafe = unsafeText(item, MAX_STRING_LENGTH, UNSAFE_CHARACTER);
        if (unsafe) return fail(`${label}[${index}] ${unsafe}`);
    }
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
export function parseObject(label: string, spec: Extract<KeySpec, { type: "object" }>, raw: unknown, options: ParseOptions = {}): Parsed<Record<string, unknown>> {
    const show = (value: unknown) => showValue(value, options);
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
            const parsed = parseField(`${label}.${field}`, fieldSpec, fieldRaw, options);
            if (parsed.ok) out[field] = parsed.value;
            else problems.push(parsed.message);
        }
        for (const [field, fieldSpec] of Object.entries(spec.fields)) {
            if (!(field in out)) out[field] = fieldSpec.default;
        }
    } else {
        const valueLimit = spec.mapValueMaxLength ?? MAX_STRING_LENGTH;
        const unsafeValue = spec.mapValueMultiline ? UNSAFE_IN_ENV_VALUE : UNSAFE_CHARACTER;
        for (const [key, entry] of entries) {
            const shownKey = showValue(key).slice(1, -1);
            if (POLLUTING_KEYS.includes(key)) {
                problems.push(`${label}.${key} is a JavaScript prototype property name, which could reach Object.prototype; rename it (expected ${spec.mapKeyHint})`);
                continue;
            }
            if (!spec.mapKeyPattern.test(key)) {
                problems.push(`${label}.${shownKey} is not a valid name; expected ${spec.mapKeyHint}${suggest(key, [...(spec.mapKeySuggestions ?? [])])}`);
                continue;
            }
            if (typeof entry !== "string" || entry === "") {
                problems.push(`${label}.${key} must be a non-empty string, got ${show(entry)}`);
                continue;
            }
            const unsafe = unsafeText(entry, valueLimit, unsafeValue);
            if (unsafe) problems.push(`${label}.${key} ${unsafe}`);
            else defineOwn(out, key, entry);
        }
    }
    return problems.length > 0 ? fail(problems.join("\n  - ")) : { ok: true, value: out };
}

/** Sets an own, enumerable property, whatever the name (assignment to "__proto__" would set the prototype instead). */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Every path inside a decoded value whose key is a prototype property name, e.g.
 * `aws.x.__proto__`: such a key is rejected at any depth instead of vanishing in a copy.
 */
export function pollutingPaths(value: unknown, at: string): string[] {
    const paths: string[] = [];
    const stack: [unknown, string, number][] = [[value, at, 0]];
    while (stack.length > 0) {
        const [current, path, depth] = stack.pop()!;
        if (typeof current !== "object" || current === null || depth > 64) continue;
        for (const [key, item] of Object.entries(current)) {
            const child = Array.isArray(current) ? `${path}[${key}]` : `${path}.${key}`;
            if (!Array.isArray(current) && POLLUTING_KEYS.includes(key)) paths.push(child);
            stack.push([item, child, depth + 1]);
        }
    }
    return paths.sort();
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
