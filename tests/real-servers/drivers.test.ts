import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { RESERVED_CONNECTIONS } from "../../components/capacity";
import { DATABASE_URL_STYLES } from "../../config/schema";
import type { RunResult } from "../../tools/harness";
import { cloudsUnderTest } from "../clouds";
import type { CloudFixture } from "../clouds/types";
import { deploy } from "../support";
import {
    PYTHON, makeCertificates, missingPrerequisites, probe, startPostgres, startRedis, swapHostPort, tempRoot,
    type Certificates, type Postgres, type ProbeResult, type Redis,
} from "./servers";

/**
 * The connection strings the program emits, used for real: for every cloud and databaseUrlStyle,
 * the exact DATABASE_URL / DATABASE_READ_URL / owner URL / REDIS_URL the program stores and wires
 * to each workload, with only the host, port (and the Redis password and CA path) swapped for
 * the local servers', against PostgreSQL and Redis that accept nothing but TLS with passwords.
 * The migrations job's own command creates the runtime role; the drivers are the seeds' own
 * (asyncpg and psycopg2 through SQLAlchemy, psycopg2 and psycopg 3 directly, redis-py).
 */

/** The app's pool settings scaled to this machine: this many instances' pools at once. */
const LOCAL_INSTANCES = 2;
const REDIS_PASSWORD = "local-redis-password-0123456789";
const PROBE_PY = path.join(__dirname, "probe.py");

