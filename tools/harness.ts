import "./transpile-cache";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { PlatformMocks, type RecordedInvoke } from "./mocks";
import { readStackFileConfig, readYamlFile } from "./stack-file";

/**
 * Runs the real program (index.ts) under Pulumi mocks with a stack's real configuration: the
 * Pulumi.yaml defaults, then Pulumi.<stack>.yaml, then the caller's overrides. What the program
 * registers is recorded with its parent, protect flag and inputs exactly as the engine would
 * receive them, so tests and the plan see what `pulumi preview` would send.
 */

/** The repo root: the nearest directory above this file that holds Pulumi.yaml. */
export const PROJECT_DIR: string = findProjectDir(__dirname);

function findProjectDir(start: string): string {
    for (let dir = start; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml above ${start}`);
    }
}

export interface StackConfigInput {
    /** Keys without ':' get the project namespace. */
    overrides?: Record<string, unknown>;
    /** Like overrides, and listed as secret keys. */
    secretOverrides?: Record<string, unknown>;
    /** Keys to delete after merging (same namespacing rule). */
    remove?: string[];
}

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    protect: boolean;
    provider?: string;
    /** As the mock monitor received them: secret values stay wrapped as {[SECRET_SIG_KEY]: SECRET_SIG, value}. */
    inputs: Record<string, any>;
    /** The same with every secret wrapper replaced by its value. */
    plainInputs: Record<string, any>;
    /** Dotted paths (array items by index) inside inputs that were secret-wrapped. */
    secretPaths: string[];
    /** What the mocks returned (inputs plus computed attributes) and the resource's `id`, secrets unwrapped. */
    state: Record<string, any>;
}

export interface RunResult {
    project: string;
    stack: string;
    resources: RecordedResource[];
    /** Resolved plain values; values unknown during a preview are UNKNOWN_VALUE. */
    outputs: Record<string, unknown>;
    /** Names of outputs that are Pulumi secrets. */
    secretOutputs: string[];
    error?: Error;
    invokes: RecordedInvoke[];
}

/** Key and signature the Pulumi wire format uses to mark a secret value. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Stands in for values a preview cannot know. */
export const UNKNOWN_VALUE = "[unknown]";

const SECURE_PLACEHOLDER_LENGTH = 48;
/** The Pulumi Cloud organization runs pretend to belong to. */
export const MOCK_ORGANIZATION = "acme";

type Config = Record<string, string>;

/** Merged configuration of `stack`, as the engine would hand it to the program. */
export function stackConfig(stack: string, input: StackConfigInput = {}): { project: string; config: Config; secretKeys: string[] } {
    const projectFile = readYaml(path.join(PROJECT_DIR, "Pulumi.yaml")) as { name?: unknown; config?: Record<string, unknown> } | undefined;
    const project = projectFile?.name;
    if (typeof project !== "string" || project === "") throw new Error(`${path.join(PROJECT_DIR, "Pulumi.yaml")} has no project name`);
    const qualify = (key: string) => (key.includes(":") ? key : `${project}:${key}`);
    const config: Config = {};
    const secretKeys = new Set<string>();

    for (const [key, declaration] of Object.entries(projectFile?.config ?? {})) {
        const declared = projectDefault(declaration);
        if (declared.hasValue) config[qualify(key)] = engineString(declared.value);
        if (declared.secret) secretKeys.add(qualify(key));
    }

    const stackFile = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) throw new Error(`no stack file ${stackFile}`);
    const stackValues = readStackFileConfig(stackFile);
    for (const [key, raw] of Object.entries(stackValues)) {
        const { value, hadSecure } = replaceSecure(raw, qualify(key));
        config[qualify(key)] = engineString(value);
        if (hadSecure) secretKeys.add(qualify(key));
    }

    for (const [key, value] of Object.entries(input.overrides ?? {})) {
        if (value !== undefined) config[qualify(key)] = engineString(value);
    }
    for (const [key, value] of Object.entries(input.secretOverrides ?? {})) {
        if (value === undefined) continue;
        config[qualify(key)] = engineString(value);
        secretKeys.add(qualify(key));
    }
    for (const key of input.remove ?? []) {
        delete config[qualify(key)];
        secretKeys.delete(qualify(key));
    }
    return { project, config, secretKeys: [...secretKeys].filter((key) => key in config) };
}

function readYaml(file: string): unknown {
    return readYamlFile(file);
}

/** A Pulumi.yaml config entry is either a bare value or a declaration {type, default, secret, ...}. */
function projectDefault(declaration: unknown): { hasValue: boolean; value?: unknown; secret: boolean } {
    const isDeclaration =
        typeof declaration === "object" && declaration !== null && !Array.isArray(declaration) &&
        ["type", "default", "value", "description", "secret", "items"].some((field) => field in declaration);
    if (!isDeclaration) return { hasValue: declaration !== undefined && declaration !== null, value: declaration, secret: false };
    const entry = declaration as Record<string, unknown>;
    const secret = entry.secret === true;
    if ("default" in entry) return { hasValue: true, value: entry.default, secret };
    if ("value" in entry) return { hasValue: true, value: entry.value, secret };
    return { hasValue: false, secret };
}

/** Scalars as text, arrays and objects as JSON: how the engine passes config to the program. */
function engineString(value: unknown): string {
    if (typeof value === "string") return value;
    if (value === null || value === undefined) return "";
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
}

/**
 * `{secure: ...}` values cannot be decrypted offline: each becomes a placeholder of the same
 * length for every run, distinct per key path (so two secrets that must differ still do).
 */
function replaceSecure(value: unknown, keyPath: string): { value: unknown; hadSecure: boolean } {
    if (Array.isArray(value)) {
        const items = value.map((item, i) => replaceSecure(item, `${keyPath}[${i}]`));
        return { value: items.map((item) => item.value), hadSecure: items.some((item) => item.hadSecure) };
    }
    if (typeof value !== "object" || value === null) return { value, hadSecure: false };
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0][0] === "secure") return { value: securePlaceholder(keyPath), hadSecure: true };
    let hadSecure = false;
    const out: Record<string, unknown> = {};
    for (const [field, fieldValue] of entries) {
        const replaced = replaceSecure(fieldValue, `${keyPath}.${field}`);
        out[field] = replaced.value;
        hadSecure ||= replaced.hadSecure;
    }
    return { value: out, hadSecure };
}

export function securePlaceholder(keyPath: string): string {
    const prefix = "SecureConfig";
    return prefix + crypto.createHash("sha256").update(keyPath).digest("hex").slice(0, SECURE_PLACEHOLDER_LENGTH - prefix.length);
}

// ---- running the program ----

/** The parts of the runtime internals the harness relies on (exported by the SDK, not typed). */
interface RuntimeSettings {
    getMonitor(): MonitorLike | undefined;
    waitForRPCs(): Promise<void>;
}
interface MonitorLike {
    registerResource(request: RegisterRequest, callback: (error: unknown, response?: RegisterResponse) => void): Promise<void> | void;
}
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProtect(): boolean | undefined;
    getProvider(): string;
    getObject(): unknown;
}
interface RegisterResponse {
    getUrn(): string;
    getId(): string;
    getObject(): unknown;
}
interface Rpc {
    deserializeProperties(struct: unknown, keepUnknowns?: boolean): Record<string, any>;
}
interface OutputInternals {
    promise(withUnknowns?: boolean): Promise<unknown>;
    isSecret: Promise<boolean>;
}

const settings = require("@pulumi/pulumi/runtime/settings") as RuntimeSettings;
const rpc = require("@pulumi/pulumi/runtime/rpc") as Rpc;

type Program = () => unknown;
let program: Program | undefined;

function loadProgram(): Program {
    if (!program) {
        const loaded: unknown = require(path.join(PROJECT_DIR, "index"));
        if (typeof loaded !== "function") throw new Error("index.ts must export an async function (export = async () => ...)");
        program = loaded as Program;
    }
    return program;
}

/** Runs share the runtime's global state, so they run one after another. */
let previousRun: Promise<unknown> = Promise.resolve();

/** Runs the program for `stack` under mocks; never throws for a program error (see `error`). */
export function runStack(stack: string, input: StackConfigInput & { preview?: boolean } = {}): Promise<RunResult> {
    const run = previousRun.then(() => runOnce(stack, input));
    previousRun = run.catch(() => undefined);
    return run;
}

interface PendingResource {
    record?: RecordedResource;
    settled: boolean;
}

async function runOnce(stack: string, input: StackConfigInput & { preview?: boolean }): Promise<RunResult> {
    const { project, config, secretKeys } = stackConfig(stack, input);
    const mocks = new PlatformMocks();
    // The organization is what pulumi.getOrganization() answers, e.g. for the review-stack TTL.
    await pulumi.runtime.setMocks(mocks, project, stack, input.preview ?? false, MOCK_ORGANIZATION);
    pulumi.runtime.setAllConfig(config, secretKeys);

    const pending: PendingResource[] = [];
    const errors: Error[] = [];
    recordRegistrations(pending, errors);
    const onUnhandled = (reason: unknown) => errors.push(asError(reason));
    process.on("unhandledRejection", onUnhandled);

    const result: RunResult = { project, stack, resources: [], outputs: {}, secretOutputs: [], invokes: mocks.invokes };
    try {
        const returned = await loadProgram()();
        const resolved = await resolveOutputs(returned);
        result.outputs = resolved.outputs;
        result.secretOutputs = resolved.secretOutputs;
    } catch (error) {
        errors.unshift(asError(error));
    }
    try {
        await drain(pending);
    } catch (error) {
        errors.push(asError(error));
    } finally {
        process.off("unhandledRejection", onUnhandled);
    }
    result.resources = pending.flatMap((entry) => (entry.record ? [entry.record] : []));
    if (errors.length > 0) result.error = errors[0];
    return result;
}

/** Wraps this run's mock monitor so every registration is recorded, in registration order. */
function recordRegistrations(pending: PendingResource[], errors: Error[]): void {
    const monitor = settings.getMonitor();
    if (!monitor) throw new Error("setMocks did not install a mock monitor");
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
        const entry: PendingResource = { settled: false };
        pending.push(entry);
        return register(request, (error, response) => {
            entry.settled = true;
            try {
                if (error || !response) errors.push(asError(error ?? new Error(`no response registering ${request.getName()}`)));
                else entry.record = toRecord(request, response);
            } catch (recordError) {
                errors.push(asError(recordError));
            }
            callback(error, response);
        });
    };
}

function toRecord(request: RegisterRequest, response: RegisterResponse): RecordedResource {
    const inputs = normaliseUnknowns(rpc.deserializeProperties(request.getObject(), true)) as Record<string, any>;
    const state = normaliseUnknowns(rpc.deserializeProperties(response.getObject(), true)) as Record<string, any>;
    if (response.getId()) state.id = response.getId();
    const secretPaths: string[] = [];
    collectSecretPaths(inputs, "", secretPaths);
    return {
        urn: response.getUrn(),
        type: request.getType(),
        name: request.getName(),
        custom: request.getCustom(),
        parent: request.getParent() || undefined,
        protect: request.getProtect() ?? false,
        provider: request.getProvider() || undefined,
        inputs,
        plainInputs: unwrapSecrets(inputs) as Record<string, any>,
        secretPaths,
        state: unwrapSecrets(state) as Record<string, any>,
    };
}

export function isSecretWrapper(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** `value` with every secret wrapper replaced by what it wraps. */
export function unwrapSecrets(value: unknown): unknown {
    if (isSecretWrapper(value)) return unwrapSecrets(value.value);
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
    return value;
}

function collectSecretPaths(value: unknown, at: string, into: string[]): void {
    const child = (key: string | number) => (at === "" ? String(key) : `${at}.${key}`);
    if (isSecretWrapper(value)) {
        into.push(at);
        return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => collectSecretPaths(item, child(i), into));
    else if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) collectSecretPaths(item, child(key), into);
}

function normaliseUnknowns(value: unknown): unknown {
    if (pulumi.isUnknown(value)) return UNKNOWN_VALUE;
    if (Array.isArray(value)) return value.map(normaliseUnknowns);
    if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseUnknowns(v)]));
    return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (typeof value !== "object" || value === null) return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}

async function resolveOutputs(returned: unknown): Promise<{ outputs: Record<string, unknown>; secretOutputs: string[] }> {
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    if (typeof returned !== "object" || returned === null) return { outputs, secretOutputs };
    for (const [name, value] of Object.entries(returned)) {
        const output = pulumi.output(value) as unknown as OutputInternals;
        const [plain, secret] = await Promise.all([output.promise(true), output.isSecret]);
        outputs[name] = normaliseUnknowns(plain);
        if (secret) secretOutputs.push(name);
    }
    return { outputs, secretOutputs };
}

/**
 * Waits until every registration has been answered and nothing new arrives: resources created
 * inside apply callbacks register late, after the outputs that triggered them resolved.
 */
async function drain(pending: PendingResource[]): Promise<void> {
    const quietTicksNeeded = 3;
    let quietTicks = 0;
    let lastCount = -1;
    while (quietTicks < quietTicksNeeded) {
        await settings.waitForRPCs();
        await new Promise((resolve) => setImmediate(resolve));
        const settled = pending.every((entry) => entry.settled);
        if (settled && pending.length === lastCount) quietTicks++;
        else quietTicks = 0;
        lastCount = pending.length;
    }
}

function asError(reason: unknown): Error {
    return reason instanceof Error ? reason : new Error(String(reason));
}
