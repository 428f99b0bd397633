import * as pulumi from "@pulumi/pulumi";
import * as cdn from "@pulumi/azure-native/cdn";
import * as dns from "@pulumi/azure-native/dns";
import * as frontdoor from "@pulumi/azure-native/frontdoor";
import { compactName } from "../../components/naming";
import { SECURITY_HEADERS, maxBodyBytes } from "../../components/edge-limits";
import { localName, type AzureContext } from "./context";
import type { Services } from "./service";

export interface Edge {
    /** Front Door, when the stack serves a custom domain (always in production). */
    profile?: cdn.Profile;
    endpoint?: cdn.AFDEndpoint;
    customDomain?: cdn.AFDCustomDomain;
    /** Production only: the per-client-IP rate limit and Microsoft's managed rule sets. */
    wafPolicy?: frontdoor.Policy;
    url: pulumi.Output<string>;
}

/** The record name of `domain` inside `zone`: "@" for the apex, else the labels before the zone. */
export function relativeRecordName(domain: string, zone: string): string {
    return domain === zone ? "@" : domain.slice(0, -(zone.length + 1));
}

/**
 * The Front Door profile, created before the API so that the API can admit this profile's
 * traffic only (its X-Azure-FDID). Premium in production, for the managed WAF rule sets;
 * Standard for a staging stack that has a domain; none without a domain.
 */
export function createFrontDoorProfile(ctx: AzureContext): cdn.Profile | undefined {
    if (!ctx.args.domain) return undefined;
    return new cdn.Profile(`${ctx.name}-front-door`, {
        profileName: localName(ctx, "fd", 90),
        resourceGroupName: ctx.resourceGroupName,
        location: "global",
        sku: { name: ctx.production ? "Premium_AzureFrontDoor" : "Standard_AzureFrontDoor" },
        // How long Front Door waits for the API's answer (16-240 s; validate.ts keeps it within App Service's 230 s).
        originResponseTimeoutSeconds: ctx.args.service.requestTimeoutSeconds,
        tags: ctx.args.tags,
    }, { parent: ctx.parent });
}

/**
 * Front Door in front of the API: the custom domain with a Front Door-managed certificate (TLS
 * 1.2 minimum), HTTP redirected to HTTPS, HTTPS to the origin, health probes on healthCheckPath.
 * With azure.dnsZoneResourceGroup the validation TXT and the CNAME (or apex alias) are created
 * in the Azure DNS zone `dnsZone`. Production adds the WAF. Without a domain (staging only), the
 * API's own https://<app>.azurewebsites.net is the URL.
 */
export function createEdge(ctx: AzureContext, services: Services, profile: cdn.Profile | undefined): Edge {
    const { args, production, resourceGroupName, parent } = ctx;
    if (!profile || !args.domain) return { url: pulumi.interpolate`https://${services.api.defaultHostName}` };
    const opts = { parent };
    const profileName = profile.name;
    const domain = args.domain;

    const endpoint = new cdn.AFDEndpoint(`${ctx.name}-fd-endpoint`, {
        endpointName: localName(ctx, "api", 46),
        profileName, resourceGroupName, location: "global",
        enabledState: "Enabled",
        tags: args.tags,
    }, opts);
    const originGroup = new cdn.AFDOriginGroup(`${ctx.name}-fd-origins`, {
        originGroupName: "api",
        profileName, resourceGroupName,
        healthProbeSettings: {
            probePath: args.service.healthCheckPath,
            probeProtocol: cdn.ProbeProtocol.Https,
            // FastAPI answers GET, not HEAD, on a GET route.
            probeRequestType: cdn.HealthProbeRequestType.GET,
            probeIntervalInSeconds: 30,
        },
        loadBalancingSettings: { sampleSize: 4, successfulSamplesRequired: 3, additionalLatencyInMilliseconds: 50 },
        sessionAffinityState: "Disabled",
    }, opts);
    const origin = new cdn.AFDOrigin(`${ctx.name}-fd-origin`, {
        originName: "app-service",
        originGroupName: originGroup.name,
        profileName, resourceGroupName,
        hostName: services.api.defaultHostName,
        originHostHeader: services.api.defaultHostName,
        httpsPort: 443,
        enforceCertificateNameCheck: true,
        priority: 1,
        weight: 1000,
        enabledState: "Enabled",
    }, opts);

    const zoneResourceGroup = args.overrides.azure.dnsZoneResourceGroup;
    const zone = domain.zone && zoneResourceGroup
        ? dns.getZoneOutput({ zoneName: domain.zone, resourceGroupName: zoneResourceGroup }, opts)
        : undefined;
    const customDomain = new cdn.AFDCustomDomain(`${ctx.name}-fd-domain`, {
        customDomainName: domain.name.replace(/\./g, "-"),
        hostName: domain.name,
        profileName, resourceGroupName,
        tlsSettings: { certificateType: "ManagedCertificate", minimumTlsVersion: cdn.AfdMinimumTlsVersion.TLS12 },
        ...(zone ? { azureDnsZone: { id: zone.id } } : {}),
    }, opts);
    if (zone && domain.zone) createDnsRecords(ctx, domain.name, domain.zone, zoneResourceGroup, endpoint, customDomain);

    const headers = createSecurityHeaders(ctx, profileName);
    new cdn.Route(`${ctx.name}-fd-route`, {
        routeName: "api",
        endpointName: endpoint.name,
        profileName, resourceGroupName,
        customDomains: [{ id: customDomain.id }],
        originGroup: { id: originGroup.id },
        supportedProtocols: ["Http", "Https"],
        httpsRedirect: "Enabled",
        forwardingProtocol: "HttpsOnly",
        // Served on the custom domain only, where the WAF and the certificate apply.
        linkToDefaultDomain: "Disabled",
        patternsToMatch: ["/*"],
        ruleSets: [{ id: headers.id }],
        enabledState: "Enabled",
    }, { parent, dependsOn: [origin, headers.rule] });

    const wafPolicy = production ? createWaf(ctx, profile, customDomain) : undefined;
    return { profile, endpoint, customDomain, wafPolicy, url: pulumi.output(`https://${domain.name}`) };
}

