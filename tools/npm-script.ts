import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "./stack-config";

/**
 * The argv `npm run <name>` executes, from package.json, with `node` as this Node binary: the
 * bench and the tests start the tools exactly as a user's `npm run plan` does, so the two cannot
 * drift. Only plain `node ...` scripts qualify (no shell syntax).
 */
export function npmScriptArgv(name: string, ...args: string[]): string[] {
    const scripts = (JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts ?? {};
    const script = scripts[name];
    if (script === undefined) throw new Error(`package.json has no script "${name}"`);
    const [command, ...rest] = script.trim().split(/\s+/);
    if (command !== "node" || rest.some((part) => /[|&;<>$`'"*?]/.test(part))) {
        throw new Error(`package.json script "${name}" is not a plain node command: ${script}`);
    }
    return [process.execPath, ...rest, ...args];
}
