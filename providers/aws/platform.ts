import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PlatformComponent, type PlatformArgs } from "../../components/platform";
import { createAppSecrets, databaseSecrets, generateSecret, redisUrl } from "../../components/secrets";
import { createCache } from "./cache";
import { createDatabase } from "./database";
import { createEdge } from "./edge";
import { createMonitoring } from "./monitoring";
import { createNetwork } from "./network";
import { createRegistry } from "./registry";
import { withReleaseImage } from "../../components/release";
import { createDashboard, createMetricsWorkspace, logsTailCommand } from "./observability";
import { createScaling } from "./scaling";
import { createSecretStore } from "./secrets";
import { createServices } from "./service";
import { createStorage } from "./storage";

/**
 * The FastAPI platform on AWS: VPC, ALB + WAF, ECS Fargate (API, worker, migrations), RDS
 * PostgreSQL, ElastiCache Redis, Secrets Manager, autoscaling and CloudWatch alarms. The
 * underlying resources are public fields, as escape hatches; Pulumi `transforms` passed in `opts`
 * reach every child.
 */
export class AwsPlatform extends PlatformComponent {

    readonly vpc: aws.ec2.Vpc;
    readonly loadBalancer: aws.lb.LoadBalancer;
    readonly ecsCluster: aws.ecs.Cluster;
    readonly apiService: aws.ecs.Service;
    readonly workerService: aws.ecs.Service;
    readonly migrationTaskDefinition: aws.ecs.TaskDefinition;
    readonly dbInstance: aws.rds.Instance;
    readonly cacheReplicationGroup: aws.elasticache.ReplicationGroup;
    readonly alertTopic: aws.sns.Topic;
    readonly appBucket: aws.s3.Bucket;
    readonly appBucketReplica?: aws.s3.Bucket;
    readonly dbBackupReplication?: aws.rds.InstanceAutomatedBackupsReplication;

    readonly imageRepository: aws.ecr.Repository;
    readonly metricsWorkspace: aws.amp.Workspace;
    readonly dashboard: aws.cloudwatch.Dashboard;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("fastapi-platform:aws:Platform", name, {}, opts);
        const registry = createRegistry(name, args, this);
        // Built from source: the services run the digest the build pushed to this stack's ECR.
        args = withReleaseImage(name, args, registry.url, this, [registry.repository]);
        const generated = createAppSecrets(name, args, this);
        const network = createNetwork(name, args, this);
        const cacheAuthToken = generateSecret(name, "cache-auth", 48, this);
        const database = createDatabase(name, args, network, generated.dbPassword, generated.dbRuntimePassword, this);
        const cache = createCache(name, args, network, cacheAuthToken, this);

        const db = args.database;
        const store = createSecretStore(name, args, {
            ...databaseSecrets(args, generated, {
                host: database.host, port: database.port,
                ...(database.readReplica ? { readHost: database.readReplica.address, readPort: database.readReplica.port } : {}),
            }),
            REDIS_URL: redisUrl({ authToken: cacheAuthToken, host: cache.host, port: cache.port }),
            ...generated.appEnv,
        }, this);

        const edge = createEdge(name, args, network, this);
        const storage = createStorage(name, args, this);
        const metrics = createMetricsWorkspace(name, args, this);
        const endpoints = { database: { host: database.host, port: database.port }, cache: { host: cache.host, port: cache.port } };
        const services = createServices(name, args, network, edge, store.arns, { repository: registry.repository, database: database.instance }, this, storage, metrics, endpoints);
        createScaling(name, args, services, this);
        const monitoring = createMonitoring(name, args, edge, services, database, cache, this);
        const dashboard = createDashboard(name, args, edge, services, database, cache, this);

        this.publish({
            url: edge.url,
            database: {
                host: database.host,
                port: database.port,
                name: pulumi.output(db.name),
                ...(database.readReplica ? { readReplicaHost: database.readReplica.address } : {}),
            },
            cache: { host: cache.host, port: cache.port },
            secretIds: pulumi.all(store.arns),
            migrationCommand: services.migrationCommand,
            alertTarget: monitoring.topic.arn,
            storage: { bucket: storage.bucket.bucket, endpoint: pulumi.output(storage.location.endpoint) },
            dashboardUrl: dashboard.url,
            logsCommand: logsTailCommand(services.logGroups.api),
        });

        this.vpc = network.vpc;
        this.loadBalancer = edge.loadBalancer;
        this.ecsCluster = services.cluster;
        this.apiService = services.apiService;
        this.workerService = services.workerService;
        this.migrationTaskDefinition = services.migrationTaskDefinition;
        this.dbInstance = database.instance;
        this.cacheReplicationGroup = cache.replicationGroup;
        this.alertTopic = monitoring.topic;
        this.appBucket = storage.bucket;
        this.appBucketReplica = storage.replica;
        this.dbBackupReplication = database.backupReplication;
        this.imageRepository = registry.repository;
        this.metricsWorkspace = metrics.workspace;
        this.dashboard = dashboard.dashboard;
    }
}
