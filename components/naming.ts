import type { Environment } from "../config/schema";

/**
 * Every physical name of the platform starts from the base name, so the base name carries the
 * guarantees the clouds' name rules need, for ANY project and stack name Pulumi accepts (1-100
 * characters of letters, digits, `-`, `_` and `.` each; see components/name-rules.ts):
 * - lower-case letters, digits and single hyphens, never a hyphen at either end;
 * - starts with a letter (RDS, ElastiCache, Cloud SQL, Memorystore, Compute Engine, Container
 *   Apps and Key Vault names must);
 * - at most BASE_NAME_MAX characters, so "<base>-<role>" plus the 8 characters Pulumi's
 *   auto-namer appends ("-" and 7 random characters) stays inside the common 63-character limits.
 * Names cut to fit end with a hash of the full "<project>-<stack>", so two long stacks that share
 * a prefix still get different names.
 */
export const BASE_NAME_MAX = 32;

export function baseName(project: string, stack: string): string {
    const full = `${project}-${stack}`;
    let base = full.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
    if (!/^[a-z]/.test(base)) base = base ? `p-${base}` : "p";
    // "my_app"/"my.app"/"my-app" would all become "my-app": a hash keeps their resources apart.
    const rewritten = base !== full.toLowerCase();
    if (base.length <= BASE_NAME_MAX && !rewritten) return base;
    return rewritten && base.length + 5 <= BASE_NAME_MAX ? `${base}-${hashOf(full)}` : cut(base, hashOf(full), BASE_NAME_MAX);
}

/** Pulumi's auto-namer appends "-" and 7 random characters to the logical name (resource.NewUniqueName). */
export const AUTO_NAME_SUFFIX_LENGTH = 8;

/**
 * A logical name whose auto-generated physical name ("<logical>-<7 random characters>") fits a
 * cloud limit of `max` characters: shortName with room left for the auto-namer's suffix.
 */
export function autoNamed(base: string, suffix: string, max: number): string {
    return shortName(base, suffix, max - AUTO_NAME_SUFFIX_LENGTH);
}

/**
 * A name of at most `max` characters: the base name cut to fit, followed by `suffix`. A stable
 * 4-character hash of the full base name keeps two long stacks from colliding after the cut.
 */
export function shortName(base: string, suffix: string, max: number): string {
    const full = suffix ? `${base}-${suffix}` : base;
    if (full.length <= max) return full;
    return cut(base, hashOf(base), max - (suffix ? suffix.length + 1 : 0)) + (suffix ? `-${suffix}` : "");
}

/** `text` cut to `max` characters, ending "-<hash>"; never ends in a hyphen. */
function cut(text: string, hash: string, max: number): string {
    const room = max - hash.length - 1;
    return `${text.slice(0, Math.max(room, 1)).replace(/-+$/, "")}-${hash}`;
}

/** 4 base-36 characters of a stable hash. */
function hashOf(text: string): string {
    return fnv1a(text).toString(36).padStart(4, "0").slice(-4);
}

/** shortName without hyphens, for names of letters and digits only (Front Door WAF policies). */
export function compactName(base: string, suffix: string, max: number): string {
    return shortName(base.replace(/-/g, ""), suffix, max + 1).replace(/-/g, "").slice(0, max);
}

/**
 * A Kubernetes label value: at most 63 characters, letters, digits, `-`, `_` and `.`, beginning
 * and ending with a letter or digit (Kubernetes API conventions, apimachinery
 * validation.IsValidLabelValue). Project and stack names may end in `_` or `.`, or be 100 long.
 */
export function labelValue(text: string): string {
    const trimmed = text.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
    if (trimmed.length <= LABEL_VALUE_MAX && trimmed.length > 0) return trimmed;
    if (trimmed.length === 0) return hashOf(text);
    return `${trimmed.slice(0, LABEL_VALUE_MAX - 5).replace(/[^A-Za-z0-9]+$/, "")}-${hashOf(text)}`;
}

const LABEL_VALUE_MAX = 63;

function fnv1a(text: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash;
}

/** Tags/labels on everything taggable, on every cloud: project, stack, environment, managed-by. */
export function standardTags(project: string, stack: string, environment: Environment): Record<string, string> {
    return { project, stack, environment, "managed-by": "pulumi" };
}
