import type { FieldSpec, ValuesOf } from "../spec";
import { ipv4Cidr } from "./cidr";

/** Azure-only knobs; the neutral keys of config/schema.ts cover everything the clouds share. */
export const AZURE_OVERRIDES = {
    vnetCidr: {
        type: "string", default: "10.50.0.0/16", description: "Address space of the VNet (a /16 to /21); pick one that does not overlap networks you peer with.",
        pattern: ipv4Cidr("(1[6-9]|2[01])"), patternHint: "an IPv4 CIDR from /16 to /21, e.g. 10.50.0.0/16",
    },
    pgBouncer: {
        type: "boolean", default: false,
        description: "Turn on PostgreSQL's built-in PgBouncer; the application then connects on port 6432 (General Purpose and Memory Optimized tiers only, so not dbTier small).",
    },
    dnsZoneResourceGroup: {
        type: "string", default: "", description: "Resource group of the Azure DNS zone named by `dnsZone`, so the Front Door validation and CNAME records are created there; empty when the zone is hosted elsewhere (the preview then lists the records to create).",
        pattern: /^([-\w._()]{0,89}[-\w_()])?$/, patternHint: "an Azure resource group name (letters, digits, - _ . ( ), at most 90 characters, not ending in '.')",
    },
    drRegion: {
        type: "string", default: "",
        description: "The paired region of azure-native:location, where geo-redundant PostgreSQL backups and the GZRS storage account's secondary live and where a geo-restore creates the server. Required in production.",
        pattern: /^([a-z0-9]+)?$/, patternHint: "an Azure region name such as northeurope, or empty",
    },
} satisfies Record<string, FieldSpec>;

export type AzureOverrides = ValuesOf<typeof AZURE_OVERRIDES>;
