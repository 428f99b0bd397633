import { parseField } from "../config/parse";
import { SCHEMA, type Environment } from "../config/schema";
import { StackFileError } from "./stack-file";

/**
 * The plan tool's own inputs, validated before they are used: its arguments end up in file
 * paths (plan/<stack>-<cloud>.json, Pulumi.<stack>.yaml), and the stack's environment picks
 * the policy config file (policy/config/<environment>.json).
 */

/** Pulumi stack names: "alphanumeric characters, hyphens, underscores, or periods" (pulumi stack init), at most 100. */
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
/** A --cloud value the tool may put in a file name; whether it is a cloud the program knows is config's business (exit 1). */
const CLOUD_ARGUMENT = /^[a-z0-9-]{1,32}$/;

export interface PlanArguments {
    stack: string;
    cloud?: string;
}

/** What is wrong with the arguments (exit 2, usage), or undefined. */
export function planArgumentProblem(options: PlanArguments): string | undefined {
    if (!STACK_NAME.test(options.stack) || /^\.+$/.test(options.stack)) {
        return `the stack name ${JSON.stringify(options.stack)} is not a Pulumi stack name (letters, digits, '-', '_', '.', at most 100 characters)`;
    }
    if (options.cloud !== undefined && !CLOUD_ARGUMENT.test(options.cloud)) {
        return `--cloud ${JSON.stringify(options.cloud)} is not a cloud name (lower-case letters, digits and '-'); clouds: ${SCHEMA.cloud.allowed.join(", ")}`;
    }
    return undefined;
}

/**
 * The environment as the program reads it (trimmed, one of the allowed values), from the raw
 * engine value; undefined when invalid, in which case the program itself rejects the stack.
 */
export function validatedEnvironment(raw: string | undefined): Environment | undefined {
    const parsed = parseField("environment", SCHEMA.environment, raw ?? SCHEMA.environment.default);
    return parsed.ok ? (parsed.value as Environment) : undefined;
}

/** A stack file the tool cannot read: its message (file, line, key) for stderr, or undefined for any other error. */
export function stackFileProblem(error: unknown): string | undefined {
    return error instanceof StackFileError ? `${error.message}\n\nNo resource was registered.` : undefined;
}
