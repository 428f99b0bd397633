import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { PlatformArgs } from "../../components/platform";

export interface Network {
    vpc: aws.ec2.Vpc;
    /** ALB subnets, one per zone, routed to the internet gateway. */
    publicSubnets: aws.ec2.Subnet[];
    /** Task subnets, one per zone, reaching out through NAT only. */
    privateSubnets: aws.ec2.Subnet[];
    /** Database and cache subnets, one per zone, with no route out of the VPC at all. */
    dataSubnets: aws.ec2.Subnet[];
    natGateways: aws.ec2.NatGateway[];
    securityGroups: {
        loadBalancer: aws.ec2.SecurityGroup;
        api: aws.ec2.SecurityGroup;
        /** Worker and migration tasks: no ingress at all. */
        worker: aws.ec2.SecurityGroup;
        database: aws.ec2.SecurityGroup;
        cache: aws.ec2.SecurityGroup;
    };
}

/** The i-th subnet of `newBits` extra prefix bits inside `cidr` (like Terraform's cidrsubnet). */
export function cidrSubnet(cidr: string, newBits: number, index: number): string {
    const [address, prefixText] = cidr.split("/");
    const prefix = Number(prefixText) + newBits;
    const base = address.split(".").reduce((acc, octet) => (acc << 8) + Number(octet), 0) >>> 0;
    if (index >= 2 ** newBits) throw new Error(`subnet ${index} does not fit in ${cidr} with ${newBits} extra bits`);
    const network = (base + index * 2 ** (32 - prefix)) >>> 0;
    return `${[24, 16, 8, 0].map((shift) => (network >>> shift) & 255).join(".")}/${prefix}`;
}

/**
 * Own VPC over 2-3 zones: public subnets for the ALB, private subnets for tasks (NAT: one per
 * zone in production so a zone outage does not cut egress, one shared in staging), isolated
 * data subnets for RDS and ElastiCache. Security groups chain ALB -> API -> data; nothing else
 * reaches the database or the cache.
 */
export function createNetwork(name: string, args: PlatformArgs, parent: pulumi.Resource): Network {
    const opts = { parent };
    const { vpcCidr, availabilityZones: zoneCount } = args.overrides.aws;
    const tags = (role: string) => ({ ...args.tags, Name: `${args.baseName}-${role}` });
    const zones = aws.getAvailabilityZonesOutput({ state: "available" }, opts).names;

    const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
        cidrBlock: vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tags("vpc"),
    }, opts);

    // Carve /20s out of a /16 (or proportionally smaller blocks): 0-2 public, 4-6 private, 8-10 data.
    const newBits = 4;
    const subnet = (role: string, i: number, block: number) =>
        new aws.ec2.Subnet(`${name}-${role}-${i}`, {
            vpcId: vpc.id,
            cidrBlock: cidrSubnet(vpcCidr, newBits, block + i),
            availabilityZone: zones.apply((z) => z[i]),
            mapPublicIpOnLaunch: false,
            tags: tags(`${role}-${i}`),
        }, opts);
    const indexes = [...Array(zoneCount).keys()];
    const publicSubnets = indexes.map((i) => subnet("public", i, 0));
    const privateSubnets = indexes.map((i) => subnet("private", i, 4));
    const dataSubnets = indexes.map((i) => subnet("data", i, 8));

    const internetGateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags("igw") }, opts);
    const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, {
        vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id }], tags: tags("public"),
    }, opts);
    publicSubnets.forEach((s, i) =>
        new aws.ec2.RouteTableAssociation(`${name}-public-rta-${i}`, { subnetId: s.id, routeTableId: publicRoutes.id }, opts));

    const natCount = args.environment === "production" ? zoneCount : 1;
    const natGateways = indexes.slice(0, natCount).map((i) => {
        const ip = new aws.ec2.Eip(`${name}-nat-ip-${i}`, { domain: "vpc", tags: tags(`nat-${i}`) }, opts);
        return new aws.ec2.NatGateway(`${name}-nat-${i}`, {
            allocationId: ip.id, subnetId: publicSubnets[i].id, tags: tags(`nat-${i}`),
        }, { parent, dependsOn: [internetGateway] });
    });
    privateSubnets.forEach((s, i) => {
        const routes = new aws.ec2.RouteTable(`${name}-private-rt-${i}`, {
            vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: natGateways[i % natCount].id }], tags: tags(`private-${i}`),
        }, opts);
        new aws.ec2.RouteTableAssociation(`${name}-private-rta-${i}`, { subnetId: s.id, routeTableId: routes.id }, opts);
    });
    const dataRoutes = new aws.ec2.RouteTable(`${name}-data-rt`, { vpcId: vpc.id, tags: tags("data") }, opts);
    dataSubnets.forEach((s, i) =>
        new aws.ec2.RouteTableAssociation(`${name}-data-rta-${i}`, { subnetId: s.id, routeTableId: dataRoutes.id }, opts));

    return { vpc, publicSubnets, privateSubnets, dataSubnets, natGateways, securityGroups: createSecurityGroups(name, args, vpc, parent) };
}

