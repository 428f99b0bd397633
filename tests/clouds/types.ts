import type { RunResult } from "../../tools/harness";

/** What the cloud-independent tests (secrets, loading) need to know about one cloud. */
export interface CloudFixture {
    /** The npm package of the cloud's SDK, which no other cloud's stack may load. */
    sdk: string;
    /** Resource type -> the input fields allowed to hold a secret value in plain text: the store's value and the services' own credentials. */
    secretHolders: Record<string, string[]>;
    /** The plain values held in the cloud's secret store (to prove every secret reaches it). */
    storedValues(result: RunResult): string[];
}
