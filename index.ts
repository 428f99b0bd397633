import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config";
import { stackOutputs } from "./components/platform";
import { selectProvider } from "./providers";

// Read and validate the stack config, load only the chosen cloud, build, export the outputs.
export = async () => {
    const args = loadConfig();
    const provider = await selectProvider(args, pulumi.getProject(), pulumi.getStack());
    return stackOutputs(args, provider.create(args));
};
