import * as fs from "fs";
import * as path from "path";
import { isAlias, isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document } from "yaml";
import { suggest } from "../config/parse";

/**
 * Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI does before it starts the
 * program, but fails with the file, the line and the key instead of a parser stack trace:
 * duplicate keys, tabs, unclosed quotes, alias bombs and very deep nesting all end here, as a
 * StackFileError, before anything is registered. Unknown top-level keys of a stack file
 * (`confg:`) are refused with a "did you mean", instead of being ignored.
 */

/** Top-level keys of a stack settings file (pulumi.com/docs/iac/concepts/projects/stack-settings-file). */
export const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];
/** Deeper than any real configuration; the parser itself overflows the call stack at a few thousand. */
export const MAX_NESTING = 32;
/** Aliases (`*name`) a file may use: enough for sharing a block, not for a billion laughs. */
export const MAX_ALIASES = 50;
/** Bigger than any stack file; a larger one is a mistake or an attack. */
export const MAX_FILE_BYTES = 1024 * 1024;

export class StackFileError extends Error {
    constructor(
        readonly file: string,
        readonly line: number | undefined,
        readonly key: string | undefined,
        readonly problem: string,
    ) {
        super(`${file}${line !== undefined ? `:${line}` : ""}: ${key ? `${key}: ` : ""}${problem}`);
        this.name = "StackFileError";
        // The message is the whole story: a trace through the reader would only hide it.
        this.stack = `${this.name}: ${this.message}`;
    }
}

/**
 * Parsed files by path, valid while the text is the same (tests read the same files thousands of
 * times). Keyed by the text itself, not the modification time and size: a file rewritten within
 * the clock's resolution with a value of the same length would otherwise be served stale.
 */
const parsedFiles = new Map<string, { text: string; data: unknown }>();

/** Parses a YAML file into plain data, or throws StackFileError naming the file, line and key. */
export function readYamlFile(file: string): unknown {
    const shown = path.relative(process.cwd(), file) || file;
    const stat = fs.statSync(file);
    if (stat.size > MAX_FILE_BYTES) throw new StackFileError(shown, undefined, undefined, `is ${stat.size} bytes; a stack file is at most ${MAX_FILE_BYTES}`);
    const text = fs.readFileSync(file, "utf8");
    const cached = parsedFiles.get(file);
    if (cached?.text === text) return structuredClone(cached.data);
    const data = parseYamlText(text, shown);
    parsedFiles.set(file, { text, data });
    return structuredClone(data);
}

export function parseYamlText(source: string, file: string): unknown {
    const depth = nestingDepth(source);
    if (depth.depth > MAX_NESTING) {
        throw new StackFileError(file, depth.line, keyAtLine(source, depth.line), `nests ${depth.depth > 1000 ? "more than 1000" : depth.depth} levels deep; at most ${MAX_NESTING} are allowed`);
    }
    const lineCounter = new LineCounter();
    let document: Document;
    try {
        document = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false });
    } catch (error) {
        throw new StackFileError(file, undefined, undefined, `cannot be parsed as YAML (${(error as Error).message.split("\n")[0]})`);
    }
    const [first] = document.errors;
    if (first) {
        const line = lineCounter.linePos(first.pos[0]).line;
        throw new StackFileError(file, line, keyAtLine(source, line), `${yamlProblem(first.code, first.message)}`);
    }
    let aliases = 0;
    let firstAliasLine: number | undefined;
    visit(document, {
        Alias(_, node) {
            aliases++;
            firstAliasLine ??= node.range ? lineCounter.linePos(node.range[0]).line : undefined;
        },
        Pair(_, pair) {
            if (isPair(pair) && isScalar(pair.key) && ["__proto__", "constructor", "prototype"].includes(String(pair.key.value))) {
                const line = pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : undefined;
                throw new StackFileError(file, line, line !== undefined ? keyAtLine(source, line) : String(pair.key.value),
                    `'${String(pair.key.value)}' is a JavaScript prototype property name, which could reach Object.prototype; rename or remove it`);
            }
            if (isPair(pair) && !isScalar(pair.key) && !isAlias(pair.key)) {
                const line = isMap(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]).line : undefined;
                throw new StackFileError(file, line, undefined, "a mapping key must be plain text, not a list or mapping");
            }
        },
    });
    if (aliases > MAX_ALIASES) throw new StackFileError(file, firstAliasLine, firstAliasLine !== undefined ? keyAtLine(source, firstAliasLine) : undefined, `uses ${aliases} aliases; at most ${MAX_ALIASES} are allowed`);
    try {
        return document.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (error) {
        // yaml refuses an alias that expands too much (a "billion laughs" file).
        throw new StackFileError(file, firstAliasLine, firstAliasLine !== undefined ? keyAtLine(source, firstAliasLine) : undefined,
            `${(error as Error).message.split("\n")[0].replace(/\.$/, "")}: its aliases expand to too much data`);
    }
}

