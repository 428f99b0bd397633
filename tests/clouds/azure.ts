import type { RecordedResource, RunResult } from "../../tools/harness";
import { ofType, only } from "../support";
import { kebab, unkebab, type CloudFixture } from "./types";

export const AZURE_FIXTURE: CloudFixture = {
    sdk: "@pulumi/azure-native",
    secretHolders: {
        "azure-native:keyvault:Secret": ["properties"],
        "azure-native:dbforpostgresql:Server": ["administratorLoginPassword"],
    },
    storedValues: (r) => ofType(r, "azure-native:keyvault:Secret").map((s) => s.plainInputs.properties.value as string),
    storedSecret: (r, key) => {
        const secret = ofType(r, "azure-native:keyvault:Secret").find((s) => s.plainInputs.secretName === kebab(key));
        if (!secret) throw new Error(`no Key Vault secret for ${key}`);
        return secret.plainInputs.properties.value;
    },
    migrationCommand: (r) => azureContainer(r, "migrations").args,
    workloadEnv: (r, role) => {
        if (role === "api") {
            // App Service: `@Microsoft.KeyVault(SecretUri=<vault>secrets/<kebab key>)` settings.
            const settings = appSettings(only(r, Z.webApp));
            const reference = /^@Microsoft\.KeyVault\(SecretUri=.*\/secrets\/([a-z0-9-]+)\)$/;
            return {
                plain: Object.fromEntries(Object.entries(settings).filter(([, v]) => !reference.test(v))),
                secrets: Object.fromEntries(Object.entries(settings).filter(([, v]) => reference.test(v)).map(([k, v]) => [k, unkebab(reference.exec(v)![1])])),
            };
        }
        // Container Apps: env secretRef -> a configuration secret named after the store entry.
        const env = containerEnv(azureContainer(r, role));
        return { plain: env.plain, secrets: Object.fromEntries(Object.entries(env.secretRefs).map(([k, ref]) => [k, unkebab(ref)])) };
    },
};

/** The shipped stack files with only `cloud` changed. */
export const onAzure = { overrides: { cloud: "azure" } };

/** Resource types providers/azure registers. */
export const Z = {
    platform: "fastapi-platform:azure:Platform",
    resourceGroup: "azure-native:resources:ResourceGroup",
    vnet: "azure-native:network:VirtualNetwork",
    nsg: "azure-native:network:NetworkSecurityGroup",
    nat: "azure-native:network:NatGateway",
    privateEndpoint: "azure-native:network:PrivateEndpoint",
    privateDnsZoneGroup: "azure-native:network:PrivateDnsZoneGroup",
    privateZone: "azure-native:privatedns:PrivateZone",
    zoneLink: "azure-native:privatedns:VirtualNetworkLink",
    server: "azure-native:dbforpostgresql:Server",
    configuration: "azure-native:dbforpostgresql:Configuration",
    database: "azure-native:dbforpostgresql:Database",
    lock: "azure-native:authorization:ManagementLockByScope",
    roleAssignment: "azure-native:authorization:RoleAssignment",
    redis: "azure-native:redis:Redis",
    vault: "azure-native:keyvault:Vault",
    secret: "azure-native:keyvault:Secret",
    identity: "azure-native:managedidentity:UserAssignedIdentity",
    plan: "azure-native:web:AppServicePlan",
    webApp: "azure-native:web:WebApp",
    slot: "azure-native:web:WebAppSlot",
    ftpAllowed: "azure-native:web:WebAppFtpAllowed",
    scmAllowed: "azure-native:web:WebAppScmAllowed",
    environment: "azure-native:app:ManagedEnvironment",
    containerApp: "azure-native:app:ContainerApp",
    job: "azure-native:app:Job",
    workspace: "azure-native:operationalinsights:Workspace",
    insights: "azure-native:applicationinsights:Component",
    actionGroup: "azure-native:monitor:ActionGroup",
    alert: "azure-native:monitor:MetricAlert",
    autoscale: "azure-native:monitor:AutoscaleSetting",
    diagnostics: "azure-native:monitor:DiagnosticSetting",
    frontDoor: "azure-native:cdn:Profile",
    endpoint: "azure-native:cdn:AFDEndpoint",
    originGroup: "azure-native:cdn:AFDOriginGroup",
    origin: "azure-native:cdn:AFDOrigin",
    customDomain: "azure-native:cdn:AFDCustomDomain",
    route: "azure-native:cdn:Route",
    securityPolicy: "azure-native:cdn:SecurityPolicy",
    waf: "azure-native:frontdoor:Policy",
    recordSet: "azure-native:dns:RecordSet",
} as const;

/** The PostgreSQL primary (not the replica). */
export const primaryServer = (r: RunResult): RecordedResource => ofType(r, Z.server).find((s) => s.plainInputs.createMode !== "Replica")!;

/** Server parameters of a server (by its resource), name -> value. */
export function serverParameters(r: RunResult, server: RecordedResource): Record<string, string> {
    return Object.fromEntries(ofType(r, Z.configuration)
        .filter((c) => c.plainInputs.serverName === server.state.name)
        .map((c) => [c.plainInputs.configurationName, c.plainInputs.value]));
}

/** The API web app's app settings, name -> value. */
export function appSettings(site: RecordedResource): Record<string, string> {
    return Object.fromEntries((site.plainInputs.siteConfig.appSettings as { name: string; value: string }[]).map((s) => [s.name, s.value]));
}

/** The single container of the worker (ContainerApp) or the migrations job. */
export function azureContainer(r: RunResult, role: "worker" | "migrations"): Record<string, any> {
    const resource = role === "worker" ? only(r, Z.containerApp) : only(r, Z.job);
    return resource.plainInputs.template.containers[0];
}

/** A container's plain env (name -> value) and its secret references (name -> secretRef). */
export function containerEnv(container: Record<string, any>): { plain: Record<string, string>; secretRefs: Record<string, string> } {
    const env = container.env as { name: string; value?: string; secretRef?: string }[];
    return {
        plain: Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value!])),
        secretRefs: Object.fromEntries(env.filter((e) => e.secretRef !== undefined).map((e) => [e.name, e.secretRef!])),
    };
}

/** The Key Vault secret holding an env var (its secret name is the env var in kebab case). */
export function vaultSecret(r: RunResult, envName: string): RecordedResource {
    return ofType(r, Z.secret).find((s) => s.plainInputs.secretName === envName.toLowerCase().replace(/_/g, "-"))!;
}

/** The plain value stored in Key Vault for an env var. */
export const vaultValue = (r: RunResult, envName: string): string => vaultSecret(r, envName).plainInputs.properties.value;

/** The versionless URI of an env var's secret: what app settings and container secrets reference. */
export function secretUri(r: RunResult, envName: string): string {
    return `${only(r, Z.vault).state.properties.vaultUri}secrets/${vaultSecret(r, envName).state.name}`;
}
