import * as grpc from "@grpc/grpc-js";
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { EnforcementLevel, PolicyPackConfig, Severity } from "@pulumi/policy";
import { PROJECT_DIR } from "../stack-config";
import type { EngineResource } from "./monitor";
import { encode } from "./wire";

/**
 * Runs the CrossGuard pack in policy/ the way `pulumi preview --policy-pack policy` does: the
 * language host starts `node @pulumi/pulumi/cmd/run-policy-pack <engine> <pack dir>` in the pack's
 * directory (which transpiles the pack with its own tsconfig.json), the pack prints the port of its
 * Analyzer gRPC server, and the engine calls GetAnalyzerInfo, Configure (the policy config,
 * reconciled as the CLI does: a policy's own entry, then `all`, then the policy's own level),
 * Analyze once per resource with its inputs, and AnalyzeStack once with every resource.
 */

const proto = {
    analyzer: require("@pulumi/pulumi/proto/analyzer_pb"),
    analyzerGrpc: require("@pulumi/pulumi/proto/analyzer_grpc_pb"),
};

export const POLICY_PACK_DIR = path.join(PROJECT_DIR, "policy");

const ENFORCEMENT: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];
const SEVERITY: (Severity | "")[] = ["", "low", "medium", "high", "critical"];

export interface PackDiagnostic {
    policy: string;
    enforcement: EnforcementLevel;
    severity: Severity | "";
    message: string;
    /** The resource it concerns; undefined for a stack-wide finding. */
    urn?: string;
}

export interface PackRun {
    packName: string;
    policies: { name: string; enforcement: EnforcementLevel; remediation: string }[];
    diagnostics: PackDiagnostic[];
    /** ms from spawn to the last answer. */
    durationMs: number;
}

/** Starts the pack; resolves with the process and the analyzer's address once it printed its port. */
function startPack(packDir: string, engineAddress: string, timeoutMs: number): Promise<{ child: ChildProcess; address: string; stderr: () => string }> {
    const runPath = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!/^(TS_NODE_|PULUMI_|NODE_OPTIONS$)/.test(key)) env[key] = value;
    env.PULUMI_NODEJS_TYPESCRIPT = "true";
    const child = spawn(process.execPath, [runPath, engineAddress, packDir], { cwd: packDir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`the policy pack printed no port within ${timeoutMs} ms:\n${stderr}`));
        }, timeoutMs);
        child.stdout!.on("data", (chunk: Buffer) => {
            stdout += chunk.toString("utf8");
            const port = /^(\d+)\s*$/m.exec(stdout)?.[1];
            if (port) {
                clearTimeout(timer);
                resolve({ child, address: `127.0.0.1:${port}`, stderr: () => stderr });
            }
        });
        child.on("error", reject);
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`the policy pack exited with code ${code} before serving:\n${stderr}`));
        });
    });
}

function call<T>(client: any, method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))));
}

/** One PolicyConfig per policy, as the CLI sends after reconciling --policy-pack-config. */
function configureRequest(policies: PackRun["policies"], config: PolicyPackConfig): unknown {
    const request = new proto.analyzer.ConfigureAnalyzerRequest();
    const map = request.getPolicyconfigMap();
    const entryOf = (value: unknown) => (typeof value === "string" ? { enforcementLevel: value } : (value as Record<string, unknown> | undefined) ?? {});
    for (const policy of policies) {
        const own = entryOf(config[policy.name]);
        const level = (own.enforcementLevel ?? entryOf(config.all).enforcementLevel ?? policy.enforcement) as EnforcementLevel;
        const { enforcementLevel: _level, ...properties } = own;
        const entry = new proto.analyzer.PolicyConfig();
        entry.setEnforcementlevel(ENFORCEMENT.indexOf(level));
        entry.setProperties(Struct.fromJavaScript(encode(properties) as Record<string, any>));
        map.set(policy.name, entry);
    }
    return request;
}

