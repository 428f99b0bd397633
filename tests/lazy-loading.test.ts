import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import { PROJECT_DIR } from "../tools/harness";
import { ALL_SDKS, cloudsUnderTest } from "./clouds";

/** Only the chosen cloud's module and SDK load; a config error loads no cloud SDK at all. */
function probe(stack: string, overrides: Record<string, unknown> = {}): { error?: string; resources: number; loaded: string[] } {
    const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join("tests", "fixtures", "loaded-modules.ts"), stack, JSON.stringify(overrides)], {
        cwd: PROJECT_DIR, encoding: "utf8", env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
    });
    return JSON.parse(out);
}

describe("cloud selection loads only the chosen cloud", function () {
    this.timeout(120000);

    for (const [cloud, fixture] of cloudsUnderTest()) {
        it(`a ${cloud} stack loads providers/${cloud} and ${fixture.sdk}, and no other cloud`, () => {
            const result = probe("prod", { cloud });
            assert.strictEqual(result.error, undefined);
            assert.ok(result.resources > 20, `only ${result.resources} resources`);
            assert.ok(result.loaded.includes(fixture.sdk));
            assert.ok(result.loaded.includes(`providers/${cloud}`));
            const others = result.loaded.filter((m) => (ALL_SDKS.includes(m) && m !== fixture.sdk) || (m.startsWith("providers/") && m !== `providers/${cloud}`));
            assert.deepStrictEqual(others, []);
        });
    }

    it("a stack with bad config loads no cloud SDK before it fails", () => {
        const result = probe("staging", { environment: "qa" });
        assert.match(result.error ?? "", /fastapi-platform:environment/);
        assert.strictEqual(result.resources, 0);
        assert.deepStrictEqual(result.loaded.filter((m) => m.startsWith("providers/") || ALL_SDKS.includes(m)), []);
    });
});
