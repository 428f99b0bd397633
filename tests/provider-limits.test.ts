import * as assert from "assert";
import * as naming from "../components/naming";
import { NAME_RULES, isNamed, nameProblem } from "../components/name-rules";
import { runStack, type RecordedResource } from "../tools/harness";
import { AUTO_NAME_FILLER, labelProblem, labelValues, nameFindings, physicalNames, typesWithoutRules } from "../tools/provider-limits";
import { cloudsUnderTest } from "./clouds";
import { run, STACKS } from "./support";

/**
 * Provider limits as a tested layer: every physical name (set by the program or made by Pulumi's
 * auto-namer from the logical name) and every Kubernetes label value fits its cloud's rule
 * (components/name-rules.ts) for ANY project and stack name Pulumi accepts: 1-100 characters of
 * letters, digits, `-`, `_` and `.` (pulumi/pulumi sdk/go/common/tokens: project and stack names).
 */

const findingsText = (resources: RecordedResource[]) => nameFindings(resources).map((f) => `${f.type} ${f.resource} ${f.property}="${f.name}": ${f.problem} (${f.source})`);

describe("provider limits: names and label values", function () {
    this.timeout(600_000);

    for (const [cloud] of cloudsUnderTest()) {
        for (const stack of STACKS) {
            it(`${cloud} ${stack}: every resource type has a name rule, and every name fits it`, async () => {
                const r = await run(stack, { overrides: { cloud } });
                assert.ok(!r.error, r.error?.message);
                assert.deepStrictEqual(typesWithoutRules(r.resources), [], "add these types to components/name-rules.ts with their upstream rule");
                assert.deepStrictEqual(findingsText(r.resources), []);
                assert.ok(physicalNames(r.resources).length > 5, "names were checked");
            });
        }
    }

    it("catches the names the shipped AWS stacks had before: ALB and target group auto-names over 32 characters", () => {
        const before = (type: string, name: string): RecordedResource => ({
            urn: `urn:pulumi:staging::fastapi-platform::${type}::${name}`, type, name, custom: true, protect: false,
            inputs: {}, plainInputs: {}, secretPaths: [], state: {}, dependencies: [], propertyDependencies: {},
        });
        const found = nameFindings([
            before("aws:lb/loadBalancer:LoadBalancer", "fastapi-platform-staging-alb"),
            before("aws:lb/targetGroup:TargetGroup", "fastapi-platform-staging-api"),
        ]);
        assert.deepStrictEqual(found.map((f) => `${f.type} ${f.name.length}`), ["aws:lb/loadBalancer:LoadBalancer 36", "aws:lb/targetGroup:TargetGroup 36"]);
    });

    const EXTREMES: [string, string][] = [
        ["P".repeat(100), "s".repeat(100)],
        ["_", "."],
        ["9to5", "0"],
        ["fastapi-platform", "pr-1234_feature.branch-name-that-is-quite-long-indeed-and-then-some-more-words"],
        ["My.App_", "Prod_"],
    ];
    for (const [project, stackName] of EXTREMES) {
        it(`the whole program with project '${project.slice(0, 24)}${project.length > 24 ? "…" : ""}' and stack '${stackName.slice(0, 24)}${stackName.length > 24 ? "…" : ""}' on every cloud`, async () => {
            for (const [cloud] of cloudsUnderTest()) {
                for (const stack of STACKS) {
                    const r = await runStack(stack, { overrides: { cloud }, project, stackName });
                    assert.ok(!r.error, `${cloud} ${stack}: ${r.error?.message}`);
                    assert.deepStrictEqual(findingsText(r.resources), [], `${cloud} ${stack}`);
                }
            }
        });
    }
});

/**
 * The property test. A run with the naming functions replaced by recorders turns every name into a
 * template over the project and stack; the templates are then evaluated with the real naming
 * functions for hundreds of generated project/stack names per cloud. A name the program built
 * from the project or stack outside components/naming.ts still carries the raw marker and is
 * evaluated by plain substitution, as the program would build it.
 */
