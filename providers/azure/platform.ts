import * as pulumi from "@pulumi/pulumi";
import type * as app from "@pulumi/azure-native/app";
import type * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import type * as keyvault from "@pulumi/azure-native/keyvault";
import type * as monitor from "@pulumi/azure-native/monitor";
import type * as network from "@pulumi/azure-native/network";
import type * as portal from "@pulumi/azure-native/portal";
import type * as redis from "@pulumi/azure-native/redis";
import type * as resources from "@pulumi/azure-native/resources";
import type * as storageTypes from "@pulumi/azure-native/storage";
import type * as web from "@pulumi/azure-native/web";
import { PlatformComponent, type PlatformArgs } from "../../components/platform";
import { createAppSecrets, databaseSecrets, redisUrl } from "../../components/secrets";
import { withoutApiVersionAliases } from "./aliases";
import { createCache } from "./cache";
import { createContext } from "./context";
import { POSTGRES_PORT, createDatabase } from "./database";
import { createDashboard, logsTailCommand } from "./dashboard";
import { createEdge, createFrontDoorProfile } from "./edge";
import { createMonitoring, createObservability } from "./monitoring";
import { createNetwork } from "./network";
import { createScaling } from "./scaling";
import { createRegistry } from "./registry";
import { createSecretStore } from "./secrets";
import { withReleaseImage } from "../../components/release";
import type * as containerregistry from "@pulumi/azure-native/containerregistry";
import { createServices } from "./service";
import { APP_CONTAINER, createStorage } from "./storage";
import { azureLocation, azureNotices } from "./validate";

/**
 * The FastAPI platform on Azure: a resource group with a VNet, PostgreSQL Flexible Server,
 * Azure Cache for Redis, Key Vault, the API on App Service (Front Door and its WAF in front), the
 * worker and the migrations job on Container Apps, autoscaling, Log Analytics, Application
 * Insights and metric alerts. The underlying resources are public fields, as escape hatches;
 * Pulumi `transforms` and `transformations` passed in `opts` reach every child.
 */
export class AzurePlatform extends PlatformComponent {

    readonly resourceGroup: resources.ResourceGroup;
    readonly vnet: network.VirtualNetwork;
    readonly flexibleServer: dbforpostgresql.Server;
    readonly redisCache: redis.Redis;
    readonly keyVault: keyvault.Vault;
    readonly appServicePlan: web.AppServicePlan;
    readonly apiApp: web.WebApp;
    readonly workerApp: app.ContainerApp;
    readonly migrationJob: app.Job;
    readonly actionGroup: monitor.ActionGroup;
    readonly storageAccount: storageTypes.StorageAccount;
    readonly containerRegistry: containerregistry.Registry;
    readonly dashboard: portal.Dashboard;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fastapi-platform:azure:Platform", name, {}, {
            ...opts,
            transformations: [...(opts?.transformations ?? []), withoutApiVersionAliases],
        });
        for (const notice of azureNotices(args, pulumi.getProject())) pulumi.log.warn(notice, this);

        const ctx = createContext(name, args, azureLocation()!, this);
        // The cache needs no generated credential: Azure Cache for Redis issues its own access keys.
        const generated = createAppSecrets(name, args, this);
        const net = createNetwork(ctx);
        const observability = createObservability(ctx);
        const database = createDatabase(ctx, net, generated.dbPassword);
        const cache = createCache(ctx, net);

        const db = args.database;
        const store = createSecretStore(ctx, {
            ...databaseSecrets(args, generated, {
                host: database.host, port: database.port, ownerPort: POSTGRES_PORT,
                ...(database.replicaHost ? { readHost: database.replicaHost } : {}),
            }),
            REDIS_URL: redisUrl({ authToken: cache.accessKey, host: cache.host, port: cache.port }),
            ...generated.appEnv,
        });

        const registry = createRegistry(ctx, store);
        // Built from source: the apps run the digest the build pushed to this stack's registry.
        ctx.args = args = withReleaseImage(name, args, pulumi.interpolate`${registry.loginServer}/${args.baseName}`, this, [registry.registry]);
        const storage = createStorage(ctx, store);
        const frontDoor = createFrontDoorProfile(ctx);
        const endpoints = { database: { host: database.host, port: database.port }, cache: { host: cache.host, port: cache.port } };
        const services = createServices(ctx, net, store, observability, frontDoor?.frontDoorId, { registry, database: database.server }, storage, endpoints);
        const edge = createEdge(ctx, services, frontDoor);
        const autoscale = createScaling(ctx, services);
        createMonitoring(ctx, observability, services, database, cache, store, edge);
        const dashboard = createDashboard(ctx, services, autoscale, database, cache);

        this.publish({
            url: edge.url,
            database: {
                host: database.host,
                port: database.port,
                name: pulumi.output(db.name),
                ...(database.replicaHost ? { readReplicaHost: database.replicaHost } : {}),
            },
            cache: { host: cache.host, port: cache.port },
            secretIds: pulumi.all(store.uris),
            migrationCommand: services.migrationCommand,
            alertTarget: observability.actionGroup.id,
            storage: { bucket: pulumi.output(APP_CONTAINER), endpoint: pulumi.output(storage.location.endpoint) },
            dashboardUrl: dashboard.url,
            logsCommand: logsTailCommand(store.subscriptionId, ctx.resourceGroupName, services.api.name),
        });

        this.resourceGroup = ctx.resourceGroup;
        this.vnet = net.vnet;
        this.flexibleServer = database.server;
        this.redisCache = cache.redis;
        this.keyVault = store.vault;
        this.appServicePlan = services.plan;
        this.apiApp = services.api;
        this.workerApp = services.worker;
        this.migrationJob = services.migrationJob;
        this.actionGroup = observability.actionGroup;
        this.storageAccount = storage.account;
        this.containerRegistry = registry.registry;
        this.dashboard = dashboard.dashboard;
    }
}
