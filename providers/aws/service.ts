import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ContainerSpec, PlatformArgs } from "../../components/platform";
import { storageEnvList } from "../../components/storage";
import { shortName } from "../../components/naming";
import { bucketAccessPolicy, IAM_INLINE_POLICY_MAX, type Storage } from "./storage";
import { migrationContainerCommand } from "../../components/dbroles";
import { workloadPlainEnv, workloadSecretEnv, type AliasSources, type WorkloadRole } from "../../components/secrets";
import type { Edge } from "./edge";
import type { Network } from "./network";
import { pullPolicy } from "./registry";
import { createMigrationStep, runTaskScript } from "./release";
import { collectorContainer, grantRemoteWrite, type MetricsWorkspace } from "./observability";

/** Fargate CPU units for the neutral millicore sizes. */
export const FARGATE_CPU_UNITS: Record<number, number> = { 250: 256, 500: 512, 1000: 1024, 2000: 2048, 4000: 4096 };

/** Fargate's valid memory (MiB) for each CPU size. */
export function fargateMemoryOptions(cpu: number): { min: number; max: number; step: number } | undefined {
    const table: Record<number, { min: number; max: number; step: number }> = {
        250: { min: 512, max: 2048, step: 512 },
        500: { min: 1024, max: 4096, step: 1024 },
        1000: { min: 2048, max: 8192, step: 1024 },
        2000: { min: 4096, max: 16384, step: 1024 },
        4000: { min: 8192, max: 30720, step: 1024 },
    };
    return table[cpu];
}

/** Non-root user for every container (the seeds' images run as an unprivileged user). */
export const CONTAINER_USER = "1000:1000";

export interface Services {
    cluster: aws.ecs.Cluster;
    executionRole: aws.iam.Role;
    taskRole: aws.iam.Role;
    logGroups: Record<"api" | "worker" | "migrations", aws.cloudwatch.LogGroup>;
    apiTaskDefinition: aws.ecs.TaskDefinition;
    workerTaskDefinition: aws.ecs.TaskDefinition;
    migrationTaskDefinition: aws.ecs.TaskDefinition;
    apiService: aws.ecs.Service;
    workerService: aws.ecs.Service;
    /** Runs the migrations of the new revision to completion; both services roll only after it. */
    migrationStep: pulumi.Resource;
    /** The shell command that runs the migrations once and fails when they fail. */
    migrationCommand: pulumi.Output<string>;
}

/**
 * ECS on Fargate: a cluster with Container Insights, the API service behind the ALB, a worker
 * service with no ingress, and a one-off migrations task definition. Secrets reach containers
 * only as `valueFrom` ARNs, read by an execution role allowed to read exactly those secrets.
 */
