import { stableHex, type CloudMocks } from "./common";

/**
 * @pulumi/docker-build: a pushed image answers with its digest and `ref` (the first tag with
 * that digest), derived from its tags and build settings so a changed build changes the digest.
 */
export const DOCKER_BUILD_MOCKS: CloudMocks = {
    computed: {
        "docker-build:index:Image": (name, inputs) => {
            const digest = `sha256:${stableHex(JSON.stringify([name, inputs.tags, inputs.context, inputs.dockerfile, inputs.target, inputs.buildArgs, inputs.platforms]), 64)}`;
            const tag = (inputs.tags as string[] | undefined)?.[0];
            return { digest, ref: tag ? `${tag.replace(/:[^:/]+$/, "")}@${digest}` : "" };
        },
    },
    invokes: {},
};

/** @pulumi/command: a local command answers with empty output (nothing runs under mocks). */
export const COMMAND_MOCKS: CloudMocks = {
    computed: { "command:local:Command": () => ({ stdout: "", stderr: "" }) },
    invokes: {},
};
