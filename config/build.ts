import type { FieldSpec, ValuesOf } from "./spec";

/**
 * Build from source: when `build.context` is set, the program builds the image with
 * @pulumi/docker-build, tags it with the git commit (or `build.tag`), pushes it to the stack's own
 * registry on `pulumi up` (a preview builds but never pushes) and runs the pushed digest.
 *
 * Paths are relative to the project directory and may not leave it; every value lands in a build
 * argument, so shell and path metacharacters are refused here rather than escaped later.
 */
const RELATIVE_PATH = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]*$/;
const RELATIVE_PATH_HINT = "a path relative to the project directory (letters, digits, . _ - /; no '..', not absolute)";

/** Platforms the four clouds run: Fargate, Cloud Run, App Service/Container Apps and common clusters. */
export const BUILD_PLATFORMS = ["linux/amd64", "linux/arm64"] as const;

export const BUILD_FIELDS = {
    context: {
        type: "string", default: "", pattern: RELATIVE_PATH, patternHint: RELATIVE_PATH_HINT,
        description: "Directory holding the application's source and Dockerfile; when set, the image is built and pushed by the stack instead of `image`.",
    },
    dockerfile: {
        type: "string", default: "", pattern: RELATIVE_PATH, patternHint: RELATIVE_PATH_HINT,
        description: "Dockerfile to build, relative to the project directory; empty means <context>/Dockerfile.",
    },
    target: {
        type: "string", default: "", pattern: /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})?$/, patternHint: "a build stage name (letters, digits, . _ -), or empty for the last stage",
        description: "Multi-stage build target (e.g. production); empty builds the Dockerfile's last stage.",
    },
    platform: {
        type: "string", default: "linux/amd64", allowed: BUILD_PLATFORMS,
        description: "Platform the image is built for (linux/amd64 or linux/arm64).",
    },
    args: {
        type: "array", default: [], itemPattern: /^[A-Za-z_][A-Za-z0-9_]*=[^\n\r\0]*$/, itemHint: "NAME=value build arguments (NAME of letters, digits, _; single-line value)",
        description: "Build arguments as NAME=value items (never secrets: they are visible in the image history).",
    },
    tag: {
        type: "string", default: "", pattern: /^([A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$/, patternHint: "a Docker tag (letters, digits, _ . -, at most 128 characters, not starting with . or -)",
        description: "Tag of the built image; empty uses the git commit of the project directory (git rev-parse --short=12 HEAD).",
    },
} satisfies Record<string, FieldSpec>;

export type BuildValues = ValuesOf<typeof BUILD_FIELDS>;