describe("real servers: the emitted URLs with the real drivers", function () {
    this.timeout(180_000);
    const missing = missingPrerequisites();
    let root: string;
    let certs: Certificates;
    let pg: Postgres | undefined;
    let redis: Redis | undefined;
    /** Pool settings the program gives the API, and the max_connections it sets (prod). */
    let pool: { poolSize: number; maxOverflow: number; maxConnections: number };

    before(async function () {
        if (missing.length > 0) {
            const reason = `missing ${missing.join(", ")}; run .ci/install-realservers.sh`;
            if (process.env.CI) throw new Error(`the real-server suite must run in CI: ${reason}`);
            console.warn(`\n  !!! SKIPPING the real-server suite: ${reason}\n`);
            this.skip();
        }
        const reference = await deploy("prod", { overrides: { cloud: "aws" } });
        const env = cloudsUnderTest().find(([c]) => c === "aws")![1].workloadEnv(reference, "api").plain;
        pool = { poolSize: Number(env.DB_POOL_SIZE), maxOverflow: Number(env.DB_MAX_OVERFLOW), maxConnections: Number(reference.outputs.databaseMaxConnections) };
        root = tempRoot();
        certs = makeCertificates(root);
        // The capacity rule with LOCAL_INSTANCES instead of the stack's maxInstances + workerMaxInstances.
        pg = await startPostgres(root, certs, (pool.poolSize + pool.maxOverflow) * LOCAL_INSTANCES + RESERVED_CONNECTIONS);
        redis = await startRedis(root, certs, REDIS_PASSWORD);
    });

    after(() => {
        pg?.stop();
        redis?.stop();
        if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    for (const [cloud, fixture] of cloudsUnderTest()) {
        for (const style of DATABASE_URL_STYLES) {
            describe(`${cloud}, databaseUrlStyle ${style}`, () => {
                let r: RunResult;
                let api: Record<string, string>;
                let migrations: Record<string, string>;
                let bootstrapRuns: string[];
                let answers: Record<string, ProbeResult>;
                before(async function () {
                    if (missing.length > 0) this.skip();
                    // Kubernetes prod points REDIS_URL at an external (replicated) Redis; staging runs the
                    // in-cluster one, whose URL the program writes, and the same PgBouncer URLs.
                    const stack = cloud === "kubernetes" ? "staging" : "prod";
                    r = await deploy(stack, { overrides: { cloud, databaseUrlStyle: style, dbReadReplica: true } });
                    api = resolvedSecrets(fixture, r, "api", pg!, redis!, certs);
                    migrations = resolvedSecrets(fixture, r, "migrations", pg!, redis!, certs);
                    resetDatabase(pg!, migrations.DATABASE_URL);
                    bootstrapRuns = [1, 2].map(() => bootstrapRoles(fixture, r, migrations));
                    // Every check in one interpreter start (the machine is shared).
                    const requests: Record<string, Record<string, unknown>> = {
                        primary: { probe: "pool", url: api.DATABASE_URL, connections: 3, pool_size: 2, max_overflow: 1 },
                        replica: { probe: "pool", url: api.DATABASE_READ_URL, connections: 3, pool_size: 2, max_overflow: 1 },
                        runtimePlaintext: { probe: "plaintext-offer", url: api.DATABASE_URL },
                        ownerPlaintext: { probe: "plaintext-offer", url: migrations.DATABASE_URL },
                        runtimePrivileges: { probe: "privileges", url: api.DATABASE_URL },
                        ownerPrivileges: { probe: "privileges", url: migrations.DATABASE_URL },
                        redis: { probe: "redis", url: api.REDIS_URL },
                    };
                    const results = probe(Object.values(requests), redisTrust(api.REDIS_URL, certs)) as unknown as ProbeResult[];
                    answers = Object.fromEntries(Object.keys(requests).map((name, i) => [name, results[i]]));
                });

                it("creates the runtime role with the migrations job's own command, as the owner, idempotently", () => {
                    assert.deepStrictEqual(fixture.migrationCommand(r).slice(0, 2), ["python", "-c"]);
                    bootstrapRuns.forEach((stdout, i) => {
                        assert.match(stdout, /database roles: runtime role app_runtime ready/, `run ${i + 1}`);
                        assert.deepStrictEqual(JSON.parse(stdout.trim().split("\n").pop()!), { ok: true, answer: "ok" }, `run ${i + 1}`);
                    });
                });

                it("connects as the runtime role over TLS with DATABASE_URL and DATABASE_READ_URL", () => {
                    for (const key of ["primary", "replica"]) {
                        const rows = ok(answers[key], key) as { user: string; ssl: boolean; version: string }[];
                        assert.strictEqual(rows.length, 3);
                        for (const row of rows) {
                            assert.strictEqual(row.user, "app_runtime", key);
                            assert.strictEqual(row.ssl, true, `${key}: pg_stat_ssl shows TLS`);
                            assert.match(row.version, /^TLSv1\.[23]$/);
                        }
                    }
                });

                it("requires TLS: the driver gives up on a server that declines it rather than going on in plain text", () => {
                    for (const key of ["runtimePlaintext", "ownerPlaintext"]) {
                        const answer = ok(answers[key], key);
                        assert.ok(answer.ssl_requests >= 1, `${key}: the driver asked for TLS`);
                        assert.strictEqual(answer.plaintext_startup, false, `${key}: the driver went on in plain text (${answer.error})`);
                        assert.ok(answer.error, `${key}: the connection failed`);
                    }
                });

                it("lets the runtime role read and write rows but not CREATE, ALTER, TRUNCATE or DROP; the owner may", () => {
                    const runtime = ok(answers.runtimePrivileges, "runtime privileges");
                    for (const dml of ["select", "insert", "update", "delete", "select_later"]) assert.strictEqual(runtime[dml], "ok", `runtime ${dml}: ${runtime[dml]}`);
                    for (const ddl of ["create", "alter", "truncate", "drop"]) {
                        assert.match(runtime[ddl], /InsufficientPrivilege|permission denied|must be owner/i, `runtime ${ddl} must be refused, got ${runtime[ddl]}`);
                    }
                    const owner = ok(answers.ownerPrivileges, "owner privileges");
                    for (const statement of Object.keys(owner)) assert.strictEqual(owner[statement], "ok", `owner ${statement}: ${owner[statement]}`);
                });

                it("reaches Redis with REDIS_URL, over TLS where the cloud's Redis speaks it", () => {
                    const answer = ok(answers.redis, "redis");
                    assert.deepStrictEqual([answer.pong, answer.value], [true, "value"]);
                    if (cloud === "kubernetes") assert.strictEqual(answer.tls, null, "in-cluster Redis is plain TCP behind NetworkPolicies (docs/kubernetes.md)");
                    else assert.match(String(answer.tls), /^TLSv1\.[23]$/);
                });
            });
        }
    }

    for (const style of DATABASE_URL_STYLES) {
        it(`holds ${LOCAL_INSTANCES} instances' full pools (DB_POOL_SIZE + DB_MAX_OVERFLOW each) within max_connections by the capacity rule, ${style}`, async function () {
            if (missing.length > 0) this.skip();
            const [cloud, fixture] = cloudsUnderTest().find(([c]) => c === "aws")!;
            const r = await deploy("prod", { overrides: { cloud, databaseUrlStyle: style } });
            const urls = resolvedSecrets(fixture, r, "api", pg!, redis!, certs);
            resetDatabase(pg!, resolvedSecrets(fixture, r, "migrations", pg!, redis!, certs).DATABASE_URL);
            bootstrapRoles(fixture, r, resolvedSecrets(fixture, r, "migrations", pg!, redis!, certs));
            // The program's own numbers: max_connections = (pool + overflow) x instances + reserve.
            const perInstance = pool.poolSize + pool.maxOverflow;
            assert.strictEqual((pool.maxConnections - RESERVED_CONNECTIONS) % perInstance, 0, "max_connections follows the capacity rule");
            const request = { probe: "pool", url: urls.DATABASE_URL, connections: perInstance, pool_size: pool.poolSize, max_overflow: pool.maxOverflow, hold_seconds: 3 };
            const fits = await Promise.all(Array.from({ length: LOCAL_INSTANCES }, () => probeAsync(request)));
            for (const answer of fits) {
                const rows = ok(answer, "pool");
                assert.strictEqual(rows.length, perInstance);
                assert.ok(rows.every((row: { ssl: boolean }) => row.ssl));
            }
            if (style === "asyncpg") {
                // One instance more than the rule was sized for does not fit: the limit is real, not slack.
                const over = await Promise.all(Array.from({ length: LOCAL_INSTANCES + 1 }, () => probeAsync(request)));
                assert.ok(over.some((a) => !a.ok && /too many clients|remaining connection slots/i.test(a.error ?? "")), JSON.stringify(over.map((a) => a.error ?? "ok")));
            }
        });
    }
});

/** Asserts the probe answered without a driver error and returns its answer. */
function ok(result: { ok: boolean; answer?: any; error?: string }, what: string): any {
    assert.ok(result.ok, `${what}: ${result.error}`);
    return result.answer;
}

/**
 * The secret variables a workload receives, resolved through its own wiring (env var -> store
 * key -> stored value), pointed at the local servers.
 */
function resolvedSecrets(fixture: CloudFixture, r: RunResult, role: "api" | "migrations", pg: Postgres, redis: Redis, certs: Certificates): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [envName, key] of Object.entries(fixture.workloadEnv(r, role).secrets)) {
        const value = fixture.storedSecret(r, key);
        if (envName.startsWith("DATABASE_")) out[envName] = swapHostPort(value, pg.port);
        else if (envName === "REDIS_URL") out[envName] = localRedisUrl(value, redis, certs);
    }
    return out;
}

