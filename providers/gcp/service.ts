import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { shortName } from "../../components/naming";
import type { ContainerSpec, PlatformArgs } from "../../components/platform";
import { storageEnvList, type StorageLocation } from "../../components/storage";
import { migrationContainerCommand } from "../../components/dbroles";
import { workloadPlainEnv, workloadSecretEnv, type AliasSources, type WorkloadRole } from "../../components/secrets";
import { REDIS_CA_DIRECTORY, REDIS_CA_FILE } from "./cache";
import { gcpLabels } from "./labels";
import type { Network } from "./network";
import { collectorContainer, runMonitoringVolume } from "./observability";
import type { GcpProject } from "./project";
import { createMigrationStep, executeJobCommand } from "./release";
import type { SecretRef } from "./secrets";

/** Environment variables Cloud Run sets itself and refuses in a revision (PORT is the container port). */
export const CLOUD_RUN_RESERVED_ENV = [
    "PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION",
    "CLOUD_RUN_JOB", "CLOUD_RUN_EXECUTION", "CLOUD_RUN_TASK_INDEX", "CLOUD_RUN_TASK_ATTEMPT", "CLOUD_RUN_TASK_COUNT",
];

/**
 * vCPU for the neutral millicore sizes. Cloud Run runs below 1 vCPU only with one request at a
 * time and no CPU outside requests, which suits neither an async API nor a worker, so 250 and 500
 * millicores run on 1 vCPU.
 */
export function cloudRunVcpu(millicores: number): number {
    return Math.max(1, millicores / 1000);
}

/** Memory (MiB) Cloud Run accepts with each vCPU count (second-generation environment: 512 MiB at least). */
export const CLOUD_RUN_MEMORY_MIB: Record<number, { min: number; max: number }> = {
    1: { min: 512, max: 4096 },
    2: { min: 512, max: 8192 },
    4: { min: 2048, max: 16384 },
};

/** Service and job names leave room for the revision and execution suffixes within Cloud Run's 63 characters. */
const MAX_NAME_LENGTH = 49;

/** Cloud Run's request concurrency per instance (its default, stated so the autoscaling reads clearly). */
export const REQUEST_CONCURRENCY = 80;

export interface Services {
    serviceAccount: gcp.serviceaccount.Account;
    apiService: gcp.cloudrunv2.Service;
    workerService: gcp.cloudrunv2.Service;
    migrationJob: gcp.cloudrunv2.Job;
    /** Runs the new job revision to completion; both services roll only after it. */
    migrationStep: pulumi.Resource;
    /** The shell command that runs the migrations once and fails when they fail. */
    migrationCommand: pulumi.Output<string>;
}

export interface ServiceSecrets {
    /** Env var name -> pinned secret version. */
    env: Record<string, SecretRef>;
    /** The Memorystore CA, mounted as a file. */
    redisCa: SecretRef;
    /** The metrics sidecar's RunMonitoring document, mounted as its config file. */
    runMonitoring: SecretRef;
    /** Secret grants the revisions need before Cloud Run accepts them. */
    grants: pulumi.Resource[];
}

/** The identity of the API, worker and migrations: no project roles, only read access to this stack's secrets. */
export function createServiceAccount(name: string, args: PlatformArgs, project: GcpProject, parent: pulumi.Resource): gcp.serviceaccount.Account {
    return new gcp.serviceaccount.Account(`${name}-run`, {
        accountId: shortName(args.baseName, "run", 30),
        displayName: `${args.baseName} Cloud Run`,
        description: "Runtime identity of the API, worker and migrations; reads this stack's secrets only",
    }, { parent, dependsOn: [project.apis.iam] });
}

/**
 * Cloud Run v2: the API (startup, liveness and readiness probes, public invoker; behind the load
 * balancer only, when there is one), a worker with internal-only ingress and CPU always allocated,
 * and a Cloud Run job for migrations. All three egress into the VPC directly, so Cloud SQL and
 * Memorystore are reached on private addresses, and receive secrets by reference only.
 */
