import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { skipSourceMapsForSdkTraces } from "../components/fast-start";

/**
 * Imported first by every tool that runs the program (harness, plan, bench, snapshot), so that
 * everything loaded after it - the program, the mocks, the policy pack - is served from the
 * transpile cache. Side effects only; nothing to call.
 */
const PROJECT_DIR = path.resolve(__dirname, "..");

interface TsNodeService {
    transpileOnly: boolean;
    ts: { version: string };
    config: { options: unknown };
}
type CompileHook = (module: NodeJS.Module & { _compile(code: string, filename: string): unknown }, filename: string) => void;

/**
 * ts-node transpiles every file again on every start (about a second for this program, more
 * than the run itself). Its output for the program's own files is kept in
 * node_modules/.cache/fastapi-platform/ts, one file per source file, reused while the source,
 * the TypeScript and ts-node versions and the compiler options are unchanged.
 */
function cacheTranspiledProgram(): void {
    const extensions = require.extensions as Record<string, CompileHook | undefined>;
    const tsNodeHook = extensions[".ts"];
    const tsNode = (process as unknown as Record<symbol, TsNodeService | undefined>)[Symbol.for("ts-node.register.instance")];
    // Only a transpile-only ts-node: a cache hit would silently skip a type-checking one.
    if (!tsNodeHook || !tsNode?.transpileOnly || (tsNodeHook as { cached?: boolean }).cached) return;
    const cacheDir = path.join(PROJECT_DIR, "node_modules", ".cache", "fastapi-platform", "ts");
    const compilerStamp = JSON.stringify([tsNode.ts.version, require("ts-node/package.json").version, tsNode.config.options]);
    const servedFromCache = new Map<string, string>();
    registerSourceMaps(servedFromCache);

    const hook: CompileHook = (module, filename) => {
        if (!filename.startsWith(PROJECT_DIR + path.sep) || filename.includes(`${path.sep}node_modules${path.sep}`)) {
            return tsNodeHook(module, filename);
        }
        const source = fs.readFileSync(filename, "utf8");
        const stamp = `// ${crypto.createHash("sha256").update(compilerStamp).update(filename).update(source).digest("hex")}\n`;
        const cacheFile = path.join(cacheDir, `${crypto.createHash("sha256").update(filename).digest("hex").slice(0, 24)}.js`);
        const cached = fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile, "utf8") : "";
        if (cached.startsWith(stamp)) {
            const code = cached.slice(stamp.length);
            servedFromCache.set(filename, code);
            module._compile(code, filename);
            return;
        }
        const compile = module._compile;
        module._compile = function (code: string, compiledFile: string) {
            writeAtomically(cacheFile, stamp + code);
            return compile.call(this, code, compiledFile);
        };
        tsNodeHook(module, filename);
    };
    extensions[".ts"] = Object.assign(hook, { cached: true });
}

/** Source maps of cached files, so errors in the program still point at TypeScript lines. */
function registerSourceMaps(servedFromCache: Map<string, string>): void {
    try {
        const sourceMapSupport = require("@cspotcode/source-map-support") as { install(options: object): void };
        sourceMapSupport.install({ environment: "node", retrieveFile: (file: string) => servedFromCache.get(file) ?? null });
    } catch {
        // Without it, stack traces show transpiled positions; nothing else changes.
    }
}

function writeAtomically(file: string, content: string): void {
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, content);
        fs.renameSync(temporary, file);
    } catch {
        // A read-only checkout just runs uncached.
    }
}

skipSourceMapsForSdkTraces();
cacheTranspiledProgram();
