import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { SCHEMA } from "../config/schema";
import { PULUMI_YAML, README, readmeBlock, renderPulumiYaml, renderReference } from "../tools/docs";
import { PROJECT_DIR } from "../tools/harness";

/**
 * Pulumi.yaml (what the CLI validates), config/schema.ts (what the program validates) and the
 * README's reference (what people read) describe the same keys, types and defaults.
 */
const project = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));
const declared = project.config as Record<string, { type?: string; default?: unknown; description?: string; items?: { type: string } }>;

describe("configuration schema", () => {
    it("declares in Pulumi.yaml exactly the keys the program reads", () => {
        assert.deepStrictEqual(Object.keys(declared).sort(), Object.keys(SCHEMA).sort());
    });

    for (const [key, spec] of Object.entries(SCHEMA)) {
        it(`declares ${key} with the program's type, default and description`, () => {
            const d = declared[key];
            assert.strictEqual(d.description, spec.description);
            if (spec.type === "object") {
                // Pulumi's project schema has no object type: object keys are declared untyped.
                assert.strictEqual(d.type, undefined);
                assert.deepStrictEqual(d.default, {});
                return;
            }
            assert.strictEqual(d.type, spec.type);
            if (spec.type === "array") assert.deepStrictEqual(d.items, { type: "string" });
            if (key === "image") assert.ok(!("default" in d), "image has no default: the CLI asks for it");
            else assert.deepStrictEqual(d.default, spec.default);
        });
    }

    it("uses only the declaration fields and types Pulumi's project schema allows", () => {
        for (const [key, d] of Object.entries(declared)) {
            for (const field of Object.keys(d)) assert.ok(["type", "description", "default", "secret", "items"].includes(field), `${key}.${field}`);
            if (d.type) assert.ok(["string", "integer", "boolean", "array"].includes(d.type), `${key}: ${d.type}`);
        }
        assert.strictEqual(project.runtime.name, "nodejs");
        assert.strictEqual(project.runtime.options.tsconfig, "tsconfig.pulumi.json");
    });

    it("sets every cloud's provider settings in each stack file, so `cloud` alone moves a stack", () => {
        for (const stack of ["staging", "prod"]) {
            const config = parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")).config;
            for (const key of ["aws:region", "gcp:project", "gcp:region", "azure-native:location"]) assert.ok(config[key], `${stack}: ${key}`);
        }
    });

    it("runs the CLI's ts-node without type-checking (tsconfig.pulumi.json has noCheck)", () => {
        const text = fs.readFileSync(path.join(PROJECT_DIR, "tsconfig.pulumi.json"), "utf8").replace(/^\s*\/\/.*$/gm, "");
        assert.strictEqual(JSON.parse(text).compilerOptions.noCheck, true);
    });

    it("keeps Pulumi.yaml's declarations exactly as generated from the schema (run `npm run docs`)", () => {
        const current = fs.readFileSync(PULUMI_YAML, "utf8");
        assert.strictEqual(current, renderPulumiYaml(current));
    });

    it("keeps the README's configuration reference in sync (run `npm run docs`)", () => {
        assert.strictEqual(readmeBlock(fs.readFileSync(README, "utf8")), renderReference());
    });
});
