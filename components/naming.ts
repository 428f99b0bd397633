import type { Environment } from "../config/schema";

/**
 * Base of every physical name: "<project>-<stack>", lower-case, hyphenated. Clouds with tight
 * limits (ALB/target group 32, ElastiCache 40, Key Vault 24) shorten it with `shortName`.
 */
export function baseName(project: string, stack: string): string {
    return `${project}-${stack}`.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
}

/**
 * A name of at most `max` characters: the base name cut to fit, followed by `suffix`. A stable
 * 4-character hash of the full base name keeps two long stacks from colliding after the cut.
 */
export function shortName(base: string, suffix: string, max: number): string {
    const full = suffix ? `${base}-${suffix}` : base;
    if (full.length <= max) return full;
    const hash = fnv1a(base).toString(36).slice(0, 4);
    const room = max - hash.length - 1 - (suffix ? suffix.length + 1 : 0);
    return [base.slice(0, Math.max(room, 1)).replace(/-$/, ""), hash, suffix].filter(Boolean).join("-");
}

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
