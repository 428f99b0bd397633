import "./transpile-cache";
import * as fs from "fs";
import * as path from "path";
import { GENERATED_SECRET_TYPES, STATEFUL_TYPES } from "../policy/rules/common";
import { PROJECT_DIR, runStack, type RecordedResource, type RunResult } from "./harness";

/**
 * The replacement guard's data: the stateful resources of each shipped stack (databases, caches,
 * secret stores, secrets, keys, buckets, and the generated secret values) by URN, committed as
 * tests/snapshots/stateful-<cloud>-<stack>.json. A URN that disappears means Pulumi would delete
 * the resource — or delete and re-create it, empty, under its new URN — unless an alias carries it
 * over. tests/replacement-guard.test.ts compares every run with the committed snapshot.
 *
 * `npm run snapshot -- [--cloud <name>] [--stack <name>]` rewrites the snapshots (default: every
 * deployable cloud x every shipped stack); commit the result only in a reviewed change.
 */

export interface StatefulEntry {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    /** database, cache, secret store, secret, key, bucket or generated secret. */
    kind: string;
}

export interface Snapshot {
    cloud: string;
    stack: string;
    about: string;
    resources: StatefulEntry[];
}

/** A stateful resource of the current run with every old URN its aliases (own or inherited) claim. */
export interface CurrentEntry extends StatefulEntry {
    aliasUrns: string[];
}

export const SNAPSHOT_DIR = path.join(PROJECT_DIR, "tests", "snapshots");

export function snapshotFile(cloud: string, stack: string): string {
    return path.join(SNAPSHOT_DIR, `stateful-${cloud}-${stack}.json`);
}

export function kindOf(type: string): string | undefined {
    return STATEFUL_TYPES[type] ?? (GENERATED_SECRET_TYPES.includes(type) ? "generated secret" : undefined);
}

export function statefulEntries(resources: RecordedResource[]): StatefulEntry[] {
    return resources
        .flatMap((r) => {
            const kind = kindOf(r.type);
            return kind ? [{ urn: r.urn, type: r.type, name: r.name, ...(r.parent ? { parent: r.parent } : {}), kind }] : [];
        })
        .sort((a, b) => a.urn.localeCompare(b.urn));
}

export function snapshotOf(result: RunResult, cloud: string): Snapshot {
    return {
        cloud,
        stack: result.stack,
        about: "Stateful resources by URN, guarded by tests/replacement-guard.test.ts. Regenerate with `npm run snapshot` only in a reviewed change (see docs/guardrails.md).",
        resources: statefulEntries(result.resources),
    };
}

export function readSnapshot(cloud: string, stack: string): Snapshot | undefined {
    const file = snapshotFile(cloud, stack);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Snapshot) : undefined;
}

