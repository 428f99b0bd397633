import * as assert from "assert";
import type { RecordedResource, RunResult } from "../tools/harness";
import { cloudsUnderTest } from "./clouds";
import { deploy, ofType, STACKS } from "./support";

/**
 * Generated and supplied secrets travel only as Pulumi secrets and appear in plain text in
 * exactly the inputs that must hold them: the secret store's own value and the data services'
 * own credential fields. Never in a task definition, an app setting, a tag or an output.
 */
const SUPPLIED = "supplied-stripe-key-0123456789abcdef";

/** Every secret value of the run: generated passwords, plus the supplied one. */
function secretValues(r: RunResult): string[] {
    const generated = ofType(r, "random:index/randomPassword:RandomPassword").map((p) => p.state.result as string);
    assert.ok(generated.length >= 3, "the program generates its secrets with @pulumi/random");
    return [...generated, SUPPLIED];
}

/** Paths of `resource`'s inputs whose plain JSON contains `value`. */
function pathsHolding(resource: RecordedResource, value: string): string[] {
    return Object.entries(resource.plainInputs)
        .filter(([, input]) => JSON.stringify(input ?? null).includes(value))
        .map(([path]) => path);
}

function holdings(r: RunResult): { resource: RecordedResource; path: string }[] {
    const found: { resource: RecordedResource; path: string }[] = [];
    for (const value of secretValues(r)) {
        for (const resource of r.resources.filter((x) => !x.type.startsWith("random:"))) {
            for (const path of pathsHolding(resource, value)) found.push({ resource, path });
        }
    }
    return found;
}

for (const [cloud, fixture] of cloudsUnderTest()) {
    for (const stack of STACKS) {
        describe(`secrets end to end (${cloud} ${stack})`, () => {
            let r: RunResult;
            before(async () => {
                r = await deploy(stack, { overrides: { cloud }, secretOverrides: { secretEnv: { STRIPE_API_KEY: SUPPLIED } } });
            });

            it("keeps every secret value out of every input except the store's value and the services' credential fields", () => {
                const leaks = holdings(r).filter(({ resource, path }) => !(fixture.secretHolders[resource.type] ?? []).includes(path));
                assert.deepStrictEqual(leaks.map(({ resource, path }) => `${resource.type} ${resource.name}.${path}`), []);
            });

            it("marks every input that holds a secret as a Pulumi secret", () => {
                const unmarked = holdings(r).filter(({ resource, path }) => !resource.secretPaths.includes(path));
                assert.deepStrictEqual(unmarked.map(({ resource, path }) => `${resource.type} ${resource.name}.${path}`), []);
            });

            it("puts each secret in the store (the checks above are not vacuous)", () => {
                const stored = fixture.storedValues(r);
                assert.ok(stored.includes(SUPPLIED));
                for (const value of secretValues(r)) assert.ok(stored.some((s) => s.includes(value)), "every secret value reaches the store");
            });

            it("never puts a secret value in a stack output", () => {
                const text = JSON.stringify(r.outputs);
                for (const value of secretValues(r)) assert.ok(!text.includes(value));
            });
        });
    }
}
