import * as assert from "assert";
import { spawnSync, type SpawnSyncOptions } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

/**
 * Throwaway PostgreSQL and Redis servers for the real-server suite: a CA and server certificate
 * made with openssl, PostgreSQL with TLS on, SCRAM passwords and `hostssl` lines only (a plain
 * connection has no pg_hba entry), Redis on a TLS port only with requirepass. Loopback, free
 * ports, temporary directories; every step is time-bounded and `stop()` removes it all.
 */

/** Debian's python3 with python3-asyncpg/-sqlalchemy/-psycopg2/-psycopg/-redis (not a pyenv shim). */
export const PYTHON = "/usr/bin/python3";
const PG_BIN_ROOT = "/usr/lib/postgresql";
const STEP_TIMEOUT_MS = 60_000;

/** The PostgreSQL server binaries of the newest Debian-installed major version, if any. */
export function postgresBin(): string | undefined {
    if (!fs.existsSync(PG_BIN_ROOT)) return undefined;
    const versions = fs.readdirSync(PG_BIN_ROOT).filter((v) => fs.existsSync(path.join(PG_BIN_ROOT, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
    return versions.length > 0 ? path.join(PG_BIN_ROOT, versions[0], "bin") : undefined;
}

/** What is missing for the suite on this machine ([] when it can run). */
export function missingPrerequisites(): string[] {
    const missing: string[] = [];
    if (!postgresBin()) missing.push("PostgreSQL server (Debian package postgresql)");
    if (!onPath("redis-server")) missing.push("redis-server");
    if (!onPath("openssl")) missing.push("openssl");
    if (!fs.existsSync(PYTHON)) missing.push(PYTHON);
    else {
        const check = spawnSync(PYTHON, ["-c", "import asyncpg, sqlalchemy, psycopg2, psycopg, redis"], { encoding: "utf8", timeout: STEP_TIMEOUT_MS });
        if (check.status !== 0) missing.push(`python modules (${check.stderr.trim().split("\n").pop()})`);
    }
    return missing;
}

function onPath(binary: string): boolean {
    return spawnSync("sh", ["-c", `command -v ${binary}`], { encoding: "utf8" }).status === 0;
}

/** Runs a command to completion within the step timeout; throws with its output on failure. */
export function run(command: string, args: string[], options: SpawnSyncOptions = {}): string {
    const result = spawnSync(command, args, { encoding: "utf8", timeout: STEP_TIMEOUT_MS, ...options });
    if (result.error || result.status !== 0) {
        throw new Error(`${command} ${args.join(" ")} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`);
    }
    return String(result.stdout);
}

/** A TCP port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

export interface Certificates {
    dir: string;
    caFile: string;
    certFile: string;
    keyFile: string;
}

/** A throwaway CA and a server certificate for localhost / 127.0.0.1, valid one day. */
export function makeCertificates(dir: string): Certificates {
    const file = (name: string) => path.join(dir, name);
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    run("openssl", ["req", "-x509", ...ec, "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "1", "-subj", "/CN=real-server-suite test CA"]);
    run("openssl", ["req", ...ec, "-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=localhost"]);
    fs.writeFileSync(file("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    run("openssl", ["x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-CAcreateserial",
        "-out", file("server.pem"), "-days", "1", "-extfile", file("server.ext")]);
    fs.chmodSync(file("server.key"), 0o600);
    return { dir, caFile: file("ca.pem"), certFile: file("server.pem"), keyFile: file("server.key") };
}

/** initdb refuses to run as root: as root, the server runs as Debian's `postgres` user. */
function postgresUser(): { uid: number; gid: number } | undefined {
    if (process.getuid?.() !== 0) return undefined;
    const uid = Number(run("id", ["-u", "postgres"]).trim());
    const gid = Number(run("id", ["-g", "postgres"]).trim());
    return { uid, gid };
}

export interface Postgres {
    port: number;
    maxConnections: number;
    /** Runs SQL as the local superuser over the Unix socket (setup only; the probes use TCP + TLS). */
    superuser(sql: string, database?: string): string;
    stop(): void;
}

/** PostgreSQL on 127.0.0.1:<free port>: TLS on, SCRAM, `hostssl` only, `maxConnections` as given. */
export async function startPostgres(root: string, certs: Certificates, maxConnections: number): Promise<Postgres> {
    const bin = postgresBin()!;
    const owner = postgresUser();
    const dir = path.join(root, "pg");
    const data = path.join(dir, "data");
    const socketDir = path.join(dir, "socket");
    fs.mkdirSync(socketDir, { recursive: true });
    // The server reads its key as its own user, mode 0600.
    const tls = path.join(dir, "tls");
    fs.mkdirSync(tls);
    fs.copyFileSync(certs.certFile, path.join(tls, "server.pem"));
    fs.copyFileSync(certs.keyFile, path.join(tls, "server.key"));
    fs.chmodSync(path.join(tls, "server.key"), 0o600);
    if (owner) {
        for (const p of [dir, socketDir, tls, path.join(tls, "server.pem"), path.join(tls, "server.key")]) fs.chownSync(p, owner.uid, owner.gid);
        fs.chmodSync(root, 0o755);
    }
    const asServer: SpawnSyncOptions = owner ? { uid: owner.uid, gid: owner.gid } : {};
    run(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=reject", "-E", "UTF8", "--no-sync"], asServer);

    const port = await freePort();
    fs.appendFileSync(path.join(data, "postgresql.conf"), [
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        `unix_socket_directories = '${socketDir}'`,
        "ssl = on",
        `ssl_cert_file = '${path.join(tls, "server.pem")}'`,
        `ssl_key_file = '${path.join(tls, "server.key")}'`,
        "password_encryption = 'scram-sha-256'",
        `max_connections = ${maxConnections}`,
        "superuser_reserved_connections = 3",
        "shared_buffers = 16MB",
        "fsync = off",
        "synchronous_commit = off",
        "",
    ].join("\n"));
    // Local socket for the superuser's setup; over TCP only TLS with a SCRAM password, nothing else.
    fs.writeFileSync(path.join(data, "pg_hba.conf"), [
        "local all postgres trust",
        "hostssl all all 127.0.0.1/32 scram-sha-256",
        "",
    ].join("\n"));
    run(path.join(bin, "pg_ctl"), ["-D", data, "-l", path.join(dir, "server.log"), "-w", "-t", "30", "start"], asServer);

    const superuser = (sql: string, database = "postgres") =>
        run("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", socketDir, "-p", String(port), "-U", "postgres", "-d", database, "-c", sql]);
    let stopped = false;
    return {
        port, maxConnections, superuser,
        stop: () => {
            if (stopped) return;
            stopped = true;
            spawnSync(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"], { ...asServer, timeout: STEP_TIMEOUT_MS });
        },
    };
}

export interface Redis {
    tlsPort: number;
    /** A plain port too, for the one target whose in-cluster Redis speaks plain TCP (Kubernetes). */
    plainPort: number;
    password: string;
    stop(): void;
}

/** Redis on 127.0.0.1: a TLS port (server certificate from the throwaway CA) and requirepass. */
export async function startRedis(root: string, certs: Certificates, password: string): Promise<Redis> {
    const dir = path.join(root, "redis");
    fs.mkdirSync(dir);
    const tlsPort = await freePort();
    const plainPort = await freePort();
    const pidFile = path.join(dir, "redis.pid");
    fs.writeFileSync(path.join(dir, "redis.conf"), [
        "bind 127.0.0.1",
        `port ${plainPort}`,
        `tls-port ${tlsPort}`,
        `tls-cert-file ${certs.certFile}`,
        `tls-key-file ${certs.keyFile}`,
        `tls-ca-cert-file ${certs.caFile}`,
        "tls-auth-clients no",
        `requirepass ${password}`,
        "save \"\"",
        "appendonly no",
        "daemonize yes",
        `pidfile ${pidFile}`,
        `dir ${dir}`,
        `logfile ${path.join(dir, "redis.log")}`,
        "",
    ].join("\n"));
    run("redis-server", [path.join(dir, "redis.conf")]);
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(pidFile) || !(await listening(tlsPort))) {
        if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${tlsPort}:\n${readIfExists(path.join(dir, "redis.log"))}`);
        await new Promise((r) => setTimeout(r, 100));
    }
    let stopped = false;
    return {
        tlsPort, plainPort, password,
        stop: () => {
            if (stopped) return;
            stopped = true;
            const pid = Number(readIfExists(pidFile).trim());
            if (pid > 0) {
                try {
                    process.kill(pid, "SIGTERM");
                } catch {
                    // already gone
                }
            }
        },
    };
}

function listening(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        socket.once("connect", () => { socket.destroy(); resolve(true); });
        socket.once("error", () => resolve(false));
    });
}

function readIfExists(file: string): string {
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
}

export function tempRoot(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "real-servers-"));
}

/** Runs tests/real-servers/probe.py with one JSON request; returns its answer or throws the driver's error. */
export interface ProbeResult { ok: boolean; answer?: any; error?: string }
export function probe(request: Record<string, unknown> | Record<string, unknown>[], env: Record<string, string> = {}): ProbeResult {
    const result = spawnSync(PYTHON, [path.join(__dirname, "probe.py")], {
        input: JSON.stringify(request), encoding: "utf8", timeout: STEP_TIMEOUT_MS,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    });
    assert.ok(!result.error, `probe.py did not finish: ${result.error?.message}`);
    const last = result.stdout.trim().split("\n").pop() ?? "";
    try {
        return JSON.parse(last) as ProbeResult;
    } catch {
        throw new Error(`probe.py printed no answer (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    }
}

/** The same URL pointed at the local server: host and port swapped, everything else as emitted. */
export function swapHostPort(url: string, port: number): string {
    const u = new URL(url);
    u.hostname = "127.0.0.1";
    u.port = String(port);
    return u.toString();
}
