import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { CACHE_TIER_SPECS } from "../../components/capacity";
import { generateSecret } from "../../components/secrets";
import { RESTRICTED_CONTAINER_SECURITY, containerResources, objectMeta, restrictedPodSecurity, selectorLabels, type KubeContext } from "./context";
import { createSecret, secretEnvVar } from "./secrets";

export const REDIS_NAME = "redis";
export const REDIS_PORT = 6379;
export const REDIS_IMAGE = "redis:7.4";
/** The redis user of the official image. */
const REDIS_UID = 999;
const REDIS_CONFIG_SECRET = "redis-config";

export interface Cache {
    statefulSet: k8s.apps.v1.StatefulSet;
    service: k8s.core.v1.Service;
    config: k8s.core.v1.Secret;
    host: string;
    storageGb: number;
    /** REDIS_URL, a Pulumi secret. */
    url: pulumi.Output<string>;
}

/**
 * One Redis with AUTH (requirepass from a generated secret) and append-only persistence on a
 * PersistentVolumeClaim. The whole redis.conf lives in a Secret, so the password never appears
 * in a pod spec or a process's arguments. `volatile-lru` evicts only keys with a TTL: cache
 * entries go before queued work does.
 */
export function createCache(ctx: KubeContext): Cache {
    const { args, production, parent } = ctx;
    const memoryMb = Math.round(CACHE_TIER_SPECS[args.cache.tier].memoryGiB * 1024);
    const storageGb = Math.ceil((memoryMb * 2) / 1024);
    const password = generateSecret(args.baseName, "redis-password", 40, parent);
    const redisConf = pulumi.interpolate`requirepass ${password}
appendonly yes
appendfsync everysec
dir /data
maxmemory ${memoryMb}mb
maxmemory-policy volatile-lru
`;
    const config = createSecret(ctx, `${args.baseName}-redis-config`, REDIS_CONFIG_SECRET, REDIS_NAME, { password, "redis.conf": redisConf });

    const service = new k8s.core.v1.Service(`${args.baseName}-redis`, {
        metadata: objectMeta(ctx, REDIS_NAME, REDIS_NAME),
        spec: { clusterIP: "None", selector: selectorLabels(REDIS_NAME), ports: [{ name: "redis", port: REDIS_PORT, targetPort: "redis" }] },
    }, { parent });

    const probe = { exec: { command: ["redis-cli", "ping"] }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 };
    // Redis needs headroom above maxmemory for the append-only rewrite and client buffers.
    const containerMemoryMb = Math.ceil(memoryMb * 1.3);
    const statefulSet = new k8s.apps.v1.StatefulSet(`${args.baseName}-redis`, {
        metadata: objectMeta(ctx, REDIS_NAME, REDIS_NAME),
        spec: {
            serviceName: REDIS_NAME,
            replicas: 1,
            selector: { matchLabels: selectorLabels(REDIS_NAME) },
            template: {
                metadata: { labels: { ...ctx.labels, ...selectorLabels(REDIS_NAME) }, annotations: ctx.annotations },
                spec: {
                    automountServiceAccountToken: false,
                    securityContext: restrictedPodSecurity(REDIS_UID),
                    terminationGracePeriodSeconds: 60,
                    containers: [{
                        name: REDIS_NAME,
                        image: REDIS_IMAGE,
                        command: ["redis-server", "/etc/redis/redis.conf"],
                        ports: [{ name: "redis", containerPort: REDIS_PORT }],
                        env: [secretEnvVar("REDISCLI_AUTH", REDIS_CONFIG_SECRET, "password")],
                        resources: containerResources(500, containerMemoryMb),
                        securityContext: RESTRICTED_CONTAINER_SECURITY,
                        readinessProbe: probe,
                        livenessProbe: { ...probe, initialDelaySeconds: 30 },
                        volumeMounts: [{ name: "data", mountPath: "/data" }, { name: "config", mountPath: "/etc/redis", readOnly: true }],
                    }],
                    volumes: [{ name: "config", secret: { secretName: REDIS_CONFIG_SECRET, items: [{ key: "redis.conf", path: "redis.conf" }] } }],
                },
            },
            volumeClaimTemplates: [{
                metadata: { name: "data", labels: ctx.labels },
                spec: {
                    accessModes: ["ReadWriteOnce"],
                    resources: { requests: { storage: `${storageGb}Gi` } },
                    ...(args.overrides.kubernetes.storageClassName ? { storageClassName: args.overrides.kubernetes.storageClassName } : {}),
                },
            }],
            persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        },
    }, { parent, protect: production, dependsOn: [config] });

    const host = `${REDIS_NAME}.${ctx.namespaceName}.svc.cluster.local`;
    // Inside the cluster Redis speaks plain TCP (AUTH required, NetworkPolicy admits only the app's pods): see docs/kubernetes.md.
    const url = pulumi.secret(password.apply((p) => `redis://:${encodeURIComponent(p)}@${host}:${REDIS_PORT}/0`));
    return { statefulSet, service, config, host, storageGb, url };
}
