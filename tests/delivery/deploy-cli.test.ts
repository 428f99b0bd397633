import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../../tools/harness";
import { parseArgs, preflight, productionDestroyRefusal, stackFacts } from "../../tools/deploy";
import { npmScriptArgv } from "../../tools/npm-script";
import { mainProjectCopy } from "./deployments-harness";

/**
 * `npm run deploy` as a user runs it. There is no Pulumi CLI here, so valid arguments must stop
 * at the clear "Pulumi CLI not found" message; a fake `pulumi` on PATH takes the runner one step
 * further each time (login, the Automation API's own stack selection).
 */

const NODE_DIR = path.dirname(process.execPath);

function deploy(args: string[], env: Record<string, string | undefined> = {}) {
    const result = spawnSync(process.execPath, npmScriptArgv("deploy", ...args).slice(1), {
        cwd: PROJECT_DIR,
        encoding: "utf8",
        // PATH holds node alone, so a developer's own Pulumi CLI or login cannot change the outcome.
        env: { PATH: NODE_DIR, HOME: os.tmpdir(), PULUMI_HOME: emptyPulumiHome, ...env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The runner's checks in-process, with their own environment and captured messages. */
function capture(env: Record<string, string> = {}) {
    const err: string[] = [];
    return {
        out: () => undefined,
        err: (text: string) => void err.push(text),
        env: { PATH: NODE_DIR, HOME: os.tmpdir(), PULUMI_HOME: emptyPulumiHome, ...env },
        errText: () => err.join(""),
    };
}

let emptyPulumiHome = "";
let fakeCliDir = "";

describe("npm run deploy (Automation API runner)", function () {
    this.timeout(60000);

    before(() => {
        emptyPulumiHome = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-home-"));
        fakeCliDir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
        // Answers `pulumi version` like a real CLI; any other command fails as a backend
        // without the stack would. Every call is logged, to prove what ran.
        fs.writeFileSync(path.join(fakeCliDir, "pulumi"), [
            "#!/bin/sh",
            `echo "$@" >> "${path.join(fakeCliDir, "calls.log")}"`,
            'if [ "$1" = "version" ]; then echo "v3.248.0"; exit 0; fi',
            "echo \"error: no stack named 'staging' found\" >&2",
            "exit 255",
        ].join("\n"), { mode: 0o755 });
    });

    after(() => {
        fs.rmSync(emptyPulumiHome, { recursive: true, force: true });
        fs.rmSync(fakeCliDir, { recursive: true, force: true });
    });

    it("parses <stack> <operation> [--yes-destroy-production] and rejects everything else", () => {
        assert.deepStrictEqual(parseArgs(["prod", "up"]), { stack: "prod", stackName: "prod", operation: "up", yesDestroyProduction: false });
        assert.deepStrictEqual(parseArgs(["acme/prod", "destroy", "--yes-destroy-production"]), { stack: "acme/prod", stackName: "prod", operation: "destroy", yesDestroyProduction: true });
        assert.throws(() => parseArgs(["prod"]), /name the stack and the operation/);
        assert.throws(() => parseArgs(["prod", "deploy"]), /unknown operation 'deploy'; one of preview, up, refresh, destroy/);
        assert.throws(() => parseArgs(["prod", "up", "extra"]), /too many arguments/);
        assert.throws(() => parseArgs(["prod", "up", "--yes"]), /unknown option --yes/);
        assert.throws(() => parseArgs(["prod", "up", "--yes-destroy-production"]), /only goes with destroy/);
        assert.throws(() => parseArgs(["../prod", "up"]), /not a stack name/);
    });

    it("reads the environment from the stack file, falling back to Pulumi.yaml's default (production)", () => {
        assert.strictEqual(stackFacts("prod")!.environment, "production");
        assert.strictEqual(stackFacts("staging")!.environment, "staging");
        assert.strictEqual(stackFacts("qa"), undefined);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-facts-"));
        fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.writeFileSync(path.join(dir, "Pulumi.bare.yaml"), "config:\n  fastapi-platform:image: ghcr.io/acme/api:1\n");
        const bare = stackFacts("bare", dir)!;
        assert.strictEqual(bare.environment, "production", "a stack file that does not say is production");
        assert.match(productionDestroyRefusal(parseArgs(["bare", "destroy"]), bare)!, /the default of fastapi-platform:environment in Pulumi\.yaml/);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("exits 2 with the usage on bad arguments, and lists the stacks for an unknown one", () => {
        const { status, stderr, stdout } = deploy(["prod", "apply"]);
        assert.strictEqual(status, 2);
        assert.match(stderr, /unknown operation 'apply'/);
        assert.match(stderr, /usage: npm run deploy -- <stack> <preview\|up\|refresh\|destroy> \[--yes-destroy-production\]/);
        assert.strictEqual(stdout, "");
        for (const args of [[], ["prod"], ["prod", "up", "--force"]]) {
            const io = capture();
            assert.deepStrictEqual(preflight(args, io), { code: 2 }, args.join(" "));
            assert.match(io.errText(), /usage: npm run deploy --/);
        }
        const unknown = capture();
        assert.deepStrictEqual(preflight(["qa", "preview"], unknown), { code: 2 });
        assert.match(unknown.errText(), /no stack 'qa' \(no Pulumi\.qa\.yaml\); stacks: pr, prod, staging/);
    });

    it("refuses to destroy production without the flag, before even looking for the CLI", () => {
        // A fake CLI and a login are present: the refusal must not depend on their absence.
        const { status, stderr } = deploy(["prod", "destroy"], { PATH: `${fakeCliDir}${path.delimiter}${NODE_DIR}`, PULUMI_ACCESS_TOKEN: "pul-test" });
        assert.strictEqual(status, 2);
        assert.match(stderr, /Refusing to destroy stack 'prod': it is a production stack \(environment: production, from fastapi-platform:environment in Pulumi\.prod\.yaml\)/);
        assert.match(stderr, /--yes-destroy-production/);
        assert.ok(!fs.existsSync(path.join(fakeCliDir, "calls.log")), "the CLI was never run");
        const qualified = capture({ PATH: "" });
        assert.deepStrictEqual(preflight(["acme/fastapi-platform/prod", "destroy"], qualified), { code: 2 });
        assert.match(qualified.errText(), /Refusing to destroy stack 'acme\/fastapi-platform\/prod'/);
        const staging = capture({ PATH: "" });
        preflight(["staging", "destroy"], staging);
        assert.doesNotMatch(staging.errText(), /Refusing/, "staging may be destroyed");
    });

    it("stops valid operations with a clear 'Pulumi CLI not found' when pulumi is not on PATH", () => {
        const { status, stderr, stdout } = deploy(["prod", "destroy", "--yes-destroy-production"]);
        assert.strictEqual(status, 2);
        assert.match(stderr, /^Pulumi CLI not found: there is no `pulumi` executable on PATH\./);
        assert.doesNotMatch(stderr, /\n\s+at /, "a message, not a stack trace");
        assert.strictEqual(stdout, "");
        for (const args of [["staging", "preview"], ["staging", "up"], ["prod", "refresh"], ["staging", "destroy"]]) {
            const io = capture({ PATH: NODE_DIR });
            assert.deepStrictEqual(preflight(args, io), { code: 2 }, args.join(" "));
            assert.match(io.errText(), /^Pulumi CLI not found/, args.join(" "));
        }
    });

    it("stops with a clear message when the CLI is there but no backend login is", () => {
        const withCli = { PATH: `${fakeCliDir}${path.delimiter}${NODE_DIR}` };
        const io = capture(withCli);
        assert.deepStrictEqual(preflight(["staging", "preview"], io), { code: 2 });
        assert.match(io.errText(), /^Not logged in to a Pulumi backend: no PULUMI_ACCESS_TOKEN, no PULUMI_BACKEND_URL and no `pulumi login` credentials/);
        fs.writeFileSync(path.join(emptyPulumiHome, "credentials.json"), JSON.stringify({ current: "https://api.pulumi.com" }));
        const project = mainProjectCopy();
        try {
            const noPack = capture(withCli);
            assert.deepStrictEqual(preflight(["staging", "preview"], noPack, project), { code: 2 });
            assert.doesNotMatch(noPack.errText(), /Not logged in/, "credentials.json counts as a login");
            assert.match(noPack.errText(), /The policy pack is missing: .*PulumiPolicy\.yaml does not exist/);
            fs.mkdirSync(path.join(project, "policy"));
            fs.writeFileSync(path.join(project, "policy", "PulumiPolicy.yaml"), "runtime: nodejs\n");
            const loggedIn = capture(withCli);
            const checked = preflight(["staging", "preview"], loggedIn, project);
            assert.ok("options" in checked, loggedIn.errText());
            assert.deepStrictEqual(checked.policyPacks, [path.join(project, "policy")], "previews run with the policy pack");
            fs.rmSync(path.join(project, "policy"), { recursive: true });
            const refresh = preflight(["staging", "refresh"], capture({ ...withCli, PULUMI_BACKEND_URL: "file:///tmp/state" }), project);
            assert.ok("options" in refresh && refresh.policyPacks.length === 0, "refresh has no policy pack option, and needs none");
        } finally {
            fs.rmSync(path.join(emptyPulumiHome, "credentials.json"));
            fs.rmSync(project, { recursive: true, force: true });
        }
    });

    it("hands valid operations to the Automation API and exits 1 when the operation fails", () => {
        fs.rmSync(path.join(fakeCliDir, "calls.log"), { force: true });
        const { status, stderr } = deploy(["staging", "refresh"], { PATH: `${fakeCliDir}${path.delimiter}${NODE_DIR}`, PULUMI_ACCESS_TOKEN: "pul-test" });
        assert.strictEqual(status, 1);
        assert.match(stderr, /Stack 'staging' does not exist in the backend you are logged in to\. Create it once with `pulumi stack init staging`/);
        const calls = fs.readFileSync(path.join(fakeCliDir, "calls.log"), "utf8");
        assert.match(calls, /^version\nstack select --stack staging/);
    });
});
