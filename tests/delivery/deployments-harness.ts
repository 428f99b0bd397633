import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { PROJECT_DIR } from "../../tools/harness";

/**
 * Runs the deployments project (deployments/index.ts) under Pulumi mocks with its real
 * configuration: deployments/Pulumi.yaml defaults, then Pulumi.delivery.yaml, then overrides.
 * Every registration is recorded with its inputs, ignoreChanges and dependencies.
 */

export const DEPLOYMENTS_DIR = path.join(PROJECT_DIR, "deployments");
export const DEPLOYMENTS_PROJECT = "fastapi-platform-deployments";
export const DEPLOYMENTS_STACK = "delivery";
export const ORGANIZATION = "acme";

export interface Registered {
    type: string;
    name: string;
    urn: string;
    inputs: Record<string, any>;
    ignoreChanges: string[];
    dependencies: string[];
}

export interface DeploymentsRun {
    resources: Registered[];
    outputs?: Record<string, any>;
    error?: Error;
    warnings: string[];
}

export interface RunOptions {
    /** Config keys without ':' get the deployments namespace; objects are passed as JSON. */
    overrides?: Record<string, unknown>;
    /** A copy of the fastapi-platform project files to read instead of the real ones. */
    mainProjectDir?: string;
}

/** The deployments project's configuration as the engine would pass it. */
export function deploymentsConfig(overrides: Record<string, unknown> = {}): Record<string, string> {
    const config: Record<string, string> = {};
    const qualify = (key: string) => (key.includes(":") ? key : `${DEPLOYMENTS_PROJECT}:${key}`);
    const asText = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
    const project = parseYaml(fs.readFileSync(path.join(DEPLOYMENTS_DIR, "Pulumi.yaml"), "utf8")) as { config: Record<string, { default?: unknown }> };
    for (const [key, declaration] of Object.entries(project.config)) {
        if ("default" in declaration) config[qualify(key)] = asText(declaration.default);
    }
    const stack = parseYaml(fs.readFileSync(path.join(DEPLOYMENTS_DIR, `Pulumi.${DEPLOYMENTS_STACK}.yaml`), "utf8")) as { config: Record<string, unknown> };
    for (const [key, value] of Object.entries(stack.config)) config[qualify(key)] = asText(value);
    for (const [key, value] of Object.entries(overrides)) config[qualify(key)] = asText(value);
    return config;
}

interface MonitorRequest {
    getType(): string;
    getName(): string;
    getIgnorechangesList(): string[];
    getDependenciesList(): string[];
}
interface Monitor {
    registerResource(request: MonitorRequest, callback: (error: unknown, response?: { getUrn(): string }) => void): unknown;
}
const runtimeSettings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): Monitor | undefined; waitForRPCs(): Promise<void> };

let previous: Promise<unknown> = Promise.resolve();

/** Runs are serialised: the Pulumi runtime is global state. */
export function runDeployments(options: RunOptions = {}): Promise<DeploymentsRun> {
    const run = previous.then(() => runOnce(options));
    previous = run.catch(() => undefined);
    return run;
}

async function runOnce(options: RunOptions): Promise<DeploymentsRun> {
    const resources: Registered[] = [];
    const requests = new Map<string, { ignoreChanges: string[]; dependencies: string[] }>();
    await pulumi.runtime.setMocks({
        newResource: (args: pulumi.runtime.MockResourceArgs) => {
            const extra = requests.get(`${args.type}::${args.name}`) ?? { ignoreChanges: [], dependencies: [] };
            resources.push({ type: args.type, name: args.name, urn: urnOf(args.type, args.name), inputs: args.inputs, ...extra });
            return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
    }, DEPLOYMENTS_PROJECT, DEPLOYMENTS_STACK, false, ORGANIZATION);
    const config = deploymentsConfig(options.overrides);
    pulumi.runtime.setAllConfig(config, []);

    const monitor = runtimeSettings.getMonitor();
    if (!monitor) throw new Error("setMocks installed no monitor");
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
        requests.set(`${request.getType()}::${request.getName()}`, { ignoreChanges: request.getIgnorechangesList(), dependencies: request.getDependenciesList() });
        return register(request, callback);
    };

    const warnings: string[] = [];
    const warn = pulumi.log.warn;
    pulumi.log.warn = (message: string) => {
        warnings.push(message);
        return Promise.resolve();
    };
    const run: DeploymentsRun = { resources, warnings };
    try {
        if (options.mainProjectDir) {
            const { loadSettings } = require("../../deployments/settings") as typeof import("../../deployments/settings");
            const { createDelivery } = require("../../deployments/delivery") as typeof import("../../deployments/delivery");
            const raw = (key: string) => config[key];
            run.outputs = createDelivery(loadSettings(raw, options.mainProjectDir, ORGANIZATION)) as unknown as Record<string, any>;
        } else {
            const program = require("../../deployments") as () => Promise<Record<string, any>>;
            run.outputs = await program();
        }
    } catch (error) {
        run.error = error as Error;
    } finally {
        await runtimeSettings.waitForRPCs();
        pulumi.log.warn = warn;
    }
    return run;
}

function urnOf(type: string, name: string): string {
    return `urn:pulumi:${DEPLOYMENTS_STACK}::${DEPLOYMENTS_PROJECT}::${type}::${name}`;
}

/** A scratch copy of fastapi-platform's Pulumi.yaml and stack files, with `edits` applied to stack files' config. */
export function mainProjectCopy(edits: Record<string, Record<string, unknown>> = {}, extraStacks: Record<string, Record<string, unknown>> = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fastapi-platform-main-"));
    for (const file of fs.readdirSync(PROJECT_DIR).filter((name) => /^Pulumi(\..+)?\.ya?ml$/.test(name))) {
        fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(dir, file));
    }
    const write = (stack: string, values: Record<string, unknown>, base: Record<string, unknown>) => {
        const file = path.join(dir, `Pulumi.${stack}.yaml`);
        const config = { ...base, ...values };
        fs.writeFileSync(file, `config:\n${Object.entries(config).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}\n`).join("")}`);
    };
    for (const [stack, values] of Object.entries(edits)) {
        const current = parseYaml(fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
        write(stack, values, current.config);
    }
    for (const [stack, values] of Object.entries(extraStacks)) write(stack, values, {});
    return dir;
}

/** The text of a StringAsset input as the mocks received it. */
export async function assetText(asset: unknown): Promise<string> {
    const text = (asset as { text?: unknown }).text;
    return String(await text);
}
