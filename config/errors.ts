import * as pulumi from "@pulumi/pulumi";

/**
 * Bad stack configuration. A RunError, so the Pulumi CLI prints the message alone (no stack
 * trace, no program source) and exits non-zero before any resource is registered.
 */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly problems: string[],
    ) {
        super(
            `Invalid configuration for stack '${stack}' (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}
