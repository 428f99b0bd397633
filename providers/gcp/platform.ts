import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import * as random from "@pulumi/random";
import { PlatformComponent, type PlatformArgs } from "../../components/platform";
import { createAppSecrets, databaseSecrets, redisUrl } from "../../components/secrets";
import { REDIS_CA_PATH, REDIS_CA_SECRET, createCache } from "./cache";
import { createDatabase } from "./database";
import { createEdge } from "./edge";
import { createLogRetention } from "./logging";
import { createMonitoring } from "./monitoring";
import { createNetwork } from "./network";
import { RUN_MONITORING_SECRET, createDashboard, grantMetricWriter, logsTailCommand, runMonitoringConfig } from "./observability";
import { createProject } from "./project";
import { createRegistry } from "./registry";
import { createSecretStore } from "./secrets";
import { withReleaseImage } from "../../components/release";
import { createServiceAccount, createServices } from "./service";
import { createStorage } from "./storage";

/**
 * The FastAPI platform on Google Cloud: VPC with private service access, Cloud Run (API, worker,
 * migrations job), Cloud SQL for PostgreSQL, Memorystore for Redis, Secret Manager, an external
 * HTTPS load balancer with Cloud Armor for the domain, log retention and Cloud Monitoring alerts.
 * The underlying resources are public fields, as escape hatches; Pulumi `transforms` passed in
 * `opts` reach every child.
 */
export class GcpPlatform extends PlatformComponent {

    readonly vpc: gcp.compute.Network;
    readonly apiService: gcp.cloudrunv2.Service;
    readonly workerService: gcp.cloudrunv2.Service;
    readonly migrationJob: gcp.cloudrunv2.Job;
    readonly serviceAccount: gcp.serviceaccount.Account;
    readonly sqlInstance: gcp.sql.DatabaseInstance;
    readonly redisInstance: gcp.redis.Instance;
    /** The load balancer's public address (point the domain here when its DNS is not in Cloud DNS). */
    readonly loadBalancerAddress?: pulumi.Output<string>;
    readonly securityPolicy?: gcp.compute.SecurityPolicy;
    readonly notificationChannel?: gcp.monitoring.NotificationChannel;
    readonly appBucket: gcp.storage.Bucket;
    readonly imageRepository: gcp.artifactregistry.Repository;
    readonly dashboard: gcp.monitoring.Dashboard;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fastapi-platform:gcp:Platform", name, {}, opts);
        const project = createProject(name, this);
        const registry = createRegistry(name, args, project, this);
        // Built from source: the services run the digest the build pushed to this stack's repository.
        args = withReleaseImage(name, args, registry.url, this, [registry.repository]);
        // Cloud SQL instance names and log bucket ids stay reserved for a week after deletion.
        const uniqueSuffix = new random.RandomId(`${name}-name-suffix`, { byteLength: 3 }, { parent: this }).hex;
        // Memorystore generates its own AUTH string, so the generated cacheAuthToken is not used here.
        const generated = createAppSecrets(name, args, this);
        const network = createNetwork(name, args, project, this);
        const database = createDatabase(name, args, project, network, uniqueSuffix, generated.dbPassword, this);
        const cache = createCache(name, args, project, network, this);
        const serviceAccount = createServiceAccount(name, args, project, this);

        const db = args.database;
        const envSecrets = {
            ...databaseSecrets(args, generated, {
                host: database.host, port: database.port,
                ...(database.readReplica ? { readHost: database.readReplica.privateIpAddress } : {}),
            }),
            REDIS_URL: redisUrl({ authToken: cache.authString, host: cache.host, port: cache.port, caFile: REDIS_CA_PATH }),
            ...generated.appEnv,
        };
        const store = createSecretStore(name, args, project, {
            ...envSecrets, [REDIS_CA_SECRET]: cache.serverCa, [RUN_MONITORING_SECRET]: pulumi.output(runMonitoringConfig(args)),
        }, serviceAccount.member, this);
        const envRefs = Object.fromEntries(Object.keys(envSecrets).map((envName) => [envName, store.refs[envName]]));
        const storage = createStorage(name, args, project, uniqueSuffix, serviceAccount.member, this);
        const services = createServices(name, args, project, network, serviceAccount, {
            env: envRefs, redisCa: store.refs[REDIS_CA_SECRET], runMonitoring: store.refs[RUN_MONITORING_SECRET],
            grants: [...store.grants, grantMetricWriter(name, project, serviceAccount, this)],
        }, database.instance, [registry.pullAccess], this, storage.location,
        { database: { host: database.host, port: database.port }, cache: { host: cache.host, port: cache.port } });

        const edge = args.domain ? createEdge(name, args, args.domain, project, services.apiService, this) : undefined;
        createLogRetention(name, args, project, services, uniqueSuffix, this);
        const monitoring = createMonitoring(name, args, project, services, database, cache, edge, this);
        const dashboard = createDashboard(name, args, project, services, database, cache, this);

        // Without a domain (staging only), the API answers on its run.app address.
        this.publish({
            url: edge ? edge.url : services.apiService.uri,
            database: {
                host: database.host,
                port: database.port,
                name: pulumi.output(db.name),
                ...(database.readReplica ? { readReplicaHost: database.readReplica.privateIpAddress } : {}),
            },
            cache: { host: cache.host, port: cache.port },
            secretIds: pulumi.all(Object.fromEntries(Object.keys(envSecrets).map((envName) => [envName, store.secrets[envName].id]))),
            migrationCommand: services.migrationCommand,
            alertTarget: monitoring.channel ? monitoring.channel.name : pulumi.output(""),
            storage: { bucket: storage.bucket.name, endpoint: pulumi.output(storage.location.endpoint) },
            dashboardUrl: dashboard.url,
            logsCommand: logsTailCommand(project, services.apiService),
        });

        this.vpc = network.vpc;
        this.apiService = services.apiService;
        this.workerService = services.workerService;
        this.migrationJob = services.migrationJob;
        this.serviceAccount = serviceAccount;
        this.sqlInstance = database.instance;
        this.redisInstance = cache.instance;
        this.loadBalancerAddress = edge?.address.address;
        this.securityPolicy = edge?.securityPolicy;
        this.notificationChannel = monitoring.channel;
        this.appBucket = storage.bucket;
        this.imageRepository = registry.repository;
        this.dashboard = dashboard.dashboard;
    }
}
