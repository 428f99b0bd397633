import * as pulumi from "@pulumi/pulumi";
import * as app from "@pulumi/azure-native/app";
import type * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import * as web from "@pulumi/azure-native/web";
import type { ContainerSpec } from "../../components/platform";
import { storageEnvList } from "../../components/storage";
import { migrationContainerCommand } from "../../components/dbroles";
import { workloadPlainEnv, workloadSecretEnv, type AliasSources, type WorkloadRole } from "../../components/secrets";
import { globalName, localName, type AzureContext } from "./context";
import type { Observability } from "./monitoring";
import type { Network } from "./network";
import type { Registry } from "./registry";
import { createMigrationStep, jobRunScript } from "./release";
import type { SecretStore } from "./secrets";
import type { Storage } from "./storage";

/**
 * Linux Premium v3 App Service sizes, cheapest first. Premium v3 because the API needs what
 * Basic/Standard lack or limit: zone redundancy, 30 instances, deployment slots; P0v3 costs
 * about what a Standard S1 does.
 */
export const APP_SERVICE_SKUS = [
    { name: "P0v3", vCpus: 1, memoryMb: 4096 },
    { name: "P1v3", vCpus: 2, memoryMb: 8192 },
    { name: "P1mv3", vCpus: 2, memoryMb: 16384 },
    { name: "P2v3", vCpus: 4, memoryMb: 16384 },
    { name: "P2mv3", vCpus: 4, memoryMb: 32768 },
    { name: "P3v3", vCpus: 8, memoryMb: 32768 },
] as const;

/** Most instances a Premium v3 plan runs. */
export const APP_SERVICE_MAX_INSTANCES = 30;
/** A zone-redundant plan keeps at least one instance per zone. */
export const ZONE_REDUNDANT_MIN_INSTANCES = 3;

/** The cheapest App Service size whose vCPUs and memory cover the API's cpu (millicores) and memoryMb. */
export function appServiceSku(cpu: number, memoryMb: number): string | undefined {
    return APP_SERVICE_SKUS.find((sku) => sku.vCpus * 1000 >= cpu && sku.memoryMb >= memoryMb)?.name;
}

/**
 * Container Apps consumption sizes: 0.25 to 4 vCPU in steps of 0.25, with 2 GiB of memory per
 * vCPU. The smallest size covering both cpu and memory, or undefined when none does.
 */
export function containerAppSize(cpu: number, memoryMb: number): { cpu: number; memoryGi: number } | undefined {
    const vCpus = Math.ceil(Math.max(cpu / 1000, memoryMb / 2048) * 4) / 4;
    return vCpus <= CONTAINER_APP_MAX_VCPUS ? { cpu: vCpus, memoryGi: vCpus * 2 } : undefined;
}
export const CONTAINER_APP_MAX_VCPUS = 4;

/**
 * OpenTelemetry's standard resource variables, read by the Azure Monitor OpenTelemetry distro the
 * app exports its metrics and traces with: Application Insights then tells the API from the
 * worker (cloud_RoleName) and the environment apart.
 */
export function telemetryIdentity(baseName: string, role: string, environment: string): { name: string; value: string }[] {
    return [
        { name: "OTEL_SERVICE_NAME", value: `${baseName}-${role}` },
        { name: "OTEL_RESOURCE_ATTRIBUTES", value: `deployment.environment=${environment}` },
    ];
}

/** The deployment slot production swaps with. */
export const STAGING_SLOT = "staging";

export interface Services {
    plan: web.AppServicePlan;
    api: web.WebApp;
    /** Production only: where a release is deployed and warmed before the swap. */
    stagingSlot?: web.WebAppSlot;
    environment: app.ManagedEnvironment;
    worker: app.ContainerApp;
    migrationJob: app.Job;
    /** Runs the new job template to completion; the API, its slot and the worker roll only after it. */
    migrationStep: pulumi.Resource;
    /** The shell command that runs the migrations once and fails when they fail. */
    migrationCommand: pulumi.Output<string>;
}

/**
 * The API on a Linux App Service plan (zone-redundant in production, with a staging slot for
 * blue/green swaps); the worker and the migrations job in a VNet-integrated Container Apps
 * environment with no ingress at all. Secrets reach every one of them as Key Vault references
 * resolved with the shared user-assigned identity, never as values.
 */
