import { ConfigError } from "../config/errors";
import type { Cloud } from "../config/schema";
import type { CloudProvider, PlatformArgs } from "../components/platform";

/**
 * Cloud name -> lazy loader. Only the chosen cloud's module (and so its SDK) is ever required:
 * an AWS stack never loads @pulumi/gcp or @pulumi/azure-native. A cloud that the schema names but
 * that is not built yet fails with a message naming the key.
 */
export const PROVIDERS: Record<Cloud, (() => Promise<CloudProvider>) | undefined> = {
    aws: async () => (await import("./aws")).provider,
    gcp: async () => (await import("./gcp")).provider,
    azure: async () => (await import("./azure")).provider,
    kubernetes: async () => (await import("./kubernetes")).provider,
};

export function availableClouds(): Cloud[] {
    return (Object.keys(PROVIDERS) as Cloud[]).filter((cloud) => PROVIDERS[cloud] !== undefined);
}

/** Loads the stack's cloud and runs its capability checks; throws ConfigError before any resource exists. */
export async function selectProvider(args: PlatformArgs, project: string, stack: string): Promise<CloudProvider> {
    const load = PROVIDERS[args.cloud];
    if (!load) {
        throw new ConfigError(stack, [
            `${project}:cloud is '${args.cloud}', which is not available in this version; available: ${availableClouds().join(", ")}`,
        ]);
    }
    const provider = await load();
    const problems = provider.validate(args, project);
    if (problems.length > 0) throw new ConfigError(stack, problems);
    return provider;
}
