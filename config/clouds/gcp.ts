import type { FieldSpec, ValuesOf } from "../spec";

/** Google Cloud-only knobs; the neutral keys of config/schema.ts cover everything the clouds share. */
export const GCP_OVERRIDES = {} satisfies Record<string, FieldSpec>;

export type GcpOverrides = ValuesOf<typeof GCP_OVERRIDES>;
