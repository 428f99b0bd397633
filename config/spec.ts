/** The shapes of the configuration schema (config/schema.ts and the per-cloud blocks in config/clouds/). */

/** One scalar field, used both for top-level keys and for the fields of override blocks. */
export type FieldSpec =
    | { type: "string"; default: string; description: string; allowed?: readonly string[]; pattern?: RegExp; patternHint?: string }
    | { type: "integer"; default: number; description: string; min: number; max: number; allowed?: readonly number[] }
    | { type: "boolean"; default: boolean; description: string }
    | { type: "array"; default: string[]; description: string; itemPattern?: RegExp; itemHint?: string; minItems?: number };

/** An object-valued key: either a typed block (unknown fields rejected) or a free string map. */
export type ObjectSpec =
    | { type: "object"; default: Record<string, never>; description: string; fields: Record<string, FieldSpec> }
    | {
          type: "object"; default: Record<string, never>; description: string; mapKeyPattern: RegExp; mapKeyHint: string;
          /** Longest value an entry may have (default: the scalar limit of config/parse.ts). */
          mapValueMaxLength?: number;
          /** Values may hold tab, line feed and carriage return (environment variables). */
          mapValueMultiline?: boolean;
          /** Names a near-miss key is compared with for a "did you mean". */
          mapKeySuggestions?: readonly string[];
      };

export type KeySpec = FieldSpec | ObjectSpec;


/** The value type a field spec parses to. */
export type ValueOf<F extends FieldSpec> = F extends { type: "string" } ? string : F extends { type: "integer" } ? number : F extends { type: "boolean" } ? boolean : string[];

/** The parsed values of a block of field specs, e.g. the `aws` overrides. */
export type ValuesOf<T extends Record<string, FieldSpec>> = { -readonly [K in keyof T]: ValueOf<T[K]> };

/**
 * `pattern` or the empty string, for an optional string key whose default is "". `pattern` must be
 * anchored (^...$); the result is anchored the same way.
 */
export function orEmpty(pattern: RegExp): RegExp {
    const { source } = pattern;
    if (!source.startsWith("^") || !source.endsWith("$")) throw new Error(`orEmpty needs an anchored pattern, got /${source}/`);
    return new RegExp(`^(${source.slice(1, -1)})?$`, pattern.flags);
}