/** REDIS_URL with the local server's port and password, and the local CA where the URL names a CA file. */
function localRedisUrl(url: string, redis: Redis, certs: Certificates): string {
    const u = new URL(url);
    u.hostname = "127.0.0.1";
    u.port = String(u.protocol === "rediss:" ? redis.tlsPort : redis.plainPort);
    u.password = encodeURIComponent(redis.password);
    if (u.searchParams.has("ssl_ca_certs")) u.searchParams.set("ssl_ca_certs", certs.caFile);
    return u.toString();
}

/** Without a CA file in the URL, the client trusts the system store: here, the throwaway CA stands in for the cloud's public one. */
function redisTrust(url: string, certs: Certificates): Record<string, string> {
    return new URL(url).searchParams.has("ssl_ca_certs") ? {} : { SSL_CERT_FILE: certs.caFile };
}

/**
 * A fresh database as a cloud hands it over: the owner role (the cloud's admin login, with
 * CREATEROLE) owning the database, with the owner's password from the owner's URL, and one
 * table that exists before the runtime role does.
 */
function resetDatabase(pg: Postgres, ownerUrl: string): void {
    const u = new URL(ownerUrl);
    const owner = decodeURIComponent(u.username);
    const database = decodeURIComponent(u.pathname.slice(1));
    const password = decodeURIComponent(u.password).replace(/'/g, "''");
    pg.superuser(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    pg.superuser(`DROP ROLE IF EXISTS "${owner}_runtime"`);
    pg.superuser(`DROP ROLE IF EXISTS "${owner}"`);
    pg.superuser(`CREATE ROLE "${owner}" LOGIN CREATEROLE PASSWORD '${password}'`);
    pg.superuser(`CREATE DATABASE "${database}" OWNER "${owner}"`);
    pg.superuser(`SET ROLE "${owner}"; CREATE TABLE probe_items (id serial PRIMARY KEY, name text)`, database);
}

/**
 * Runs the migrations' command as the job would, with the job's database variables: the
 * program's bootstrap, then (in place of `alembic upgrade head`) a migration that adds a table.
 */
function bootstrapRoles(fixture: CloudFixture, r: RunResult, migrations: Record<string, string>): string {
    const command = fixture.migrationCommand(r);
    const result = spawnSync(PYTHON, ["-c", command[2], PYTHON, PROBE_PY, JSON.stringify({ probe: "migrate" })], {
        encoding: "utf8", timeout: 60_000,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", DATABASE_URL: migrations.DATABASE_URL, DATABASE_RUNTIME_URL: migrations.DATABASE_RUNTIME_URL },
    });
    assert.strictEqual(result.status, 0, `${result.stdout}${result.stderr}`);
    return result.stdout;
}

/** probe() without blocking, so several instances' pools are open at once. */
function probeAsync(request: Record<string, unknown>): Promise<{ ok: boolean; answer?: any; error?: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(PYTHON, [PROBE_PY, JSON.stringify(request)], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
        let stdout = "";
        let stderr = "";
        const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => {
            clearTimeout(timer);
            try {
                resolve(JSON.parse(stdout.trim().split("\n").pop() ?? ""));
            } catch {
                reject(new Error(`probe.py printed no answer (exit ${code}):\n${stdout}${stderr}`));
            }
        });
    });
}
