import "./components/fast-start";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config";
import { stackOutputs } from "./components/platform";
import { selectProvider } from "./providers";

// Read and validate the stack config, load only the chosen cloud, build, export the outputs.
export = async () => {
    const args = loadConfig();
    const provider = await selectProvider(args, pulumi.getProject(), pulumi.getStack());
    const outputs = stackOutputs(args, provider.create(args));
    // Review stacks schedule their own destruction; @pulumi/pulumiservice loads only for them.
    if (args.reviewStackTtlHours > 0) (await import("./deployments/review-ttl")).reviewStackTtl({ ttlHours: args.reviewStackTtlHours });
    return outputs;
};
