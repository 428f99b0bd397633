import type { CloudFixture } from "./types";

/** Filled in with providers/gcp: its SDK, where secrets may sit in plain text, and what its secret store holds. */
export const GCP_FIXTURE: CloudFixture | undefined = undefined;
