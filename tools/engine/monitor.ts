import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { collectSecretPaths, unwrapSecrets, type RecordedResource } from "../stack-config";
import { PlatformMocks } from "../mocks";
import { decode, encode, previewState } from "./wire";

/**
 * A local Pulumi engine for one program run: the ResourceMonitor and Engine gRPC services the
 * language host hands to `@pulumi/pulumi/cmd/run` (--monitor / --engine). It answers with the
 * offline mocks, records every registration as the engine receives it (serialized inputs,
 * parent, provider, protect, `dependencies`, `propertyDependencies`), and refuses what the real
 * engine refuses before any provider is called (duplicate URNs). In preview mode a new resource's
 * provider-computed attributes and its id come back unknown, as `pulumi preview` answers.
 */

const proto = {
    resource: require("@pulumi/pulumi/proto/resource_pb"),
    resourceGrpc: require("@pulumi/pulumi/proto/resource_grpc_pb"),
    provider: require("@pulumi/pulumi/proto/provider_pb"),
    engine: require("@pulumi/pulumi/proto/engine_pb"),
    engineGrpc: require("@pulumi/pulumi/proto/engine_grpc_pb"),
};

/**
 * Monitor features the program may use, answered as the engine does. Transforms, hooks and
 * parameterized packages need callback servers this engine does not run; the program uses none.
 */
const SUPPORTED_FEATURES = new Set(["secrets", "resourceReferences", "outputValues", "deletedWith", "aliasSpecs"]);

const STACK_TYPE = "pulumi:pulumi:Stack";
const LOG_SEVERITIES = ["debug", "info", "warning", "error"] as const;

export interface EngineLog {
    severity: (typeof LOG_SEVERITIES)[number];
    message: string;
    urn?: string;
}

/** A registration as recorded by the local engine (the same record as the in-process harness's). */
export type EngineResource = RecordedResource;

export interface EngineRecord {
    resources: EngineResource[];
    /** The root stack resource's outputs, decoded (secrets wrapped). */
    stackOutputs: Record<string, unknown>;
    logs: EngineLog[];
    invokes: PlatformMocks["invokes"];
}

type Callback = (error: grpc.ServiceError | null, response?: unknown) => void;
type Call = { request: any };

export class LocalEngine {
    readonly record: EngineRecord;
    private readonly mocks = new PlatformMocks();
    private readonly server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    private readonly urns = new Set<string>();
    private rootUrn = "";
    private address = "";

    constructor(private readonly stack: string, private readonly project: string, private readonly preview: boolean) {
        this.record = { resources: [], stackOutputs: {}, logs: [], invokes: this.mocks.invokes };
        this.server.addService(proto.resourceGrpc.ResourceMonitorService, this.monitorService());
        this.server.addService(proto.engineGrpc.EngineService, this.engineService());
    }

