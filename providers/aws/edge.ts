import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { integerGreaterThanRegex, maxBodyBytes } from "../../components/edge-limits";
import type { PlatformArgs } from "../../components/platform";
import { autoNamed } from "../../components/naming";
import type { Network } from "./network";

/**
 * Load balancer and target group names have at most 32 characters (terraform-provider-aws
 * internal/service/elbv2); Pulumi names both "<logical name>-<7 characters>", so the logical
 * names leave room for that.
 */
const ELB_NAME_MAX = 32;

/** TLS 1.3 with TLS 1.2 fallback, no CBC ciphers (this policy or a newer one; see the ELB security policies page). */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface Edge {
    loadBalancer: aws.lb.LoadBalancer;
    targetGroup: aws.lb.TargetGroup;
    /** The listener ECS services attach behind (HTTPS, or HTTP for a staging stack with no domain). */
    listener: aws.lb.Listener;
    certificateArn?: pulumi.Output<string>;
    webAcl?: aws.wafv2.WebAcl;
    accessLogs?: aws.s3.Bucket;
    url: pulumi.Output<string>;
}

/**
 * Public entry: an ALB in the public subnets with HTTPS (TLS 1.3 policy) and port 80 answering
 * only with a 301 to HTTPS, a target group health-checked on /health with a 60 s drain, the
 * certificate (issued and DNS-validated in `dnsZone`, or brought as an ARN), the DNS alias, and in
 * production deletion protection, access logs and a WAF with a per-IP rate limit.
 */
export function createEdge(name: string, args: PlatformArgs, network: Network, parent: pulumi.Resource): Edge {
    const opts = { parent };
    const production = args.environment === "production";
    const zone = args.domain?.zone ? aws.route53.getZoneOutput({ name: args.domain.zone, privateZone: false }, opts) : undefined;
    const accessLogs = production && args.overrides.aws.albAccessLogs ? createAccessLogBucket(name, args, parent) : undefined;

    const loadBalancer = new aws.lb.LoadBalancer(autoNamed(name, "alb", ELB_NAME_MAX), {
        loadBalancerType: "application",
        internal: false,
        subnets: network.publicSubnets.map((s) => s.id),
        securityGroups: [network.securityGroups.loadBalancer.id],
        dropInvalidHeaderFields: true,
        desyncMitigationMode: "strictest",
        enableHttp2: true,
        // Seconds a connection may sit idle, i.e. the longest a request may wait for the API's answer.
        idleTimeout: args.service.requestTimeoutSeconds,
        enableDeletionProtection: production,
        accessLogs: accessLogs ? { bucket: accessLogs.bucket, prefix: "alb", enabled: true } : undefined,
        tags: args.tags,
    }, { parent, dependsOn: accessLogs ? [accessLogs] : [] });

    const service = args.service;
    const targetGroup = new aws.lb.TargetGroup(autoNamed(name, "api", ELB_NAME_MAX), {
        port: service.port,
        protocol: "HTTP",
        targetType: "ip",
        vpcId: network.vpc.id,
        deregistrationDelay: service.terminationGraceSeconds,
        healthCheck: {
            path: service.healthCheckPath, matcher: "200", protocol: "HTTP", interval: 15, timeout: 5,
            healthyThreshold: 2, unhealthyThreshold: 3,
        },
        tags: args.tags,
    }, opts);

    const certificateArn = args.domain ? certificate(name, args, zone, parent) : undefined;
    const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];
    let listener: aws.lb.Listener;
    if (certificateArn) {
        listener = new aws.lb.Listener(`${name}-https`, {
            loadBalancerArn: loadBalancer.arn, port: 443, protocol: "HTTPS", sslPolicy: ALB_SSL_POLICY,
            certificateArn, defaultActions: forward, tags: args.tags,
        }, opts);
        new aws.lb.Listener(`${name}-http-redirect`, {
            loadBalancerArn: loadBalancer.arn, port: 80, protocol: "HTTP",
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            tags: args.tags,
        }, opts);
    } else {
        // Only reachable in staging (production requires a domain): no certificate without a name.
        pulumi.log.warn(`${args.baseName}: no domain configured, so the load balancer serves plain HTTP on port 80. Set domain and dnsZone for HTTPS.`, parent);
        listener = new aws.lb.Listener(`${name}-http`, {
            loadBalancerArn: loadBalancer.arn, port: 80, protocol: "HTTP", defaultActions: forward, tags: args.tags,
        }, opts);
    }

    if (zone && args.domain) {
        new aws.route53.Record(`${name}-alias`, {
            zoneId: zone.zoneId, name: args.domain.name, type: "A",
            aliases: [{ name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true }],
        }, opts);
    }

    const webAcl = production ? createWebAcl(name, args, loadBalancer, parent) : undefined;
    const url = args.domain ? pulumi.output(`https://${args.domain.name}`) : pulumi.interpolate`http://${loadBalancer.dnsName}`;
    return { loadBalancer, targetGroup, listener, certificateArn, webAcl, accessLogs, url };
}

