import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import type { DomainSpec, PlatformArgs } from "../../components/platform";
import { SECURITY_HEADERS, integerGreaterThanRegex, maxBodyBytes } from "../../components/edge-limits";
import { gcpLabels } from "./labels";
import type { GcpProject } from "./project";

/** Cloud Armor's ceiling for a throttle rule's request count. */
export const CLOUD_ARMOR_MAX_RATE_LIMIT = 1_000_000;
/** Priority of the default rule every Cloud Armor policy must end with. */
const DEFAULT_RULE_PRIORITY = 2147483647;

export interface Edge {
    address: gcp.compute.GlobalAddress;
    certificate: gcp.compute.ManagedSslCertificate;
    backendService: gcp.compute.BackendService;
    httpsForwardingRule: gcp.compute.GlobalForwardingRule;
    securityPolicy?: gcp.compute.SecurityPolicy;
    url: pulumi.Output<string>;
}

/**
 * The domain on a global external Application Load Balancer: a serverless NEG in front of the API
 * service, a Google-managed certificate, TLS 1.2+ with the MODERN profile, port 80 answering only
 * with a 301 to HTTPS, and the A record in Cloud DNS when `dnsZone` is set. Production adds
 * request logging and a Cloud Armor policy with a per-IP rate limit and OWASP rules.
 */
export function createEdge(
    name: string, args: PlatformArgs, domain: DomainSpec, project: GcpProject, apiService: gcp.cloudrunv2.Service, parent: pulumi.Resource,
): Edge {
    const opts = { parent };
    const production = args.environment === "production";
    const labels = gcpLabels(args.tags);

    const address = new gcp.compute.GlobalAddress(`${name}-lb`, {
        description: `${args.baseName}: public address of ${domain.name}`,
        addressType: "EXTERNAL",
        ipVersion: "IPV4",
        labels,
    }, { parent, dependsOn: [project.apis.compute] });
    const certificate = new gcp.compute.ManagedSslCertificate(`${name}-cert`, {
        description: `${args.baseName}: Google-managed certificate for ${domain.name}`,
        managed: { domains: [domain.name] },
    }, opts);
    const sslPolicy = new gcp.compute.SSLPolicy(`${name}-tls`, {
        description: `${args.baseName}: TLS 1.2 or newer, modern ciphers only`,
        profile: "MODERN",
        minTlsVersion: "TLS_1_2",
    }, opts);

    const endpointGroup = new gcp.compute.RegionNetworkEndpointGroup(`${name}-api`, {
        description: `${args.baseName}: the API Cloud Run service`,
        region: project.region,
        networkEndpointType: "SERVERLESS",
        cloudRun: { service: apiService.name },
    }, opts);
    const securityPolicy = production ? createSecurityPolicy(name, args, parent) : undefined;
    const backendService = new gcp.compute.BackendService(`${name}-api`, {
        description: `${args.baseName}: the API behind the load balancer`,
        loadBalancingScheme: "EXTERNAL_MANAGED",
        protocol: "HTTPS",
        backends: [{ group: endpointGroup.id }],
        securityPolicy: securityPolicy?.selfLink,
        logConfig: production ? { enable: true, sampleRate: 1 } : { enable: false },
        // HSTS and the app's security headers on every response, added by the load balancer.
        customResponseHeaders: Object.entries(SECURITY_HEADERS).map(([header, value]) => `${header}: ${value}`),
    }, opts);

    const urlMap = new gcp.compute.URLMap(`${name}-https`, {
        description: `${args.baseName}: everything to the API`,
        defaultService: backendService.id,
    }, opts);
    const httpsProxy = new gcp.compute.TargetHttpsProxy(`${name}-https`, {
        urlMap: urlMap.id,
        sslCertificates: [certificate.id],
        sslPolicy: sslPolicy.id,
    }, opts);
    const httpsForwardingRule = new gcp.compute.GlobalForwardingRule(`${name}-https`, {
        description: `${args.baseName}: HTTPS entry`,
        loadBalancingScheme: "EXTERNAL_MANAGED",
        ipProtocol: "TCP",
        portRange: "443",
        ipAddress: address.address,
        target: httpsProxy.id,
        labels,
    }, opts);

    const redirectMap = new gcp.compute.URLMap(`${name}-http-redirect`, {
        description: `${args.baseName}: port 80 answers with a 301 to HTTPS`,
        defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT", stripQuery: false },
    }, opts);
    const httpProxy = new gcp.compute.TargetHttpProxy(`${name}-http-redirect`, { urlMap: redirectMap.id }, opts);
    new gcp.compute.GlobalForwardingRule(`${name}-http-redirect`, {
        description: `${args.baseName}: HTTP entry, redirected to HTTPS`,
        loadBalancingScheme: "EXTERNAL_MANAGED",
        ipProtocol: "TCP",
        portRange: "80",
        ipAddress: address.address,
        target: httpProxy.id,
        labels,
    }, opts);

    if (domain.zone) {
        new gcp.dns.RecordSet(`${name}-domain`, {
            managedZone: managedZoneName(args, domain.zone, parent),
            name: `${domain.name}.`,
            type: "A",
            ttl: 300,
            rrdatas: [address.address],
        }, { parent, dependsOn: [project.apis.dns] });
    } else {
        // The certificate is issued once the name resolves to the load balancer, wherever its DNS lives.
        address.address.apply((ip) =>
            pulumi.log.warn(`${domain.name} is not in a Cloud DNS zone of this stack (dnsZone is empty): point its A record at ${ip} so the managed certificate can be issued.`, parent));
    }

    return { address, certificate, backendService, httpsForwardingRule, securityPolicy, url: pulumi.output(`https://${domain.name}`) };
}

