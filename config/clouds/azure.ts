import type { FieldSpec, ValuesOf } from "../spec";

/** Azure-only knobs; the neutral keys of config/schema.ts cover everything the clouds share. */
export const AZURE_OVERRIDES = {} satisfies Record<string, FieldSpec>;

export type AzureOverrides = ValuesOf<typeof AZURE_OVERRIDES>;
