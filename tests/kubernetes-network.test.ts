import * as assert from "assert";
import type { RecordedResource } from "../tools/harness";
import { deploy, ofType } from "./support";

/**
 * The NetworkPolicies against the traffic the platform's own parts need, evaluated with
 * Kubernetes' semantics (networking/v1 NetworkPolicy): a connection is allowed when the source
 * pod's egress and the destination pod's ingress both allow it; a direction no policy selects the
 * pod for is open; among the policies that select it, any one rule that matches is enough.
 */

interface Pod {
    namespace: string;
    labels: Record<string, string>;
}
interface Flow {
    what: string;
    from: Pod;
    to: Pod;
    port: number;
    protocol?: "TCP" | "UDP";
}

const NAMESPACE = "fastapi-platform-prod";
const matches = (selector: Record<string, any> | undefined, labels: Record<string, string>): boolean => {
    if (!selector) return true;
    const exact = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
    const expressions = (selector.matchExpressions ?? []).every((e: { key: string; operator: string; values: string[] }) =>
        e.operator === "In" ? e.values.includes(labels[e.key]) : e.operator === "Exists" ? e.key in labels : true);
    return exact && expressions;
};
const namespaceLabels = (name: string) => ({ "kubernetes.io/metadata.name": name });

/** Does one `from`/`to` peer of a rule, in a policy of `policyNamespace`, admit `pod`? */
function peerAdmits(peer: Record<string, any>, policyNamespace: string, pod: Pod): boolean {
    if (peer.ipBlock) return false;
    const namespaceOk = peer.namespaceSelector ? matches(peer.namespaceSelector, namespaceLabels(pod.namespace)) : pod.namespace === policyNamespace;
    return namespaceOk && (peer.podSelector ? matches(peer.podSelector, pod.labels) : true);
}

function portAdmits(ports: { port?: number | string; protocol?: string }[] | undefined, flow: Flow, namedPorts: Record<string, number>): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => (p.protocol ?? "TCP") === (flow.protocol ?? "TCP") &&
        (p.port === undefined || p.port === flow.port || (typeof p.port === "string" && namedPorts[p.port] === flow.port)));
}

function allowed(policies: RecordedResource[], flow: Flow, namedPorts: Record<string, number>): boolean {
    const direction = (type: "Ingress" | "Egress", pod: Pod, peer: Pod) => {
        const selecting = policies.filter((p) => pod.namespace === NAMESPACE && (p.plainInputs.spec.policyTypes as string[]).includes(type) && matches(p.plainInputs.spec.podSelector, pod.labels));
        if (selecting.length === 0) return true;
        const key = type === "Ingress" ? "ingress" : "egress";
        const peers = type === "Ingress" ? "from" : "to";
        return selecting.some((p) => (p.plainInputs.spec[key] ?? []).some((rule: Record<string, any>) =>
            (!rule[peers] || rule[peers].some((x: Record<string, any>) => peerAdmits(x, NAMESPACE, peer))) && portAdmits(rule.ports, flow, namedPorts)));
    };
    return direction("Egress", flow.from, flow.to) && direction("Ingress", flow.to, flow.from);
}

describe("kubernetes NetworkPolicies against the platform's own traffic", () => {
    let policies: RecordedResource[];
    let podLabels: (component: string) => Record<string, string>;
    const namedPorts = { http: 8000 };
    const instance = (role: string) => ({ namespace: NAMESPACE, labels: { "cnpg.io/cluster": "postgres", "cnpg.io/podRole": "instance", role } });
    const pooler = { namespace: NAMESPACE, labels: { "cnpg.io/cluster": "postgres", "cnpg.io/poolerName": "postgres-pooler-rw" } };
    const operator = { namespace: "cnpg-system", labels: { "app.kubernetes.io/name": "cloudnative-pg" } };
    const dns = { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } };
    const ingressController = { namespace: "ingress-nginx", labels: { "app.kubernetes.io/name": "ingress-nginx" } };
    const stranger = { namespace: "default", labels: { app: "something-else" } };

    before(async () => {
        const r = await deploy("prod", { overrides: { cloud: "kubernetes" } });
        policies = ofType(r, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
        const deployments = ofType(r, "kubernetes:apps/v1:Deployment");
        podLabels = (component) => deployments.find((d) => d.plainInputs.metadata.name === component)!.plainInputs.spec.template.metadata.labels;
    });

    const app = (component: string): Pod => ({ namespace: NAMESPACE, labels: podLabels(component) });
    const needed = (): Flow[] => [
        { what: "replica streams WAL from the primary", from: instance("replica"), to: instance("primary"), port: 5432 },
        { what: "primary checks a replica's instance manager", from: instance("primary"), to: instance("replica"), port: 8000 },
        { what: "replica checks the primary's instance manager", from: instance("replica"), to: instance("primary"), port: 8000 },
        { what: "the operator calls an instance's status endpoint", from: operator, to: instance("primary"), port: 8000 },
        { what: "the pooler connects to PostgreSQL", from: pooler, to: instance("primary"), port: 5432 },
        { what: "the API connects to the pooler", from: app("api"), to: pooler, port: 5432 },
        { what: "the worker connects to the pooler", from: app("worker"), to: pooler, port: 5432 },
        { what: "the ingress controller reaches the API", from: ingressController, to: app("api"), port: 8000 },
        { what: "the API resolves names", from: app("api"), to: dns, port: 53, protocol: "UDP" },
        { what: "a PostgreSQL instance resolves names", from: instance("primary"), to: dns, port: 53, protocol: "UDP" },
    ];

    it("admits every connection the platform needs", () => {
        const blocked = needed().filter((flow) => !allowed(policies, flow, namedPorts)).map((flow) => flow.what);
        assert.deepStrictEqual(blocked, []);
    });

    it("admits nothing else: other namespaces and ports stay out", () => {
        const forbidden: Flow[] = [
            { what: "a pod of another namespace to PostgreSQL", from: stranger, to: instance("primary"), port: 5432 },
            { what: "a pod of another namespace to the API", from: stranger, to: app("api"), port: 8000 },
            { what: "the API straight to PostgreSQL, around the pooler", from: app("api"), to: instance("primary"), port: 5432 },
            { what: "the pooler to an instance's status port", from: pooler, to: instance("primary"), port: 8000 },
            { what: "the ingress controller to the worker", from: ingressController, to: app("worker"), port: 8000 },
        ];
        const admitted = forbidden.filter((flow) => allowed(policies, flow, namedPorts)).map((flow) => flow.what);
        assert.deepStrictEqual(admitted, []);
    });
});
