import * as assert from "assert";
import { SECURITY_HEADERS } from "../components/edge-limits";
import type { RunResult } from "../tools/harness";
import { G, gcpContainer } from "./clouds/gcp";
import { appSettings, Z } from "./clouds/azure";
import { K } from "./clouds/kubernetes";
import { deploy, only } from "./support";

/**
 * The shipped prod stacks with their defaults: request bodies up to 10 MB (maxRequestBodyMb),
 * 60 s requests (requestTimeoutSeconds), HSTS and the security headers where the edge can add
 * them, WebSockets where the platform has a switch.
 */
const TEN_MB = 10 * 1024 * 1024;

describe("edge limits on every cloud's prod plan", () => {
    it("AWS: the WAF passes bodies over 8 KB and blocks those over 10 MB; the ALB waits 60 s", async () => {
        const r = await deploy("prod", { overrides: { cloud: "aws" } });
        const rules = only(r, "aws:wafv2/webAcl:WebAcl").plainInputs.rules as any[];
        const limit = new RegExp(rules.find((x) => x.name === "max-request-body").statement.regexMatchStatement.regexString);
        assert.deepStrictEqual([8193, 1_000_000, TEN_MB, TEN_MB + 1, 50 * TEN_MB].map((n) => limit.test(String(n))), [false, false, false, true, true]);
        assert.deepStrictEqual(rules.find((x) => x.name === "max-request-body").action, { block: {} });
        const common = rules.find((x) => x.name === "AWSManagedRulesCommonRuleSet").statement.managedRuleGroupStatement;
        assert.deepStrictEqual(common.ruleActionOverrides, [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]);
        assert.strictEqual(only(r, "aws:lb/loadBalancer:LoadBalancer").plainInputs.idleTimeout, 60);
    });

    it("GCP: Cloud Run times requests out at 60 s; Cloud Armor refuses bodies over 10 MB; the load balancer adds HSTS and the security headers", async () => {
        const r = await deploy("prod", { overrides: { cloud: "gcp" } });
        assert.strictEqual(only(r, G.run, "-api").plainInputs.template.timeout, "60s");
        const bodyRule = only(r, G.armor).plainInputs.rules.find((x: { priority: number }) => x.priority === 900);
        assert.strictEqual(bodyRule.action, "deny(403)");
        const pattern = new RegExp(/matches\('([^']+)'\)/.exec(bodyRule.match.expr.expression)![1]);
        assert.deepStrictEqual([pattern.test(String(TEN_MB)), pattern.test(String(TEN_MB + 1))], [false, true]);
        assert.deepStrictEqual(only(r, G.backend).plainInputs.customResponseHeaders, Object.entries(SECURITY_HEADERS).map(([h, v]) => `${h}: ${v}`));
        assert.match(SECURITY_HEADERS["Strict-Transport-Security"], /max-age=31536000/);
        assert.ok(gcpContainer(r, "api"));
    });

    it("Azure: Front Door waits 60 s, its WAF blocks bodies over 10 MB, a rule set adds the headers; App Service allows WebSockets", async () => {
        const r: RunResult = await deploy("prod", { overrides: { cloud: "azure" } });
        assert.strictEqual(only(r, "azure-native:cdn:Profile").plainInputs.originResponseTimeoutSeconds, 60);
        const rule = only(r, Z.waf).plainInputs.customRules.rules.find((x: { name: string }) => x.name === "MaxRequestBody");
        assert.deepStrictEqual([rule.matchConditions[0].operator, rule.matchConditions[0].matchValue, rule.action], ["GreaterThan", [String(TEN_MB)], "Block"]);
        const headerRule = only(r, "azure-native:cdn:Rule").plainInputs;
        assert.deepStrictEqual(headerRule.actions.map((a: any) => [a.name, a.parameters.headerName, a.parameters.value]),
            Object.entries(SECURITY_HEADERS).map(([h, v]) => ["ModifyResponseHeader", h, v]));
        const ruleSetId = only(r, "azure-native:cdn:RuleSet").state.id;
        assert.deepStrictEqual(only(r, "azure-native:cdn:Route").plainInputs.ruleSets, [{ id: ruleSetId }]);
        assert.strictEqual(only(r, Z.webApp).plainInputs.siteConfig.webSocketsEnabled, true);
        assert.ok(appSettings(only(r, Z.webApp)));
    });

    it("Kubernetes: ingress-nginx takes 10 MB bodies and waits 60 s both ways", async () => {
        const r = await deploy("prod", { overrides: { cloud: "kubernetes" } });
        const annotations = only(r, K.ingress).plainInputs.metadata.annotations;
        assert.deepStrictEqual(
            ["proxy-body-size", "proxy-read-timeout", "proxy-send-timeout"].map((a) => annotations[`nginx.ingress.kubernetes.io/${a}`]),
            ["10m", "60", "60"],
        );
    });
});
