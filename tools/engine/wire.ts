import { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN_VALUE } from "../stack-config";

/**
 * Pulumi's property wire format (sdk/nodejs/runtime/rpc.ts): plain JSON inside a
 * google.protobuf.Struct, with special objects marked by a signature key. The local engine
 * decodes what the program sends into the harness's record format (secrets stay wrapped, unknowns
 * become UNKNOWN_VALUE) and encodes the mocks' answers back.
 */

/** The string a preview sends and answers for a value that is not known yet. */
export const UNKNOWN_WIRE_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const secret = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, value });

/** A Struct's JavaScript form, decoded: what the engine would hand a provider's Check. */
export function decode(value: unknown): unknown {
    if (value === UNKNOWN_WIRE_VALUE) return UNKNOWN_VALUE;
    if (Array.isArray(value)) return value.map(decode);
    if (typeof value !== "object" || value === null) return value;
    const record = value as Record<string, unknown>;
    switch (record[SECRET_SIG_KEY]) {
        case SECRET_SIG:
            return secret(decode(record.value));
        case RESOURCE_REFERENCE_SIG:
            // A provider receives the referenced resource's id (custom) or URN (component).
            return typeof record.id === "string" && record.id !== "" ? decode(record.id) : record.urn;
        case OUTPUT_VALUE_SIG: {
            const inner = "value" in record ? decode(record.value) : UNKNOWN_VALUE;
            return record.secret === true ? secret(inner) : inner;
        }
        case ASSET_SIG:
        case ARCHIVE_SIG:
            return record;
        default:
            return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, decode(item)]));
    }
}

/** A mock's answer in wire form: secrets keep their signature, undefined fields are dropped. */
export function encode(value: unknown): Json {
    if (value === UNKNOWN_VALUE) return UNKNOWN_WIRE_VALUE;
    if (value === undefined || value === null) return null;
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "boolean" || typeof value === "number" || typeof value === "string") return value;
    if (Array.isArray(value)) return value.map(encode);
    if (typeof value === "object") {
        const out: Record<string, Json> = {};
        for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = encode(item);
        return out;
    }
    return String(value);
}

/**
 * What a preview answers for a resource about to be created: the inputs the program sent are
 * known, every attribute only the provider computes (ids, ARNs, endpoints) is unknown.
 */
export function previewState(inputs: Record<string, unknown>, mockState: Record<string, unknown>): Record<string, unknown> {
    const state: Record<string, unknown> = {};
    for (const key of Object.keys(mockState)) state[key] = key in inputs ? inputs[key] : UNKNOWN_VALUE;
    for (const [key, value] of Object.entries(inputs)) state[key] = value;
    return state;
}