/** A stack settings file: the mapping must have known top-level keys and `config` must be a mapping. */
export function checkStackFile(data: unknown, file: string, readSource: string | (() => string)): Record<string, unknown> {
    const source = () => (typeof readSource === "string" ? readSource : readSource());
    if (data === null || data === undefined) return {};
    if (typeof data !== "object" || Array.isArray(data)) throw new StackFileError(file, 1, undefined, "must be a YAML mapping with a `config:` block");
    for (const key of Object.keys(data)) {
        if (!STACK_FILE_KEYS.includes(key)) {
            const line = lineOfTopLevelKey(source(), key);
            throw new StackFileError(file, line, key, `is not a key of a stack settings file${suggest(key, STACK_FILE_KEYS)}; allowed: ${STACK_FILE_KEYS.join(", ")}`);
        }
    }
    const config = (data as Record<string, unknown>).config;
    if (config === undefined || config === null) return {};
    if (typeof config !== "object" || Array.isArray(config)) throw new StackFileError(file, lineOfTopLevelKey(source(), "config"), "config", "must be a mapping of namespace:key to value");
    return config as Record<string, unknown>;
}

/** Reads a stack settings file and returns its `config` block. */
export function readStackFileConfig(file: string): Record<string, unknown> {
    const shown = path.relative(process.cwd(), file) || file;
    const data = readYamlFile(file);
    // The source is read again only to point at the line of a refused top-level key.
    const source = () => fs.readFileSync(file, "utf8");
    return checkStackFile(data, shown, source);
}

function yamlProblem(code: string, message: string): string {
    const first = message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    switch (code) {
        case "DUPLICATE_KEY":
            return "the same key appears twice in one mapping; keep one (Pulumi refuses the file too)";
        case "TAB_AS_INDENT":
            return "a tab is used for indentation; YAML indents with spaces only";
        case "MISSING_CHAR":
        case "BAD_DQ_ESCAPE":
            return `${first} (an unclosed or broken quoted string)`;
        case "RESOURCE_EXHAUSTION":
            return `${first}: nesting or aliases too deep`;
        default:
            return first;
    }
}

/** The deepest bracket or indentation nesting and the line where it is reached (scanned, not parsed). */
function nestingDepth(source: string): { depth: number; line: number } {
    let deepest = { depth: 0, line: 1 };
    let brackets = 0;
    let line = 1;
    let quote: string | undefined;
    const indents: number[] = [];
    let atLineStart = true;
    let column = 0;
    for (let i = 0; i < source.length; i++) {
        const c = source[i];
        if (c === "\n") {
            line++;
            atLineStart = true;
            column = 0;
            if (quote === "'") continue;
            continue;
        }
        if (atLineStart) {
            if (c === " " || c === "-") {
                column++;
                continue;
            }
            atLineStart = false;
            if (c !== "#" && brackets === 0 && quote === undefined) {
                while (indents.length > 0 && indents[indents.length - 1] >= column) indents.pop();
                indents.push(column);
            }
        }
        if (quote) {
            if (c === quote) quote = undefined;
            continue;
        }
        if (c === '"' || c === "'") quote = c;
        else if (c === "#" && (i === 0 || /\s/.test(source[i - 1]))) {
            while (i + 1 < source.length && source[i + 1] !== "\n") i++;
        } else if (c === "[" || c === "{") brackets++;
        else if (c === "]" || c === "}") brackets = Math.max(0, brackets - 1);
        const depth = brackets + indents.length;
        if (depth > deepest.depth) deepest = { depth, line };
    }
    return deepest;
}

/** The dotted key path that owns `line` in a block-style YAML file (e.g. "config.fastapi-platform:aws.vpcCidr"). */
export function keyAtLine(source: string, line: number): string | undefined {
    const lines = source.split("\n");
    const path: string[] = [];
    let indent = Infinity;
    for (let i = Math.min(line, lines.length) - 1; i >= 0 && indent > 0; i--) {
        const text = lines[i];
        const match = /^(\s*)(?:-\s+)?("[^"]*"|'[^']*'|[^\s#"'][^#]*?)\s*:(\s|$)/.exec(text);
        if (!match || text.trim().startsWith("#")) continue;
        const own = match[1].replace(/\t/g, " ").length;
        if (own < indent) {
            path.unshift(match[2].replace(/^["']|["']$/g, ""));
            indent = own;
        }
    }
    return path.length > 0 ? path.join(".") : undefined;
}

function lineOfTopLevelKey(source: string, key: string): number | undefined {
    const index = source.split("\n").findIndex((text) => text.startsWith(`${key}:`) || text.startsWith(`"${key}":`) || text.startsWith(`'${key}':`));
    return index >= 0 ? index + 1 : undefined;
}
