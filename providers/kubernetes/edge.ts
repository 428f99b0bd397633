import * as k8s from "@pulumi/kubernetes";
import type { DomainSpec } from "../../components/platform";
import { objectMeta, selectorLabels, type KubeContext } from "./context";

export const TLS_SECRET = "api-tls";
/** ingress-nginx is the controller whose annotations this program sets (rate limit, HTTPS redirect). */
export const NGINX_CLASS = "nginx";

export interface Edge {
    service: k8s.core.v1.Service;
    ingress?: k8s.networking.v1.Ingress;
    url: string;
}

/**
 * A ClusterIP Service for the API and, with a domain, an Ingress with TLS from cert-manager's
 * ClusterIssuer. With dnsZone, external-dns (when the cluster runs it) creates the record; with
 * ingress-nginx, the edge rate limit per client IP and the HTTPS redirect are annotations.
 */
export function createEdge(ctx: KubeContext, domain: DomainSpec | undefined): Edge {
    const { args, parent } = ctx;
    const k = args.overrides.kubernetes;
    const service = new k8s.core.v1.Service(`${args.baseName}-api`, {
        metadata: objectMeta(ctx, "api", "api"),
        spec: { type: "ClusterIP", selector: selectorLabels("api"), ports: [{ name: "http", port: 80, targetPort: "http" }] },
    }, { parent });
    if (!domain) return { service, url: `http://api.${ctx.namespaceName}.svc.cluster.local` };

    const nginx: Record<string, string> = k.ingressClassName === NGINX_CLASS
        ? {
              "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
              "nginx.ingress.kubernetes.io/limit-rpm": String(args.edgeRateLimitPerMinute),
              // ingress-nginx's defaults are 1 MB bodies and 60 s reads/sends: the app's limits instead.
              "nginx.ingress.kubernetes.io/proxy-body-size": `${args.service.maxRequestBodyMb}m`,
              "nginx.ingress.kubernetes.io/proxy-read-timeout": String(args.service.requestTimeoutSeconds),
              "nginx.ingress.kubernetes.io/proxy-send-timeout": String(args.service.requestTimeoutSeconds),
          }
        : {};
    const ingress = new k8s.networking.v1.Ingress(`${args.baseName}-api`, {
        metadata: {
            ...objectMeta(ctx, "api", "api"),
            annotations: {
                ...ctx.annotations,
                "cert-manager.io/cluster-issuer": k.clusterIssuer,
                ...(domain.zone ? { "external-dns.alpha.kubernetes.io/hostname": domain.name } : {}),
                ...nginx,
            },
        },
        spec: {
            ingressClassName: k.ingressClassName,
            tls: [{ hosts: [domain.name], secretName: TLS_SECRET }],
            rules: [{
                host: domain.name,
                http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: service.metadata.name, port: { name: "http" } } } }] },
            }],
        },
    }, { parent });
    return { service, ingress, url: `https://${domain.name}` };
}
