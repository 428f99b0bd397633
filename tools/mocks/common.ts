/**
 * Pulumi mocks for running the real program offline. Every resource comes back with its inputs
 * plus the computed attributes the program reads (ids, ARNs, endpoints), with deterministic
 * values so tests and the plan can assert on them.
 */

export const MOCK_ACCOUNT_ID = "123456789012";
export const MOCK_REGION = "eu-west-1";
export const MOCK_ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
/** Every generated mock secret contains this, so a test can search any text for leaked secrets. */
export const MOCK_SECRET_MARKER = "Mock0Secret";

export interface RecordedInvoke {
    token: string;
    inputs: any;
}

export type State = Record<string, any>;
/** Computed attributes of one resource type, from its logical name and inputs. */
export type Computed = (name: string, inputs: State) => State;
/** The answer to one invoke (data source), from its inputs. */
export type Invoke = (inputs: State) => State;

/** What one cloud adds to the mocks: computed attributes by resource type, invoke answers by token, and the generic state of its resources. */
export interface CloudMocks {
    computed: Record<string, Computed>;
    invokes: Record<string, Invoke>;
    /** Generic attributes every resource of this package gets (ids, self links), refined by `computed`. */
    generic?: (type: string, name: string, inputs: State) => State;
}

/** A short stable hex string derived from `text` (FNV-1a), for ids that differ per resource. */
export function stableHex(text: string, length = 8): string {
    let out = "";
    let seed = 0;
    while (out.length < length) {
        let hash = 0x811c9dc5 ^ seed++;
        for (let i = 0; i < text.length; i++) {
            hash ^= text.charCodeAt(i);
            hash = Math.imul(hash, 0x01000193) >>> 0;
        }
        out += hash.toString(16).padStart(8, "0");
    }
    return out.slice(0, length);
}

/**
 * The deterministic value of a generated secret: the marker, then hex derived from the resource
 * name (so two secrets of one length still differ), repeated and cut. Alphanumeric and without
 * 'x', so it survives URL encoding unchanged and cannot be mistaken for a hex literal.
 */
export function mockSecretValue(resourceName: string, length: number): string {
    const unit = MOCK_SECRET_MARKER + stableHex(resourceName, 8);
    return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/**
 * The stack config of the run the mocks answer for (`<namespace>:<key>` -> engine string), so
 * mock ids can carry the stack's own project and region. Set by whoever starts the run.
 */
let runConfig: Record<string, string> = {};

export function setMockConfig(config: Record<string, string>): void {
    runConfig = config;
}

export function mockConfig(key: string): string | undefined {
    return runConfig[key];
}
