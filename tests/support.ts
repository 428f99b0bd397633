import * as assert from "assert";
import { runStack, type RecordedResource, type RunResult, type StackConfigInput } from "../tools/harness";

export const PROJECT = "fastapi-platform";

/** Keys that act the same on every cloud, landed by their own test (tests/review-stack.test.ts, tests/release.test.ts), not per cloud. */
export const CLOUD_INDEPENDENT_KEYS = ["reviewStackTtlHours", "build"];
export const STACKS = ["staging", "prod"] as const;
export type StackName = (typeof STACKS)[number];

const cache = new Map<string, Promise<RunResult>>();

/**
 * Runs a stack under mocks; identical inputs share one run (the program is deterministic under
 * mocks), so the many assertions on the shipped stacks cost two program runs, not hundreds.
 */
export function run(stack: string, input: StackConfigInput = {}): Promise<RunResult> {
    const key = JSON.stringify([stack, input]);
    if (!cache.has(key)) cache.set(key, runStack(stack, input));
    return cache.get(key)!;
}

/** Runs and insists the program succeeded. */
export async function deploy(stack: string, input: StackConfigInput = {}): Promise<RunResult> {
    const result = await run(stack, input);
    if (result.error) throw new Error(`expected ${stack} to deploy, got: ${result.error.message}`);
    return result;
}

/** Runs and insists the program was rejected before registering anything; returns the message. */
export async function rejected(stack: string, input: StackConfigInput): Promise<string> {
    const result = await run(stack, input);
    assert.ok(result.error, `expected ${stack} with ${JSON.stringify(input)} to be rejected, but it deployed`);
    assert.strictEqual(result.resources.length, 0, `a rejected config still registered ${result.resources.map((r) => r.type).join(", ")}`);
    assert.ok(!/\n\s+at .+:\d+:\d+\)?/.test(result.error.message), `the message carries a stack trace:\n${result.error.message}`);
    return result.error.message;
}

export function ofType(result: RunResult, type: string): RecordedResource[] {
    return result.resources.filter((r) => r.type === type);
}

/** The single resource of a type (optionally whose name ends with `suffix`). */
export function only(result: RunResult, type: string, suffix?: string): RecordedResource {
    const found = ofType(result, type).filter((r) => suffix === undefined || r.name.endsWith(suffix));
    assert.strictEqual(found.length, 1, `expected one ${type}${suffix ? ` named *${suffix}` : ""}, found ${found.map((r) => r.name).join(", ") || "none"}`);
    return found[0];
}

/** The parsed container definition of the ECS task definition for `role` (api, worker, migrations). */
export function container(result: RunResult, role: string): Record<string, any> {
    const definition = only(result, "aws:ecs/taskDefinition:TaskDefinition", `-${role}`);
    const containers: Record<string, any>[] = JSON.parse(definition.plainInputs.containerDefinitions);
    // The API and worker tasks carry the metrics collector sidecar next to the app; migrations run alone.
    assert.deepStrictEqual(containers.map((c) => c.name), role === "migrations" ? [role] : [role, "otel-collector"]);
    return containers[0];
}

export function envOf(def: Record<string, any>): Record<string, string> {
    return Object.fromEntries((def.environment as { name: string; value: string }[]).map((e) => [e.name, e.value]));
}

export function secretRefsOf(def: Record<string, any>): Record<string, string> {
    return Object.fromEntries((def.secrets as { name: string; valueFrom: string }[]).map((e) => [e.name, e.valueFrom]));
}
