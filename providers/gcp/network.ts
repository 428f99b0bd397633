import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import type { PlatformArgs } from "../../components/platform";
import { gcpLabels } from "./labels";
import type { GcpProject } from "./project";

/** Prefix length of the range reserved for Cloud SQL and Memorystore (a /24 per Cloud SQL region, a /29 per Redis). */
export const PRIVATE_SERVICE_RANGE_PREFIX = 20;

export interface Network {
    vpc: gcp.compute.Network;
    /** Where Cloud Run's direct VPC egress takes its addresses. */
    subnet: gcp.compute.Subnetwork;
    /** Range Google's managed services (Cloud SQL, Memorystore) take private addresses from. */
    privateServiceRange: gcp.compute.GlobalAddress;
    /** The VPC peering to those services; both data stores wait for it. */
    privateServiceConnection: gcp.servicenetworking.Connection;
}

/**
 * Own VPC with one regional subnet for Cloud Run's direct VPC egress (flow logs on, Private Google
 * Access on), and private service access: a reserved range peered to Google's service producers,
 * so Cloud SQL and Memorystore get private addresses only and nothing outside the VPC reaches them.
 */
export function createNetwork(name: string, args: PlatformArgs, project: GcpProject, parent: pulumi.Resource): Network {
    const opts = { parent };
    const vpc = new gcp.compute.Network(`${name}-vpc`, {
        description: `${args.baseName}: Cloud Run egress and private service access`,
        autoCreateSubnetworks: false,
        routingMode: "REGIONAL",
    }, { parent, dependsOn: [project.apis.compute] });

    const subnet = new gcp.compute.Subnetwork(`${name}-run`, {
        description: `${args.baseName}: direct VPC egress of the API, worker and migrations`,
        network: vpc.id,
        region: project.region,
        ipCidrRange: args.overrides.gcp.subnetCidr,
        privateIpGoogleAccess: true,
        logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
    }, opts);

    const privateServiceRange = new gcp.compute.GlobalAddress(`${name}-private-services`, {
        description: `${args.baseName}: addresses of Cloud SQL and Memorystore`,
        purpose: "VPC_PEERING",
        addressType: "INTERNAL",
        prefixLength: PRIVATE_SERVICE_RANGE_PREFIX,
        network: vpc.id,
        labels: gcpLabels(args.tags),
    }, opts);

    const privateServiceConnection = new gcp.servicenetworking.Connection(`${name}-private-services`, {
        network: vpc.id,
        service: "servicenetworking.googleapis.com",
        reservedPeeringRanges: [privateServiceRange.name],
        // Google removes the producer side after Cloud SQL is deleted, asynchronously; deleting the
        // peering first fails with "producer services still using this connection".
        deletionPolicy: "ABANDON",
    }, { parent, dependsOn: [project.apis.serviceNetworking] });

    return { vpc, subnet, privateServiceRange, privateServiceConnection };
}
