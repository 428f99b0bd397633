/**
 * Two PostgreSQL roles. The owner (`dbUser`, the cloud's admin login) owns the schema and is used
 * only by the migrations job; the runtime role (`<dbUser>_runtime`), which the API and worker
 * connect as, may read and write rows in the app schema and nothing else: no CREATE, DROP,
 * ALTER or TRUNCATE. The migrations job creates or updates the runtime role before it migrates,
 * with the SQL below, so every cloud gets the same roles from the same text.
 */

/** The schema the application's tables live in (Alembic's default). */
export const APP_SCHEMA = "public";

/** The runtime role's name for an owner name (dbUser allows at most 16 characters, so this fits 63). */
export function runtimeUsername(owner: string): string {
    return `${owner}_runtime`;
}

/**
 * Idempotent bootstrap, run as the owner before every migration. Placeholders in psql's
 * variable syntax (`:'name'` a quoted literal, `:"name"` a quoted identifier), so the same text
 * runs with `psql -v runtime_role=... -f`; the migrations job substitutes them in Python.
 *
 * - The role is created when missing, with PostgreSQL's defaults (no SUPERUSER, CREATEDB,
 *   CREATEROLE or REPLICATION; naming them would need a superuser to ALTER), NOINHERIT so a
 *   later membership grants nothing silently (the owner needs CREATEROLE: RDS, Cloud SQL and Azure's
 *   admin logins have it) and its password set to the stored one on every run, so a rotated
 *   secret takes effect at the next migration. Where the role is managed elsewhere and the owner
 *   may not alter it (CloudNativePG declares it), the password step is skipped with a notice.
 * - PostgreSQL before 15 lets PUBLIC create in schema public: that goes (where the owner may).
 * - DML on every existing table and sequence, and by default on every one the owner creates later.
 */
export const RUNTIME_ROLE_BOOTSTRAP_SQL = `DO $bootstrap$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = :'runtime_role') THEN
        EXECUTE format('CREATE ROLE %I LOGIN NOINHERIT PASSWORD %L', :'runtime_role', :'runtime_password');
    ELSE
        BEGIN
            EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', :'runtime_role', :'runtime_password');
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'role % is managed elsewhere; its password was left as is', :'runtime_role';
        END;
    END IF;
    BEGIN
        EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', :'app_schema');
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'could not revoke CREATE on schema % from PUBLIC (not its owner)', :'app_schema';
    END;
END
$bootstrap$;
REVOKE CREATE ON SCHEMA :"app_schema" FROM :"runtime_role";
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"runtime_role";
GRANT USAGE ON SCHEMA :"app_schema" TO :"runtime_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA :"app_schema" TO :"runtime_role";
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA :"app_schema" TO :"runtime_role";
ALTER DEFAULT PRIVILEGES IN SCHEMA :"app_schema" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"runtime_role";
ALTER DEFAULT PRIVILEGES IN SCHEMA :"app_schema" GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"runtime_role";
`;

/**
 * The Python program the migrations container runs before `migrationCommand`. It reads the
 * owner's URL (DATABASE_URL) and the runtime role's (DATABASE_RUNTIME_URL), runs the bootstrap
 * with whichever of the app's own drivers is installed (asyncpg, psycopg2, psycopg), then
 * replaces itself with the migration command (exec, so its exit code is the job's). Without
 * DATABASE_RUNTIME_URL (a database the stack does not own) it only runs the command.
 */
export const ROLE_BOOTSTRAP_PY = `
import os, re, sys, urllib.parse as up
SQL = ${JSON.stringify(RUNTIME_ROLE_BOOTSTRAP_SQL)}
def login(url):
    u = up.urlsplit(url)
    q = dict(up.parse_qsl(u.query))
    return {"host": u.hostname, "port": u.port or 5432, "user": up.unquote(u.username or ""), "password": up.unquote(u.password or ""),
            "database": up.unquote(u.path.lstrip("/")), "tls": q.get("ssl") or q.get("sslmode") or "prefer"}
def literal(v):
    return "'" + v.replace("'", "''") + "'"
def ident(v):
    return '"' + v.replace('"', '""') + '"'
def bootstrap(owner, runtime):
    values = {"runtime_role": runtime["user"], "runtime_password": runtime["password"], "database": owner["database"], "app_schema": ${JSON.stringify(APP_SCHEMA)}}
    sql = re.sub(r":(['\\"])(\\w+)\\1", lambda m: (literal if m.group(1) == "'" else ident)(values[m.group(2)]), SQL)
    try:
        import asyncio, asyncpg
    except ImportError:
        asyncpg = None
    if asyncpg:
        async def run():
            c = await asyncpg.connect(host=owner["host"], port=owner["port"], user=owner["user"], password=owner["password"],
                                      database=owner["database"], ssl=owner["tls"], statement_cache_size=0)
            try:
                await c.execute(sql)
            finally:
                await c.close()
        asyncio.run(run())
        return
    try:
        import psycopg2 as driver
    except ImportError:
        import psycopg as driver
    c = driver.connect(host=owner["host"], port=owner["port"], user=owner["user"], password=owner["password"],
                       dbname=owner["database"], sslmode=owner["tls"])
    c.autocommit = True
    try:
        c.cursor().execute(sql)
    finally:
        c.close()
runtime_url = os.environ.get("DATABASE_RUNTIME_URL")
if runtime_url:
    owner, runtime = login(os.environ["DATABASE_URL"]), login(runtime_url)
    if runtime["user"] != owner["user"]:
        bootstrap(owner, runtime)
        print("database roles: runtime role %s ready" % runtime["user"], flush=True)
if len(sys.argv) > 1:
    os.execvp(sys.argv[1], sys.argv[1:])
`.trimStart();

/** The migrations container's command: the role bootstrap, then `migrationCommand` in its place. */
export function migrationContainerCommand(migrationCommand: string[]): string[] {
    return ["python", "-c", ROLE_BOOTSTRAP_PY, ...migrationCommand];
}
