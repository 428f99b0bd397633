import * as assert from "assert";
import { cloudsUnderTest } from "./clouds";
import { deploy, ofType } from "./support";

/**
 * reviewStackTtlHours: a review stack (from the `pr` template) schedules its own destruction with
 * a Pulumi Cloud TtlSchedule, on every cloud; other stacks create none and never load the SDK.
 */
const TTL = "pulumiservice:index:TtlSchedule";

describe("review stacks: reviewStackTtlHours", () => {
    for (const [cloud] of cloudsUnderTest()) {
        it(`${cloud}: schedules the stack's destruction 48 hours out, then deletes it`, async () => {
            const before = Date.now();
            const r = await deploy("staging", { overrides: { cloud, reviewStackTtlHours: 48 } });
            const ttl = ofType(r, TTL);
            assert.strictEqual(ttl.length, 1);
            assert.strictEqual(ttl[0].plainInputs.stack, "staging");
            assert.strictEqual(ttl[0].plainInputs.project, "fastapi-platform");
            assert.strictEqual(ttl[0].plainInputs.deleteAfterDestroy, true);
            const hours = (Date.parse(ttl[0].plainInputs.timestamp) - before) / 3_600_000;
            assert.ok(hours > 47.9 && hours <= 48.01, `timestamp is ${hours} hours out`);
        });
    }

    it("creates no schedule by default", async () => {
        const r = await deploy("staging");
        assert.strictEqual(ofType(r, TTL).length, 0);
    });
});
