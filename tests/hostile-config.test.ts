import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "../config";
import { SCHEMA } from "../config/schema";
import type { FieldSpec, KeySpec } from "../config/spec";
import { selectProvider } from "../providers";
import { runStack, stackConfig, type StackConfigInput } from "../tools/harness";
import { PlatformMocks } from "../tools/mocks";
import { cloudsUnderTest } from "./clouds";
import { STACKS, type StackName } from "./support";

/**
 * Hostile configuration, generated from config/schema.ts so a new key (or a new field of a
 * per-cloud override block) is attacked as soon as it exists: for every key a value of the wrong
 * type, out-of-range values, an empty value and an unknown neighbour key; then unknown clouds and
 * environments, broken cross-field rules and prototype-named keys. Every rejection must happen
 * before any resource is registered, as a ConfigError whose message names the key and what is
 * allowed — no stack trace, no TypeError.
 */

const NS = "fastapi-platform";

/** Keys where an empty value is legitimate, the stacks where it is, and what else it needs. */
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-0000-4000-8000-123456789abc";
const EMPTY_ACCEPTED: Record<string, { stacks: StackName[]; with?: Record<string, unknown>; why: string }> = {
    workerImage: { stacks: ["staging", "prod"], why: "empty reuses `image`" },
    domain: { stacks: ["staging"], with: { dnsZone: "" }, why: "staging may serve plain HTTP on the load balancer's own name" },
    dnsZone: { stacks: ["staging", "prod"], with: { aws: { certificateArn: CERT, drRegion: "eu-central-1" } }, why: "a brought certificate replaces the zone" },
    alertEmail: { stacks: ["staging"], why: "staging may run without alert e-mails" },
    corsOrigins: { stacks: ["staging", "prod"], why: "empty means https://<domain> only" },
    env: { stacks: ["staging", "prod"], why: "no extra variables" },
    secretEnv: { stacks: ["staging", "prod"], why: "no extra secrets" },
    tags: { stacks: ["staging", "prod"], why: "no extra tags" },
    aws: { stacks: ["staging"], why: "every field keeps its default (production requires aws.drRegion)" },
    gcp: { stacks: ["staging", "prod"], why: "every field keeps its default" },
    azure: { stacks: ["staging", "prod"], why: "every field keeps its default" },
    kubernetes: { stacks: ["staging", "prod"], why: "every field keeps its default" },
    "aws.certificateArn": { stacks: ["staging", "prod"], with: { aws: { drRegion: "eu-central-1" } }, why: "a certificate is issued in dnsZone" },
    "aws.dbInstanceClass": { stacks: ["staging", "prod"], with: { aws: { drRegion: "eu-central-1" } }, why: "dbTier picks the class" },
    "aws.cacheNodeType": { stacks: ["staging", "prod"], with: { aws: { drRegion: "eu-central-1" } }, why: "cacheTier picks the node type" },
    "gcp.sqlTier": { stacks: ["staging", "prod"], why: "dbTier picks the machine type" },
    "gcp.dnsManagedZone": { stacks: ["staging", "prod"], why: "the zone is looked up from dnsZone" },
    "kubernetes.storageClassName": { stacks: ["staging", "prod"], why: "the cluster's default StorageClass" },
    "kubernetes.backupDestinationPath": { stacks: ["staging", "prod"], why: "read only on Kubernetes, where production requires it" },
    "kubernetes.backupCredentialsSecret": { stacks: ["staging", "prod"], why: "needed only with a backup destination" },
    "kubernetes.backupEndpointUrl": { stacks: ["staging", "prod"], why: "AWS S3 needs no endpoint" },
    "kubernetes.externalDatabaseSecret": { stacks: ["staging", "prod"], why: "the CloudNativePG cluster is created instead" },
    "kubernetes.externalRedisSecret": { stacks: ["staging", "prod"], why: "the in-cluster Redis is created instead" },
    build: { stacks: ["staging", "prod"], why: "no build: the stack runs `image`" },
    "build.context": { stacks: ["staging", "prod"], why: "no build: the stack runs `image`" },
    "build.dockerfile": { stacks: ["staging", "prod"], why: "<context>/Dockerfile" },
    "build.target": { stacks: ["staging", "prod"], why: "the Dockerfile's last stage" },
    "build.args": { stacks: ["staging", "prod"], why: "no build arguments" },
    "build.tag": { stacks: ["staging", "prod"], why: "the git commit" },
    "kubernetes.imageRegistry": { stacks: ["staging", "prod"], why: "needed only to push a build on Kubernetes" },
    "kubernetes.imagePullSecret": { stacks: ["staging", "prod"], why: "public images, or the nodes' own registry credentials" },
    "azure.dnsZoneResourceGroup": { stacks: ["staging", "prod"], why: "the preview lists the DNS records to create instead" },
    restore: { stacks: ["staging", "prod"], why: "no restore: the database starts empty" },
    "restore.from": { stacks: ["staging", "prod"], why: "no backup named" },
    "restore.pointInTime": { stacks: ["staging", "prod"], why: "no point in time named" },
    "restore.source": { stacks: ["staging", "prod"], why: "no source database named" },
    "aws.drRegion": { stacks: ["staging"], why: "replication to a second region is production's" },
    "gcp.drRegion": { stacks: ["staging", "prod"], why: "read only on Google Cloud, where production requires it" },
    "azure.drRegion": { stacks: ["staging", "prod"], why: "read only on Azure, where production requires it" },
    "kubernetes.objectStorageSecret": { stacks: ["staging", "prod"], why: "read only on Kubernetes, where production requires it" },
    "kubernetes.clusterRegion": { stacks: ["staging", "prod"], why: "read only on Kubernetes, where production requires it" },
    "kubernetes.drRegion": { stacks: ["staging", "prod"], why: "read only on Kubernetes, where production requires it" },
    "kubernetes.grafanaUrl": { stacks: ["staging", "prod"], why: "the dashboardUrl output names the ConfigMap and uid instead of a link" },
};

