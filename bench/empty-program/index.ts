import * as pulumi from "@pulumi/pulumi";

/** No resources: one stack output, so the run goes through the engine like any program. */
export const stack = pulumi.getStack();