function analyzerResource(resource: EngineResource, byUrn: Map<string, EngineResource>, message: "AnalyzeRequest" | "AnalyzerResource"): unknown {
    const request = new proto.analyzer[message]();
    request.setType(resource.type);
    request.setUrn(resource.urn);
    request.setName(resource.name);
    const properties = message === "AnalyzeRequest" ? resource.inputs : { ...resource.state, ...resource.inputs };
    request.setProperties(Struct.fromJavaScript(encode(properties) as Record<string, any>));
    const options = new proto.analyzer.AnalyzerResourceOptions();
    options.setProtect(resource.protect);
    if (resource.parent) options.setParent(resource.parent);
    request.setOptions(options);
    // A provider reference is "<provider urn>::<provider id>".
    const providerUrn = resource.provider?.replace(/::[^:]*$/, "");
    const provider = providerUrn ? byUrn.get(providerUrn) : undefined;
    if (provider) {
        const reference = new proto.analyzer.AnalyzerProviderResource();
        reference.setType(provider.type);
        reference.setUrn(provider.urn);
        reference.setName(provider.name);
        reference.setProperties(Struct.fromJavaScript(encode(provider.inputs) as Record<string, any>));
        request.setProvider(reference);
    }
    if (message === "AnalyzerResource") {
        if (resource.parent) request.setParent(resource.parent);
        request.setDependenciesList(resource.dependencies);
    }
    return request;
}

function diagnosticsOf(response: any): PackDiagnostic[] {
    return response.getDiagnosticsList().map((d: any) => ({
        policy: d.getPolicyname(),
        enforcement: ENFORCEMENT[d.getEnforcementlevel()] ?? "advisory",
        severity: SEVERITY[d.getSeverity()] ?? "",
        message: d.getMessage(),
        urn: d.getUrn() || undefined,
    }));
}

/** A served pack: start once, configure and analyze as often as needed, stop. */
export class PolicyPackServer {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: any,
        private readonly stderr: () => string,
        readonly packName: string,
        readonly policies: PackRun["policies"],
        readonly startMs: number,
    ) {}

    static async start(options: { packDir?: string; timeoutMs?: number } = {}): Promise<PolicyPackServer> {
        const started = Date.now();
        const pack = await startPack(options.packDir ?? POLICY_PACK_DIR, "127.0.0.1:0", options.timeoutMs ?? 120_000);
        const client = new proto.analyzerGrpc.AnalyzerClient(pack.address, grpc.credentials.createInsecure());
        try {
            const info: any = await call(client, "getAnalyzerInfo", new Empty());
            const policies = info.getPoliciesList().map((p: any) => ({
                name: p.getName() as string,
                enforcement: ENFORCEMENT[p.getEnforcementlevel()] ?? "advisory",
                remediation: (p.getRemediationSteps?.() as string | undefined) ?? "",
            }));
            return new PolicyPackServer(pack.child, client, pack.stderr, info.getName(), policies, Date.now() - started);
        } catch (error) {
            pack.child.kill();
            throw new Error(`${(error as Error).message}\n${pack.stderr()}`);
        }
    }

    /** Configure, then Analyze each resource's inputs, then AnalyzeStack: one preview's policy pass. */
    async analyze(resources: EngineResource[], config: PolicyPackConfig = {}): Promise<PackDiagnostic[]> {
        try {
            await call(this.client, "configure", configureRequest(this.policies, config));
            const byUrn = new Map(resources.map((r) => [r.urn, r]));
            const diagnostics: PackDiagnostic[] = [];
            for (const resource of resources) {
                // A resource policy's diagnostic carries no URN: the engine knows which resource it asked about.
                const found = diagnosticsOf(await call(this.client, "analyze", analyzerResource(resource, byUrn, "AnalyzeRequest")));
                diagnostics.push(...found.map((d) => ({ ...d, urn: d.urn ?? resource.urn })));
            }
            const stackRequest = new proto.analyzer.AnalyzeStackRequest();
            stackRequest.setResourcesList(resources.map((r) => analyzerResource(r, byUrn, "AnalyzerResource")));
            diagnostics.push(...diagnosticsOf(await call(this.client, "analyzeStack", stackRequest)));
            return diagnostics;
        } catch (error) {
            throw new Error(`${(error as Error).message}\n${this.stderr()}`);
        }
    }

    stop(): void {
        this.client.close();
        this.child.kill();
    }
}

/** Starts the pack, runs one policy pass over `resources` (the root stack resource may be among them, as the engine sends it) and stops it. */
export async function runPolicyPack(resources: EngineResource[], config: PolicyPackConfig = {}, options: { packDir?: string; timeoutMs?: number } = {}): Promise<PackRun> {
    const started = Date.now();
    const server = await PolicyPackServer.start(options);
    try {
        const diagnostics = await server.analyze(resources, config);
        return { packName: server.packName, policies: server.policies, diagnostics, durationMs: Date.now() - started };
    } finally {
        server.stop();
    }
}
