import { mockSecretValue, stableHex, type CloudMocks, type Computed, type Invoke, type State } from "./common";

/**
 * Azure resources and data sources as providers/azure uses them: the computed attributes the
 * program reads (host names, URIs, principal ids), shaped like Azure's, and the invokes' answers.
 */
export const MOCK_SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000000";
export const MOCK_TENANT_ID = "11111111-1111-4111-8111-111111111111";
/** The deployer's own object id, as getClientConfig reports it. */
export const MOCK_DEPLOYER_OBJECT_ID = "22222222-2222-4222-8222-222222222222";

/** Which input holds each resource type's Azure name (the `name` output). */
const NAME_INPUT: Record<string, string> = {
    "azure-native:resources:ResourceGroup": "resourceGroupName",
    "azure-native:network:VirtualNetwork": "virtualNetworkName",
    "azure-native:network:NetworkSecurityGroup": "networkSecurityGroupName",
    "azure-native:network:PublicIPAddress": "publicIpAddressName",
    "azure-native:network:NatGateway": "natGatewayName",
    "azure-native:network:PrivateEndpoint": "privateEndpointName",
    "azure-native:network:PrivateDnsZoneGroup": "privateDnsZoneGroupName",
    "azure-native:privatedns:PrivateZone": "privateZoneName",
    "azure-native:privatedns:VirtualNetworkLink": "virtualNetworkLinkName",
    "azure-native:dbforpostgresql:Server": "serverName",
    "azure-native:dbforpostgresql:Configuration": "configurationName",
    "azure-native:dbforpostgresql:Database": "databaseName",
    "azure-native:authorization:ManagementLockByScope": "lockName",
    "azure-native:redis:Redis": "name",
    "azure-native:keyvault:Vault": "vaultName",
    "azure-native:keyvault:Secret": "secretName",
    "azure-native:managedidentity:UserAssignedIdentity": "resourceName",
    "azure-native:web:AppServicePlan": "name",
    "azure-native:web:WebApp": "name",
    "azure-native:web:WebAppSlot": "slot",
    "azure-native:app:ManagedEnvironment": "environmentName",
    "azure-native:app:ContainerApp": "containerAppName",
    "azure-native:app:Job": "jobName",
    "azure-native:operationalinsights:Workspace": "workspaceName",
    "azure-native:applicationinsights:Component": "resourceName",
    "azure-native:monitor:ActionGroup": "actionGroupName",
    "azure-native:monitor:MetricAlert": "ruleName",
    "azure-native:monitor:AutoscaleSetting": "autoscaleSettingName",
    "azure-native:monitor:DiagnosticSetting": "name",
    "azure-native:cdn:Profile": "profileName",
    "azure-native:cdn:AFDEndpoint": "endpointName",
    "azure-native:cdn:AFDOriginGroup": "originGroupName",
    "azure-native:cdn:AFDOrigin": "originName",
    "azure-native:cdn:AFDCustomDomain": "customDomainName",
    "azure-native:cdn:Route": "routeName",
    "azure-native:cdn:SecurityPolicy": "securityPolicyName",
    "azure-native:frontdoor:Policy": "policyName",
    "azure-native:dns:RecordSet": "relativeRecordSetName",
    "azure-native:storage:StorageAccount": "accountName",
    "azure-native:storage:BlobContainer": "containerName",
    "azure-native:storage:BlobServiceProperties": "blobServicesName",
    "azure-native:storage:ManagementPolicy": "managementPolicyName",
    "azure-native:containerregistry:Registry": "registryName",
};

