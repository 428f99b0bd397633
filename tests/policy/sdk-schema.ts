import * as fs from "fs";
import * as path from "path";

/**
 * A text-level reader of the cloud SDKs' type declarations, so the policy pack can stay free of
 * SDK imports (it runs in its own process, type-checked on every `pulumi preview`) while a test
 * still proves that every property a policy reads exists on the provider resource it checks.
 *
 * `propertyPathProblem("gcp:sql/databaseInstance:DatabaseInstance", "settings.ipConfiguration.sslMode")`
 * follows the declared types: `settings` on DatabaseInstanceArgs is `inputs.sql.DatabaseInstanceSettings`,
 * whose `ipConfiguration` is `inputs.sql.DatabaseInstanceSettingsIpConfiguration`, which declares `sslMode`.
 */

const SDK_PACKAGES: Record<string, string> = { aws: "@pulumi/aws", gcp: "@pulumi/gcp", "azure-native": "@pulumi/azure-native" };

interface Declared {
    /** property name -> the text of its type (up to the end of the declaration line) */
    properties: Map<string, string>;
}

const inputIndexes = new Map<string, Map<string, Declared>>();

function packageDir(pkg: string): string {
    return path.dirname(require.resolve(`${pkg}/package.json`));
}

/** `namespace.Interface` -> its properties, for a package's types/input.d.ts. */
function inputIndex(pkg: string): Map<string, Declared> {
    let index = inputIndexes.get(pkg);
    if (index) return index;
    index = new Map();
    const text = fs.readFileSync(path.join(packageDir(pkg), "types", "input.d.ts"), "utf8");
    let namespace = "";
    let current: Declared | undefined;
    for (const line of text.split("\n")) {
        const ns = /^export declare namespace (\w+) \{/.exec(line);
        if (ns) {
            namespace = ns[1];
            continue;
        }
        const iface = /^    (?:export )?interface (\w+)(?:<[^>]*>)? \{/.exec(line);
        if (iface) {
            current = { properties: new Map() };
            index.set(`${namespace}.${iface[1]}`, current);
            continue;
        }
        if (current && /^    \}/.test(line)) {
            current = undefined;
            continue;
        }
        const prop = current && /^        (\w+)\??: (.*)$/.exec(line);
        if (prop && current) current.properties.set(prop[1], prop[2]);
    }
    inputIndexes.set(pkg, index);
    return index;
}

/**
 * The resource's `<Name>Args` interface, from its own .d.ts (module path from the type token), and
 * the output properties of its class (stack policies read outputs such as `arn`).
 */
function argsOf(token: string): { pkg: string; declared: Declared; outputs: Set<string> } | string {
    const [provider, middle, name] = token.split(":");
    const pkg = SDK_PACKAGES[provider];
    if (!pkg || !middle || !name) return `no SDK known for ${token}`;
    // aws:rds/instance:Instance -> rds/instance.d.ts; azure-native:web:WebApp -> web/webApp.d.ts
    const [module, file] = middle.includes("/") ? middle.split("/") : [middle, name[0].toLowerCase() + name.slice(1)];
    const dts = path.join(packageDir(pkg), module === "index" ? "" : module, `${file}.d.ts`);
    if (!fs.existsSync(dts)) return `${token}: no declaration file ${path.relative(process.cwd(), dts)}`;
    const text = fs.readFileSync(dts, "utf8");
    const start = text.indexOf(`export interface ${name}Args {`);
    if (start < 0) return `${token}: no ${name}Args interface in ${dts}`;
    const end = text.indexOf("\n}", start);
    const declared: Declared = { properties: new Map() };
    for (const line of text.slice(start, end).split("\n")) {
        const prop = /^    (\w+)\??: (.*)$/.exec(line);
        if (prop) declared.properties.set(prop[1], prop[2]);
    }
    const outputs = new Set(["id", "urn", ...[...text.matchAll(/^    readonly (\w+)!?: pulumi\.Output</gm)].map((m) => m[1])]);
    return { pkg, declared, outputs };
}

/** undefined when every segment of `propertyPath` is declared along the way, else what is missing. */
export function propertyPathProblem(token: string, propertyPath: string): string | undefined {
    const args = argsOf(token);
    if (typeof args === "string") return args;
    let declared: Declared | undefined = args.declared;
    let where = `${token.split(":")[2]}Args`;
    const segments = propertyPath.split(".");
    for (const [i, segment] of segments.entries()) {
        if (!declared) return `${token}: cannot follow '${segments.slice(0, i).join(".")}' (not an object type) to '${segment}'`;
        const type = declared.properties.get(segment);
        if (type === undefined && i === 0 && args.outputs.has(segment)) return i === segments.length - 1 ? undefined : `${token}: '${segment}' is an output; nested output paths are not checked`;
        if (type === undefined) return `${token}: ${where} has no property '${segment}' (path ${propertyPath})`;
        if (i === segments.length - 1) return undefined;
        // Maps ({[key: string]: ...}) end the walk: any key is allowed.
        if (/^(pulumi\.Input<)?\{$/.test(type.trim()) || type.includes("[key: string]")) return undefined;
        const ref = /inputs\.(\w+)\.(\w+)/.exec(type);
        declared = ref ? inputIndex(args.pkg).get(`${ref[1]}.${ref[2]}`) : undefined;
        where = ref ? `${ref[1]}.${ref[2]}` : where;
    }
    return undefined;
}