/** Sharper out-of-range strings than the generic one, where a key has a well-known near miss. */
const NEAR_MISSES: Record<string, string> = {
    "aws.vpcCidr": "10.40.0.0/8",
    "gcp.subnetCidr": "10.50.0.0/28",
    "azure.vnetCidr": "10.50.0.0/24",
    dbUser: "a_database_user_name_of_30_chars",
    dbName: "9app",
    healthCheckPath: "health",
    metricsPath: "metrics",
    image: "GHCR.IO/Acme/API:1",
};

interface Key {
    /** As the user writes it after the namespace: minInstances, aws.vpcCidr. */
    label: string;
    spec: KeySpec;
    block?: string;
}

function schemaKeys(): Key[] {
    return Object.entries(SCHEMA as Record<string, KeySpec>).flatMap(([key, spec]): Key[] => [
        { label: key, spec },
        ...("fields" in spec ? Object.entries(spec.fields).map(([field, fieldSpec]) => ({ label: `${key}.${field}`, spec: fieldSpec, block: key })) : []),
    ]);
}

/** Config overrides that set `key` to `value` (a field goes inside its block). */
function setting(key: Key, value: unknown): Record<string, unknown> {
    if (!key.block) return withOwn({}, key.label, value);
    return { [key.block]: withOwn({}, key.label.slice(key.block.length + 1), value) };
}

/** `base` with `over` on top; a block present in both keeps the fields of each (as `pulumi config set --path` does). */
function mergeBlocks(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
    const merged = { ...base };
    for (const [key, value] of Object.entries(over)) {
        const under = merged[key];
        const bothBlocks = [under, value].every((v) => typeof v === "object" && v !== null && !Array.isArray(v));
        withOwn(merged, key, bothBlocks ? { ...(under as object), ...(value as object) } : value);
    }
    return merged;
}

