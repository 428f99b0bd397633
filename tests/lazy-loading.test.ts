import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import { PROJECT_DIR } from "../tools/harness";

/** Only the chosen cloud's module and SDK load; a config error loads no cloud SDK at all. */
function probe(stack: string, overrides: Record<string, unknown> = {}): { error?: string; resources: number; loaded: string[] } {
    const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join("tests", "fixtures", "loaded-modules.ts"), stack, JSON.stringify(overrides)], {
        cwd: PROJECT_DIR, encoding: "utf8", env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
    });
    return JSON.parse(out);
}

const OTHER_SDKS = ["@pulumi/gcp", "@pulumi/azure-native", "@pulumi/kubernetes", "@pulumi/azure", "@pulumi/google-native"];

describe("cloud selection loads only the chosen cloud", function () {
    this.timeout(120000);

    it("an AWS stack loads providers/aws and @pulumi/aws, and no other cloud", () => {
        const result = probe("prod");
        assert.strictEqual(result.error, undefined);
        assert.ok(result.resources > 50);
        assert.ok(result.loaded.includes("@pulumi/aws"));
        assert.ok(result.loaded.includes("providers/aws"));
        assert.deepStrictEqual(result.loaded.filter((m) => OTHER_SDKS.includes(m) || (m.startsWith("providers/") && m !== "providers/aws")), []);
    });

    it("a stack with bad config loads no cloud SDK before it fails", () => {
        const result = probe("staging", { environment: "qa" });
        assert.match(result.error ?? "", /fastapi-platform:environment/);
        assert.strictEqual(result.resources, 0);
        assert.deepStrictEqual(result.loaded.filter((m) => m.startsWith("providers/") || m === "@pulumi/aws" || OTHER_SDKS.includes(m)), []);
    });
});