function createSecurityGroups(name: string, args: PlatformArgs, vpc: aws.ec2.Vpc, parent: pulumi.Resource): Network["securityGroups"] {
    const opts = { parent };
    const group = (role: string, description: string) =>
        new aws.ec2.SecurityGroup(`${name}-${role}-sg`, {
            vpcId: vpc.id, description, tags: { ...args.tags, Name: `${args.baseName}-${role}` },
        }, opts);
    const loadBalancer = group("alb", "Public HTTPS entry: 443 from anywhere, 80 only to redirect");
    const api = group("api", "API tasks: the container port from the load balancer only");
    const worker = group("worker", "Worker and migration tasks: no ingress");
    const database = group("db", "PostgreSQL: 5432 from the application tasks only");
    const cache = group("cache", "Redis: 6379 from the application tasks only");

    const ingress = (rule: string, groupId: pulumi.Input<string>, port: number, from: { cidr: string } | { group: aws.ec2.SecurityGroup }, description: string) =>
        new aws.vpc.SecurityGroupIngressRule(`${name}-${rule}`, {
            securityGroupId: groupId, ipProtocol: "tcp", fromPort: port, toPort: port, description,
            ...("cidr" in from ? { cidrIpv4: from.cidr } : { referencedSecurityGroupId: from.group.id }),
        }, opts);
    ingress("alb-https-in", loadBalancer.id, 443, { cidr: "0.0.0.0/0" }, "HTTPS from the internet");
    ingress("alb-http-in", loadBalancer.id, 80, { cidr: "0.0.0.0/0" }, "HTTP from the internet, redirected to HTTPS");
    ingress("api-from-alb", api.id, args.service.port, { group: loadBalancer }, "Container port from the load balancer");
    for (const [role, client] of [["api", api], ["worker", worker]] as const) {
        ingress(`db-from-${role}`, database.id, 5432, { group: client }, `PostgreSQL from the ${role} tasks`);
        ingress(`cache-from-${role}`, cache.id, 6379, { group: client }, `Redis from the ${role} tasks`);
    }

    new aws.vpc.SecurityGroupEgressRule(`${name}-alb-to-api`, {
        securityGroupId: loadBalancer.id, ipProtocol: "tcp", fromPort: args.service.port, toPort: args.service.port,
        referencedSecurityGroupId: api.id, description: "Forward to the API tasks",
    }, opts);
    // Tasks reach the data stores, AWS APIs (Secrets Manager, ECR, CloudWatch) and the app's own
    // third parties through NAT; the data stores themselves need no egress.
    for (const [role, tasks] of [["api", api], ["worker", worker]] as const) {
        new aws.vpc.SecurityGroupEgressRule(`${name}-${role}-egress`, {
            securityGroupId: tasks.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "Outbound from the tasks",
        }, opts);
    }
    return { loadBalancer, api, worker, database, cache };
}
