import * as assert from "assert";
import type { RecordedResource, RunResult } from "../tools/harness";

/**
 * The recorded dependency graph of a run: for each resource, the URNs the engine was told it
 * depends on (explicit `dependsOn`, expanded to a component's children, plus the resources its
 * inputs came from), as the harness and the local engine record them.
 */

/** URN -> direct dependency URNs of every resource of `result`. */
export function dependencyGraph(result: RunResult): Map<string, string[]> {
    return new Map(result.resources.map((r) => [r.urn, r.dependencies]));
}

/** Every URN `urn` depends on, directly or through other resources. */
export function transitiveDependencies(graph: Map<string, string[]>, urn: string): Set<string> {
    const seen = new Set<string>();
    const queue = [...(graph.get(urn) ?? [])];
    while (queue.length > 0) {
        const next = queue.pop()!;
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(...(graph.get(next) ?? []));
    }
    return seen;
}

/** Asserts `later` cannot be created or updated before `earlier` is done. */
export function assertOrdered(graph: Map<string, string[]>, earlier: RecordedResource, later: RecordedResource): void {
    assert.ok(
        transitiveDependencies(graph, later.urn).has(earlier.urn),
        `${later.type} ${later.name} does not depend on ${earlier.type} ${earlier.name}, so it could roll first`,
    );
}
