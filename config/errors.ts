import * as pulumi from "@pulumi/pulumi";

/**
 * Bad stack configuration. A RunError, so the Pulumi CLI prints the message alone (no stack
 * trace, no program source) and exits non-zero before any resource is registered.
 *
 * The stack's name is `stackName`, never `stack`: Error.prototype.stack is the text every
 * runtime, logger and test runner prints, and a `stack` field holding "staging" would hide the
 * message from all of them.
 */
export class ConfigError extends pulumi.RunError {
    readonly stackName: string;
    readonly problems: string[];

    constructor(stackName: string, problems: string[]) {
        super(
            `Invalid configuration for stack '${stackName}' (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigError";
        this.stackName = stackName;
        this.problems = problems;
        // The message, not a trace through config/: the problem is in the stack file, not the program.
        this.stack = `${this.name}: ${this.message}`;
    }
}
