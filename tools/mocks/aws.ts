import { MOCK_ACCOUNT_ID, MOCK_REGION, MOCK_ZONES, stableHex, type CloudMocks, type Computed, type Invoke, type State } from "./common";

/** AWS resources and data sources as the program uses them, with deterministic ARNs and endpoints. */
const region = MOCK_REGION;
const account = MOCK_ACCOUNT_ID;
const regionalArn = (service: string, resource: string) => `arn:aws:${service}:${region}:${account}:${resource}`;

/** The ARN service name where it differs from the SDK module name. */
const ARN_SERVICE: Record<string, string> = {
    lb: "elasticloadbalancing",
    alb: "elasticloadbalancing",
    appautoscaling: "application-autoscaling",
};

const lbSuffix = (kind: "app" | "targetgroup", name: string) =>
    kind === "app" ? `app/${name}/${stableHex(name, 16)}` : `targetgroup/${name}/${stableHex(name, 16)}`;

/** Computed attributes by resource type, on top of the generic ones (id, arn, name, tagsAll). */
const COMPUTED: Record<string, Computed> = {
    "aws:amp/workspace:Workspace": (name) => {
        const id = `ws-${stableHex(name, 8)}-${stableHex(`${name}-b`, 4)}`;
        return { arn: regionalArn("aps", `workspace/${id}`), prometheusEndpoint: `https://aps-workspaces.${region}.amazonaws.com/workspaces/${id}/` };
    },
    "aws:cloudwatch/dashboard:Dashboard": (name, inputs) => ({ dashboardArn: `arn:aws:cloudwatch::${account}:dashboard/${inputs.dashboardName ?? name}` }),
    "aws:ec2/vpc:Vpc": (name, inputs) => ({
        cidrBlock: inputs.cidrBlock ?? "10.0.0.0/16",
        defaultSecurityGroupId: `${name}-default-sg-id`,
        mainRouteTableId: `${name}-main-rt-id`,
    }),
    "aws:ec2/subnet:Subnet": (_name, inputs) => ({ availabilityZone: inputs.availabilityZone ?? MOCK_ZONES[0], cidrBlock: inputs.cidrBlock }),
    "aws:ec2/securityGroup:SecurityGroup": (name) => ({ arn: regionalArn("ec2", `security-group/${name}-id`) }),
    "aws:ec2/eip:Eip": (name) => ({ allocationId: `${name}-id`, publicIp: "203.0.113.10" }),
    "aws:ec2/natGateway:NatGateway": () => ({ publicIp: "203.0.113.10", privateIp: "10.40.0.10" }),
    "aws:rds/instance:Instance": (name, inputs) => {
        const identifier = inputs.identifier ?? name;
        const address = `${identifier}.cluster-abc.${region}.rds.amazonaws.com`;
        const port = inputs.port ?? 5432;
        return {
            identifier, address, port, endpoint: `${address}:${port}`,
            arn: regionalArn("rds", `db:${identifier}`), resourceId: `db-${stableHex(name, 16).toUpperCase()}`,
            hostedZoneId: "Z29XKXDKYMONMX",
        };
    },
    "aws:rds/proxy:Proxy": (name, inputs) => ({
        endpoint: `${inputs.name ?? name}.proxy-abc.${region}.rds.amazonaws.com`,
        arn: regionalArn("rds", `db-proxy:prx-${stableHex(name, 16)}`),
    }),
    "aws:rds/parameterGroup:ParameterGroup": (name, inputs) => ({ arn: regionalArn("rds", `pg:${inputs.name ?? name}`) }),
    "aws:rds/subnetGroup:SubnetGroup": (name, inputs) => ({ arn: regionalArn("rds", `subgrp:${inputs.name ?? name}`) }),
    "aws:elasticache/replicationGroup:ReplicationGroup": (name, inputs) => {
        const id = inputs.replicationGroupId ?? name;
        return {
            replicationGroupId: id,
            primaryEndpointAddress: `master.${id}.abc123.euw1.cache.amazonaws.com`,
            readerEndpointAddress: `replica.${id}.abc123.euw1.cache.amazonaws.com`,
            port: inputs.port ?? 6379,
            arn: regionalArn("elasticache", `replicationgroup:${id}`),
            memberClusters: [...Array(inputs.numCacheClusters ?? 1).keys()].map((i) => `${id}-00${i + 1}`),
        };
    },
    "aws:lb/loadBalancer:LoadBalancer": (name, inputs) => {
        const physical = inputs.name ?? name;
        return {
            dnsName: `${physical}-1234567890.${region}.elb.amazonaws.com`,
            zoneId: "Z32O12XQLNTSW2",
            arnSuffix: lbSuffix("app", physical),
            arn: regionalArn("elasticloadbalancing", `loadbalancer/${lbSuffix("app", physical)}`),
        };
    },
    "aws:lb/targetGroup:TargetGroup": (name, inputs) => {
        const physical = inputs.name ?? name;
        return { arnSuffix: lbSuffix("targetgroup", physical), arn: regionalArn("elasticloadbalancing", lbSuffix("targetgroup", physical)) };
    },
    "aws:lb/listener:Listener": (name) => ({ arn: regionalArn("elasticloadbalancing", `listener/app/${name}/${stableHex(name, 16)}`) }),
    "aws:acm/certificate:Certificate": (name, inputs) => {
        const domains: string[] = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])].filter((d) => typeof d === "string");
        return {
            arn: regionalArn("acm", `certificate/${stableHex(name, 8)}-0000-4000-8000-${stableHex(name + "/id", 12)}`),
            domainValidationOptions: domains.map((domainName) => ({
                domainName,
                resourceRecordName: `_${stableHex(domainName, 16)}.${domainName.replace(/^\*\./, "")}.`,
                resourceRecordType: "CNAME",
                resourceRecordValue: `_${stableHex(domainName + "/value", 16)}.acm-validations.aws.`,
            })),
            status: "ISSUED",
        };
    },
    "aws:acm/certificateValidation:CertificateValidation": (_name, inputs) => ({ certificateArn: inputs.certificateArn }),
    "aws:route53/record:Record": (_name, inputs) => ({ fqdn: inputs.name }),
    "aws:ecs/cluster:Cluster": (name, inputs) => ({ arn: regionalArn("ecs", `cluster/${inputs.name ?? name}`) }),
    "aws:ecs/service:Service": (name, inputs) => ({ arn: regionalArn("ecs", `service/${inputs.name ?? name}`) }),
    "aws:ecs/taskDefinition:TaskDefinition": (name, inputs) => ({
        family: inputs.family ?? name,
        revision: 1,
        arn: regionalArn("ecs", `task-definition/${inputs.family ?? name}:1`),
        arnWithoutRevision: regionalArn("ecs", `task-definition/${inputs.family ?? name}`),
    }),
    "aws:s3/bucket:Bucket": (name, inputs) => bucketState(inputs.bucket ?? name),
    "aws:s3/bucketV2:BucketV2": (name, inputs) => bucketState(inputs.bucket ?? name),
    "aws:secretsmanager/secret:Secret": (name, inputs) => ({ arn: regionalArn("secretsmanager", `secret:${inputs.name ?? name}-AbCdEf`) }),
    "aws:secretsmanager/secretVersion:SecretVersion": (name) => ({ versionId: `${name}-version` }),
    "aws:iam/role:Role": (name, inputs) => ({ arn: `arn:aws:iam::${account}:role/${inputs.name ?? name}`, uniqueId: `AROA${stableHex(name, 16).toUpperCase()}` }),
    "aws:iam/policy:Policy": (name, inputs) => ({ arn: `arn:aws:iam::${account}:policy/${inputs.name ?? name}` }),
    "aws:sns/topic:Topic": (name, inputs) => ({ arn: regionalArn("sns", inputs.name ?? name) }),
    "aws:wafv2/webAcl:WebAcl": (name, inputs) => ({
        arn: regionalArn("wafv2", `regional/webacl/${inputs.name ?? name}/${stableHex(name, 8)}`),
        capacity: 2,
    }),
    "aws:cloudwatch/logGroup:LogGroup": (name, inputs) => ({ arn: regionalArn("logs", `log-group:${inputs.name ?? name}`) }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (name, inputs) => ({ arn: regionalArn("cloudwatch", `alarm:${inputs.name ?? name}`) }),
    "aws:kms/key:Key": (name) => ({ keyId: `${stableHex(name, 8)}-0000-4000-8000-${stableHex(name, 12)}`, arn: regionalArn("kms", `key/${stableHex(name, 8)}`) }),
    "aws:appautoscaling/target:Target": (name, inputs) => ({ arn: regionalArn("application-autoscaling", `scalable-target/${stableHex(inputs.resourceId ?? name, 16)}`) }),
    "aws:appautoscaling/policy:Policy": (name, inputs) => ({ arn: regionalArn("autoscaling", `scalingPolicy:${stableHex(name, 8)}:policyName/${inputs.name ?? name}`) }),
};