describe("provider limits: names for any project and stack name (generated)", function () {
    this.timeout(600_000);
    const NAMES_PER_CLOUD = 500;
    const PROJECT = "zqpzq";
    const STACK = "zqszq";
    const BASE = "zqbzq";

    type Call = { fn: keyof typeof real; args: unknown[] };
    const real = {
        baseName: naming.baseName, shortName: naming.shortName, autoNamed: naming.autoNamed,
        compactName: naming.compactName, labelValue: naming.labelValue,
    };
    const calls: Call[] = [];
    const record = (fn: keyof typeof real) => (...args: unknown[]) => `zq${calls.push({ fn, args }) - 1}zq`;

    function evaluate(template: string, project: string, stack: string): string {
        return template.replace(/zq(p|s|b|\d+)zq/g, (_token, id: string) => {
            if (id === "p") return project;
            if (id === "s") return stack;
            if (id === "b") return real.baseName(project, stack);
            const call = calls[Number(id)];
            const args = call.args.map((arg) => (typeof arg === "string" ? evaluate(arg, project, stack) : arg));
            return (real[call.fn] as (...a: unknown[]) => string)(...args);
        });
    }

    /** Seeded, so a failure names a case that can be replayed. */
    function generator(seed: number) {
        let state = seed >>> 0;
        const next = () => {
            state = (state + 0x6d2b79f5) >>> 0;
            let t = state;
            t = Math.imul(t ^ (t >>> 15), t | 1);
            t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
            return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        };
        const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";
        const lengths = [1, 2, 3, 5, 8, 13, 16, 20, 24, 31, 32, 33, 40, 50, 63, 64, 99, 100];
        return () => {
            const length = next() < 0.5 ? lengths[Math.floor(next() * lengths.length)] : 1 + Math.floor(next() * 100);
            const punctuationHeavy = next() < 0.2;
            let text = "";
            for (let i = 0; i < length; i++) text += punctuationHeavy && next() < 0.6 ? "-_."[Math.floor(next() * 3)] : alphabet[Math.floor(next() * alphabet.length)];
            return text;
        };
    }

    interface Template { type: string; resource: string; name: string; autoNamed: boolean }
    const templates = new Map<string, { names: Template[]; labels: string[] }>();

    before(async () => {
        const exports = naming as unknown as Record<string, unknown>;
        for (const fn of Object.keys(real) as (keyof typeof real)[]) exports[fn] = fn === "baseName" ? () => BASE : record(fn);
        try {
            for (const [cloud] of cloudsUnderTest()) {
                for (const stack of STACKS) {
                    const r = await runStack(stack, { overrides: { cloud }, project: PROJECT, stackName: STACK });
                    assert.ok(!r.error, `${cloud} ${stack} under recorders: ${r.error?.message}`);
                    templates.set(`${cloud} ${stack}`, {
                        names: physicalNames(r.resources).map((n) => ({ type: n.type, resource: n.resource, name: n.autoNamed ? n.resource : n.name, autoNamed: n.autoNamed })),
                        labels: r.resources.filter((x) => x.type.startsWith("kubernetes:")).flatMap(labelValues),
                    });
                }
            }
        } finally {
            Object.assign(exports, real);
        }
    });

    it("the templates depend on the project and stack: names carry the markers", () => {
        const all = [...templates.values()].flatMap((t) => t.names.map((n) => n.name));
        assert.ok(all.filter((name) => /zq(b|\d+)zq/.test(name)).length > 50, "most names derive from the base name");
    });

    for (const cloud of ["aws", "gcp", "azure", "kubernetes"]) {
        it(`${cloud}: ${NAMES_PER_CLOUD} generated project/stack names, every name and label value fits, names stay unique`, () => {
            const draw = generator(cloud.length * 7919);
            const failures: string[] = [];
            for (let i = 0; i < NAMES_PER_CLOUD; i++) {
                const [project, stack] = [draw(), draw()];
                for (const stackFile of STACKS) {
                    const { names, labels } = templates.get(`${cloud} ${stackFile}`)!;
                    const seen = new Map<string, string>();
                    for (const template of names) {
                        const evaluated = evaluate(template.name, project, stack);
                        const physical = template.autoNamed ? `${evaluated}-${AUTO_NAME_FILLER}` : evaluated;
                        const rule = NAME_RULES[template.type];
                        const problem = isNamed(rule) ? nameProblem(rule, physical) : undefined;
                        if (problem) failures.push(`project '${project}' stack '${stack}' (${stackFile}): ${template.type} "${physical}": ${problem}`);
                        // Names that differ in the template must stay different once cut to fit.
                        const key = `${template.type} ${physical}`;
                        if (!template.autoNamed && seen.has(key) && seen.get(key) !== template.name) failures.push(`project '${project}' stack '${stack}': two ${template.type} named "${physical}"`);
                        seen.set(key, template.name);
                    }
                    for (const label of labels) {
                        const value = evaluate(label, project, stack);
                        const problem = labelProblem(value);
                        if (problem) failures.push(`project '${project}' stack '${stack}' (${stackFile}): label value "${value}": ${problem}`);
                    }
                }
                if (failures.length > 20) break;
            }
            assert.deepStrictEqual(failures.slice(0, 20), []);
        });
    }

    it("the base name keeps its promises for any project and stack", () => {
        const draw = generator(42);
        for (let i = 0; i < 5000; i++) {
            const [project, stack] = [draw(), draw()];
            const base = naming.baseName(project, stack);
            assert.match(base, /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$|^[a-z]$/, `'${project}' '${stack}' -> '${base}'`);
            assert.ok(base.length <= naming.BASE_NAME_MAX, `'${project}' '${stack}' -> '${base}'`);
        }
        assert.notStrictEqual(naming.baseName("my_app", "prod"), naming.baseName("my-app", "prod"));
    });
});
