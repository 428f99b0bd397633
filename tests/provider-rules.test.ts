import * as assert from "assert";
import type { RecordedResource } from "../tools/harness";
import { PROVIDER_RULES, providerRuleFindings } from "../tools/provider-rules";
import { cloudsUnderTest } from "./clouds";
import { run, STACKS } from "./support";

/** Cross-field rules the providers enforce at preview (tools/provider-rules.ts), over every cloud x stack. */
describe("provider cross-field rules", () => {
    for (const [cloud] of cloudsUnderTest()) {
        for (const stack of STACKS) {
            it(`${cloud} ${stack}: the program sets nothing a provider rejects`, async () => {
                const r = await run(stack, { overrides: { cloud } });
                assert.ok(!r.error, r.error?.message);
                assert.deepStrictEqual(providerRuleFindings(r.resources).map((f) => `${f.type} ${f.resource}: ${f.problem} (${f.source})`), []);
            });
        }
    }

    it("every rule applies to a resource type the program creates on some cloud and stack", async () => {
        const types = new Set<string>();
        for (const [cloud] of cloudsUnderTest()) for (const stack of STACKS) (await run(stack, { overrides: { cloud } })).resources.forEach((r) => types.add(r.type));
        assert.deepStrictEqual(PROVIDER_RULES.map((r) => r.type).filter((type) => !types.has(type)), []);
    });

    it("catches the AWS 5xx-rate alarm as it was: `period` beside `metricQueries`", () => {
        const alarm: RecordedResource = {
            urn: "urn:pulumi:prod::fastapi-platform::aws:cloudwatch/metricAlarm:MetricAlarm::api-5xx-rate",
            type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "api-5xx-rate", custom: true, protect: false,
            inputs: {}, secretPaths: [], state: {}, dependencies: [], propertyDependencies: {},
            plainInputs: { period: 300, evaluationPeriods: 3, datapointsToAlarm: 2, metricQueries: [{ id: "rate", expression: "errors", returnData: true }] },
        };
        assert.deepStrictEqual(providerRuleFindings([alarm]).map((f) => f.problem), ["metricQueries is set together with period"]);
    });
});
