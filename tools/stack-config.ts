import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { RecordedInvoke } from "./mocks";
import { readStackFileConfig, readYamlFile } from "./stack-file";

/**
 * A stack's configuration as the engine hands it to the program (Pulumi.yaml defaults, then
 * Pulumi.<stack>.yaml, then the caller's overrides), the record of a run, and the wire format's
 * secret marker. No Pulumi SDK here: the tools that start the program in a child process load
 * this without paying for the SDK.
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
    /** Run as this project (the config namespace moves with it), as if Pulumi.yaml named it so. */
    project?: string;
    /** Run under this stack name with the config of Pulumi.<stack>.yaml (a review stack `pr-42`). */
    stackName?: string;
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
    /** URNs the resource depends on, as the engine receives them: explicit dependsOn and every input's resources. */
    dependencies: string[];
    /** Input property -> URNs its value came from. */
    propertyDependencies: Record<string, string[]>;
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
export function stackConfig(stack: string, input: StackConfigInput = {}, projectDir: string = PROJECT_DIR): { project: string; config: Config; secretKeys: string[] } {
    const projectFile = readYamlFile(path.join(projectDir, "Pulumi.yaml")) as { name?: unknown; config?: Record<string, unknown> } | undefined;
    const project = projectFile?.name;
    if (typeof project !== "string" || project === "") throw new Error(`${path.join(projectDir, "Pulumi.yaml")} has no project name`);
    const qualify = (key: string) => (key.includes(":") ? key : `${project}:${key}`);
    const config: Config = {};
    const secretKeys = new Set<string>();

    for (const [key, declaration] of Object.entries(projectFile?.config ?? {})) {
        const declared = projectDefault(declaration);
        if (declared.hasValue) config[qualify(key)] = engineString(declared.value);
        if (declared.secret) secretKeys.add(qualify(key));
    }

    const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
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
    const keys = [...secretKeys].filter((key) => key in config);
    if (!input.project || input.project === project) return { project, config, secretKeys: keys };
    // Keys of the project's own namespace follow the project's name, as in the engine.
    const renamed = (key: string) => (key.startsWith(`${project}:`) ? `${input.project}:${key.slice(project.length + 1)}` : key);
    return {
        project: input.project,
        config: Object.fromEntries(Object.entries(config).map(([key, value]) => [renamed(key), value])),
        secretKeys: keys.map(renamed),
    };
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

export function collectSecretPaths(value: unknown, at: string, into: string[]): void {
    const child = (key: string | number) => (at === "" ? String(key) : `${at}.${key}`);
    if (isSecretWrapper(value)) {
        into.push(at);
        return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => collectSecretPaths(item, child(i), into));
    else if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) collectSecretPaths(item, child(key), into);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (typeof value !== "object" || value === null) return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}
