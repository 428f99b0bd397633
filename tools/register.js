// @ts-check
"use strict";
/**
 * `node -r ./tools/register.js tools/<tool>.ts`: how the repository's own tools start (plan,
 * bench, docs, snapshot, deploy, release). It compiles each .ts file with @swc/core, the
 * transpiler ts-node already uses for the program, without loading the TypeScript compiler:
 * `typescript` costs about half a second to load, and the plan tool has to start the program's
 * process before anything else (tools/plan.ts). Nothing is type-checked here; `npm run typecheck`
 * (strict tsc) does that in CI.
 *
 * The Pulumi program itself never loads through this file: the CLI's language host starts it with
 * ts-node (Pulumi.yaml, tsconfig.pulumi.json), and so does the plan tool's child process.
 *
 * The options below are tsconfig.json's, in swc's terms (tests/register.test.ts holds them
 * together); this is plain JavaScript because it has to run before anything can compile TypeScript.
 */
const fs = require("fs");
const swc = require("@swc/core");

/**
 * tsconfig.json: target es2022, module commonjs, esModuleInterop false, strict.
 * @type {import("@swc/core").Options}
 */
const SWC_OPTIONS = {
    swcrc: false,
    sourceMaps: "inline",
    module: { type: "commonjs", noInterop: true, strictMode: true },
    jsc: {
        parser: { syntax: "typescript", tsx: false, dynamicImport: true },
        target: "es2022",
        // TypeScript's default for an ES2022 target; ts-node's swc mode sets the same.
        transform: { useDefineForClassFields: true },
        keepClassNames: true,
    },
};

/** @type {Map<string, string>} Transpiled code by file, for the source maps of stack traces. */
const transpiled = new Map();

/** @param {string} source @param {string} filename */
function compile(source, filename) {
    const { code } = swc.transformSync(source, { ...SWC_OPTIONS, filename });
    transpiled.set(filename, code);
    return code;
}

/** Stack traces show TypeScript positions (the same source-map support ts-node installs). */
function installSourceMaps() {
    /** @type {{ install(options: object): void }} */
    const sourceMapSupport = require("@cspotcode/source-map-support");
    sourceMapSupport.install({ environment: "node", retrieveFile: (/** @type {string} */ file) => transpiled.get(file) ?? null });
}

/** @type {Record<string, (module: any, filename: string) => void>} */
const extensions = /** @type {any} */ (require.extensions);
if (!extensions[".ts"]) {
    installSourceMaps();
    extensions[".ts"] = (module, filename) => module._compile(compile(fs.readFileSync(filename, "utf8"), filename), filename);
}

module.exports = { SWC_OPTIONS, compile };
