import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_DIR } from "../tools/harness";
import { npmScriptArgv } from "../tools/npm-script";

/** tools/register.js: the swc loader the tools start with (`npm run plan`, bench, docs, ...). */
const register = require("../tools/register.js") as { SWC_OPTIONS: any; compile(source: string, filename: string): string };
const REGISTER = "./tools/register.js";
const TOOL_SCRIPTS = ["plan", "bench", "docs", "snapshot", "deploy", "release"];

function node(args: string[]): string {
    return execFileSync(process.execPath, args, { cwd: PROJECT_DIR, encoding: "utf8", timeout: 60000 });
}

describe("tools/register.js (the tools' TypeScript loader)", () => {
    it("compiles with tsconfig.json's module settings", () => {
        const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "tsconfig.json"), "utf8"));
        const options = register.SWC_OPTIONS;
        assert.strictEqual(options.jsc.target, compilerOptions.target);
        assert.strictEqual(options.module.type, compilerOptions.module);
        assert.strictEqual(options.module.noInterop, !compilerOptions.esModuleInterop, "esModuleInterop and swc's noInterop must say the same");
        assert.strictEqual(options.module.strictMode, compilerOptions.strict);
        // The emitted code itself: a namespace import stays a plain require, as tsc emits it without esModuleInterop.
        const code = register.compile('import * as fs from "fs";\nimport yaml from "yaml";\nexport const a = fs.existsSync;\nexport const b = yaml;\n', "probe.ts");
        assert.match(code, /= require\("fs"\);/);
        assert.match(code, /= require\("yaml"\);/);
        assert.match(code, /\.default;/, "a default import reads .default, as tsc emits it");
        assert.doesNotMatch(code, /_interop_require/);
    });

    it("type-checks as strictly as the TypeScript (it is plain JavaScript under @ts-check)", function () {
        this.timeout(60000);
        const file = path.join(PROJECT_DIR, "tools", "register.js");
        const program = ts.createProgram([file], {
            allowJs: true, checkJs: true, noEmit: true, strict: true,
            target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, types: ["node"],
        });
        const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        assert.deepStrictEqual(problems, []);
    });

    it("every tool script starts with it, not with ts-node", () => {
        for (const name of TOOL_SCRIPTS) {
            const argv = npmScriptArgv(name);
            assert.deepStrictEqual(argv.slice(1, 3), ["-r", REGISTER], `npm run ${name}: ${argv.join(" ")}`);
            assert.ok(fs.existsSync(path.join(PROJECT_DIR, argv[3])), `npm run ${name}: ${argv[3]} does not exist`);
        }
    });

    it("loads the tools without the TypeScript compiler", () => {
        const loaded = node(["-r", REGISTER, "-e", 'require("./tools/engine/launch"); require("./tools/plan"); console.log(JSON.stringify(Object.keys(require.cache)))']);
        const modules: string[] = JSON.parse(loaded);
        assert.ok(modules.some((file) => file.endsWith(path.join("tools", "plan.ts"))), "the plan tool did not load");
        assert.deepStrictEqual(modules.filter((file) => file.includes(`${path.sep}node_modules${path.sep}typescript${path.sep}`) || file.includes(`${path.sep}ts-node${path.sep}`)), []);
    });

    it("maps stack traces to TypeScript lines", () => {
        const file = path.join(os.tmpdir(), `register-probe-${process.pid}.ts`);
        // Type-only lines before the throw: erased by the compiler, so an unmapped trace would point elsewhere.
        const source = ["interface Shape {", "    a: number;", "", "    b: string;", "}", "type Alias = Shape;", "", "", "export function fail(_shape?: Alias): never {", '    throw new Error("probe");', "}", "fail();", ""].join("\n");
        fs.writeFileSync(file, source);
        try {
            let stack = "";
            try {
                node(["-r", REGISTER, file]);
            } catch (error) {
                stack = String((error as { stderr?: string }).stderr);
            }
            assert.match(stack, new RegExp(`${path.basename(file).replace(/\./g, "\\.")}:10:`), stack);
        } finally {
            fs.rmSync(file, { force: true });
        }
    });
});
