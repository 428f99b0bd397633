import * as k8s from "@pulumi/kubernetes";
import { objectMeta, selectorLabels, type KubeContext } from "./context";
import { CLUSTER_NAME } from "./database";
import { CNPG_METRICS_PORT } from "./monitoring";

/**
 * The scrape paths through the default-deny NetworkPolicies (network.ts): pods of the
 * `kubernetes.prometheusNamespace` namespace may reach the API and worker pods on the metrics
 * port only, and the CloudNativePG instances on the exporter's port 9187 only. Separate policies,
 * so they add to the platform's own without widening any of them.
 */
export function createScrapePolicies(ctx: KubeContext, database: boolean): k8s.networking.v1.NetworkPolicy[] {
    const { args, parent } = ctx;
    const fromPrometheus = [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.overrides.kubernetes.prometheusNamespace } } }];
    const policy = (name: string, podSelector: k8s.types.input.meta.v1.LabelSelector, port: number) =>
        new k8s.networking.v1.NetworkPolicy(`${args.baseName}-netpol-${name}`, {
            metadata: objectMeta(ctx, name, "network-policy"),
            spec: { podSelector, policyTypes: ["Ingress"], ingress: [{ from: fromPrometheus, ports: [{ protocol: "TCP", port }] }] },
        }, { parent });
    const appPods = {
        matchLabels: { "app.kubernetes.io/part-of": selectorLabels("api")["app.kubernetes.io/part-of"] },
        matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["api", "worker"] }],
    };
    return [
        policy("app-metrics-from-prometheus", appPods, args.metrics.port),
        ...(database
            ? [policy("postgres-metrics-from-prometheus", { matchLabels: { "cnpg.io/cluster": CLUSTER_NAME, "cnpg.io/podRole": "instance" } }, CNPG_METRICS_PORT)]
            : []),
    ];
}
