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

const SDK_PACKAGES: Record<string, string> = { aws: "@pulumi/aws", gcp: "@pulumi/gcp", "azure-native": "@pulumi/azure-native", kubernetes: "@pulumi/kubernetes" };

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
    // aws/gcp/azure: `export declare namespace sql {` + 4-space interfaces; kubernetes nests the
    // API version: `export declare namespace core {` + `    namespace v1 {` + 8-space interfaces.
    let namespace = "";
    let version = "";
    let indent = 0;
    let current: Declared | undefined;
    for (const line of text.split("\n")) {
        const ns = /^export declare namespace (\w+) \{/.exec(line);
        if (ns) {
            namespace = ns[1];
            version = "";
            continue;
        }
        const inner = /^    (?:export )?namespace (\w+) \{/.exec(line);
        if (inner) {
            version = inner[1];
            continue;
        }
        const iface = /^( {4}| {8})(?:export )?interface (\w+)(?:<[^>]*>)? \{/.exec(line);
        if (iface) {
            current = { properties: new Map() };
            indent = iface[1].length;
            index.set([namespace, version, iface[2]].filter(Boolean).join("."), current);
            continue;
        }
        if (current && line.startsWith(`${" ".repeat(indent)}}`)) {
            current = undefined;
            continue;
        }
        const prop = current && new RegExp(`^ {${indent + 4}}(\\w+)\\??: (.*)$`).exec(line);
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
    const lower = name[0].toLowerCase() + name.slice(1);
    // aws:rds/instance:Instance -> rds/instance.d.ts; azure-native:web:WebApp -> web/webApp.d.ts;
    // kubernetes:networking.k8s.io/v1:Ingress -> networking/v1/ingress.d.ts
    const [module, file] = provider === "kubernetes"
        ? [path.join(kubernetesGroupDir(middle.split("/")[0]), middle.split("/")[1] ?? ""), lower]
        : middle.includes("/") ? middle.split("/") : [middle, lower];
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

/** kubernetes API group -> the SDK's module directory: core -> core, networking.k8s.io -> networking, rbac.authorization.k8s.io -> rbac. */
function kubernetesGroupDir(group: string): string {
    return group.replace(/\.k8s\.io$/, "").split(".")[0];
}

/**
 * A Kubernetes type of a CustomResourceDefinition the SDK does not model (CloudNativePG's
 * `kubernetes:postgresql.cnpg.io/v1:Cluster`): registered through apiextensions.CustomResource,
 * whose CustomResourceArgs declares apiVersion, kind and metadata (ObjectMeta) and takes every
 * other field (`spec`) untyped ([othersFields: string]: any). Those paths cannot be checked.
 */
function isKubernetesCustomResource(token: string): boolean {
    const [provider, middle] = token.split(":");
    if (provider !== "kubernetes" || !middle) return false;
    const group = middle.split("/")[0];
    return group.includes(".") && !group.endsWith(".k8s.io") && !fs.existsSync(path.join(packageDir(SDK_PACKAGES.kubernetes), kubernetesGroupDir(group)));
}

/** undefined when every segment of `propertyPath` is declared along the way, else what is missing. */
export function propertyPathProblem(token: string, propertyPath: string): string | undefined {
    if (isKubernetesCustomResource(token)) {
        const [first, ...rest] = propertyPath.split(".");
        if (first === "metadata" && rest.length > 0) return propertyPathProblem("kubernetes:core/v1:ConfigMap", propertyPath);
        return undefined; // apiVersion, kind, id, and the untyped spec
    }
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
        const ref = /inputs\.((?:\w+\.)?\w+\.\w+)/.exec(type);
        declared = ref ? inputIndex(args.pkg).get(ref[1]) : undefined;
        where = ref ? ref[1] : where;
    }
    return undefined;
}