/** Sets an own property, even for names such as __proto__. */
function withOwn(target: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
    return target;
}

type Kind = "wrong type" | "out of range" | "empty" | "unknown neighbour";

interface HostileCase {
    title: string;
    kind: Kind | "cross-field" | "prototype name";
    stack: StackName;
    input: StackConfigInput;
    expect: "rejected" | "accepted";
    /** Every pattern must appear in the message. */
    names: RegExp[];
    /** What is allowed, in words. */
    hint?: RegExp;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const names = (label: string) => new RegExp(`${NS}:${escape(label)}(?![A-Za-z0-9_])`);
const ALLOWED_HINT = /allowed|expected|must be|must have|is required|requires|did you mean|not available/;

/** The first out-of-range value of a scalar spec (used for whole blocks too). */
function outOfRange(key: Key): unknown[] {
    const spec = key.spec as FieldSpec;
    switch (spec.type) {
        case "string":
            return [spec.allowed ? "not-a-choice" : NEAR_MISSES[key.label] ?? "Not Valid!"];
        case "integer": {
            const inside = [...Array(Math.min(spec.max - spec.min + 1, 5000)).keys()].map((i) => spec.min + i).find((v) => spec.allowed && !spec.allowed.includes(v));
            return [spec.min - 1, spec.max + 1, ...(inside !== undefined ? [inside] : [])];
        }
        case "boolean":
            return ["1"];
        case "array":
            return [spec.itemPattern ? ["ftp://app.example.com/path"] : ["ok", ""]];
    }
}

function keyCases(key: Key): HostileCase[] {
    const spec = key.spec;
    const cases: HostileCase[] = [];
    const reject = (kind: Kind, value: unknown, stack: StackName = "staging", extra: Partial<HostileCase> = {}): HostileCase => ({
        title: `${key.label}: ${kind} ${JSON.stringify(value)}${stack === "prod" ? " in prod" : ""}`,
        kind, stack, input: { overrides: setting(key, value) }, expect: "rejected", names: [names(key.label)], hint: ALLOWED_HINT, ...extra,
    });

    // wrong type: what a YAML slip produces (a mapping for a scalar, a scalar for a list or mapping)
    const wrongType: Record<KeySpec["type"], unknown> = { string: { nested: true }, integer: "ten", boolean: "yes", array: "python -m app.worker", object: "key=value" };
    cases.push(reject("wrong type", spec.type === "object" && !("fields" in spec) ? ["A=1"] : wrongType[spec.type]));

    // out of range
    if (spec.type === "object") {
        if ("fields" in spec && Object.keys(spec.fields).length > 0) {
            const fields = Object.keys(spec.fields).map((field) => ({ label: `${key.label}.${field}`, spec: spec.fields[field], block: key.label }));
            const everyFieldBad = Object.fromEntries(fields.map((f) => [f.label.split(".")[1], outOfRange(f)[0]]));
            cases.push({ ...reject("out of range", everyFieldBad), names: fields.map((f) => names(f.label)), title: `${key.label}: out of range (every field at once)` });
        } else if (!("fields" in spec)) {
            cases.push(reject("out of range", { "not a name!": "x" }, "staging", { names: [names(`${key.label}.not a name!`)] }));
            cases.push(reject("out of range", { VALID_NAME: "" }, "staging", { names: [names(`${key.label}.VALID_NAME`)] }));
        }
    } else {
        for (const value of outOfRange(key)) cases.push(reject("out of range", value));
    }

    // empty
    const empty = spec.type === "array" ? [] : spec.type === "object" ? {} : "";
    for (const stack of STACKS) {
        const accepted = EMPTY_ACCEPTED[key.label];
        if (accepted?.stacks.includes(stack)) {
            const input = { overrides: mergeBlocks(accepted.with ?? {}, setting(key, empty)) };
            cases.push({ title: `${key.label}: empty ${JSON.stringify(empty)} accepted in ${stack} (${accepted.why})`, kind: "empty", stack, input, expect: "accepted", names: [] });
        } else {
            cases.push(reject("empty", empty, stack));
        }
    }

    // an unknown neighbour key (a typo of this one)
    const neighbour = key.block ? { label: `${key.label}x`, block: key.block, spec } : { label: `${key.label}x`, spec };
    const suggestion = new RegExp(`did you mean '${escape(key.label.split(".").pop()!)}'`);
    cases.push({
        ...reject("unknown neighbour", "x"), input: { overrides: setting(neighbour, "x") }, title: `${key.label}: unknown neighbour ${neighbour.label}`,
        names: [names(neighbour.label), suggestion], hint: key.block ? /not a known field; allowed fields: / : /not a configuration key/,
    });
    return cases;
}

const TOKEN_HINT = /allowed values|not available|must|requires|production requires|capacity rule/;
function crossFieldCases(cloud: string): HostileCase[] {
    const c = (title: string, overrides: Record<string, unknown>, keys: string[], extra: Partial<HostileCase> = {}): HostileCase => ({
        title: `${title} (${cloud})`, kind: "cross-field", stack: "staging", input: { overrides: { cloud, ...overrides } }, expect: "rejected",
        names: keys.map(names), hint: TOKEN_HINT, ...extra,
    });
    const prod = { stack: "prod" as const };
    return [
        c("an unknown cloud", { cloud: "digitalocean" }, ["cloud"]),
        c("a cloud in capitals", { cloud: "AWS" }, ["cloud"]),
        c("an unknown environment", { environment: "prod" }, ["environment"]),
        c("an environment in capitals", { environment: "Production" }, ["environment"]),
        c("minInstances above maxInstances", { minInstances: 3, maxInstances: 2 }, ["minInstances", "maxInstances"]),
        c("workerMinInstances above workerMaxInstances", { workerMinInstances: 2, workerMaxInstances: 1 }, ["workerMinInstances", "workerMaxInstances"]),
        c("dbMaxStorageGb equal to dbStorageGb", { dbStorageGb: 100, dbMaxStorageGb: 100 }, ["dbMaxStorageGb", "dbStorageGb"]),
        c("a dnsZone without a domain", { domain: "" }, ["dnsZone", "domain"]),
        c("a domain outside its dnsZone", { domain: "api.example.org" }, ["domain", "dnsZone"]),
        c("the capacity rule broken by maxInstances", { maxInstances: 20 }, ["dbTier"], { names: [names("dbTier"), /= 640/] }),
        c("a capacity no tier can hold", { dbPoolSize: 500, dbMaxOverflow: 1000, maxInstances: 200 }, ["dbTier"], { names: [/No tier is large enough/] }),
        c("a platform-owned variable in env", { env: { DATABASE_URL: "postgresql://x" } }, ["env.DATABASE_URL"], { hint: /set by the platform; change it through its own key/ }),
        c("a name both in env and secretEnv", { env: { STRIPE_KEY: "a" } }, ["env.STRIPE_KEY"], { hint: /plain or secret, not both/, input: { overrides: { cloud, env: { STRIPE_KEY: "a" } }, secretOverrides: { secretEnv: { STRIPE_KEY: "b" } } } }),
        c("a generated secret supplied in secretEnv", {}, ["secretEnv.REDIS_URL"], { hint: /generated by the platform and cannot be supplied/, input: { overrides: { cloud }, secretOverrides: { secretEnv: { REDIS_URL: "rediss://x" } } } }),
        c("a short SECRET_KEY", {}, ["secretEnv.SECRET_KEY"], { input: { overrides: { cloud }, secretOverrides: { secretEnv: { SECRET_KEY: "short" } } } }),
        c("equal SECRET_KEY and JWT_SECRET_KEY", {}, ["secretEnv.SECRET_KEY", "secretEnv.JWT_SECRET_KEY"], { input: { overrides: { cloud }, secretOverrides: { secretEnv: { SECRET_KEY: "k".repeat(40), JWT_SECRET_KEY: "k".repeat(40) } } } }),
        c("production with one API instance", { minInstances: 1 }, ["minInstances"], prod),
        c("production without workers", { workerMinInstances: 0 }, ["workerMinInstances"], prod),
        c("production with 6 days of backups", { dbBackupDays: 6 }, ["dbBackupDays"], prod),
        c("production without cache HA", { cacheHa: false }, ["cacheHa"], prod),
        c("production without a domain", { domain: "", dnsZone: "" }, ["domain"], prod),
        c("production without an alert address", { alertEmail: "" }, ["alertEmail"], prod),
        c("every production floor at once", { minInstances: 0, workerMinInstances: 0, dbBackupDays: 1, cacheHa: false }, ["minInstances", "workerMinInstances", "dbBackupDays", "cacheHa"], { ...prod, names: [/\(4 problems\)/] }),
        c("a driver URL scheme instead of a databaseUrlStyle", { databaseUrlStyle: "postgresql+asyncpg" }, ["databaseUrlStyle"], { hint: /allowed values: asyncpg, psycopg, libpq/ }),
        c("a template alias also set in env", { templateEnvAliases: true, env: { POSTGRES_SERVER: "db.internal" } }, ["env.POSTGRES_SERVER"], { hint: /set by .*templateEnvAliases/ }),
        c("a request body limit of 0 MB", { maxRequestBodyMb: 0 }, ["maxRequestBodyMb"], { hint: /allowed range: 1 to 100/ }),
        c("a request timeout of a day", { requestTimeoutSeconds: 86400 }, ["requestTimeoutSeconds"], { hint: /allowed range: 1 to 3600/ }),
        ...(cloud === "gcp"
            ? [c("a body limit above Cloud Run's 32 MiB", { maxRequestBodyMb: 64 }, ["maxRequestBodyMb"], { hint: /Cloud Run accepts HTTP\/1 request bodies of at most 32 MiB/ })]
            : []),
        ...(cloud === "azure"
            ? [
                  c("a request timeout App Service cuts off", { requestTimeoutSeconds: 300 }, ["requestTimeoutSeconds"], { hint: /App Service ends any request after 230 s/ }),
                  c("a request timeout below Front Door's shortest", { requestTimeoutSeconds: 5 }, ["requestTimeoutSeconds"], { hint: /between 16/ }),
              ]
            : []),
        ...(cloud === "aws"
            ? [
                  c("a Fargate CPU/memory pair AWS does not offer", { cpu: 4000, memoryMb: 4096 }, ["memoryMb", "cpu"], { hint: /allowed: 8192 to 30720 MiB in steps of 1024/ }),
                  c("a readiness path AWS cannot probe", { readinessPath: "/ready" }, ["readinessPath", "healthCheckPath"], { hint: /Remove readinessPath/ }),
                  c("a domain with neither a zone nor a certificate", { dnsZone: "", aws: { certificateArn: "" } }, ["domain", "dnsZone", "aws.certificateArn"], { hint: /needs a certificate: set/ }),
              ]
            : []),
    ];
}

/** Keys named after Object.prototype members: a lookup with `in` or `obj[name]` finds them anyway. */
const PROTOTYPE_NAMES = ["constructor", "__proto__", "toString"];
function prototypeCases(): HostileCase[] {
    const blocks = Object.entries(SCHEMA as Record<string, KeySpec>).filter(([, spec]) => "fields" in spec).map(([key]) => key);
    return PROTOTYPE_NAMES.flatMap((name) => [
        {
            title: `an unknown top-level key named ${name}`, kind: "prototype name" as const, stack: "staging" as const,
            input: { overrides: withOwn({}, name, "x") }, expect: "rejected" as const, names: [names(name)], hint: /not a configuration key/,
        },
        ...blocks.map((block) => ({
            title: `an unknown ${block} field named ${name}`, kind: "prototype name" as const, stack: "staging" as const,
            input: { overrides: { [block]: withOwn({}, name, "x") } }, expect: "rejected" as const, names: [names(`${block}.${name}`)], hint: /not a known field; allowed fields: /,
        })),
    ]);
}

// ---- running the cases ----

async function expectRejected(c: HostileCase): Promise<void> {
    const result = await runStack(c.stack, c.input);
    const registered = result.resources.map((r) => r.type);
    if (!result.error) assert.fail(`accepted: the ${c.stack} stack deployed ${registered.length} resources with ${JSON.stringify(c.input)}; it must be rejected`);
    const { name, message } = result.error;
    assert.strictEqual(registered.length, 0, `rejected, but only after registering ${registered.join(", ")}`);
    assert.ok(
        name === "ConfigError",
        `config/ crashed instead of explaining: ${name}: ${message}\n${(result.error.stack ?? "").split("\n").slice(1, 4).join("\n")}`,
    );
    assert.ok(!/\n\s+at .+:\d+:\d+\)?/.test(message) && !/TypeError|ReferenceError|Cannot read propert|undefined|\[object Object\]|NaN/.test(message), `unclear message:\n${message}`);
    for (const pattern of c.names) assert.match(message, pattern, `the message does not name it:\n${message}`);
    if (c.hint) assert.match(message, c.hint, `the message does not say what is allowed:\n${message}`);
}