export function createServices(
    ctx: AzureContext, net: Network, store: SecretStore, observability: Observability, frontDoorId: pulumi.Output<string> | undefined,
    release: { registry: Registry; database: dbforpostgresql.Server }, storage: Storage | undefined,
    endpoints: Pick<AliasSources, "database" | "cache">,
): Services {
    const { args, production, location, resourceGroupName, parent } = ctx;
    const service = args.service;
    const plan = new web.AppServicePlan(`${ctx.name}-plan`, {
        name: localName(ctx, "plan", 60),
        resourceGroupName, location,
        kind: "linux",
        reserved: true,
        sku: { name: appServiceSku(service.cpu, service.memoryMb), tier: "PremiumV3", capacity: service.minInstances },
        zoneRedundant: production,
        tags: args.tags,
    }, { parent, ignoreChanges: ["sku.capacity"] }); // the autoscale setting owns the instance count once running

    const identity = { type: web.ManagedServiceIdentityType.UserAssigned, userAssignedIdentities: [store.identity.id] };
    // The blob endpoint and container, and which of the apps' identities DefaultAzureCredential picks.
    const storageEnv = storage ? [...storageEnvList(storage.location), { name: "AZURE_CLIENT_ID", value: store.identity.clientId }] : [];
    // Each role its own variables: the migrations job connects as the database owner, the API and worker as the runtime role.
    const plainEnv = (role: WorkloadRole) => Object.entries(workloadPlainEnv({ args, role, ...endpoints })).map(([name, value]) => ({ name, value }));
    const secretEnv = (role: WorkloadRole) => Object.entries(workloadSecretEnv(role, Object.keys(store.uris)));
    const keyVaultReferences = secretEnv("api").map(([name, key]) => ({ name, value: pulumi.interpolate`@Microsoft.KeyVault(SecretUri=${store.uris[key]})` }));
    const appSettings = [
        ...plainEnv("api"),
        { name: "WEBSITES_PORT", value: String(service.port) },
        // The container keeps no state on the shared /home mount.
        { name: "WEBSITES_ENABLE_APP_SERVICE_STORAGE", value: "false" },
        // A swap waits until the new release answers its health check.
        { name: "WEBSITE_SWAP_WARMUP_PING_PATH", value: service.healthCheckPath },
        { name: "WEBSITE_SWAP_WARMUP_PING_STATUSES", value: "200" },
        // Identifies the telemetry resource and grants no read access: not a secret (docs/azure.md).
        { name: "APPLICATIONINSIGHTS_CONNECTION_STRING", value: observability.insights.connectionString },
        ...storageEnv,
        ...telemetryIdentity(args.baseName, "api", args.environment),
        ...keyVaultReferences,
    ];
    const onlyFrontDoor = frontDoorId
        ? {
              ipSecurityRestrictions: [{
                  name: "front-door-only", priority: 100, action: "Allow", tag: "ServiceTag", ipAddress: "AzureFrontDoor.Backend",
                  headers: { "x-azure-fdid": [frontDoorId] },
                  description: "Requests through this stack's Front Door profile, so its WAF cannot be bypassed",
              }],
              ipSecurityRestrictionsDefaultAction: "Deny",
          }
        : { ipSecurityRestrictionsDefaultAction: "Allow" };
    const siteConfig = {
        linuxFxVersion: pulumi.interpolate`DOCKER|${service.image}`,
        // Pull from the stack's registry with the app's own identity (AcrPull), never a password.
        acrUseManagedIdentityCreds: true,
        acrUserManagedIdentityID: store.identity.clientId,
        ...(service.command.length > 0 ? { appCommandLine: service.command.join(" ") } : {}),
        appSettings,
        alwaysOn: true,
        http20Enabled: true,
        // FastAPI WebSocket routes (seeds 000/004) need App Service's WebSockets switch.
        webSocketsEnabled: true,
        minTlsVersion: "1.2",
        scmMinTlsVersion: "1.2",
        ftpsState: "Disabled",
        remoteDebuggingEnabled: false,
        healthCheckPath: service.healthCheckPath,
        vnetRouteAllEnabled: true,
        ...onlyFrontDoor,
        // Deployments go through ARM (the image reference), never through the SCM site.
        scmIpSecurityRestrictionsDefaultAction: "Deny",
        scmIpSecurityRestrictionsUseMain: false,
    };
    const site = {
        resourceGroupName, location,
        kind: "app,linux,container",
        serverFarmId: plan.id,
        httpsOnly: true,
        clientAffinityEnabled: false,
        publicNetworkAccess: "Enabled",
        virtualNetworkSubnetId: net.subnetIds.apps,
        identity,
        keyVaultReferenceIdentity: store.identity.id,
        siteConfig,
        tags: args.tags,
    };
    const environment = new app.ManagedEnvironment(`${ctx.name}-apps-env`, {
        environmentName: localName(ctx, "apps", 60),
        resourceGroupName, location,
        vnetConfiguration: { infrastructureSubnetId: net.subnetIds.jobs, internal: true },
        workloadProfiles: [{ name: "Consumption", workloadProfileType: "Consumption" }],
        zoneRedundant: production,
        // Console and system logs go to Log Analytics through a diagnostic setting (monitoring.ts),
        // so the workspace's shared key never has to be handed over.
        appLogsConfiguration: { destination: "azure-monitor" },
        tags: args.tags,
    }, { parent });

    const secretRef = (key: string) => key.toLowerCase().replace(/_/g, "-");
    // A Container App lists only the Key Vault secrets its own variables reference.
    const containerSecrets = (role: WorkloadRole) => [...new Set(secretEnv(role).map(([, key]) => key))]
        .map((key) => ({ name: secretRef(key), keyVaultUrl: store.uris[key], identity: store.identity.id }));
    const containerEnv = (role: WorkloadRole) => [
        ...plainEnv(role),
        { name: "APPLICATIONINSIGHTS_CONNECTION_STRING", value: observability.insights.connectionString },
        ...storageEnv,
        ...telemetryIdentity(args.baseName, role, args.environment),
        ...secretEnv(role).map(([envName, key]) => ({ name: envName, secretRef: secretRef(key) })),
    ];
    // Container Apps follows Kubernetes: `args` replaces the image's CMD and keeps its ENTRYPOINT,
    // as ECS's `command` does on AWS.
    const container = (role: WorkloadRole, spec: Pick<ContainerSpec, "image" | "command" | "cpu" | "memoryMb">) => {
        const size = containerAppSize(spec.cpu, spec.memoryMb)!; // validate.ts rejects sizes Container Apps lacks
        return {
            name: role,
            image: spec.image,
            ...(spec.command.length > 0 ? { args: spec.command } : {}),
            env: containerEnv(role),
            resources: { cpu: size.cpu, memory: `${size.memoryGi}Gi` },
        };
    };
    const containerIdentity = { type: "UserAssigned", userAssignedIdentities: [store.identity.id] };
    // Images come from the stack's registry, pulled with the same identity (AcrPull).
    const registries = [{ server: release.registry.loginServer, identity: store.identity.id }];

    const migrationJob = new app.Job(`${ctx.name}-migrations`, {
        jobName: localName(ctx, "migrations", 32),
        resourceGroupName, location,
        environmentId: environment.id,
        workloadProfileName: "Consumption",
        identity: containerIdentity,
        configuration: {
            triggerType: "Manual",
            manualTriggerConfig: { parallelism: 1, replicaCompletionCount: 1 },
            replicaTimeout: 1800,
            // A failed migration is looked at, not blindly run again.
            replicaRetryLimit: 0,
            secrets: containerSecrets("migrations"),
            registries,
        },
        template: { containers: [container("migrations", { ...args.worker, image: service.image, command: migrationContainerCommand(args.migrationCommand) })] },
        tags: args.tags,
    }, { parent, dependsOn: [store.readAccess, release.registry.pullAccess] });

    // The new job template runs to completion before the API, its slot and the worker roll (release.ts).
    const migrationStep = createMigrationStep(ctx, store.subscriptionId, migrationJob, release.database);
    const rollAfter = [store.readAccess, release.registry.pullAccess, migrationStep];

    const worker = new app.ContainerApp(`${ctx.name}-worker`, {
        containerAppName: localName(ctx, "worker", 32),
        resourceGroupName, location,
        managedEnvironmentId: environment.id,
        workloadProfileName: "Consumption",
        identity: containerIdentity,
        // No `ingress`: nothing can reach the worker, not even from inside the VNet.
        configuration: { activeRevisionsMode: "Single", secrets: containerSecrets("worker"), registries },
        template: {
            containers: [container("worker", args.worker)],
            scale: {
                minReplicas: args.worker.minInstances,
                maxReplicas: args.worker.maxInstances,
                rules: [
                    { name: "cpu", custom: { type: "cpu", metadata: { type: "Utilization", value: String(args.scaling.cpuTargetPercent) } } },
                    { name: "memory", custom: { type: "memory", metadata: { type: "Utilization", value: String(args.scaling.memoryTargetPercent) } } },
                ],
            },
            terminationGracePeriodSeconds: service.terminationGraceSeconds,
        },
        tags: args.tags,
    }, { parent, dependsOn: rollAfter });

    const api = new web.WebApp(`${ctx.name}-api`, { name: globalName(ctx, "api", 60), ...site }, {
        parent,
        dependsOn: rollAfter,
        // With a staging slot, releases reach production by swapping; `pulumi up` then updates the
        // slot's image only (docs/azure.md, "releasing").
        ignoreChanges: production ? ["siteConfig.linuxFxVersion"] : [],
    });
    new web.WebAppFtpAllowed(`${ctx.name}-api-no-ftp`, { name: api.name, resourceGroupName, allow: false }, { parent });
    new web.WebAppScmAllowed(`${ctx.name}-api-no-scm-basic-auth`, { name: api.name, resourceGroupName, allow: false }, { parent });

    let stagingSlot: web.WebAppSlot | undefined;
    if (production) {
        stagingSlot = new web.WebAppSlot(`${ctx.name}-api-staging-slot`, { name: api.name, slot: STAGING_SLOT, ...site }, { parent, dependsOn: rollAfter });
        new web.WebAppFtpAllowedSlot(`${ctx.name}-api-slot-no-ftp`, { name: api.name, slot: STAGING_SLOT, resourceGroupName, allow: false }, { parent, dependsOn: [stagingSlot] });
        new web.WebAppScmAllowedSlot(`${ctx.name}-api-slot-no-scm-basic-auth`, { name: api.name, slot: STAGING_SLOT, resourceGroupName, allow: false }, { parent, dependsOn: [stagingSlot] });
    }

    return {
        plan, api, stagingSlot, environment, worker, migrationJob, migrationStep,
        migrationCommand: pulumi.all([store.subscriptionId, resourceGroupName, migrationJob.name]).apply(([subscription, group, job]) => jobRunScript(subscription, group, job)),
    };
}
