import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR, stackConfig } from "../tools/harness";
import { runProgram, runStackThroughEngine, runtimeOptions, type EngineRunResult } from "../tools/engine/launch";
import { PolicyPackServer } from "../tools/engine/policy-host";
import { checkPolicies } from "../tools/policy-check";
import { readPolicyConfig, environmentPolicyConfigFile } from "../tools/policy-check";
import { cloudsUnderTest } from "./clouds";
import { DEPLOYMENTS_DIR, DEPLOYMENTS_STACK, runDeployments } from "./delivery/deployments-harness";
import { run, STACKS } from "./support";

/**
 * The program started the way `pulumi preview` / `pulumi up` start it: @pulumi/pulumi's own
 * cmd/run entry point in a child process, Pulumi.yaml's runtime options (ts-node with
 * tsconfig.pulumi.json), the config in the engine's form, against a local engine over gRPC. What
 * this catches and the in-process suite cannot: module loading under the CLI's compiler options,
 * the wire format, URN uniqueness, and what a preview leaves unknown.
 */

/** One engine run per (stack, cloud, mode), shared by the tests below. */
const engineRuns = new Map<string, Promise<EngineRunResult>>();
function engineRun(stack: string, cloud: string, preview = false): Promise<EngineRunResult> {
    const key = `${stack} ${cloud} ${preview}`;
    if (!engineRuns.has(key)) engineRuns.set(key, runStackThroughEngine(stack, { overrides: { cloud }, preview }));
    return engineRuns.get(key)!;
}

const identity = (r: { type: string; name: string }) => `${r.type}::${r.name}`;
const identities = (resources: { type: string; name: string }[]) => resources.map(identity).sort();

function assertClean(result: EngineRunResult): void {
    assert.ok(!result.error, `the program failed under the real entry point:\n${result.error?.message}`);
    assert.strictEqual(result.program.exitCode, 0, result.program.stderr);
    const problems = result.program.logs.filter((log) => log.severity === "error" || log.severity === "warning");
    assert.deepStrictEqual(problems.filter((log) => log.severity === "error"), []);
}