export function writeSnapshot(snapshot: Snapshot): string {
    const file = snapshotFile(snapshot.cloud, snapshot.stack);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(snapshot, null, 2)}\n`);
    return file;
}

// ---- aliases ----

/** An alias as the SDK sends it: an old URN, or a spec of what changed (unset fields = unchanged). */
export interface AliasSpec {
    urn?: string;
    name?: string;
    type?: string;
    stack?: string;
    project?: string;
    parentUrn?: string;
    noParent?: boolean;
}

/** URN -> the aliases its registration carried, for every resource registered under mocks in this process. */
export const RECORDED_ALIASES = new Map<string, AliasSpec[]>();

interface AliasProto {
    hasUrn(): boolean;
    getUrn(): string;
    hasSpec(): boolean;
    getSpec(): {
        getName(): string; getType(): string; getStack(): string; getProject(): string;
        hasParenturn(): boolean; getParenturn(): string; hasNoparent(): boolean; getNoparent(): boolean;
    } | undefined;
}
interface RegisterRequestLike {
    getAliasesList?(): AliasProto[];
    getAliasurnsList?(): string[];
}
type Register = (request: RegisterRequestLike, callback: (error: unknown, response?: { getUrn(): string }) => void) => unknown;

/**
 * tools/harness.ts records what a registration carries but not its aliases. This wraps the mock
 * monitor's registerResource (on the prototype, which the harness binds when it installs its own
 * recorder) to keep each resource's aliases, by URN. Idempotent.
 */
export function recordAliases(): void {
    const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks") as { MockMonitor: { prototype: { registerResource: Register & { aliasesRecorded?: boolean } } } };
    const original = MockMonitor.prototype.registerResource;
    if (original.aliasesRecorded) return;
    const wrapped: Register = function (this: unknown, request, callback) {
        return original.call(this, request, (error, response) => {
            if (!error && response) {
                const aliases: AliasSpec[] = [
                    ...(request.getAliasurnsList?.() ?? []).map((urn) => ({ urn })),
                    ...(request.getAliasesList?.() ?? []).map(fromProto),
                ];
                if (aliases.length > 0) RECORDED_ALIASES.set(response.getUrn(), aliases);
                else RECORDED_ALIASES.delete(response.getUrn());
            }
            callback(error, response);
        });
    };
    MockMonitor.prototype.registerResource = Object.assign(wrapped, { aliasesRecorded: true });
}

function fromProto(alias: AliasProto): AliasSpec {
    if (alias.hasUrn()) return { urn: alias.getUrn() };
    const spec = alias.getSpec();
    if (!spec) return {};
    return {
        name: spec.getName() || undefined,
        type: spec.getType() || undefined,
        stack: spec.getStack() || undefined,
        project: spec.getProject() || undefined,
        parentUrn: spec.hasParenturn() ? spec.getParenturn() : undefined,
        noParent: spec.hasNoparent() ? spec.getNoparent() : undefined,
    };
}

interface UrnParts {
    stack: string;
    project: string;
    /** parent type chain, "$"-joined, ending in the resource's own type */
    qualifiedType: string;
    name: string;
}

export function parseUrn(urn: string): UrnParts {
    const match = /^urn:pulumi:([^:]*)::([^:]*)::(.*?)::(.*)$/.exec(urn);
    if (!match) throw new Error(`not a URN: ${urn}`);
    return { stack: match[1], project: match[2], qualifiedType: match[3], name: match[4] };
}

export function makeUrn(stack: string, project: string, parentUrn: string | undefined, type: string, name: string): string {
    const chain = parentUrn ? `${parseUrn(parentUrn).qualifiedType}$` : "";
    return `urn:pulumi:${stack}::${project}::${chain}${type}::${name}`;
}

/**
 * Every old URN a resource answers to: its own aliases (specs resolved against its current type,
 * name and parent), and the ones it inherits from an aliased ancestor — the engine re-parents the
 * child under each of the parent's old URNs and, when the child's name starts with the parent's,
 * swaps that prefix for the parent's old name.
 */
export function aliasUrnsOf(
    resource: { urn: string; type: string; name: string; parent?: string },
    byUrn: Map<string, { urn: string; type: string; name: string; parent?: string }>,
    aliases: Map<string, AliasSpec[]> = RECORDED_ALIASES,
    memo = new Map<string, string[]>(),
): string[] {
    const cached = memo.get(resource.urn);
    if (cached) return cached;
    memo.set(resource.urn, []);
    const { stack, project } = parseUrn(resource.urn);
    const own = (aliases.get(resource.urn) ?? []).map((a) =>
        a.urn ?? makeUrn(a.stack ?? stack, a.project ?? project, a.noParent ? undefined : a.parentUrn ?? resource.parent, a.type ?? resource.type, a.name ?? resource.name));
    const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
    const inherited = parent
        ? aliasUrnsOf(parent, byUrn, aliases, memo).map((parentAlias) => {
              const oldParentName = parseUrn(parentAlias).name;
              const name = resource.name.startsWith(parent.name) ? oldParentName + resource.name.slice(parent.name.length) : resource.name;
              return makeUrn(stack, project, parentAlias, resource.type, name);
          })
        : [];
    const all = [...new Set([...own, ...inherited])];
    memo.set(resource.urn, all);
    return all;
}

/** The run's stateful resources with the old URNs their aliases claim. */
export function currentEntries(result: Pick<RunResult, "resources">, aliases: Map<string, AliasSpec[]> = RECORDED_ALIASES): CurrentEntry[] {
    const byUrn = new Map(result.resources.map((r) => [r.urn, r]));
    const memo = new Map<string, string[]>();
    return statefulEntries(result.resources).map((entry) => ({ ...entry, aliasUrns: aliasUrnsOf(entry, byUrn, aliases, memo) }));
}

// ---- the guard ----

const short = (urn: string | undefined) => (urn ? parseUrn(urn).name : "(none)");

/**
 * What would happen to the committed stateful resources if this run were deployed: one message per
 * resource Pulumi would delete or replace, saying what changed and how to keep or accept it.
 */
export function guardProblems(committed: Snapshot, current: CurrentEntry[]): string[] {
    const accept = `To accept it deliberately: \`npm run snapshot -- --cloud ${committed.cloud} --stack ${committed.stack}\` and commit ` +
        `tests/snapshots/${path.basename(snapshotFile(committed.cloud, committed.stack))} in a reviewed change (the old resource and its data go away).`;
    const committedUrns = new Set(committed.resources.map((r) => r.urn));
    const currentUrns = new Set(current.map((r) => r.urn));
    const claimed = new Set(current.flatMap((r) => r.aliasUrns));
    const newcomers = current.filter((r) => !committedUrns.has(r.urn) && !r.aliasUrns.some((u) => committedUrns.has(u)));
    const problems: string[] = [];

    for (const old of committed.resources) {
        if (currentUrns.has(old.urn) || claimed.has(old.urn)) continue;
        const candidate =
            newcomers.find((n) => n.name === old.name && n.type !== old.type) ??
            newcomers.find((n) => n.type === old.type && n.parent === old.parent) ??
            newcomers.find((n) => n.type === old.type && n.name === old.name) ??
            newcomers.find((n) => n.type === old.type);
        if (!candidate) {
            problems.push(`${old.kind} ${old.name} (${old.type}) would be DELETED: ${old.urn} is no longer in the program. ${accept}`);
            continue;
        }
        const changes: string[] = [];
        const alias: string[] = [];
        if (candidate.name !== old.name) {
            changes.push(`name '${old.name}' -> '${candidate.name}'`);
            alias.push(`name: "${old.name}"`);
        }
        if (candidate.type !== old.type) {
            changes.push(`type ${old.type} -> ${candidate.type}`);
            alias.push(`type: "${old.type}"`);
        }
        if (candidate.parent !== old.parent) {
            changes.push(`parent ${short(old.parent)} -> ${short(candidate.parent)}`);
            alias.push(old.parent ? `parent: <the resource at ${old.parent}>` : "parent: pulumi.rootStackResource");
        }
        problems.push(
            `${old.kind} ${old.name} (${old.type}) would be REPLACED (deleted, then created empty): its URN changes ` +
                `(${changes.join(", ") || "project/stack"}): ${old.urn} -> ${candidate.urn}. ` +
                `If it is the same resource, keep it with \`aliases: [{ ${alias.join(", ")} }]\` in the new resource's options (or an alias on the renamed parent). ${accept}`,
        );
    }
    const unguarded = newcomers.filter((n) => !problems.some((p) => p.includes(n.urn)));
    if (unguarded.length > 0) {
        problems.push(
            `new stateful resource(s) not in the snapshot yet: ${unguarded.map((n) => `${n.kind} ${n.name}`).join(", ")}. ` +
                `Run \`npm run snapshot -- --cloud ${committed.cloud} --stack ${committed.stack}\` and commit the snapshot so they are guarded too.`,
        );
    }
    return problems;
}

