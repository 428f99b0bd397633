/**
 * GCP labels: keys and values of lower-case letters, digits, '_' and '-', at most 63 characters,
 * keys starting with a letter. Tags are lower-cased and other characters become '_'.
 */
const MAX_LABEL_LENGTH = 63;

export function labelText(text: string): string {
    return text.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, MAX_LABEL_LENGTH);
}

export function gcpLabels(tags: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(tags).map(([key, value]) => [labelText(key), labelText(value)]));
}

/** Label keys that two or more tag keys turn into (one would silently replace the other). */
export function labelKeyCollisions(tags: Record<string, string>): Map<string, string[]> {
    const byLabel = new Map<string, string[]>();
    for (const key of Object.keys(tags)) byLabel.set(labelText(key), [...(byLabel.get(labelText(key)) ?? []), key]);
    return new Map([...byLabel].filter(([, keys]) => keys.length > 1));
}