/**
 * Acceptance through the program's whole validation path (loadConfig, then the cloud's own
 * checks in selectProvider) without building the stack: the same code the program runs first,
 * a few milliseconds instead of a full run.
 */
async function expectAccepted(c: HostileCase): Promise<void> {
    const { project, config, secretKeys } = stackConfig(c.stack, c.input);
    await pulumi.runtime.setMocks(new PlatformMocks(), project, c.stack, true);
    pulumi.runtime.setAllConfig(config, secretKeys);
    try {
        const args = loadConfig();
        await selectProvider(args, project, c.stack);
    } catch (error) {
        assert.fail(`rejected, but an empty value is allowed here: ${(error as Error).message}`);
    }
}

const KEY_CASES = schemaKeys().flatMap(keyCases);
const CLOUD_CASES = cloudsUnderTest().flatMap(([cloud]) => crossFieldCases(cloud));
const PROTO_CASES = prototypeCases();
const ALL = [...KEY_CASES, ...CLOUD_CASES, ...PROTO_CASES];

describe("hostile configuration", function () {
    let started = 0;
    before(() => void (started = Date.now()));
    after(() => {
        const accepted = ALL.filter((c) => c.expect === "accepted").length;
        console.log(`      hostile config: ${ALL.length} cases (${ALL.length - accepted} must be rejected, ${accepted} accepted) over ${schemaKeys().length} keys in ${Date.now() - started} ms`);
    });

    it("attacks every key of the schema, override-block fields included, four ways", () => {
        for (const key of schemaKeys()) {
            const kinds = new Set(KEY_CASES.filter((c) => c.title.startsWith(`${key.label}:`)).map((c) => c.kind));
            assert.deepStrictEqual([...kinds].sort(), ["empty", "out of range", "unknown neighbour", "wrong type"], key.label);
        }
        for (const key of Object.keys(EMPTY_ACCEPTED)) assert.ok(schemaKeys().some((k) => k.label === key), `EMPTY_ACCEPTED names ${key}, which is not a key any more`);
    });

    for (const [kind, cases] of [["per key", KEY_CASES], ["cross-field, per cloud", CLOUD_CASES], ["prototype-named keys", PROTO_CASES]] as const) {
        describe(kind, () => {
            for (const c of cases) {
                it(c.expect === "rejected" ? `rejects ${c.title}${c.stack === "prod" && c.kind !== "empty" ? " in prod" : ""}` : `accepts ${c.title}`, () =>
                    c.expect === "rejected" ? expectRejected(c) : expectAccepted(c));
            }
        });
    }
});