/** A GUID-shaped value that differs per resource. */
const guid = (text: string) => {
    const hex = stableHex(text, 32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

const COMPUTED: Record<string, Computed> = {
    "azure-native:containerregistry:Registry": (_name, inputs) => ({ loginServer: `${inputs.registryName}.azurecr.io` }),
    "azure-native:dbforpostgresql:Server": (name, inputs) => ({
        fullyQualifiedDomainName: `${inputs.serverName ?? name}.postgres.database.azure.com`,
        minorVersion: "4",
        state: "Ready",
        replicationRole: inputs.createMode === "Replica" ? "AsyncReplica" : "Primary",
    }),
    "azure-native:redis:Redis": (name, inputs) => ({
        hostName: `${inputs.name ?? name}.redis.cache.windows.net`,
        port: 6379,
        sslPort: 6380,
        provisioningState: "Succeeded",
    }),
    "azure-native:keyvault:Vault": (name, inputs) => ({
        properties: { ...inputs.properties, vaultUri: `https://${inputs.vaultName ?? name}.vault.azure.net/` },
    }),
    "azure-native:managedidentity:UserAssignedIdentity": (name) => ({
        principalId: guid(`${name}/principal`),
        clientId: guid(`${name}/client`),
        tenantId: MOCK_TENANT_ID,
    }),
    "azure-native:web:WebApp": (name, inputs) => ({
        defaultHostName: `${inputs.name ?? name}.azurewebsites.net`,
        customDomainVerificationId: stableHex(`${name}/verification`, 64).toUpperCase(),
        outboundIpAddresses: "20.50.2.10,20.50.2.11",
    }),
    "azure-native:web:WebAppSlot": (name, inputs) => ({ defaultHostName: `${inputs.name ?? name}-${inputs.slot}.azurewebsites.net` }),
    "azure-native:app:ManagedEnvironment": (name) => ({ defaultDomain: `${stableHex(name, 10)}.westeurope.azurecontainerapps.io`, staticIp: "10.50.1.100" }),
    "azure-native:operationalinsights:Workspace": (name) => ({ customerId: guid(`${name}/customer`) }),
    "azure-native:applicationinsights:Component": (name) => {
        const instrumentationKey = guid(`${name}/ikey`);
        return {
            instrumentationKey,
            appId: guid(`${name}/app`),
            connectionString: `InstrumentationKey=${instrumentationKey};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/`,
        };
    },
    "azure-native:cdn:Profile": (name) => ({ frontDoorId: guid(`${name}/front-door`) }),
    "azure-native:cdn:AFDEndpoint": (name, inputs) => ({ hostName: `${inputs.endpointName ?? name}-${stableHex(name, 16)}.z01.azurefd.net` }),
    "azure-native:cdn:AFDCustomDomain": (_name, inputs) => ({
        validationProperties: { validationToken: `_${stableHex(`${inputs.hostName}/token`, 32)}`, expirationDate: "2030-01-01T00:00:00Z" },
        domainValidationState: "Pending",
    }),
    "azure-native:network:PublicIPAddress": () => ({ ipAddress: "20.50.2.10" }),
    "azure-native:storage:StorageAccount": (name, inputs) => {
        const account = inputs.accountName ?? name;
        return {
            primaryEndpoints: { blob: `https://${account}.blob.core.windows.net/`, dfs: `https://${account}.dfs.core.windows.net/` },
            primaryLocation: inputs.location,
            provisioningState: "Succeeded",
        };
    },
};

/** Name, type and API version for every azure-native resource; the per-type table refines them. */
function genericState(type: string, name: string, inputs: State): State {
    const nameInput = NAME_INPUT[type];
    const [, module, resource] = type.split(":");
    return {
        name: (nameInput ? inputs[nameInput] : undefined) ?? name,
        type: `Microsoft.${module}/${resource}`,
        azureApiVersion: "mock",
    };
}

const INVOKES: Record<string, Invoke> = {
    "azure-native:authorization:getClientConfig": () => ({
        clientId: guid("deployer/client"),
        objectId: MOCK_DEPLOYER_OBJECT_ID,
        subscriptionId: MOCK_SUBSCRIPTION_ID,
        tenantId: MOCK_TENANT_ID,
    }),
    // Contains the mock secret marker, so a leak of the key anywhere shows up as one.
    "azure-native:redis:listRedisKeys": (inputs) => ({
        primaryKey: `${mockSecretValue(`${inputs.name}/primary`, 43)}=`,
        secondaryKey: `${mockSecretValue(`${inputs.name}/secondary`, 43)}=`,
    }),
    "azure-native:dns:getZone": (inputs) => ({
        id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${inputs.resourceGroupName}/providers/Microsoft.Network/dnszones/${inputs.zoneName}`,
        name: inputs.zoneName,
        location: "global",
        nameServers: ["ns1-01.azure-dns.com.", "ns2-01.azure-dns.net."],
        type: "Microsoft.Network/dnszones",
        azureApiVersion: "mock",
    }),
};

export const AZURE_MOCKS: CloudMocks = { computed: COMPUTED, invokes: INVOKES, generic: genericState };
