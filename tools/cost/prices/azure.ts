import type { PriceEntry } from "../model";

/**
 * Azure pay-as-you-go list prices in USD, no reservations or savings plans, free grants not
 * deducted. Regions: westeurope, the location of the shipped stacks.
 */
const READ = "2026-11-28";
const WEST_EUROPE = "westeurope";

export const AZURE_PRICES: PriceEntry[] = [
    {
        id: "azure.appservice.instance", types: ["azure-native:web:AppServicePlan"],
        dimension: "App Service Premium v3 (Linux), per instance-hour",
        regions: { [WEST_EUROPE]: { P0v3: 0.101, P1v3: 0.202, P1mv3: 0.244, P2v3: 0.404, P2mv3: 0.488, P3v3: 0.808 } },
        source: "https://azure.microsoft.com/en-us/pricing/details/app-service/linux/", read: READ, confirmed: false,
    },
    {
        id: "azure.containerapps.vcpu", types: ["azure-native:app:ContainerApp", "azure-native:app:Job"],
        dimension: "Container Apps consumption plan, per vCPU-second (active)", regions: { [WEST_EUROPE]: 0.000024 },
        source: "https://azure.microsoft.com/en-us/pricing/details/container-apps/", read: READ, confirmed: false,
    },
    {
        id: "azure.containerapps.memory", types: ["azure-native:app:ContainerApp", "azure-native:app:Job"],
        dimension: "Container Apps consumption plan, per GiB-second (active)", regions: { [WEST_EUROPE]: 0.000003 },
        source: "https://azure.microsoft.com/en-us/pricing/details/container-apps/", read: READ, confirmed: false,
    },
    {
        id: "azure.frontdoor.base", types: ["azure-native:cdn:Profile"],
        dimension: "Azure Front Door base fee, per profile per month (by tier)",
        regions: { [WEST_EUROPE]: { Standard_AzureFrontDoor: 35.0, Premium_AzureFrontDoor: 330.0 } },
        source: "https://azure.microsoft.com/en-us/pricing/details/frontdoor/", read: READ, confirmed: true,
        note: "a profile is global; the price does not depend on the stack's location",
    },
    {
        id: "azure.frontdoor.requests", types: ["azure-native:cdn:Profile"],
        dimension: "Azure Front Door requests, per 10,000 (zone 1)",
        regions: { [WEST_EUROPE]: { Standard_AzureFrontDoor: 0.009, Premium_AzureFrontDoor: 0.015 } },
        source: "https://azure.microsoft.com/en-us/pricing/details/frontdoor/", read: READ, confirmed: true,
        note: "Standard $0.009, Premium $0.015 per 10,000 requests (Europe and North America)",
    },
    {
        id: "azure.frontdoor.egress", types: ["azure-native:cdn:Profile"],
        dimension: "Azure Front Door data transfer from edge to client, per GB (zone 1, first 10 TB)",
        regions: { [WEST_EUROPE]: 0.083 },
        source: "https://azure.microsoft.com/en-us/pricing/details/frontdoor/", read: READ, confirmed: true,
    },
    {
        id: "azure.postgres.compute", types: ["azure-native:dbforpostgresql:Server"],
        dimension: "PostgreSQL Flexible Server compute, per server-hour (zone-redundant HA adds a standby at the same price)",
        regions: {
            [WEST_EUROPE]: {
                Standard_B1ms: 0.0208, Standard_B2s: 0.0832, Standard_B2ms: 0.166,
                Standard_D2ds_v5: 0.178, Standard_D4ds_v5: 0.356,
                Standard_E2ds_v5: 0.246, Standard_E4ds_v5: 0.492, Standard_E8ds_v5: 0.984,
            },
        },
        source: "https://azure.microsoft.com/en-us/pricing/details/postgresql/flexible-server/", read: READ, confirmed: false,
    },
    {
        id: "azure.postgres.storage", types: ["azure-native:dbforpostgresql:Server"],
        dimension: "PostgreSQL Flexible Server Premium SSD storage, per GB-month (HA doubles it)", regions: { [WEST_EUROPE]: 0.138 },
        source: "https://azure.microsoft.com/en-us/pricing/details/postgresql/flexible-server/", read: READ, confirmed: false,
    },
    {
        id: "azure.postgres.backup", types: ["azure-native:dbforpostgresql:Server"],
        dimension: "PostgreSQL Flexible Server backup storage beyond 100% of provisioned storage, per GB-month (LRS / GRS)",
        regions: { [WEST_EUROPE]: { Disabled: 0.10, Enabled: 0.20 } },
        source: "https://azure.microsoft.com/en-us/pricing/details/postgresql/flexible-server/", read: READ, confirmed: false,
    },
    {
        id: "azure.redis.instance", types: ["azure-native:redis:Redis"],
        dimension: "Azure Cache for Redis, per cache-hour (Standard and Premium include the replica)",
        regions: {
            [WEST_EUROPE]: {
                "Basic C0": 0.022, "Basic C1": 0.055, "Basic C2": 0.089, "Basic C3": 0.178, "Basic C4": 0.207, "Basic C5": 0.416,
                "Standard C1": 0.138, "Standard C2": 0.222, "Standard C3": 0.444, "Standard C4": 0.518, "Standard C5": 1.04,
                "Premium P1": 0.555, "Premium P2": 1.111, "Premium P3": 2.221,
            },
        },
        source: "https://azure.microsoft.com/en-us/pricing/details/cache/", read: READ, confirmed: false,
    },
    {
        id: "azure.keyvault.operations", types: ["azure-native:keyvault:Vault"],
        dimension: "Key Vault Standard, per 10,000 secret operations", regions: { [WEST_EUROPE]: 0.03 },
        source: "https://azure.microsoft.com/en-us/pricing/details/key-vault/", read: READ, confirmed: false,
    },
    {
        id: "azure.loganalytics.ingest", types: ["azure-native:operationalinsights:Workspace"],
        dimension: "Log Analytics Analytics Logs ingestion (pay-as-you-go), per GB; 31 days of retention included",
        regions: { [WEST_EUROPE]: 2.99 },
        source: "https://azure.microsoft.com/en-us/pricing/details/monitor/", read: READ, confirmed: false,
    },
    {
        id: "azure.loganalytics.retention", types: ["azure-native:operationalinsights:Workspace"],
        dimension: "Log Analytics interactive retention beyond 31 days, per GB-month", regions: { [WEST_EUROPE]: 0.13 },
        source: "https://azure.microsoft.com/en-us/pricing/details/monitor/", read: READ, confirmed: false,
    },
    {
        id: "azure.monitor.metricAlert", types: ["azure-native:monitor:MetricAlert"],
        dimension: "Azure Monitor metric alert rule, per monitored time series per month", regions: { [WEST_EUROPE]: 0.10 },
        source: "https://azure.microsoft.com/en-us/pricing/details/monitor/", read: READ, confirmed: false,
    },
    {
        id: "azure.nat.hour", types: ["azure-native:network:NatGateway"],
        dimension: "NAT Gateway, per gateway-hour", regions: { [WEST_EUROPE]: 0.045 },
        source: "https://azure.microsoft.com/en-us/pricing/details/azure-nat-gateway/", read: READ, confirmed: false,
    },
    {
        id: "azure.nat.gb", types: ["azure-native:network:NatGateway"],
        dimension: "NAT Gateway, per GB processed", regions: { [WEST_EUROPE]: 0.045 },
        source: "https://azure.microsoft.com/en-us/pricing/details/azure-nat-gateway/", read: READ, confirmed: false,
    },
    {
        id: "azure.publicIp.hour", types: ["azure-native:network:PublicIPAddress"],
        dimension: "Standard static public IPv4 address, per hour", regions: { [WEST_EUROPE]: 0.005 },
        source: "https://azure.microsoft.com/en-us/pricing/details/ip-addresses/", read: READ, confirmed: false,
    },
    {
        id: "azure.privateEndpoint.hour", types: ["azure-native:network:PrivateEndpoint"],
        dimension: "Private Endpoint, per endpoint-hour", regions: { [WEST_EUROPE]: 0.01 },
        source: "https://azure.microsoft.com/en-us/pricing/details/private-link/", read: READ, confirmed: false,
    },
    {
        id: "azure.privateDns.zone", types: ["azure-native:privatedns:PrivateZone"],
        dimension: "Azure Private DNS hosted zone, per zone per month (first 25 zones)", regions: { [WEST_EUROPE]: 0.50 },
        source: "https://azure.microsoft.com/en-us/pricing/details/dns/", read: READ, confirmed: false,
    },
    {
        id: "azure.acr.daily", types: ["azure-native:containerregistry:Registry"],
        dimension: "Azure Container Registry, per registry per day by tier (storage included: Basic 10 GB, Standard 100 GB, Premium 500 GB)",
        regions: { [WEST_EUROPE]: { Basic: 0.167, Standard: 0.667, Premium: 1.667 } },
        source: "https://azure.microsoft.com/en-us/pricing/details/container-registry/", read: READ, confirmed: false,
    },
];
