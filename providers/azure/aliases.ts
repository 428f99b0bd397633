import type * as pulumi from "@pulumi/pulumi";

/** A type token of one API version of an azure-native type, e.g. azure-native:network/v20230901:Subnet. */
const API_VERSION_TYPE = /^azure-native:[A-Za-z0-9]+\/v\d/;

/**
 * azure-native gives every resource one alias per API version its type ever had (60 for a subnet),
 * so that stacks created on those versioned types keep their resources. This program has only
 * ever used the default, unversioned types, and resolving those ~1,200 aliases made up half of a
 * preview's time. This transformation drops exactly them from the platform's azure-native
 * children; unversioned aliases (a type's former module, what a provider upgrade relies on) and
 * any alias the caller passes stay.
 */
export function withoutApiVersionAliases(args: pulumi.ResourceTransformationArgs): pulumi.ResourceTransformationResult | undefined {
    if (!args.type.startsWith("azure-native:") || !args.opts.aliases) return undefined;
    const aliases = args.opts.aliases.filter((alias) => {
        const type = typeof alias === "object" && alias !== null && "type" in alias ? alias.type : undefined;
        return !(typeof type === "string" && API_VERSION_TYPE.test(type));
    });
    return { props: args.props, opts: { ...args.opts, aliases } };
}
