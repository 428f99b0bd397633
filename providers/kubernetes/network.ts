import * as k8s from "@pulumi/kubernetes";
import { DATA_CLIENT_LABEL, objectMeta, selectorLabels, type KubeContext } from "./context";
import { CLUSTER_NAME, POOLER_RO, POOLER_RW, POSTGRES_PORT } from "./database";
import { REDIS_NAME, REDIS_PORT } from "./cache";

type Rule = k8s.types.input.networking.v1.NetworkPolicyIngressRule;
type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

const namespaceNamed = (name: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } });
const dataClients = { podSelector: { matchLabels: { [DATA_CLIENT_LABEL]: "true" } } };
const tcp = (port: number | string) => ({ protocol: "TCP", port });
const poolerPods = { matchExpressions: [{ key: "cnpg.io/poolerName", operator: "In", values: [POOLER_RW, POOLER_RO] }] };
/** CloudNativePG's instance manager status port, which the operator and the other instances call. */
export const CNPG_STATUS_PORT = 8000;
/** Labels CloudNativePG puts on the cluster's PostgreSQL pods. */
const POSTGRES_INSTANCE_PODS = { "cnpg.io/cluster": CLUSTER_NAME, "cnpg.io/podRole": "instance" };

export interface NetworkPlan {
    /** In-cluster PostgreSQL (CloudNativePG) is present. */
    database: boolean;
    /** In-cluster Redis is present. */
    cache: boolean;
}

/**
 * Default deny in both directions, then only what the platform needs: DNS for every pod; the
 * ingress controller's namespace to the API; the app's pods (API, worker, migrations) to the
 * poolers and Redis, and out over HTTPS; the poolers to PostgreSQL; PostgreSQL instances to each
 * other and from the operator. CloudNativePG pods keep open egress: their instance manager talks
 * to the Kubernetes API (whose address differs per cluster) and ships WAL to the object store.
 */
export function createNetworkPolicies(ctx: KubeContext, plan: NetworkPlan): k8s.networking.v1.NetworkPolicy[] {
    const { args, parent } = ctx;
    const k = args.overrides.kubernetes;
    const policy = (name: string, podSelector: Record<string, string>, types: string[], ingress?: Rule[], egress?: EgressRule[]) =>
        new k8s.networking.v1.NetworkPolicy(`${args.baseName}-netpol-${name}`, {
            metadata: objectMeta(ctx, name, "network-policy"),
            spec: { podSelector: { matchLabels: podSelector }, policyTypes: types, ...(ingress ? { ingress } : {}), ...(egress ? { egress } : {}) },
        }, { parent });

    const appEgress: EgressRule[] = [
        ...(plan.database ? [{ to: [{ podSelector: poolerPods }], ports: [tcp(POSTGRES_PORT)] }] : [{ ports: [tcp(POSTGRES_PORT)] }]),
        ...(plan.cache ? [{ to: [{ podSelector: { matchLabels: selectorLabels(REDIS_NAME) } }], ports: [tcp(REDIS_PORT)] }] : [{ ports: [tcp(REDIS_PORT)] }]),
        { ports: [tcp(443)] },
    ];
    const policies = [
        new k8s.networking.v1.NetworkPolicy(`${args.baseName}-netpol-default-deny`, {
            metadata: objectMeta(ctx, "default-deny", "network-policy"),
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        }, { parent }),
        new k8s.networking.v1.NetworkPolicy(`${args.baseName}-netpol-allow-dns`, {
            metadata: objectMeta(ctx, "allow-dns", "network-policy"),
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [{
                    to: [{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                    ports: [{ protocol: "UDP", port: 53 }, tcp(53)],
                }],
            },
        }, { parent }),
        policy("api-from-ingress", selectorLabels("api"), ["Ingress"], [{ from: [namespaceNamed(k.ingressNamespace)], ports: [tcp("http")] }]),
        policy("app-egress", { [DATA_CLIENT_LABEL]: "true" }, ["Egress"], undefined, appEgress),
    ];
    if (plan.database) {
        policies.push(
            new k8s.networking.v1.NetworkPolicy(`${args.baseName}-netpol-postgres-pooler`, {
                metadata: objectMeta(ctx, "postgres-pooler", "network-policy"),
                spec: { podSelector: poolerPods, policyTypes: ["Ingress", "Egress"], ingress: [{ from: [dataClients], ports: [tcp(POSTGRES_PORT)] }], egress: [{}] },
            }, { parent }),
            policy("postgres", POSTGRES_INSTANCE_PODS, ["Ingress", "Egress"], [
                // Instances stream WAL from each other (5432) and check each other's status (8000):
                // a primary that cannot reach its replicas' status endpoint may isolate itself.
                { from: [{ podSelector: { matchLabels: POSTGRES_INSTANCE_PODS } }], ports: [tcp(POSTGRES_PORT), tcp(CNPG_STATUS_PORT)] },
                { from: [{ podSelector: poolerPods }], ports: [tcp(POSTGRES_PORT)] },
                { from: [namespaceNamed(k.operatorNamespace)], ports: [tcp(CNPG_STATUS_PORT), tcp(POSTGRES_PORT)] },
            ], [{}]),
        );
    }
    if (plan.cache) {
        policies.push(policy("redis-from-app", selectorLabels(REDIS_NAME), ["Ingress"], [{ from: [dataClients], ports: [tcp(REDIS_PORT)] }]));
    }
    return policies;
}

/**
 * The storage ceiling: dbMaxStorageGb per PostgreSQL instance plus Redis's volume. Volumes may
 * grow (CloudNativePG resizes them when storage.size is raised) but never past this quota.
 */
export function createStorageQuota(ctx: KubeContext, postgresInstances: number, redisStorageGb: number): k8s.core.v1.ResourceQuota {
    const gb = ctx.args.database.maxStorageGb * postgresInstances + redisStorageGb;
    return new k8s.core.v1.ResourceQuota(`${ctx.args.baseName}-storage`, {
        metadata: objectMeta(ctx, "storage", "quota"),
        spec: { hard: { "requests.storage": `${gb}Gi` } },
    }, { parent: ctx.parent });
}
