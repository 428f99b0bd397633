import type { CloudFixture } from "./types";

/** Filled in with providers/azure: its SDK, where secrets may sit in plain text, and what its secret store holds. */
export const AZURE_FIXTURE: CloudFixture | undefined = undefined;
