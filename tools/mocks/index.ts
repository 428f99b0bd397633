import type * as pulumi from "@pulumi/pulumi";
import { AWS_MOCKS } from "./aws";
import { AZURE_MOCKS } from "./azure";
import { mockSecretValue, stableHex, type CloudMocks, type Computed, type RecordedInvoke, type State } from "./common";
import { GCP_MOCKS } from "./gcp";
import { KUBERNETES_MOCKS } from "./kubernetes";
import { COMMAND_MOCKS, DOCKER_BUILD_MOCKS } from "./release";

export * from "./common";

/**
 * Pulumi mocks for running the real program offline. Every resource comes back with its inputs
 * plus the computed attributes the program reads (ids, ARNs, endpoints), with deterministic
 * values so tests and the plan can assert on them. Each cloud's table lives in its own file.
 */
const RANDOM: Record<string, Computed> = {
    "random:index/randomPassword:RandomPassword": (name, inputs) => {
        const result = mockSecretValue(name, inputs.length ?? 16);
        return { result, bcryptHash: `$2a$10$${result}` };
    },
    "random:index/randomString:RandomString": (name, inputs) => ({ result: mockSecretValue(name, inputs.length ?? 16) }),
    "random:index/randomId:RandomId": (name, inputs) => {
        const hex = stableHex(name, 2 * (inputs.byteLength ?? 4));
        return { hex, dec: BigInt(`0x${hex}`).toString(), b64Std: Buffer.from(hex, "hex").toString("base64"), b64Url: Buffer.from(hex, "hex").toString("base64url") };
    },
};

const CLOUDS: Record<string, CloudMocks> = {
    aws: AWS_MOCKS, gcp: GCP_MOCKS, "azure-native": AZURE_MOCKS, kubernetes: KUBERNETES_MOCKS, "docker-build": DOCKER_BUILD_MOCKS, command: COMMAND_MOCKS,
};

/**
 * The mocks for one run: records every invoke, answers resources and invokes deterministically.
 * Use a fresh instance per run so nothing leaks between runs.
 */
export class PlatformMocks implements pulumi.runtime.Mocks {
    readonly invokes: RecordedInvoke[] = [];

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
        const inputs: State = args.inputs ?? {};
        const cloud = CLOUDS[args.type.split(":")[0]];
        const computed = (cloud?.computed[args.type] ?? RANDOM[args.type])?.(args.name, inputs) ?? {};
        const generic = cloud?.generic?.(args.type, args.name, inputs) ?? { name: inputs.name ?? args.name };
        return {
            id: args.id || `${args.name}-id`,
            state: { ...generic, ...inputs, ...computed },
        };
    }

    call(args: pulumi.runtime.MockCallArgs): State {
        this.invokes.push({ token: args.token, inputs: args.inputs });
        const answer = CLOUDS[args.token.split(":")[0]]?.invokes[args.token];
        return answer ? answer(args.inputs ?? {}) : args.inputs;
    }
}
