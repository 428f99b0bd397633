import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { ContainerSpec } from "../../components/platform";
import { migrationContainerCommand } from "../../components/dbroles";
import { workloadPlainEnv, workloadSecretEnv, type AliasSources, type WorkloadRole } from "../../components/secrets";
import {
    APP_UID, DATA_CLIENT_LABEL, RESTRICTED_CONTAINER_SECURITY, containerResources, contentHash, objectMeta, restrictedPodSecurity,
    selectorLabels, spreadAcrossZones, type KubeContext,
} from "./context";
import { METRICS_PORT_NAME } from "./monitoring";
import { secretEnvVar } from "./secrets";
import { objectStorageEnv } from "./storage";
import { shellQuote } from "../../components/shell";

/** Seconds the preStop hook holds a stopping pod so the ingress controller stops sending it requests first. */
export const PRESTOP_DRAIN_SECONDS = 10;
export const MIGRATION_TTL_SECONDS = 24 * 3600;
export const MIGRATION_BACKOFF_LIMIT = 2;
export const MIGRATION_DEADLINE_SECONDS = 30 * 60;
/** The suspended CronJob that holds the migration pod template, to re-run it by hand. */
export const MIGRATION_TEMPLATE = "migrations";

/** Where each secret env var comes from: Secret name and key. */
export type SecretEnvSources = Record<string, { secret: pulumi.Input<string>; key: string }>;

export interface Workloads {
    serviceAccount: k8s.core.v1.ServiceAccount;
    api: k8s.apps.v1.Deployment;
    worker: k8s.apps.v1.Deployment;
    migrationJob: k8s.batch.v1.Job;
    migrationTemplate: k8s.batch.v1.CronJob;
    migrationCommand: string;
}

/**
 * The API and worker Deployments and the migrations Job. The Job's name carries a hash of its
 * image and command, so a new image runs a new Job, and the API rolls out only after it completed
 * (Pulumi waits for a Job to finish). Every container runs non-root on a read-only root
 * filesystem with a writable /tmp, no service account token, and secrets only by secretKeyRef.
 */