/** The brought certificate, or a new ACM certificate validated by DNS records in the zone. */
function certificate(
    name: string, args: PlatformArgs, zone: pulumi.Output<aws.route53.GetZoneResult> | undefined, parent: pulumi.Resource,
): pulumi.Output<string> {
    const existing = args.overrides.aws.certificateArn;
    if (existing) return pulumi.output(existing);
    if (!zone || !args.domain) throw new Error("unreachable: validate() requires dnsZone when no certificateArn is given");
    const opts = { parent };
    const cert = new aws.acm.Certificate(`${name}-cert`, {
        domainName: args.domain.name, validationMethod: "DNS", keyAlgorithm: "EC_prime256v1", tags: args.tags,
    }, { parent });
    // One domain name -> one validation record; created from the certificate's own answer.
    const record = new aws.route53.Record(`${name}-cert-validation`, {
        zoneId: zone.zoneId,
        name: cert.domainValidationOptions[0].resourceRecordName,
        type: cert.domainValidationOptions[0].resourceRecordType,
        records: [cert.domainValidationOptions[0].resourceRecordValue],
        ttl: 300,
        allowOverwrite: true,
    }, opts);
    const validation = new aws.acm.CertificateValidation(`${name}-cert-validation`, {
        certificateArn: cert.arn, validationRecordFqdns: [record.fqdn],
    }, opts);
    return validation.certificateArn;
}

/** The common rule set's rule that blocks every body over 8 KB; counted only, so uploads and large JSON pass. */
export const COMMON_RULE_SET_BODY_SIZE_RULE = "SizeRestrictions_BODY";

/**
 * WAFv2 on the ALB: a per-IP rate limit over one minute, the request-body limit, then AWS's
 * common and bad-input rule sets.
 *
 * The body limit: a WAF on an ALB inspects only the first 8 KB of a body (fixed for ALB, AWS
 * WAF API reference, "Body" / OversizeHandling), so the common rule set's SizeRestrictions_BODY
 * blocks every body over 8 KB. It is set to count, and the configured limit is enforced on the
 * Content-Length header instead (a size constraint on the body itself could only ever see 8 KB).
 * A chunked body carries no Content-Length: the app's server limits those (README, "Edge limits").
 */
function createWebAcl(name: string, args: PlatformArgs, loadBalancer: aws.lb.LoadBalancer, parent: pulumi.Resource): aws.wafv2.WebAcl {
    const metric = (suffix: string) => ({
        cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${args.baseName}-${suffix}`,
    });
    const managed = (priority: number, ruleSet: string, countOnly: string[] = []) => ({
        name: ruleSet, priority, overrideAction: { none: {} },
        statement: {
            managedRuleGroupStatement: {
                vendorName: "AWS", name: ruleSet,
                ...(countOnly.length > 0 ? { ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) } : {}),
            },
        },
        visibilityConfig: metric(ruleSet),
    });
    const webAcl = new aws.wafv2.WebAcl(`${name}-waf`, {
        scope: "REGIONAL",
        description: `${args.baseName}: per-IP rate limit, ${args.service.maxRequestBodyMb} MB body limit and AWS managed rules`,
        defaultAction: { allow: {} },
        rules: [
            {
                name: "rate-limit-per-ip", priority: 0, action: { block: {} },
                statement: { rateBasedStatement: { limit: args.edgeRateLimitPerMinute, evaluationWindowSec: 60, aggregateKeyType: "IP" } },
                visibilityConfig: metric("rate-limit"),
            },
            {
                name: "max-request-body", priority: 1, action: { block: {} },
                statement: {
                    regexMatchStatement: {
                        fieldToMatch: { singleHeader: { name: "content-length" } },
                        regexString: integerGreaterThanRegex(maxBodyBytes(args.service.maxRequestBodyMb)),
                        textTransformations: [{ priority: 0, type: "NONE" }],
                    },
                },
                visibilityConfig: metric("max-request-body"),
            },
            managed(2, "AWSManagedRulesCommonRuleSet", [COMMON_RULE_SET_BODY_SIZE_RULE]),
            managed(3, "AWSManagedRulesKnownBadInputsRuleSet"),
        ],
        visibilityConfig: metric("waf"),
        tags: args.tags,
    }, { parent });
    new aws.wafv2.WebAclAssociation(`${name}-waf`, { resourceArn: loadBalancer.arn, webAclArn: webAcl.arn }, { parent });
    return webAcl;
}

/** Encrypted, private, 90-day bucket for ALB access logs, writable only by ELB log delivery. */
function createAccessLogBucket(name: string, args: PlatformArgs, parent: pulumi.Resource): aws.s3.Bucket {
    const opts = { parent };
    const bucket = new aws.s3.Bucket(`${name}-alb-logs`, { forceDestroy: false, tags: args.tags }, { parent, protect: true });
    new aws.s3.BucketPublicAccessBlock(`${name}-alb-logs`, {
        bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, opts);
    // ALB log delivery supports SSE-S3 only, not KMS.
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-alb-logs`, {
        bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    }, opts);
    new aws.s3.BucketLifecycleConfiguration(`${name}-alb-logs`, {
        bucket: bucket.id, rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: 90 } }],
    }, opts);
    const elbAccount = aws.elb.getServiceAccountOutput({}, opts);
    new aws.s3.BucketPolicy(`${name}-alb-logs`, {
        bucket: bucket.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "ElbLogDelivery", Effect: "Allow", Principal: { AWS: elbAccount.arn }, Action: "s3:PutObject", Resource: pulumi.interpolate`${bucket.arn}/alb/*` },
                { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
            ],
        }),
    }, opts);
    return bucket;
}
