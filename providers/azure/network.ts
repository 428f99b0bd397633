import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { localName, type AzureContext } from "./context";

export interface Network {
    /** The VNet with its four subnets inline (one resource, created in one operation). */
    vnet: network.VirtualNetwork;
    /** Resource ids of the subnets, by role. */
    subnetIds: {
        /** App Service VNet integration (delegated to Microsoft.Web/serverFarms). */
        apps: pulumi.Output<string>;
        /** Container Apps environment of the worker and the migrations job (delegated to Microsoft.App/environments). */
        jobs: pulumi.Output<string>;
        /** PostgreSQL Flexible Server, private access (delegated to Microsoft.DBforPostgreSQL/flexibleServers). */
        postgres: pulumi.Output<string>;
        /** Private endpoints (Redis). */
        privateEndpoints: pulumi.Output<string>;
    };
    natGateway: network.NatGateway;
    /** Admits only the compute subnets to PostgreSQL and the Redis endpoint. */
    dataSecurityGroup: network.NetworkSecurityGroup;
    /** Where the server's private A records live: <base>.private.postgres.database.azure.com. */
    postgresDnsZone: privatedns.PrivateZone;
    /** privatelink.redis.cache.windows.net, for the cache's private endpoint. */
    redisDnsZone: privatedns.PrivateZone;
    /** VNet links of both zones; whatever must resolve through them depends on these. */
    dnsZoneLinks: privatedns.VirtualNetworkLink[];
}

/** The i-th block of `prefix` bits inside `cidr` (like Terraform's cidrsubnet with an absolute prefix). */
export function subnetCidr(cidr: string, prefix: number, index: number): string {
    const [address, prefixText] = cidr.split("/");
    const base = address.split(".").reduce((acc, octet) => (acc << 8) + Number(octet), 0) >>> 0;
    if (prefix < Number(prefixText) || index >= 2 ** (prefix - Number(prefixText))) {
        throw new Error(`subnet ${index} of /${prefix} does not fit in ${cidr}`);
    }
    const start = (base + index * 2 ** (32 - prefix)) >>> 0;
    return `${[24, 16, 8, 0].map((shift) => (start >>> shift) & 255).join(".")}/${prefix}`;
}

/** Subnet names, which are also the last segment of their resource ids. */
export const SUBNETS = { apps: "apps", jobs: "jobs", postgres: "postgres", privateEndpoints: "private-endpoints" } as const;

/**
 * One VNet with a /24 per role: App Service integration, the Container Apps environment,
 * PostgreSQL and private endpoints. The subnets are declared inline, so the VNet and its subnets
 * are one resource that no later update of the VNet can strip. The two compute subnets leave
 * through a NAT gateway (stable egress IPs; subnets have no default outbound access); the data
 * subnets accept only the compute subnets (and PostgreSQL its own subnet, where the HA standby
 * replicates). Private DNS zones for PostgreSQL and the Redis private endpoint are linked to the VNet.
 */