/**
 * A rule set that writes HSTS and the app's security headers on every response Front Door
 * returns (ModifyResponseHeader, overwrite).
 */
function createSecurityHeaders(ctx: AzureContext, profileName: pulumi.Output<string>): { id: pulumi.Output<string>; rule: cdn.Rule } {
    const opts = { parent: ctx.parent };
    // Rule set and rule names: letters and digits, starting with a letter, at most 60 characters (Front Door rule set API).
    const ruleSet = new cdn.RuleSet(`${ctx.name}-fd-security-headers`, {
        ruleSetName: "securityheaders", profileName, resourceGroupName: ctx.resourceGroupName,
    }, opts);
    const rule = new cdn.Rule(`${ctx.name}-fd-security-headers`, {
        ruleName: "addsecurityheaders", ruleSetName: ruleSet.name, profileName, resourceGroupName: ctx.resourceGroupName,
        order: 1,
        conditions: [],
        actions: Object.entries(SECURITY_HEADERS).map(([headerName, value]) => ({
            name: "ModifyResponseHeader" as const,
            parameters: { typeName: "DeliveryRuleHeaderActionParameters" as const, headerAction: "Overwrite", headerName, value },
        })),
        matchProcessingBehavior: "Continue",
    }, opts);
    return { id: ruleSet.id, rule };
}

/** The TXT record Front Door validates the domain with, and the name pointing at the endpoint. */
function createDnsRecords(
    ctx: AzureContext, domain: string, zoneName: string, zoneResourceGroup: string, endpoint: cdn.AFDEndpoint, customDomain: cdn.AFDCustomDomain,
): void {
    const opts = { parent: ctx.parent };
    const name = relativeRecordName(domain, zoneName);
    const apex = name === "@";
    new dns.RecordSet(`${ctx.name}-domain-validation`, {
        zoneName, resourceGroupName: zoneResourceGroup,
        relativeRecordSetName: apex ? "_dnsauth" : `_dnsauth.${name}`,
        recordType: "TXT",
        ttl: 3600,
        txtRecords: [{ value: [customDomain.validationProperties.validationToken] }],
    }, opts);
    new dns.RecordSet(`${ctx.name}-domain-record`, {
        zoneName, resourceGroupName: zoneResourceGroup,
        relativeRecordSetName: name,
        // A zone apex cannot hold a CNAME: an alias A record points at the endpoint instead.
        ...(apex
            ? { recordType: "A", targetResource: { id: endpoint.id } }
            : { recordType: "CNAME", cnameRecord: { cname: endpoint.hostName } }),
        ttl: 3600,
    }, opts);
}

/**
 * WAF in prevention mode: a rate limit of edgeRateLimitPerMinute requests per client IP per
 * minute, then Microsoft's default and bot-manager rule sets, attached to the custom domain.
 */
function createWaf(ctx: AzureContext, profile: cdn.Profile, customDomain: cdn.AFDCustomDomain): frontdoor.Policy {
    const { args, resourceGroupName, parent } = ctx;
    const wafPolicy = new frontdoor.Policy(`${ctx.name}-waf`, {
        // Alphanumerics only, starting with a letter.
        policyName: compactName(args.baseName, "waf", 128),
        resourceGroupName,
        location: "Global",
        sku: { name: "Premium_AzureFrontDoor" },
        policySettings: { enabledState: "Enabled", mode: "Prevention", requestBodyCheck: "Enabled" },
        customRules: {
            rules: [{
                name: "RateLimitPerClientIp",
                priority: 1,
                enabledState: "Enabled",
                ruleType: "RateLimitRule",
                rateLimitDurationInMinutes: 1,
                rateLimitThreshold: args.edgeRateLimitPerMinute,
                groupBy: [{ variableName: "SocketAddr" }],
                matchConditions: [{ matchVariable: "SocketAddr", operator: "IPMatch", matchValue: ["0.0.0.0/0", "::/0"] }],
                action: "Block",
            }, {
                // Front Door compares the header as a number; the body itself is inspected only in part.
                name: "MaxRequestBody",
                priority: 2,
                enabledState: "Enabled",
                ruleType: "MatchRule",
                matchConditions: [{ matchVariable: "RequestHeader", selector: "Content-Length", operator: "GreaterThan", matchValue: [String(maxBodyBytes(args.service.maxRequestBodyMb))] }],
                action: "Block",
            }],
        },
        managedRules: {
            managedRuleSets: [
                { ruleSetType: "Microsoft_DefaultRuleSet", ruleSetVersion: "2.1", ruleSetAction: "Block" },
                { ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.0" },
            ],
        },
        tags: args.tags,
    }, { parent });
    new cdn.SecurityPolicy(`${ctx.name}-waf-association`, {
        securityPolicyName: "waf",
        profileName: profile.name,
        resourceGroupName,
        parameters: {
            type: "WebApplicationFirewall",
            wafPolicy: { id: wafPolicy.id },
            associations: [{ domains: [{ id: customDomain.id }], patternsToMatch: ["/*"] }],
        },
    }, { parent });
    return wafPolicy;
}