// ---- CLI ----

async function main(argv: string[]): Promise<number> {
    const { availableClouds } = await import("../providers");
    const { shippedStacks } = await import("./deploy");
    const flags: Record<string, string> = {};
    for (let i = 0; i < argv.length; i += 2) {
        const [flag, value] = [argv[i], argv[i + 1]];
        if (!["--cloud", "--stack"].includes(flag) || value === undefined || value.startsWith("--")) {
            process.stderr.write(`unexpected argument ${flag}\nusage: npm run snapshot -- [--cloud <name>] [--stack <name>]\n`);
            return 2;
        }
        flags[flag] = value;
    }
    const clouds = flags["--cloud"] ? [flags["--cloud"]] : availableClouds();
    const stacks = flags["--stack"] ? [flags["--stack"]] : shippedStacks();
    for (const cloud of clouds) {
        for (const stack of stacks) {
            const result = await runStack(stack, { overrides: { cloud } });
            if (result.error) {
                process.stderr.write(`${cloud} ${stack}: the program failed, no snapshot written:\n${result.error.message}\n`);
                return 1;
            }
            const snapshot = snapshotOf(result, cloud);
            const file = writeSnapshot(snapshot);
            process.stdout.write(`${path.relative(process.cwd(), file)}: ${snapshot.resources.length} stateful resources\n`);
        }
    }
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error: Error) => {
            process.stderr.write(`${error.stack ?? error.message}\n`);
            process.exit(1);
        },
    );
}