    /** Binds to a free loopback port; returns "127.0.0.1:<port>". */
    async start(): Promise<string> {
        const port = await new Promise<number>((resolve, reject) =>
            this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
        this.address = `127.0.0.1:${port}`;
        return this.address;
    }

    stop(): void {
        this.server.forceShutdown();
    }

    private monitorService(): grpc.UntypedServiceImplementation {
        return {
            supportsFeature: (call: Call, callback: Callback) => {
                const response = new proto.resource.SupportsFeatureResponse();
                response.setHassupport(SUPPORTED_FEATURES.has(call.request.getId()));
                callback(null, response);
            },
            registerResource: (call: Call, callback: Callback) => this.answer(callback, () => this.registerResource(call.request)),
            readResource: (call: Call, callback: Callback) => this.answer(callback, () => this.readResource(call.request)),
            invoke: (call: Call, callback: Callback) => this.answer(callback, () => this.invoke(call.request)),
            registerResourceOutputs: (call: Call, callback: Callback) => this.answer(callback, () => {
                const urn: string = call.request.getUrn();
                if (urn === this.rootUrn) this.record.stackOutputs = decode(call.request.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
                return new Empty();
            }),
            signalAndWaitForShutdown: (_call: Call, callback: Callback) => callback(null, new Empty()),
        };
    }

    private engineService(): grpc.UntypedServiceImplementation {
        return {
            log: (call: Call, callback: Callback) => {
                const request = call.request;
                this.record.logs.push({ severity: LOG_SEVERITIES[request.getSeverity()] ?? "info", message: request.getMessage(), urn: request.getUrn() || undefined });
                callback(null, new Empty());
            },
            getRootResource: (_call: Call, callback: Callback) => {
                const response = new proto.engine.GetRootResourceResponse();
                response.setUrn(this.rootUrn);
                callback(null, response);
            },
            setRootResource: (call: Call, callback: Callback) => {
                this.rootUrn = call.request.getUrn();
                callback(null, new proto.engine.SetRootResourceResponse());
            },
        };
    }

    private async answer(callback: Callback, handle: () => unknown): Promise<void> {
        try {
            callback(null, await handle());
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            callback(Object.assign(new Error(message), { code: grpc.status.INVALID_ARGUMENT, details: message, metadata: new grpc.Metadata() }));
        }
    }

    /** The engine's URN: a parent's qualified type prefixes the child's, except the root stack's. */
    private urnOf(type: string, name: string, parent: string): string {
        const parentType = parent ? parent.split("::")[2] : "";
        const qualified = parentType && parentType !== STACK_TYPE ? `${parentType}$${type}` : type;
        return `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
    }

    private claimUrn(urn: string): void {
        if (this.urns.has(urn)) throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
        this.urns.add(urn);
    }

    private registerResource(request: any): unknown {
        const type: string = request.getType();
        const name: string = request.getName();
        const parent: string = request.getParent();
        const custom: boolean = request.getCustom();
        const urn = this.urnOf(type, name, parent);
        this.claimUrn(urn);
        const inputs = decode(request.getObject()?.toJavaScript() ?? {}) as Record<string, any>;
        const propertyDependencies: Record<string, string[]> = {};
        request.getPropertydependenciesMap().forEach((deps: any, key: string) => (propertyDependencies[key] = deps.getUrnsList()));

        let id = "";
        let state: Record<string, unknown> = {};
        if (custom) {
            const mock = this.mocks.newResource({ type, name, inputs, provider: request.getProvider(), custom, id: request.getImportid() });
            state = this.preview ? previewState(inputs, mock.state) : mock.state;
            id = this.preview ? "" : mock.id;
        }
        if (type === STACK_TYPE && !parent) this.rootUrn = urn;
        this.record.resources.push({
            urn, type, name, custom,
            parent: parent || undefined,
            protect: request.getProtect() ?? false,
            provider: request.getProvider() || undefined,
            dependencies: request.getDependenciesList(),
            propertyDependencies,
            inputs,
            plainInputs: unwrapSecrets(inputs) as Record<string, any>,
            secretPaths: secretPathsOf(inputs),
            state: { ...(unwrapSecrets(state) as Record<string, any>), ...(id ? { id } : {}) },
        });
        const response = new proto.resource.RegisterResourceResponse();
        response.setUrn(urn);
        response.setId(id);
        response.setObject(Struct.fromJavaScript(encode(state) as Record<string, any>));
        return response;
    }

    private readResource(request: any): unknown {
        const type: string = request.getType();
        const name: string = request.getName();
        const urn = this.urnOf(type, name, request.getParent());
        this.claimUrn(urn);
        const inputs = decode(request.getProperties()?.toJavaScript() ?? {}) as Record<string, any>;
        const mock = this.mocks.newResource({ type, name, inputs, provider: request.getProvider(), custom: true, id: request.getId() });
        const response = new proto.resource.ReadResourceResponse();
        response.setUrn(urn);
        response.setProperties(Struct.fromJavaScript(encode(mock.state) as Record<string, any>));
        return response;
    }

    /** Invokes (availability zones, caller identity, ...) answer in previews too, as real ones do. */
    private invoke(request: any): unknown {
        const inputs = decode(request.getArgs()?.toJavaScript() ?? {}) as Record<string, any>;
        const result = this.mocks.call({ token: request.getTok(), inputs, provider: request.getProvider() });
        const response = new proto.provider.InvokeResponse();
        response.setReturn(Struct.fromJavaScript(encode(result) as Record<string, any>));
        return response;
    }
}

function secretPathsOf(value: unknown): string[] {
    const paths: string[] = [];
    collectSecretPaths(value, "", paths);
    return paths;
}
