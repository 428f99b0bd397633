import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { createDelivery } from "./delivery";
import { loadSettings, SettingsError } from "./settings";

/**
 * fastapi-platform-deployments: Pulumi Deployments, review stacks, drift detection and the ESC
 * environments of the fastapi-platform project, as code. Its stack file (Pulumi.delivery.yaml)
 * holds the organization's facts; the fastapi-platform stack files beside ../Pulumi.yaml say
 * which stacks exist and which cloud each runs on.
 */
export = async () => {
    const raw = (key: string) => pulumi.runtime.getConfig(key);
    const repoDir = raw("fastapi-platform-deployments:repoDir") ?? "";
    const mainProjectDir = path.resolve(__dirname, "..", repoDir);
    try {
        return createDelivery(loadSettings(raw, mainProjectDir, pulumi.getOrganization()));
    } catch (error) {
        // Configuration mistakes print as their message alone, without a stack trace.
        if (error instanceof SettingsError) throw new pulumi.RunError(error.message);
        throw error;
    }
};
