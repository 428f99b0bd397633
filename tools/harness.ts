import "./transpile-cache";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { PlatformMocks, setMockConfig } from "./mocks";
import {
    MOCK_ORGANIZATION, PROJECT_DIR, UNKNOWN_VALUE, collectSecretPaths, isPlainObject, stackConfig, unwrapSecrets,
    type RecordedResource, type RunResult, type StackConfigInput,
} from "./stack-config";

/**
 * Runs the real program (index.ts) under Pulumi mocks with a stack's real configuration: the
 * Pulumi.yaml defaults, then Pulumi.<stack>.yaml, then the caller's overrides. What the program
 * registers is recorded with its parent, protect flag and inputs exactly as the engine would
 * receive them, so tests and the plan see what `pulumi preview` would send.
 */

export * from "./stack-config";

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
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(visit: (deps: { getUrnsList(): string[] }, key: string) => void): void };
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
    const stackName = input.stackName ?? stack;
    // The organization is what pulumi.getOrganization() answers, e.g. for the review-stack TTL.
    await pulumi.runtime.setMocks(mocks, project, stackName, input.preview ?? false, MOCK_ORGANIZATION);
    pulumi.runtime.setAllConfig(config, secretKeys);
    setMockConfig(config);

    const pending: PendingResource[] = [];
    const errors: Error[] = [];
    recordRegistrations(pending, errors);
    const onUnhandled = (reason: unknown) => errors.push(asError(reason));
    process.on("unhandledRejection", onUnhandled);

    const result: RunResult = { project, stack: stackName, resources: [], outputs: {}, secretOutputs: [], invokes: mocks.invokes };
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
    const propertyDependencies: Record<string, string[]> = {};
    request.getPropertydependenciesMap().forEach((deps, key) => (propertyDependencies[key] = deps.getUrnsList()));
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
        dependencies: request.getDependenciesList(),
        propertyDependencies,
    };
}

function normaliseUnknowns(value: unknown): unknown {
    if (pulumi.isUnknown(value)) return UNKNOWN_VALUE;
    if (Array.isArray(value)) return value.map(normaliseUnknowns);
    if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseUnknowns(v)]));
    return value;
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
