import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as resources from "@pulumi/azure-native/resources";
import type { PlatformArgs } from "../../components/platform";
import { shortName } from "../../components/naming";

/** What every Azure concern needs: the stack's arguments, where to put resources and how to name them. */
export interface AzureContext {
    /** Logical-name prefix of every child resource. */
    name: string;
    args: PlatformArgs;
    production: boolean;
    /** From the provider setting azure-native:location (validate.ts insists on it). */
    location: string;
    resourceGroup: resources.ResourceGroup;
    resourceGroupName: pulumi.Output<string>;
    /** The platform component, parent of every resource. */
    parent: pulumi.Resource;
    /** Random hex, fixed for the life of the stack, that makes globally unique names unique. */
    suffix: pulumi.Output<string>;
}

/**
 * A name of at most `max` characters for Azure resources whose names are global DNS labels
 * (PostgreSQL, Redis, Key Vault, web apps): the base name, the role and the stack's suffix. A
 * re-created stack draws a new suffix, so it never collides with a soft-deleted Key Vault of the
 * same name (purge protection keeps those for 90 days).
 */
export function globalName(ctx: AzureContext, role: string, max: number): pulumi.Output<string> {
    return ctx.suffix.apply((suffix) => shortName(ctx.args.baseName, `${role}-${suffix}`, max));
}

/** A name unique within the resource group, cut to `max` characters. */
export function localName(ctx: AzureContext, role: string, max = 80): string {
    return shortName(ctx.args.baseName, role, max);
}

/** The resource group of the whole stack and the naming suffix; protected in production, since deleting it deletes everything. */
export function createContext(name: string, args: PlatformArgs, location: string, parent: pulumi.Resource): AzureContext {
    const production = args.environment === "production";
    const resourceGroup = new resources.ResourceGroup(`${name}-rg`, {
        resourceGroupName: shortName(args.baseName, "rg", 90),
        location,
        tags: args.tags,
    }, { parent, protect: production });
    const suffix = new random.RandomId(`${name}-name-suffix`, { byteLength: 3 }, { parent });
    return { name, args, production, location, resourceGroup, resourceGroupName: resourceGroup.name, parent, suffix: suffix.hex };
}
