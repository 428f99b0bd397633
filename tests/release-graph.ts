import * as assert from "assert";
import type { RecordedResource, RunResult } from "../tools/harness";

/**
 * The recorded dependency graph of a run: for each resource, the URNs the engine was told it
 * depends on (explicit `dependsOn`, expanded to a component's children, plus the resources its
 * inputs came from). Read from the record's `dependencies` field; while the harness does not
 * record it yet, from the registration requests themselves (the fallback below, which goes once
 * tools/harness.ts records `dependencies`).
 */

interface RegisterRequestLike {
    getDependenciesList(): string[];
}
interface RegisterResponseLike {
    getUrn(): string;
}
interface MonitorLike {
    registerResource(request: RegisterRequestLike, callback: (error: unknown, response?: RegisterResponseLike) => void): unknown;
}

/** One mock monitor's registrations: URN -> dependency URNs. */
const registrationLogs: Map<string, string[]>[] = [];
const watched = new WeakSet<object>();

/** Wraps every mock monitor the runtime hands out, so each registration's dependencies are kept. */
function watchRegistrations(): void {
    const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): MonitorLike | undefined; __releaseGraphWatch?: boolean };
    if (settings.__releaseGraphWatch) return;
    settings.__releaseGraphWatch = true;
    const getMonitor = settings.getMonitor;
    settings.getMonitor = () => {
        const monitor = getMonitor();
        if (monitor && !watched.has(monitor)) {
            watched.add(monitor);
            const log = new Map<string, string[]>();
            registrationLogs.push(log);
            const register = monitor.registerResource.bind(monitor);
            monitor.registerResource = (request, callback) =>
                register(request, (error, response) => {
                    if (!error && response) log.set(response.getUrn(), request.getDependenciesList());
                    callback(error, response);
                });
        }
        return monitor;
    };
}
watchRegistrations();

type WithDependencies = RecordedResource & { dependencies?: string[] };

/** URN -> direct dependency URNs of every resource of `result`. */
export function dependencyGraph(result: RunResult): Map<string, string[]> {
    const records = result.resources as WithDependencies[];
    if (records.every((r) => Array.isArray(r.dependencies))) return new Map(records.map((r) => [r.urn, r.dependencies!]));
    const urns = records.map((r) => r.urn);
    const log = [...registrationLogs].reverse().find((candidate) => candidate.size === urns.length && urns.every((urn) => candidate.has(urn)));
    assert.ok(log, "no recorded dependencies for this run: run it after tests/release-graph.ts is loaded (or record `dependencies` in tools/harness.ts)");
    return new Map(urns.map((urn) => [urn, log.get(urn)!]));
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
