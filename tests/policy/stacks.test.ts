import * as assert from "assert";
import { POLICIES_BY_CLOUD } from "../../policy/rules";
import { checkPolicies, environmentPolicyConfigFile, readPolicyConfig, type Violation } from "../../tools/policy-check";
import { cloudsUnderTest } from "../clouds";
import { deploy, STACKS } from "../support";

/**
 * The pack over the real program: every cloud the program can deploy x every shipped stack, with
 * every policy at the pack's own level (mandatory) — stricter than staging's advisory config, so
 * a shipped stack is compliant, not merely allowed through.
 */

const show = (v: Violation) => `${v.policy}: ${v.resource ? `${v.resource.type} ${v.resource.name}` : "stack"}: ${v.message}`;

for (const [cloud] of cloudsUnderTest()) {
    describe(`policy pack over the ${cloud} stacks`, () => {
        for (const stack of STACKS) {
            it(`${stack}: no mandatory violation`, async () => {
                const result = await deploy(stack, { overrides: { cloud } });
                const check = await checkPolicies(result);
                assert.ok(check.evaluated > 30, `only ${check.evaluated} policy checks ran`);
                assert.deepStrictEqual(check.violations.filter((v) => v.enforcement === "mandatory").map(show), []);
            });
        }

        it("applies every policy of the cloud to something in staging or prod (none is silently not applicable)", async () => {
            const applied = new Set<string>();
            for (const stack of STACKS) {
                const check = await checkPolicies(await deploy(stack, { overrides: { cloud } }));
                for (const name of Object.keys(check.applied)) applied.add(name);
            }
            const policies = [...POLICIES_BY_CLOUD.common, ...POLICIES_BY_CLOUD[cloud as "aws" | "gcp" | "azure" | "kubernetes"]];
            assert.deepStrictEqual(policies.map((p) => p.name).filter((name) => !applied.has(name)), []);
        });
    });
}

describe("policy config files (policy/config/<environment>.json)", () => {
    it("staging's lowers every violation to advisory; production's keeps them mandatory", async () => {
        const staging = readPolicyConfig(environmentPolicyConfigFile("staging"));
        const production = readPolicyConfig(environmentPolicyConfigFile("production"));
        const result = await deploy("prod", { overrides: { cloud: "aws", aws: { albAccessLogs: false, drRegion: "eu-central-1" } } });
        const asStaging = await checkPolicies(result, { config: staging });
        const asProduction = await checkPolicies(result, { config: production });
        assert.deepStrictEqual(asProduction.violations.map((v) => `${v.enforcement} ${v.policy}`), ["mandatory aws-alb-access-logs"], "albAccessLogs false in prod is flagged");
        assert.deepStrictEqual(asStaging.violations.map((v) => `${v.enforcement} ${v.policy}`), ["advisory aws-alb-access-logs"]);
    });
});
