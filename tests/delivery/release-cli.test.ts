import * as assert from "assert";
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { UsageError } from "../../tools/deploy";
import { PROJECT_DIR } from "../../tools/harness";
import { parseReleaseArgs, preflight, smokeTest } from "../../tools/release";
import { mainProjectCopy } from "./deployments-harness";

/**
 * `npm run release -- <stack> <image@digest>`: the argument checks (before anything runs) and
 * the smoke test's bounded retry, against a real HTTP server on 127.0.0.1 (no cloud).
 */

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;
const IMAGE = `ghcr.io/acme/fastapi-backend:1.5.0@${DIGEST}`;

describe("npm run release: arguments", () => {
    it("takes a stack and a digest-pinned image", () => {
        assert.deepStrictEqual(parseReleaseArgs(["staging", IMAGE]), { stack: "staging", stackName: "staging", image: IMAGE });
        assert.deepStrictEqual(parseReleaseArgs(["acme/fastapi-platform/prod", `ghcr.io/acme/api@${DIGEST}`]).stackName, "prod");
    });

    const bad: [string, string[], RegExp][] = [
        ["no arguments", [], /name the stack and the image/],
        ["the image missing", ["staging"], /name the stack and the image/],
        ["an extra argument", ["staging", IMAGE, "now"], /too many arguments/],
        ["an option", ["staging", IMAGE, "--force"], /unknown option --force/],
        ["a path as stack", ["../prod", IMAGE], /not a stack name/],
        ["a tag, not a digest", ["prod", "ghcr.io/acme/fastapi-backend:1.5.0"], /not pinned by digest/],
        ["a short digest", ["prod", "ghcr.io/acme/fastapi-backend@sha256:abc"], /not a container image reference|not pinned by digest/],
        ["a shell command in the image", ["prod", `ghcr.io/acme/api;rm -rf /@${DIGEST}`], /not a container image reference/],
        ["an upper-case repository path", ["prod", `ghcr.io/ACME/api@${DIGEST}`], /not a container image reference/],
    ];
    for (const [title, argv, message] of bad) {
        it(`refuses ${title}`, () => assert.throws(() => parseReleaseArgs(argv), (error: Error) => error instanceof UsageError && message.test(error.message)));
    }

    it("stops with exit code 2 before anything runs: usage, an unknown stack, a stack that builds from source, no Pulumi CLI", () => {
        const err: string[] = [];
        const io = { out: () => undefined, err: (text: string) => void err.push(text), env: { PATH: path.dirname(process.execPath), HOME: os.tmpdir() } };
        assert.deepStrictEqual(preflight(["staging", "ghcr.io/acme/api:1"], io), { code: 2 });
        assert.match(err.join(""), /not pinned by digest[\s\S]*usage: npm run release/);
        assert.deepStrictEqual(preflight(["qa", IMAGE], io), { code: 2 });
        assert.match(err.join(""), /no stack 'qa'.*stacks: pr, prod, staging/);
        const dir = mainProjectCopy({ staging: { "fastapi-platform:image": "", "fastapi-platform:build": { context: "app" } } });
        try {
            assert.deepStrictEqual(preflight(["staging", IMAGE], io, dir), { code: 2 });
            assert.match(err.join(""), /builds its image from source/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        assert.deepStrictEqual(preflight(["staging", IMAGE], io, PROJECT_DIR), { code: 2 });
        assert.match(err.join(""), /Pulumi CLI not found/);
    });
});

describe("npm run release: smoke test with a bounded retry", function () {
    this.timeout(20000);
    let server: http.Server;
    let base = "";
    /** Requests per path, and how many times each path fails before it answers 200 (-1: always 503). */
    const hits = new Map<string, number>();
    const failures = new Map<string, number>();

    before(async () => {
        server = http.createServer((request, response) => {
            const url = request.url ?? "";
            hits.set(url, (hits.get(url) ?? 0) + 1);
            if (url === "/hang") return; // never answers: the client's timeout must end it
            const failFor = failures.get(url) ?? 0;
            const ok = failFor >= 0 && hits.get(url)! > failFor;
            response.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
            response.end(ok ? '{"status":"healthy"}' : '{"status":"starting"}');
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
    });
    beforeEach(() => {
        hits.clear();
        failures.clear();
    });

    const fast = { attempts: 4, delayMs: 20, timeoutMs: 500 };

    it("passes at once when both paths answer 200", async () => {
        const results = await smokeTest(`${base}/`, ["/health", "/health/ready"], fast);
        assert.deepStrictEqual(results.map((r) => [r.url, r.ok, r.status, r.attempts]), [[`${base}/health`, true, 200, 1], [`${base}/health/ready`, true, 200, 1]]);
    });

    it("retries a path that is still starting, and passes once it is ready", async () => {
        failures.set("/health/ready", 2);
        const [health, ready] = await smokeTest(base, ["/health", "/health/ready"], fast);
        assert.strictEqual(health.attempts, 1);
        assert.deepStrictEqual([ready.ok, ready.status, ready.attempts], [true, 200, 3]);
        assert.strictEqual(hits.get("/health/ready"), 3);
    });

    it("gives up after exactly `attempts` tries and reports the last status", async () => {
        failures.set("/health/ready", -1);
        const [, ready] = await smokeTest(base, ["/health", "/health/ready"], fast);
        assert.deepStrictEqual([ready.ok, ready.status, ready.attempts, ready.error], [false, 503, 4, "HTTP 503"]);
        assert.strictEqual(hits.get("/health/ready"), 4);
    });

    it("bounds a request that never answers by its timeout", async () => {
        const started = Date.now();
        const [hang] = await smokeTest(base, ["/hang"], { attempts: 2, delayMs: 10, timeoutMs: 200 });
        const elapsed = Date.now() - started;
        assert.deepStrictEqual([hang.ok, hang.attempts, hang.error], [false, 2, "timed out"]);
        assert.ok(elapsed >= 400 && elapsed < 3000, `took ${elapsed} ms`);
    });

    it("reports a refused connection", async () => {
        const closed = http.createServer();
        await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
        const port = (closed.address() as AddressInfo).port;
        await new Promise((resolve) => closed.close(resolve));
        const [result] = await smokeTest(`http://127.0.0.1:${port}`, ["/health"], { attempts: 2, delayMs: 10, timeoutMs: 500 });
        assert.deepStrictEqual([result.ok, result.attempts, result.error], [false, 2, "ECONNREFUSED"]);
    });
});