describe("the real entry point (@pulumi/pulumi cmd/run over gRPC)", function () {
    this.timeout(180_000);

    it("Pulumi.yaml starts TypeScript through tsconfig.pulumi.json, which states its module settings itself", () => {
        const options = runtimeOptions(PROJECT_DIR);
        assert.strictEqual(options.typescript, true);
        assert.strictEqual(options.tsconfig, "tsconfig.pulumi.json");
        // cmd/run reads only the file's own compilerOptions (tsutils.loadTypeScriptCompilerOptions).
        const tsutils = require("@pulumi/pulumi/tsutils") as { loadTypeScriptCompilerOptions(file: string): Record<string, unknown> };
        const own = tsutils.loadTypeScriptCompilerOptions(path.join(PROJECT_DIR, "tsconfig.pulumi.json"));
        assert.strictEqual(own.module, "commonjs");
        assert.strictEqual(own.moduleResolution, "node");
        assert.strictEqual(own.noCheck, true, "noCheck makes cmd/run transpile only");
    });

    for (const [cloud] of cloudsUnderTest()) {
        for (const stack of STACKS) {
            describe(`${cloud} ${stack}`, () => {
                let up: EngineRunResult;
                let preview: EngineRunResult;
                before(async () => {
                    [up, preview] = await Promise.all([engineRun(stack, cloud), engineRun(stack, cloud, true)]);
                });

                it("`pulumi up` registers exactly what the in-process run registers", async () => {
                    assertClean(up);
                    const inProcess = await run(stack, { overrides: { cloud } });
                    assert.deepStrictEqual(identities(up.resources), identities(inProcess.resources));
                    assert.deepStrictEqual(Object.keys(up.outputs).sort(), Object.keys(inProcess.outputs).sort());
                });

                it("`pulumi preview` shows every resource the update creates (none hides behind an unknown value)", () => {
                    assertClean(preview);
                    assert.deepStrictEqual(identities(preview.resources), identities(up.resources));
                    assert.ok(preview.resources.some((r) => JSON.stringify(r.state).includes("[unknown]")), "a preview leaves provider-computed attributes unknown");
                });

                it("every resource has a unique URN and its parent, provider and dependencies are registered resources", () => {
                    const urns = new Set(up.program.resources.map((r) => r.urn));
                    assert.strictEqual(urns.size, up.program.resources.length);
                    for (const r of up.resources) {
                        assert.ok(r.parent && urns.has(r.parent), `${identity(r)}: parent ${r.parent}`);
                        if (r.provider) assert.ok(urns.has(r.provider.replace(/::[^:]*$/, "")), `${identity(r)}: provider ${r.provider}`);
                        for (const dependency of [...r.dependencies, ...Object.values(r.propertyDependencies).flat()]) {
                            assert.ok(urns.has(dependency), `${identity(r)} depends on unregistered ${dependency}`);
                        }
                    }
                    assert.ok(up.resources.some((r) => r.dependencies.length > 0), "dependencies are recorded");
                });
            });
        }
    }

    for (const [cloud] of cloudsUnderTest()) {
        it(`${cloud}: a review stack (\`pr-42\` from the committed pr template) previews, schedules its TTL and protects nothing`, async () => {
            const review = await runStackThroughEngine("pr", { stackName: "pr-42", overrides: { cloud }, preview: true });
            assertClean(review);
            const ttl = review.resources.filter((r) => r.type === "pulumiservice:index:TtlSchedule");
            assert.strictEqual(ttl.length, 1);
            assert.strictEqual(ttl[0].plainInputs.stack, "pr-42");
            // What `pulumi destroy` on PR close needs: no protect anywhere.
            assert.deepStrictEqual(review.resources.filter((r) => r.protect).map(identity), []);
            assert.strictEqual(review.outputs.environment, "staging");
        });
    }

    it("the deployments project starts through the same entry point and registers what the in-process run does", async () => {
        const { project, config, secretKeys } = stackConfig(DEPLOYMENTS_STACK, {}, DEPLOYMENTS_DIR);
        const result = await runProgram({ projectDir: DEPLOYMENTS_DIR, project, stack: DEPLOYMENTS_STACK, config, secretKeys, preview: true });
        assert.strictEqual(result.exitCode, 0, result.logs.map((log) => log.message).join("\n") || result.stderr);
        assert.ok(result.resources.filter((r) => r.type.startsWith("pulumiservice:")).length >= 3, "Deployments settings and environments registered");
        const inProcess = await runDeployments();
        assert.ok(!inProcess.error, inProcess.error?.message);
        assert.deepStrictEqual(identities(result.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))), identities(inProcess.resources.filter((r) => !r.type.startsWith("pulumi:providers:") && !r.type.startsWith("pulumi:pulumi:") && r.type.includes(":"))).filter((id) => !id.startsWith("fastapi-platform")));
    });

    it("a loading failure is caught: the former tsconfig.pulumi.json (extends only) fails with ERR_UNSUPPORTED_DIR_IMPORT", async () => {
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), "fastapi-platform-broken-"));
        try {
            for (const file of execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: PROJECT_DIR, encoding: "utf8" }).split("\n").filter(Boolean)) {
                if (!fs.existsSync(path.join(PROJECT_DIR, file))) continue;
                fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
                fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(copy, file));
            }
            fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(copy, "node_modules"));
            fs.writeFileSync(path.join(copy, "tsconfig.pulumi.json"), JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { noCheck: true } }));
            const { project, config, secretKeys } = stackConfig("staging");
            const broken = await runProgram({ projectDir: copy, project, stack: "staging", config, secretKeys, preview: true });
            assert.notStrictEqual(broken.exitCode, 0);
            assert.match(broken.logs.map((log) => log.message).join("\n"), /ERR_UNSUPPORTED_DIR_IMPORT|Directory import/);
            assert.strictEqual(broken.resources.filter((r) => r.custom).length, 0);
        } finally {
            fs.rmSync(copy, { recursive: true, force: true });
        }
    });

    it("a configuration error ends the run with the message in the engine log and exit 32, nothing registered", async () => {
        const result = await runStackThroughEngine("staging", { overrides: { minInstances: 500 }, preview: true });
        assert.strictEqual(result.program.exitCode, 32);
        assert.match(result.error!.message, /minInstances/);
        assert.strictEqual(result.resources.filter((r) => r.custom).length, 0);
    });
});

describe("the policy pack through cmd/run-policy-pack over gRPC", function () {
    this.timeout(300_000);
    let pack: PolicyPackServer;
    before(async () => (pack = await PolicyPackServer.start()));
    after(() => pack?.stop());

    for (const stack of STACKS) {
        it(`${stack}: the served pack finds what the in-process check finds, on every cloud`, async () => {
            const environment = stack === "prod" ? "production" : "staging";
            const config = readPolicyConfig(environmentPolicyConfigFile(environment));
            for (const [cloud] of cloudsUnderTest()) {
                const up = await engineRun(stack, cloud);
                assertClean(up);
                const served = { diagnostics: await pack.analyze(up.program.resources, config) };
                assert.ok(pack.policies.length > 100, `the pack served ${pack.policies.length} policies`);
                const inProcess = await checkPolicies(up, { config });
                const key = (policy: string, enforcement: string, urn?: string) => `${enforcement} ${policy} ${urn ?? "stack"}`;
                assert.deepStrictEqual(
                    served.diagnostics.map((d) => key(d.policy, d.enforcement, d.urn)).sort(),
                    inProcess.violations.map((v) => key(v.policy, v.enforcement, v.resource?.urn)).sort(),
                    `${cloud} ${stack}`,
                );
                assert.deepStrictEqual(served.diagnostics.filter((d) => d.enforcement === "mandatory"), [], `${cloud} ${stack}`);
            }
        });
    }

    it("reports a mandatory violation for a resource that breaks a rule", async () => {
        const up = await engineRun("prod", "aws");
        const database = up.program.resources.find((r) => r.type === "aws:rds/instance:Instance" && r.inputs.multiAz !== undefined)!;
        const broken = up.program.resources.map((r) => (r === database ? { ...r, inputs: { ...r.inputs, storageEncrypted: false } } : r));
        const served = { diagnostics: await pack.analyze(broken, {}) };
        assert.ok(served.diagnostics.some((d) => d.policy === "aws-rds-storage-encrypted" && d.enforcement === "mandatory" && d.urn === database.urn));
    });
});
