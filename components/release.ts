import { execFileSync } from "child_process";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type * as dockerBuild from "@pulumi/docker-build";
import type { BuildPlatform, PlatformArgs } from "./platform";

/**
 * The release path every cloud shares: the image (built from source and pushed, or a prebuilt
 * reference), the name of the release, and the migration step that runs `migrationCommand` to
 * completion before the API and worker roll. Each cloud's providers/<cloud>/release.ts supplies
 * the commands (quoted with components/shell.ts); this module supplies the plumbing.
 */

/** Every stack's registry deletes untagged images (superseded layers of re-pushed builds) after this many days. */
export const UNTAGGED_IMAGE_DAYS = 7;
/** Images a registry keeps whatever their age, where the registry can count them (rollback reaches this far back). */
export const RELEASE_IMAGES_KEPT = 50;

/** A digest-pinned image reference: what production runs. */
export const DIGEST_PINNED = /@sha256:[0-9a-f]{64}$/;

/**
 * The git commit of the project directory (`git rev-parse --short=12 HEAD`), or undefined where
 * there is no git or no repository: the program must still run there (a tarball, a container),
 * so the caller falls back and says so instead of failing.
 */
export function gitCommit(dir: string = process.cwd()): string | undefined {
    try {
        const commit = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5000 }).trim();
        return /^[0-9a-f]{7,40}$/.test(commit) ? commit : undefined;
    } catch {
        return undefined;
    }
}

/**
 * The release's name, safe in every cloud's backup/snapshot name (lower-case letters, digits and
 * '-', starting with a letter): the build tag, else the prebuilt image's digest (first 12 hex
 * digits) or tag.
 */
export function releaseName(image: { buildTag?: string; reference?: string }): string {
    const reference = image.reference ?? "";
    const digest = /@sha256:([0-9a-f]{12})/.exec(reference)?.[1];
    const tag = /:([A-Za-z0-9_][A-Za-z0-9._-]*)(@|$)/.exec(reference.split("/").pop() ?? "")?.[1];
    const raw = image.buildTag ?? (digest ? `sha256-${digest}` : tag ?? "latest");
    const slug = raw.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
    return `r-${slug || "latest"}`;
}

/**
 * The stack's args as the services run them: when the stack builds from source, the image is
 * built and pushed to `repository`, and the API, worker and migrations run its pushed digest;
 * otherwise the args are returned as they are.
 */
export function withReleaseImage(
    name: string, args: PlatformArgs, repository: pulumi.Input<string>, parent: pulumi.Resource, dependsOn: pulumi.Resource[] = [],
): PlatformArgs {
    return args.release.build ? withImage(args, buildImage(name, args, repository, parent, dependsOn).ref) : args;
}

/** The stack's args with the API, worker and migrations running `image` (a built image's pushed digest). */
function withImage(args: PlatformArgs, image: pulumi.Input<string>): PlatformArgs {
    return {
        ...args,
        service: { ...args.service, image },
        worker: { ...args.worker, image: args.release.workerImageGiven ? args.worker.image : image },
    };
}

/**
 * Builds `args.release.build` and pushes it to `repository` as `<repository>:<tag>`; returns the
 * pushed reference with its digest (`ref`), which the services run. A preview builds (so a broken
 * Dockerfile fails the pull request) but never pushes: docker-build exports to registries only on
 * `pulumi up`. Pushing uses the host's registry login (the workflows log in with the cloud's CLI),
 * so no registry password enters the stack's inputs or state.
 */
function buildImage(
    name: string, args: PlatformArgs, repository: pulumi.Input<string>, parent: pulumi.Resource, dependsOn: pulumi.Resource[] = [],
): dockerBuild.Image {
    const build = args.release.build;
    if (!build) throw new Error("unreachable: buildImage without build.context");
    // Loaded only for stacks that build: the provider SDK stays out of every other program start.
    const docker = require("@pulumi/docker-build") as typeof dockerBuild;
    return new docker.Image(`${name}-image`, {
        context: { location: build.context },
        dockerfile: { location: build.dockerfile },
        ...(build.target ? { target: build.target } : {}),
        platforms: [build.platform as dockerBuild.Platform],
        buildArgs: build.args,
        tags: [pulumi.interpolate`${repository}:${build.tag}`],
        push: true,
        labels: { "org.opencontainers.image.revision": build.tag, "org.opencontainers.image.source": args.baseName },
    }, { parent, dependsOn });
}

export interface ReleaseStepArgs {
    /** The shell script: the pre-migration backup (production), then the migrations run to completion. */
    script: pulumi.Input<string>;
    /** Run again when any of these change: the image the migrations run and the command. */
    triggers: pulumi.Input<unknown>[];
    /** The new task definition / job revision, and the data stores the migrations reach. */
    dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * The migration step: a local command that `pulumi up` runs once per release, after the new
 * migrations task/job revision is registered and before the services that depend on it roll.
 * A non-zero exit (failed backup, failed migration) fails the update there, so no service rolls.
 * A preview never runs it. The cloud CLI it calls uses the credentials of whoever runs `pulumi up`.
 */
export function releaseStep(name: string, step: ReleaseStepArgs, parent: pulumi.Resource, suffix = "migrate"): command.local.Command {
    const local = (require("@pulumi/command") as typeof command).local;
    return new local.Command(`${name}-${suffix}`, {
        create: step.script,
        interpreter: ["/bin/sh", "-c"],
        triggers: step.triggers,
    }, { parent, dependsOn: step.dependsOn, deleteBeforeReplace: true });
}

/**
 * The migration step of a cloud whose migrations run as a task or job (AWS, Google Cloud, Azure):
 * `script` runs again whenever the image the migrations run or the command changes.
 */
export function migrationStep(
    name: string, args: PlatformArgs, script: pulumi.Input<string>, dependsOn: pulumi.Input<pulumi.Resource>[], parent: pulumi.Resource,
): command.local.Command {
    return releaseStep(name, { script, triggers: [args.service.image, JSON.stringify(args.migrationCommand)], dependsOn }, parent);
}

/** The migration script: the `backup` lines first where the release takes a backup (production), then `run`. */
export function migrationScript(args: PlatformArgs, backup: string[], run: string): string {
    return strictScript([...(args.release.backupBeforeMigration ? backup : []), run]);
}

/** `set -eu` first, so any failing line stops the script with its exit code. */
export function strictScript(lines: string[]): string {
    return ["set -eu", ...lines].join("\n");
}

/** The Dockerfile default: <context>/Dockerfile. */
export function defaultDockerfile(context: string, dockerfile: string): string {
    return dockerfile || path.posix.join(context, "Dockerfile");
}

export type { BuildPlatform };