export function createServices(
    name: string, args: PlatformArgs, project: GcpProject, network: Network, serviceAccount: gcp.serviceaccount.Account,
    secrets: ServiceSecrets, database: gcp.sql.DatabaseInstance, pullAccess: pulumi.Resource[], parent: pulumi.Resource, storage: StorageLocation | undefined,
    endpoints: Pick<AliasSources, "database" | "cache">,
): Services {
    const production = args.environment === "production";
    const labels = gcpLabels(args.tags);
    const opts = { parent, dependsOn: [project.apis.run, ...secrets.grants, ...pullAccess] };
    const service = args.service;
    const worker = args.worker;
    const cpuUtilization = args.scaling.cpuTargetPercent / 100;

    // Each role its own variables: the migrations job connects as the database owner, the API and worker as the runtime role.
    const envs = (role: WorkloadRole) => [
        ...Object.entries(workloadPlainEnv({ args, role, ...endpoints }))
            .filter(([envName]) => !CLOUD_RUN_RESERVED_ENV.includes(envName))
            .map(([envName, value]) => ({ name: envName, value })),
        ...storageEnvList(storage),
        ...Object.entries(workloadSecretEnv(role, Object.keys(secrets.env))).map(([envName, key]) => ({
            name: envName,
            valueSource: { secretKeyRef: { secret: secrets.env[key].secret, version: secrets.env[key].version } },
        })),
    ];
    const limits = (spec: ContainerSpec) => ({ cpu: String(cloudRunVcpu(spec.cpu)), memory: `${spec.memoryMb}Mi` });
    const vpcAccess = {
        networkInterfaces: [{ network: network.vpc.id, subnetwork: network.subnet.id }],
        egress: "PRIVATE_RANGES_ONLY",
    };
    const redisCaVolume = { name: "redis-tls", secret: { secret: secrets.redisCa.secret, items: [{ path: REDIS_CA_FILE, version: secrets.redisCa.version }] } };
    const redisCaMount = { name: "redis-tls", mountPath: REDIS_CA_DIRECTORY };
    const common = {
        location: project.region,
        deletionProtection: production,
        // Custom CPU scaling targets and readiness probes are Cloud Run preview features.
        launchStage: "BETA",
        labels,
    };
    // Services run the Managed Service for Prometheus sidecar next to the app; the job does not.
    const templateBase = {
        serviceAccount: serviceAccount.email,
        executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
        vpcAccess,
        volumes: [redisCaVolume, runMonitoringVolume(secrets.runMonitoring)],
        labels,
    };
    const httpProbe = (path: string) => ({ path, port: service.port });

    const migrationJob = new gcp.cloudrunv2.Job(`${name}-migrations`, {
        name: shortName(args.baseName, "migrate", MAX_NAME_LENGTH),
        location: project.region,
        deletionProtection: production,
        labels,
        template: {
            taskCount: 1,
            parallelism: 1,
            labels,
            template: {
                serviceAccount: serviceAccount.email,
                executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
                vpcAccess,
                volumes: [redisCaVolume],
                // A failed migration needs a person, not a blind retry.
                maxRetries: 0,
                timeout: "1800s",
                containers: [{
                    name: "migrations",
                    image: service.image,
                    // `args` replaces the image's CMD and keeps its ENTRYPOINT, like ECS's `command`.
                    args: migrationContainerCommand(args.migrationCommand),
                    resources: { limits: limits(worker) },
                    envs: envs("migrations"),
                    volumeMounts: [redisCaMount],
                }],
            },
        },
    }, opts);
    // The new job revision runs to completion before either service rolls (release.ts).
    const migrationStep = createMigrationStep(name, args, project, migrationJob, database, parent);
    const serviceOpts = { ...opts, dependsOn: [...opts.dependsOn, migrationStep] };

    const apiService = new gcp.cloudrunv2.Service(`${name}-api`, {
        ...common,
        name: shortName(args.baseName, "api", MAX_NAME_LENGTH),
        description: `${args.baseName} FastAPI service`,
        // With a domain, only the load balancer (and so Cloud Armor) may reach the service.
        ingress: args.domain ? "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" : "INGRESS_TRAFFIC_ALL",
        template: {
            ...templateBase,
            maxInstanceRequestConcurrency: REQUEST_CONCURRENCY,
            // The longest a request may run before Cloud Run answers 504 (also bounds the load balancer's wait).
            timeout: `${service.requestTimeoutSeconds}s`,
            scaling: { minInstanceCount: service.minInstances, maxInstanceCount: service.maxInstances, cpuUtilization },
            containers: [{
                name: "api",
                image: service.image,
                args: service.command.length > 0 ? service.command : undefined,
                ports: { name: "http1", containerPort: service.port },
                // CPU stays allocated between requests: FastAPI background tasks run after the response.
                resources: { limits: limits(service), cpuIdle: false, startupCpuBoost: true },
                envs: envs("api"),
                volumeMounts: [redisCaMount],
                startupProbe: { httpGet: httpProbe(service.healthCheckPath), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 24 },
                livenessProbe: { httpGet: httpProbe(service.healthCheckPath), periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 3 },
                readinessProbe: { httpGet: httpProbe(service.readinessPath), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3, successThreshold: 1 },
            }, collectorContainer("api")],
        },
    }, serviceOpts);
    new gcp.cloudrunv2.ServiceIamMember(`${name}-api-public`, {
        name: apiService.name, location: project.region, role: "roles/run.invoker", member: "allUsers",
    }, { parent });

    const workerService = new gcp.cloudrunv2.Service(`${name}-worker`, {
        ...common,
        name: shortName(args.baseName, "worker", MAX_NAME_LENGTH),
        description: `${args.baseName} background worker (no ingress)`,
        ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY",
        template: {
            ...templateBase,
            scaling: { minInstanceCount: worker.minInstances, maxInstanceCount: worker.maxInstances, cpuUtilization },
            containers: [{
                name: "worker",
                image: worker.image,
                args: worker.command,
                ports: { containerPort: service.port },
                resources: { limits: limits(worker), cpuIdle: false, startupCpuBoost: true },
                envs: envs("worker"),
                volumeMounts: [redisCaMount],
                // Cloud Run starts a service's instance only once its port accepts connections:
                // the worker process must listen on $PORT (see docs/gcp.md).
                startupProbe: { tcpSocket: { port: service.port }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 24 },
            }, collectorContainer("worker")],
        },
    }, serviceOpts);

    const migrationCommand = migrationJob.name.apply((job) => executeJobCommand(job, project));
    return { serviceAccount, apiService, workerService, migrationJob, migrationStep, migrationCommand };
}