export function createServices(
    name: string, args: PlatformArgs, network: Network, edge: Edge, secretArns: Record<string, pulumi.Output<string>>,
    release: { repository: aws.ecr.Repository; database: aws.rds.Instance }, parent: pulumi.Resource, storage: Storage | undefined, metrics: MetricsWorkspace,
    endpoints: Pick<AliasSources, "database" | "cache">,
): Services {
    const opts = { parent };
    const region = aws.getRegionOutput({}, opts).region;
    const cluster = new aws.ecs.Cluster(`${name}-cluster`, {
        settings: [{ name: "containerInsights", value: "enhanced" }],
        tags: args.tags,
    }, opts);
    const { executionRole, taskRole } = createRoles(name, args, Object.values(secretArns), release.repository, parent);
    grantRemoteWrite(name, taskRole, metrics, parent);
    if (storage) {
        // The application's own identity reaches its bucket, and nothing else in S3.
        new aws.iam.RolePolicy(`${name}-task-app-bucket`, {
            name: shortName(args.baseName, "task-app-bucket", IAM_INLINE_POLICY_MAX),
            role: taskRole.id,
            policy: bucketAccessPolicy(storage.bucket),
        }, opts);
    }
    const logGroups = {
        api: logGroup(name, args, "api", parent),
        worker: logGroup(name, args, "worker", parent),
        migrations: logGroup(name, args, "migrations", parent),
    };

    // Each role its own variables: the migrations task connects as the database owner, the API and worker as the runtime role.
    const environment = (role: WorkloadRole) => pulumi.all([pulumi.all(workloadPlainEnv({ args, role, ...endpoints })), pulumi.all(storageEnvList(storage?.location).map((e) => e.value))])
        .apply(([env, storageValues]) => [
            ...Object.entries(env).map(([envName, value]) => ({ name: envName, value })),
            ...storageEnvList(storage?.location).map((e, i) => ({ name: e.name, value: storageValues[i] })),
        ]);
    const secrets = (role: WorkloadRole) => pulumi.all(secretArns).apply((arns) =>
        Object.entries(workloadSecretEnv(role, Object.keys(arns))).map(([envName, key]) => ({ name: envName, valueFrom: arns[key] })));
    // The API and worker carry the metrics collector sidecar; the one-off migrations task does not.
    const taskDefinition = (role: WorkloadRole, spec: ContainerSpec, extra: Record<string, unknown>) =>
        new aws.ecs.TaskDefinition(`${name}-${role}`, {
            family: `${args.baseName}-${role}`,
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            cpu: String(FARGATE_CPU_UNITS[spec.cpu]),
            memory: String(spec.memoryMb),
            executionRoleArn: executionRole.arn,
            taskRoleArn: taskRole.arn,
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
            // A writable /tmp on task storage, so the root filesystem itself can stay read-only.
            volumes: [{ name: "tmp" }],
            containerDefinitions: pulumi.jsonStringify(pulumi.all([environment(role), secrets(role), region, logGroups[role].name, spec.image, metrics.remoteWriteUrl]).apply(([plainEnv, secretRefs, awsRegion, group, image, remoteWriteUrl]) => [{
                name: role,
                image,
                essential: true,
                user: CONTAINER_USER,
                readonlyRootFilesystem: true,
                mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp" }],
                ...(spec.command.length > 0 ? { command: spec.command } : {}),
                environment: plainEnv,
                secrets: secretRefs,
                linuxParameters: { initProcessEnabled: true },
                logConfiguration: {
                    logDriver: "awslogs",
                    options: { "awslogs-group": group, "awslogs-region": awsRegion, "awslogs-stream-prefix": role },
                },
                ...extra,
            }, ...(role === "migrations" ? [] : [collectorContainer(args, role, remoteWriteUrl, awsRegion, group)])])),
            tags: args.tags,
        }, opts);

    const service = args.service;
    const apiTaskDefinition = taskDefinition("api", service, {
        portMappings: [{ containerPort: service.port, protocol: "tcp" }],
        // Fargate allows at most 120 s; the seeds ask for ~60 s to drain in-flight requests.
        stopTimeout: service.terminationGraceSeconds,
        // Python, not curl: the FastAPI image always has Python, slim images often lack curl.
        healthCheck: {
            command: ["CMD-SHELL", `python -c "import urllib.request; urllib.request.urlopen('http://localhost:${service.port}${service.healthCheckPath}', timeout=5)" || exit 1`],
            interval: 30, timeout: 10, retries: 3, startPeriod: 30,
        },
    });
    const workerTaskDefinition = taskDefinition("worker", args.worker, { stopTimeout: service.terminationGraceSeconds });
    const migrationTaskDefinition = taskDefinition("migrations", { ...args.worker, image: service.image, command: migrationContainerCommand(args.migrationCommand) }, {});

    const migrationStep = createMigrationStep(name, args, {
        cluster, taskDefinition: migrationTaskDefinition, subnetIds: network.privateSubnets.map((s) => s.id),
        securityGroupId: network.securityGroups.worker.id, region,
    }, release.database, parent);

    const fargateService = (role: "api" | "worker", definition: aws.ecs.TaskDefinition, spec: ContainerSpec, extra: Partial<aws.ecs.ServiceArgs>, dependsOn: pulumi.Resource[]) =>
        new aws.ecs.Service(`${name}-${role}`, {
            cluster: cluster.arn,
            taskDefinition: definition.arn,
            desiredCount: spec.minInstances,
            launchType: "FARGATE",
            platformVersion: "LATEST",
            networkConfiguration: {
                subnets: network.privateSubnets.map((s) => s.id),
                securityGroups: [role === "api" ? network.securityGroups.api.id : network.securityGroups.worker.id],
                assignPublicIp: false,
            },
            deploymentCircuitBreaker: { enable: true, rollback: true },
            deploymentMinimumHealthyPercent: 100,
            deploymentMaximumPercent: 200,
            availabilityZoneRebalancing: "ENABLED",
            enableEcsManagedTags: true,
            propagateTags: "SERVICE",
            tags: args.tags,
            ...extra,
        }, { parent, dependsOn, ignoreChanges: ["desiredCount"] }); // the autoscaler owns desiredCount once running

    const apiService = fargateService("api", apiTaskDefinition, service, {
        loadBalancers: [{ targetGroupArn: edge.targetGroup.arn, containerName: "api", containerPort: service.port }],
        healthCheckGracePeriodSeconds: 60,
    }, [edge.listener, migrationStep]);
    const workerService = fargateService("worker", workerTaskDefinition, args.worker, {}, [migrationStep]);

    const migrationCommand = migrationRunCommand(cluster, migrationTaskDefinition, network, region);
    return {
        cluster, executionRole, taskRole, logGroups, apiTaskDefinition, workerTaskDefinition, migrationTaskDefinition,
        apiService, workerService, migrationStep, migrationCommand,
    };
}