function bucketState(bucket: string): State {
    return {
        bucket,
        arn: `arn:aws:s3:::${bucket}`,
        bucketDomainName: `${bucket}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
        region,
    };
}

/** id, arn, name and tagsAll, for every aws:* resource; the per-type table refines them. */
function genericState(type: string, name: string, inputs: State): State {
    const [pkg, moduleAndType] = type.split(":");
    const state: State = { name: inputs.name ?? name };
    if (pkg === "aws") {
        const module = moduleAndType.split("/")[0];
        state.arn = regionalArn(ARN_SERVICE[module] ?? module, name);
        if (inputs.tags !== undefined) state.tagsAll = inputs.tags;
    }
    return state;
}

/** IAM JSON from getPolicyDocument's input shape (actions, principals: [{type, identifiers}], ...). */
function policyDocument(inputs: State): string {
    const list = (value: unknown) => (Array.isArray(value) && value.length === 1 ? value[0] : value);
    const statements = (inputs.statements ?? []).map((s: State) => {
        const out: State = {};
        if (s.sid) out.Sid = s.sid;
        out.Effect = s.effect ?? "Allow";
        for (const [from, to] of [["actions", "Action"], ["notActions", "NotAction"], ["resources", "Resource"], ["notResources", "NotResource"]]) {
            if (s[from] !== undefined) out[to] = list(s[from]);
        }
        for (const [from, to] of [["principals", "Principal"], ["notPrincipals", "NotPrincipal"]]) {
            if (s[from] !== undefined) out[to] = Object.fromEntries(s[from].map((p: State) => [p.type, list(p.identifiers)]));
        }
        if (s.conditions !== undefined) {
            const conditions: State = {};
            for (const c of s.conditions) conditions[c.test] = { ...conditions[c.test], [c.variable]: list(c.values) };
            out.Condition = conditions;
        }
        return out;
    });
    return JSON.stringify({ Version: inputs.version ?? "2012-10-17", Statement: statements });
}

/** Results of the data-source invokes the program uses, by token. */
const INVOKES: Record<string, Invoke> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
        id: region, names: MOCK_ZONES, zoneIds: ["euw1-az1", "euw1-az2", "euw1-az3"], groupNames: [region], state: "available",
    }),
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: account, accountId: account, arn: `arn:aws:iam::${account}:user/mock`, userId: "AIDAMOCKUSER",
    }),
    "aws:index/getRegion:getRegion": () => ({
        id: region, name: region, region, description: "Europe (Ireland)", endpoint: `ec2.${region}.amazonaws.com`,
    }),
    "aws:index/getPartition:getPartition": () => ({
        id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws",
    }),
    "aws:route53/getZone:getZone": (inputs) => {
        const zoneName = String(inputs.name ?? "example.com").replace(/\.$/, "");
        return { id: `Z123${zoneName}`, zoneId: `Z123${zoneName}`, name: zoneName, arn: `arn:aws:route53:::hostedzone/Z123${zoneName}`, nameServers: ["ns-1.awsdns-01.org"] };
    },
    // The regional ELB account that writes access logs in eu-west-1.
    "aws:elb/getServiceAccount:getServiceAccount": () => ({ id: "156460612806", arn: "arn:aws:iam::156460612806:root" }),
    "aws:iam/getPolicyDocument:getPolicyDocument": (inputs) => {
        const json = policyDocument(inputs);
        return { id: stableHex(json, 16), json, minifiedJson: json };
    },
};

export const AWS_MOCKS: CloudMocks = { computed: COMPUTED, invokes: INVOKES, generic: genericState };
