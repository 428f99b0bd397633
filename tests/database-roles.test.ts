import * as assert from "assert";
import { DATABASE_URL_STYLES } from "../config/schema";
import type { RunResult } from "../tools/harness";
import { cloudsUnderTest } from "./clouds";
import { deploy } from "./support";

/**
 * The two database roles and the URL styles, wired on every cloud: the API and worker read the
 * runtime role's DATABASE_URL / DATABASE_READ_URL, the migrations job the owner's (under
 * DATABASE_URL) plus the runtime role's (DATABASE_RUNTIME_URL) for the role bootstrap; every URL
 * in the stack's databaseUrlStyle; the template aliases from one table, passwords by reference.
 * tests/real-servers/ then proves those strings on real servers with the real drivers.
 */
const SCHEME = { asyncpg: "postgresql+asyncpg://", psycopg: "postgresql+psycopg2://", libpq: "postgresql://" };
const TLS = { asyncpg: "ssl=require", psycopg: "sslmode=require", libpq: "sslmode=require" };

const user = (url: string) => decodeURIComponent(new URL(url).username);

for (const [cloud, fixture] of cloudsUnderTest()) {
    describe(`database roles and URL styles (${cloud} prod)`, () => {
        let r: RunResult;
        before(async () => {
            r = await deploy("prod", { overrides: { cloud, dbReadReplica: true } });
        });

        it("gives the API and worker the runtime role, and no owner credential", () => {
            for (const role of ["api", "worker"] as const) {
                const env = fixture.workloadEnv(r, role);
                assert.strictEqual(env.secrets.DATABASE_URL, "DATABASE_URL", role);
                assert.strictEqual(env.secrets.DATABASE_READ_URL, "DATABASE_READ_URL", role);
                assert.ok(!Object.values(env.secrets).includes("DATABASE_OWNER_URL"), `${role} must not read the owner's URL`);
                assert.ok(!("DATABASE_RUNTIME_URL" in env.secrets), role);
            }
            assert.strictEqual(user(fixture.storedSecret(r, "DATABASE_URL")), "app_runtime");
            assert.strictEqual(user(fixture.storedSecret(r, "DATABASE_READ_URL")), "app_runtime");
        });

        it("gives the migrations job the owner's URL as DATABASE_URL and the runtime role's for the bootstrap", () => {
            const env = fixture.workloadEnv(r, "migrations");
            assert.strictEqual(env.secrets.DATABASE_URL, "DATABASE_OWNER_URL");
            assert.strictEqual(env.secrets.DATABASE_RUNTIME_URL, "DATABASE_URL");
            assert.ok(!("DATABASE_READ_URL" in env.secrets));
            assert.strictEqual(user(fixture.storedSecret(r, "DATABASE_OWNER_URL")), "app");
            const runtime = new URL(fixture.storedSecret(r, "DATABASE_URL"));
            const owner = new URL(fixture.storedSecret(r, "DATABASE_OWNER_URL"));
            assert.notStrictEqual(runtime.password, owner.password, "each role has its own generated password");
            assert.ok(runtime.password.length >= 40);
        });

        for (const style of DATABASE_URL_STYLES) {
            it(`writes DATABASE_URL, DATABASE_READ_URL and the owner's URL for ${style}`, async () => {
                const styled = await deploy("prod", { overrides: { cloud, dbReadReplica: true, databaseUrlStyle: style } });
                for (const key of ["DATABASE_URL", "DATABASE_READ_URL", "DATABASE_OWNER_URL"]) {
                    const url = fixture.storedSecret(styled, key);
                    assert.ok(url.startsWith(SCHEME[style]), `${key}: ${url.replace(/:[^:@]+@/, ":***@")}`);
                    const query = new URL(url).searchParams;
                    assert.ok(url.includes(`?${TLS[style]}`), `${key} requires TLS in ${style}'s spelling`);
                    // libpq refuses asyncpg's parameters ("invalid connection option"), and the other way round.
                    if (style !== "asyncpg") assert.ok(!query.has("ssl") && !query.has("prepared_statement_cache_size"), key);
                    else assert.ok(!query.has("sslmode"), key);
                }
            });
        }

        it("sets the template aliases from one table when templateEnvAliases is on, passwords by reference only", async () => {
            const aliased = await deploy("prod", { overrides: { cloud, templateEnvAliases: true } });
            const api = fixture.workloadEnv(aliased, "api");
            const migrations = fixture.workloadEnv(aliased, "migrations");
            const runtimeUrl = new URL(fixture.storedSecret(aliased, "DATABASE_URL"));
            assert.strictEqual(api.plain.POSTGRES_USER, "app_runtime");
            assert.strictEqual(migrations.plain.POSTGRES_USER, "app");
            assert.strictEqual(api.plain.POSTGRES_DB, "app");
            assert.strictEqual(api.plain.POSTGRES_SERVER, runtimeUrl.hostname);
            assert.strictEqual(api.plain.POSTGRES_PORT, runtimeUrl.port || "5432");
            assert.strictEqual(api.plain.APP_ENV, "production");
            assert.strictEqual(api.plain.BACKEND_CORS_ORIGINS, api.plain.CORS_ORIGINS);
            // A Redis the stack does not own (Kubernetes externalRedisSecret) has no host to alias.
            if (String(aliased.outputs.cacheHost).startsWith("external")) assert.ok(!("REDIS_HOST" in api.plain));
            else assert.deepStrictEqual([api.plain.REDIS_HOST, api.plain.REDIS_PORT], [aliased.outputs.cacheHost, String(aliased.outputs.cachePort)]);
            assert.strictEqual(api.secrets.POSTGRES_PASSWORD, "POSTGRES_PASSWORD");
            assert.strictEqual(migrations.secrets.POSTGRES_PASSWORD, "POSTGRES_OWNER_PASSWORD");
            assert.strictEqual(fixture.storedSecret(aliased, "POSTGRES_PASSWORD"), decodeURIComponent(runtimeUrl.password));
            assert.ok(!("POSTGRES_PASSWORD" in api.plain) && !("POSTGRES_PASSWORD" in migrations.plain));
            // Off by default: none of the alias names appear.
            assert.ok(!("POSTGRES_SERVER" in fixture.workloadEnv(r, "api").plain));
        });
    });
}