/**
 * The command that runs the migrations once by hand (e.g. `alembic downgrade -1` with an
 * overridden command, see docs): it names the family, so it runs the latest registered revision.
 */
function migrationRunCommand(
    cluster: aws.ecs.Cluster, definition: aws.ecs.TaskDefinition, network: Network, region: pulumi.Output<string>,
): pulumi.Output<string> {
    return pulumi
        .all([cluster.name, definition.family, pulumi.all(network.privateSubnets.map((s) => s.id)), network.securityGroups.worker.id, region])
        .apply(([clusterName, family, subnets, securityGroup, awsRegion]) => runTaskScript(clusterName, family, subnets, securityGroup, awsRegion));
}

function logGroup(name: string, args: PlatformArgs, role: string, parent: pulumi.Resource): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(`${name}-${role}-logs`, {
        name: `/ecs/${args.baseName}/${role}`,
        retentionInDays: args.logRetentionDays,
        tags: args.tags,
    }, { parent });
}

/**
 * The execution role pulls images, writes logs and reads exactly this stack's secrets; the task
 * role (the application's own identity) starts with no permissions at all.
 */
function createRoles(name: string, args: PlatformArgs, secretArns: pulumi.Output<string>[], repository: aws.ecr.Repository, parent: pulumi.Resource) {
    const opts = { parent };
    const assumeByEcsTasks = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const executionRole = new aws.iam.Role(`${name}-execution-role`, {
        description: `${args.baseName}: ECS pulls images, writes logs and reads the app secrets`,
        assumeRolePolicy: assumeByEcsTasks,
        tags: args.tags,
    }, opts);
    new aws.iam.RolePolicyAttachment(`${name}-execution-managed`, {
        role: executionRole.name,
        policyArn: aws.iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy,
    }, opts);
    new aws.iam.RolePolicy(`${name}-execution-read-secrets`, {
        role: executionRole.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [{ Sid: "ReadThisStacksSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secretArns }],
        }),
    }, opts);
    new aws.iam.RolePolicy(`${name}-execution-pull-images`, { role: executionRole.id, policy: pullPolicy(repository) }, opts);
    const taskRole = new aws.iam.Role(`${name}-task-role`, {
        description: `${args.baseName}: runtime identity of the API, worker and migrations`,
        assumeRolePolicy: assumeByEcsTasks,
        tags: args.tags,
    }, opts);
    return { executionRole, taskRole };
}
