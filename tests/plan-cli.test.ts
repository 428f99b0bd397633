import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../tools/harness";

/** The README's "run it" command as a user runs it: exit codes, what it prints, what it writes. */
function plan(...args: string[]) {
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join("tools", "plan.ts"), ...args], {
        cwd: PROJECT_DIR, encoding: "utf8", env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run plan", function () {
    this.timeout(120000);

    it("plans staging: resources, key settings and outputs, and writes the JSON resource list", () => {
        const jsonFile = path.join(PROJECT_DIR, "plan", "test-staging.json");
        const { status, stdout } = plan("staging", "--json", jsonFile);
        assert.strictEqual(status, 0);
        assert.match(stdout, /cloud aws, environment staging/);
        assert.match(stdout, /max_connections=100/);
        assert.match(stdout, /url\s+https:\/\/api\.staging\.example\.com/);
        assert.doesNotMatch(stdout, /Mock0Secret/);
        const written = JSON.parse(fs.readFileSync(jsonFile, "utf8"));
        assert.ok(written.resources.length > 50);
        assert.doesNotMatch(JSON.stringify(written), /Mock0Secret/);
    });

    it("exits 1 on bad config with the message alone and nothing registered", () => {
        const { status, stderr, stdout } = plan("prod", "--cloud", "digitalocean");
        assert.strictEqual(status, 1);
        assert.match(stderr, /fastapi-platform:cloud is 'digitalocean'; allowed values: aws, gcp, azure, kubernetes/);
        assert.match(stderr, /No resource was registered/);
        assert.doesNotMatch(stderr, /\n\s+at /);
        assert.strictEqual(stdout, "");
    });

    it("exits 2 on an unknown stack, listing the stacks", () => {
        const { status, stderr } = plan("qa");
        assert.strictEqual(status, 2);
        assert.match(stderr, /no stack 'qa'.*stacks: prod, staging/);
    });
});