export function createWorkloads(
    ctx: KubeContext, secretEnv: SecretEnvSources, endpoints: Pick<AliasSources, "database" | "cache">, dependsOn: pulumi.Resource[],
): Workloads {
    const { args, parent } = ctx;
    // Each role its own variables: the migrations job connects as the database owner, the API and worker as the runtime role.
    const env = (role: WorkloadRole): k8s.types.input.core.v1.EnvVar[] => [
        ...Object.entries(workloadPlainEnv({ args, role, ...endpoints })).map(([name, value]) => ({ name, value })),
        ...Object.entries(workloadSecretEnv(role, Object.keys(secretEnv)))
            .map(([name, key]) => secretEnvVar(name, secretEnv[key].secret, secretEnv[key].key)),
        ...objectStorageEnv(ctx),
    ];

    const serviceAccount = new k8s.core.v1.ServiceAccount(`${args.baseName}-app`, {
        metadata: objectMeta(ctx, "fastapi", "fastapi"),
        automountServiceAccountToken: false,
    }, { parent });

    const podSpec = (component: WorkloadRole, spec: ContainerSpec, container: Partial<k8s.types.input.core.v1.Container>): k8s.types.input.core.v1.PodSpec => ({
        serviceAccountName: serviceAccount.metadata.name,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        // Private registries: an existing dockerconfigjson Secret, so no password passes through the stack.
        ...(args.overrides.kubernetes.imagePullSecret ? { imagePullSecrets: [{ name: args.overrides.kubernetes.imagePullSecret }] } : {}),
        securityContext: restrictedPodSecurity(APP_UID),
        topologySpreadConstraints: spreadAcrossZones(component),
        volumes: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
        containers: [{
            name: component,
            image: spec.image,
            ...(spec.command.length > 0 ? { command: spec.command } : {}),
            env: env(component),
            resources: containerResources(spec.cpu, spec.memoryMb),
            securityContext: RESTRICTED_CONTAINER_SECURITY,
            volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            ...container,
        }],
    });
    const podLabels = (component: string) => ({ ...ctx.labels, ...selectorLabels(component), [DATA_CLIENT_LABEL]: "true" });

    const migrationSpec: ContainerSpec = { ...args.worker, image: args.service.image, command: migrationContainerCommand(args.migrationCommand) };
    const jobSpec = (): k8s.types.input.batch.v1.JobSpec => ({
        backoffLimit: MIGRATION_BACKOFF_LIMIT,
        activeDeadlineSeconds: MIGRATION_DEADLINE_SECONDS,
        ttlSecondsAfterFinished: MIGRATION_TTL_SECONDS,
        template: {
            metadata: { labels: podLabels("migrations"), annotations: ctx.annotations },
            spec: { ...podSpec("migrations", migrationSpec, {}), restartPolicy: "Never" },
        },
    });
    const jobName = pulumi.output(migrationSpec.image).apply((image) => `migrate-${contentHash([image, migrationSpec.command])}`);
    const migrationJob = new k8s.batch.v1.Job(`${args.baseName}-migrations`, {
        metadata: objectMeta(ctx, jobName, "migrations"),
        spec: jobSpec(),
    }, { parent, dependsOn });
    const migrationTemplate = new k8s.batch.v1.CronJob(`${args.baseName}-migrations-template`, {
        metadata: objectMeta(ctx, MIGRATION_TEMPLATE, "migrations"),
        spec: { suspend: true, schedule: "0 0 31 2 *", concurrencyPolicy: "Forbid", jobTemplate: { spec: jobSpec() } },
    }, { parent });

    const port = args.service.port;
    const httpGet = (path: string) => ({ httpGet: { path, port: "http" } });
    const api = new k8s.apps.v1.Deployment(`${args.baseName}-api`, {
        metadata: objectMeta(ctx, "api", "api"),
        spec: {
            replicas: args.service.minInstances,
            selector: { matchLabels: selectorLabels("api") },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
            template: {
                metadata: { labels: podLabels("api"), annotations: ctx.annotations },
                spec: {
                    ...podSpec("api", args.service, {
                        ports: [
                            { name: "http", containerPort: port },
                            ...(args.metrics.port !== port ? [{ name: METRICS_PORT_NAME, containerPort: args.metrics.port }] : []),
                        ],
                        startupProbe: { ...httpGet(args.service.healthCheckPath), periodSeconds: 5, failureThreshold: 30 },
                        livenessProbe: { ...httpGet(args.service.healthCheckPath), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
                        readinessProbe: { ...httpGet(args.service.readinessPath), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
                        lifecycle: { preStop: { exec: { command: ["sleep", String(PRESTOP_DRAIN_SECONDS)] } } },
                    }),
                    terminationGracePeriodSeconds: args.service.terminationGraceSeconds,
                },
            },
        },
    }, { parent, dependsOn: [migrationJob], ignoreChanges: ["spec.replicas"] });

    const worker = new k8s.apps.v1.Deployment(`${args.baseName}-worker`, {
        metadata: objectMeta(ctx, "worker", "worker"),
        spec: {
            replicas: args.worker.minInstances,
            selector: { matchLabels: selectorLabels("worker") },
            template: {
                metadata: { labels: podLabels("worker"), annotations: ctx.annotations },
                spec: {
                    ...podSpec("worker", args.worker, { ports: [{ name: METRICS_PORT_NAME, containerPort: args.metrics.port }] }),
                    terminationGracePeriodSeconds: args.service.terminationGraceSeconds,
                },
            },
        },
    }, { parent, dependsOn: [migrationJob], ignoreChanges: ["spec.replicas"] });

    const ns = shellQuote(ctx.namespaceName); // the output is pasted or eval'd
    const migrationCommand =
        `kubectl -n ${ns} create job --from=cronjob/${MIGRATION_TEMPLATE} migrate-manual-$(date +%s) -o name | ` +
        `xargs kubectl -n ${ns} wait --for=condition=complete --timeout=${MIGRATION_DEADLINE_SECONDS}s`;
    return { serviceAccount, api, worker, migrationJob, migrationTemplate, migrationCommand };
}
