import { mockConfig, mockSecretValue, stableHex, type CloudMocks, type Computed, type Invoke, type State } from "./common";

/**
 * GCP resources and data sources as the program uses them. Project and region come from the
 * stack's own `gcp:project` / `gcp:region`, so ids look like the ones a real preview would show.
 */
const MOCK_PROJECT_NUMBER = "123456789012";
/** The Cloud DNS zones the mock project holds (public), as getManagedZones lists them. */
const MOCK_DNS_ZONES = ["example.com", "staging.example.com"];

const project = () => mockConfig("gcp:project") ?? "mock-project";
const region = () => mockConfig("gcp:region") ?? "europe-west1";
const physical = (name: string, inputs: State): string => inputs.name ?? name;
const computeLink = (path: string) => ({ selfLink: `https://www.googleapis.com/compute/v1/projects/${project()}/${path}` });
const globalCompute = (collection: string): Computed => (name, inputs) => computeLink(`global/${collection}/${physical(name, inputs)}`);
const regionalCompute = (collection: string): Computed => (name, inputs) =>
    computeLink(`regions/${inputs.region ?? region()}/${collection}/${physical(name, inputs)}`);

/** An address inside the mock private service range (10.60.0.0/20), stable per resource. */
const privateAddress = (name: string) => `10.60.${parseInt(stableHex(name, 2), 16) % 16}.${(parseInt(stableHex(name + "/host", 2), 16) % 250) + 2}`;

const COMPUTED: Record<string, Computed> = {
    "gcp:compute/network:Network": globalCompute("networks"),
    "gcp:compute/subnetwork:Subnetwork": regionalCompute("subnetworks"),
    "gcp:compute/globalAddress:GlobalAddress": (name, inputs) => ({
        ...globalCompute("addresses")(name, inputs),
        address: inputs.addressType === "INTERNAL" ? "10.60.0.0" : `203.0.113.${(parseInt(stableHex(name, 2), 16) % 250) + 2}`,
    }),
    "gcp:servicenetworking/connection:Connection": () => ({ peering: "servicenetworking-googleapis-com" }),
    "gcp:sql/databaseInstance:DatabaseInstance": (name, inputs) => {
        const instance = physical(name, inputs);
        const ip = privateAddress(name);
        return {
            connectionName: `${project()}:${inputs.region ?? region()}:${instance}`,
            privateIpAddress: ip,
            firstIpAddress: ip,
            ipAddresses: [{ ipAddress: ip, type: "PRIVATE" }],
            selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/projects/${project()}/instances/${instance}`,
            serviceAccountEmailAddress: `p${MOCK_PROJECT_NUMBER}-abcdef@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
        };
    },
    "gcp:redis/instance:Instance": (name, inputs) => ({
        host: privateAddress(name),
        port: inputs.transitEncryptionMode === "SERVER_AUTHENTICATION" ? 6378 : 6379,
        authString: mockSecretValue(`${name}/auth-string`, 36),
        serverCaCerts: [{ cert: `-----BEGIN CERTIFICATE-----\nMOCK${stableHex(name, 32)}\n-----END CERTIFICATE-----\n`, serialNumber: "0" }],
        currentLocationId: `${inputs.region ?? region()}-b`,
    }),
    "gcp:cloudrunv2/service:Service": (name, inputs) => {
        const service = physical(name, inputs);
        const uri = `https://${service}-${stableHex(name, 10)}-ew.a.run.app`;
        return { uri, urls: [uri], uid: stableHex(name, 32) };
    },
    "gcp:cloudrunv2/job:Job": (name) => ({ uid: stableHex(name, 32) }),
    "gcp:serviceaccount/account:Account": (name, inputs) => {
        const email = `${inputs.accountId ?? name}@${project()}.iam.gserviceaccount.com`;
        return { email, member: `serviceAccount:${email}`, uniqueId: String(BigInt(`0x${stableHex(name, 15)}`)) };
    },
    "gcp:secretmanager/secret:Secret": (_name, inputs) => ({ name: `projects/${MOCK_PROJECT_NUMBER}/secrets/${inputs.secretId}` }),
    "gcp:secretmanager/secretVersion:SecretVersion": (_name, inputs) => ({ version: "1", name: `${inputs.secret}/versions/1` }),
    "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup": regionalCompute("networkEndpointGroups"),
    "gcp:compute/backendService:BackendService": globalCompute("backendServices"),
    "gcp:compute/uRLMap:URLMap": globalCompute("urlMaps"),
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy": globalCompute("targetHttpsProxies"),
    "gcp:compute/targetHttpProxy:TargetHttpProxy": globalCompute("targetHttpProxies"),
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": globalCompute("forwardingRules"),
    "gcp:compute/managedSslCertificate:ManagedSslCertificate": globalCompute("sslCertificates"),
    "gcp:compute/sSLPolicy:SSLPolicy": globalCompute("sslPolicies"),
    "gcp:compute/securityPolicy:SecurityPolicy": globalCompute("securityPolicies"),
    "gcp:monitoring/notificationChannel:NotificationChannel": (name) => ({ name: `projects/${project()}/notificationChannels/${parseInt(stableHex(name, 8), 16)}` }),
    "gcp:monitoring/alertPolicy:AlertPolicy": (name) => ({ name: `projects/${project()}/alertPolicies/${parseInt(stableHex(name, 8), 16)}` }),
    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": (name, inputs) => {
        const id = `${String(inputs.displayName ?? name).toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${stableHex(name, 8)}`;
        return { uptimeCheckId: id, name: `projects/${project()}/uptimeCheckConfigs/${id}` };
    },
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": (_name, inputs) => ({
        name: `projects/${inputs.project ?? project()}/locations/${inputs.location}/buckets/${inputs.bucketId}`,
    }),
    "gcp:logging/projectSink:ProjectSink": () => ({ writerIdentity: `serviceAccount:service-${MOCK_PROJECT_NUMBER}@gcp-sa-logging.iam.gserviceaccount.com` }),
};

const INVOKES: Record<string, Invoke> = {
    "gcp:organizations/getProject:getProject": (inputs) => ({ projectId: inputs.projectId ?? project(), number: MOCK_PROJECT_NUMBER, name: inputs.projectId ?? project() }),
    "gcp:dns/getManagedZones:getManagedZones": () => ({
        id: `projects/${project()}`,
        project: project(),
        managedZones: MOCK_DNS_ZONES.map((zone) => ({
            id: `projects/${project()}/managedZones/${zone.replace(/\./g, "-")}`,
            name: zone.replace(/\./g, "-"),
            dnsName: `${zone}.`,
            description: "",
            managedZoneId: String(parseInt(stableHex(zone, 8), 16)),
            nameServers: ["ns-cloud-a1.googledomains.com."],
            visibility: "public",
            project: project(),
        })),
    }),
};

/** The project on every gcp:* resource, and its name (the explicit one, else the logical one). */
function genericState(_type: string, name: string, inputs: State): State {
    return { name: physical(name, inputs), project: inputs.project ?? project() };
}

export const GCP_MOCKS: CloudMocks = { computed: COMPUTED, invokes: INVOKES, generic: genericState };