/**
 * Cloud DNS addresses zones by resource name, not DNS name: the configured one, or the project's
 * public zone whose DNS name is `dnsZone`.
 */
function managedZoneName(args: PlatformArgs, zone: string, parent: pulumi.Resource): pulumi.Input<string> {
    if (args.overrides.gcp.dnsManagedZone) return args.overrides.gcp.dnsManagedZone;
    return gcp.dns.getManagedZonesOutput({}, { parent }).managedZones.apply((zones) => {
        const match = zones.find((z) => z.dnsName === `${zone}.` && z.visibility === "public");
        if (!match?.name) {
            throw new Error(
                `no public Cloud DNS zone for '${zone}' in this project (fastapi-platform:dnsZone); create it, ` +
                    "name it with fastapi-platform:gcp.dnsManagedZone, or leave dnsZone empty and point the domain at the load balancer yourself",
            );
        }
        return match.name;
    });
}

/**
 * Cloud Armor: a per-IP throttle over one minute (429 beyond it), bodies over maxRequestBodyMb
 * refused (413), then OWASP SQLi/XSS rules at their lowest false-positive level.
 */
function createSecurityPolicy(name: string, args: PlatformArgs, parent: pulumi.Resource): gcp.compute.SecurityPolicy {
    const everyone = { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } };
    const owasp = (priority: number, ruleSet: string) => ({
        priority,
        action: "deny(403)",
        description: `OWASP ${ruleSet}`,
        match: { expr: { expression: `evaluatePreconfiguredWaf('${ruleSet}', {'sensitivity': 1})` } },
    });
    return new gcp.compute.SecurityPolicy(`${name}-armor`, {
        description: `${args.baseName}: per-IP rate limit and OWASP rules`,
        type: "CLOUD_ARMOR",
        rules: [
            {
                priority: 1000,
                action: "throttle",
                description: "rate limit per client IP",
                match: everyone,
                rateLimitOptions: {
                    enforceOnKey: "IP",
                    rateLimitThreshold: { count: args.edgeRateLimitPerMinute, intervalSec: 60 },
                    conformAction: "allow",
                    exceedAction: "deny(429)",
                },
            },
            {
                priority: 900,
                action: "deny(403)",
                description: `request bodies over maxRequestBodyMb (${args.service.maxRequestBodyMb} MB), by Content-Length`,
                // Cloud Armor inspects only the start of a body; its size is judged by the header.
                match: { expr: { expression: `has(request.headers['content-length']) && request.headers['content-length'].matches('${integerGreaterThanRegex(maxBodyBytes(args.service.maxRequestBodyMb))}')` } },
            },
            owasp(2000, "sqli-v33-stable"),
            owasp(2001, "xss-v33-stable"),
            { priority: DEFAULT_RULE_PRIORITY, action: "allow", description: "default: allow", match: everyone },
        ],
        labels: gcpLabels(args.tags),
    }, { parent });
}