export function createNetwork(ctx: AzureContext): Network {
    const { args, location, resourceGroupName, parent } = ctx;
    const opts = { parent };
    const cidr = args.overrides.azure.vnetCidr;
    const [appsCidr, jobsCidr, postgresCidr, endpointsCidr] = [0, 1, 2, 3].map((i) => subnetCidr(cidr, 24, i));

    const egressIp = new network.PublicIPAddress(`${ctx.name}-nat-ip`, {
        publicIpAddressName: localName(ctx, "nat-ip"),
        resourceGroupName, location,
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv4",
        tags: args.tags,
    }, opts);
    const natGateway = new network.NatGateway(`${ctx.name}-nat`, {
        natGatewayName: localName(ctx, "nat"),
        resourceGroupName, location,
        sku: { name: "Standard" },
        publicIpAddresses: [{ id: egressIp.id }],
        idleTimeoutInMinutes: 4,
        tags: args.tags,
    }, opts);

    const computeSubnets = [appsCidr, jobsCidr];
    const allow = (name: string, priority: number, sources: string[], destination: string, ports: string[], description: string) => ({
        name, priority, direction: "Inbound", access: "Allow", protocol: "Tcp",
        sourceAddressPrefixes: sources, sourcePortRange: "*", destinationAddressPrefix: destination, destinationPortRanges: ports, description,
    });
    const dataSecurityGroup = new network.NetworkSecurityGroup(`${ctx.name}-data-nsg`, {
        networkSecurityGroupName: localName(ctx, "data-nsg"),
        resourceGroupName, location,
        securityRules: [
            allow("postgres-from-apps", 100, [...computeSubnets, postgresCidr], postgresCidr, ["5432", "6432"],
                "PostgreSQL and PgBouncer from the API, the worker and the migrations job (and the HA standby)"),
            allow("redis-from-apps", 110, computeSubnets, endpointsCidr, ["6380"], "Redis over TLS from the API, the worker and the migrations job"),
            {
                name: "deny-rest-of-vnet", priority: 4000, direction: "Inbound", access: "Deny", protocol: "*",
                sourceAddressPrefix: "VirtualNetwork", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*",
                description: "Nothing else in (or peered with) the VNet reaches the data stores",
            },
        ],
        tags: args.tags,
    }, opts);

    const delegatedTo = (serviceName: string) => [{ name: serviceName.split("/")[0].toLowerCase().replace(/\./g, "-"), serviceName }];
    const vnet = new network.VirtualNetwork(`${ctx.name}-vnet`, {
        virtualNetworkName: localName(ctx, "vnet", 64),
        resourceGroupName, location,
        addressSpace: { addressPrefixes: [cidr] },
        subnets: [
            {
                name: SUBNETS.apps, addressPrefix: appsCidr, defaultOutboundAccess: false,
                delegations: delegatedTo("Microsoft.Web/serverFarms"), natGateway: { id: natGateway.id },
            },
            {
                name: SUBNETS.jobs, addressPrefix: jobsCidr, defaultOutboundAccess: false,
                delegations: delegatedTo("Microsoft.App/environments"), natGateway: { id: natGateway.id },
            },
            {
                name: SUBNETS.postgres, addressPrefix: postgresCidr, defaultOutboundAccess: false,
                delegations: delegatedTo("Microsoft.DBforPostgreSQL/flexibleServers"), networkSecurityGroup: { id: dataSecurityGroup.id },
            },
            {
                name: SUBNETS.privateEndpoints, addressPrefix: endpointsCidr, defaultOutboundAccess: false,
                networkSecurityGroup: { id: dataSecurityGroup.id },
                // Without this, NSG rules do not apply to private endpoints.
                privateEndpointNetworkPolicies: "NetworkSecurityGroupEnabled",
            },
        ],
        tags: args.tags,
    }, opts);
    const subnetId = (subnet: string) => pulumi.interpolate`${vnet.id}/subnets/${subnet}`;
    const subnetIds = {
        apps: subnetId(SUBNETS.apps),
        jobs: subnetId(SUBNETS.jobs),
        postgres: subnetId(SUBNETS.postgres),
        privateEndpoints: subnetId(SUBNETS.privateEndpoints),
    };

    const zone = (role: string, zoneName: string) => {
        const privateZone = new privatedns.PrivateZone(`${ctx.name}-${role}-dns`, {
            privateZoneName: zoneName, resourceGroupName, location: "global", tags: args.tags,
        }, opts);
        const link = new privatedns.VirtualNetworkLink(`${ctx.name}-${role}-dns-link`, {
            virtualNetworkLinkName: localName(ctx, `${role}-link`),
            privateZoneName: privateZone.name,
            resourceGroupName, location: "global",
            virtualNetwork: { id: vnet.id },
            registrationEnabled: false,
            tags: args.tags,
        }, opts);
        return { privateZone, link };
    };
    const postgres = zone("postgres", `${args.baseName}.private.postgres.database.azure.com`);
    const redis = zone("redis", "privatelink.redis.cache.windows.net");
    return {
        vnet, subnetIds, natGateway, dataSecurityGroup,
        postgresDnsZone: postgres.privateZone, redisDnsZone: redis.privateZone,
        dnsZoneLinks: [postgres.link, redis.link],
    };
}
