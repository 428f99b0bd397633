/**
 * The `<cloud>.drRegion` rules AWS, Google Cloud and Azure share: production names a second
 * region (`requirement` says which and what it holds there), and that region is not the primary
 * one (`primaryKey`, e.g. aws:region). Each cloud's validate.ts adds its own pairing rules.
 */
export function drRegionProblems(
    project: string, cloud: string, drRegion: string, primary: { key: string; region: string | undefined }, production: boolean, requirement: string,
): string[] {
    const key = `${project}:${cloud}.drRegion`;
    const problems: string[] = [];
    if (production && !drRegion) problems.push(`${key} is empty; production requires ${requirement}`);
    if (drRegion && primary.region && drRegion === primary.region) {
        problems.push(`${key} is '${drRegion}', the same as ${primary.key}; disaster recovery needs a different region`);
    }
    return problems;
}
