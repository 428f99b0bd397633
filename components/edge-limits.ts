/**
 * What every edge enforces for the app: the largest request body (maxRequestBodyMb), the
 * request timeout (requestTimeoutSeconds) and the security headers FastAPI services send
 * (HSTS first), added at the edge where the platform can add response headers.
 */

/** maxRequestBodyMb in bytes (MB = 2^20 bytes, as nginx's `m` and Cloud Run's MiB count). */
export function maxBodyBytes(mb: number): number {
    return mb * 1024 * 1024;
}

/** Response headers the edge adds where it can (Cloud Armor/LB custom headers, Front Door rule set). */
export const SECURITY_HEADERS: Record<string, string> = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
};

/**
 * A regular expression matching exactly the decimal integers greater than `limit` (leading zeros
 * allowed). Edges that cannot compare a header numerically (AWS WAF, Cloud Armor) match
 * Content-Length against it: a WAF on an ALB sees only the first 8 KB of a body, so the body's
 * size is judged by the header the client must send with a fixed-length body.
 */
export function integerGreaterThanRegex(limit: number): string {
    const digits = String(limit);
    const alternatives = [`[1-9][0-9]{${digits.length},}`];
    for (let i = 0; i < digits.length; i++) {
        const d = Number(digits[i]);
        if (d === 9) continue;
        const rest = digits.length - i - 1;
        alternatives.push(`${digits.slice(0, i)}[${d + 1}-9]${rest > 0 ? `[0-9]{${rest}}` : ""}`);
    }
    return `^0*(${alternatives.join("|")})$`;
}
