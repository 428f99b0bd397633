import type {
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/**
 * The building blocks of the fastapi-platform baseline pack: how a policy learns whether a
 * resource is production, the declarative rule shapes every cloud's policies are written in, and
 * the lists (stateful types, taggable types) that more than one policy — and the replacement
 * guard in tools/snapshot.ts — share.
 *
 * Nothing here imports a cloud SDK: the pack runs in its own process on every `pulumi preview`,
 * and matches resources by their type token ("aws:rds/instance:Instance"). The property names each
 * policy reads are declared in `reads` and checked against the SDKs' .d.ts files by
 * tests/policy/sdk-properties.test.ts.
 */

export type Environment = "production" | "staging";
/** Where a policy holds: in every environment, or in production only. */
export type Scope = "all" | "production";
export type PolicyCloud = "aws" | "gcp" | "azure" | "kubernetes" | "any";

/** The enforcement level of every policy in the pack: production's. Staging lowers it by config. */
export const DEFAULT_ENFORCEMENT: EnforcementLevel = "mandatory";

/** What the pack knows about each policy beyond the CrossGuard fields (for docs, tests and the plan). */
export interface BaselineInfo {
    cloud: PolicyCloud;
    scope: Scope;
    /** Resource type -> the SDK input property paths read on it (array items by their field name). */
    reads: Record<string, string[]>;
    /** The rule in words, and where it comes from (a cloud doc or benchmark, where one applies). */
    source: string;
}

export type BaselineResourcePolicy = ResourceValidationPolicy & { baseline: BaselineInfo; remediationSteps: string; severity: Severity };
export type BaselineStackPolicy = StackValidationPolicy & { baseline: BaselineInfo; remediationSteps: string; severity: Severity };
export type BaselinePolicy = BaselineResourcePolicy | BaselineStackPolicy;

export type Props = Record<string, any>;

// ---- which environment a resource belongs to ----

/**
 * Where each cloud keeps a resource's tags/labels. Every taggable resource of this program carries
 * `environment: production|staging` (components/naming.ts standardTags), set from the stack's
 * `environment` config key — so a policy follows what the stack says it is, not what it is called.
 */
export function tagsOf(type: string, props: Props): Record<string, unknown> | undefined {
    const candidates = type === "gcp:sql/databaseInstance:DatabaseInstance"
        ? [props.settings?.userLabels]
        : type === "gcp:monitoring/alertPolicy:AlertPolicy"
          ? [props.userLabels]
          : type.startsWith("kubernetes:")
            ? [props.metadata?.labels]
            : [props.tags, props.labels];
    return candidates.find((c): c is Record<string, unknown> => typeof c === "object" && c !== null && !Array.isArray(c));
}

/** The stack name inside a URN: urn:pulumi:<stack>::<project>::<type chain>::<name>. */
export function stackOfUrn(urn: string): string {
    return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1] ?? "";
}

const STAGING_STACK = /(^|[-_.])(staging|stage|stg|dev|development|test|qa|review|preview|sandbox|pr-?\d+)([-_.]|$)/i;

/**
 * production or staging, in this order:
 *  1. the resource's own `environment` tag/label (what the stack's `environment` config says);
 *  2. for resources that carry no tags (a SecretVersion, an IAM binding), the stack name in the
 *     URN: names like staging, dev, test, qa, review-*, pr-123 are staging;
 *  3. otherwise production. Unknown means strict: a resource never gets the relaxed rules by
 *     accident.
 */
export function environmentOf(type: string, props: Props, urn: string): Environment {
    const tag = tagsOf(type, props)?.environment;
    if (tag === "production" || tag === "staging") return tag;
    return STAGING_STACK.test(stackOfUrn(urn)) ? "staging" : "production";
}

// ---- shared knowledge ----

/**
 * Resource types that hold data or secret material: deleting or re-creating one loses it.
 * Production stacks must `protect` them (policy protect-stateful-resources) and the replacement
 * guard (tests/replacement-guard.test.ts) keeps their URNs stable.
 */
export const STATEFUL_TYPES: Record<string, "database" | "cache" | "secret store" | "secret" | "bucket" | "key"> = {
    "aws:rds/instance:Instance": "database",
    "aws:rds/cluster:Cluster": "database",
    "aws:rds/clusterInstance:ClusterInstance": "database",
    "aws:elasticache/replicationGroup:ReplicationGroup": "cache",
    "aws:elasticache/cluster:Cluster": "cache",
    "aws:elasticache/serverlessCache:ServerlessCache": "cache",
    "aws:secretsmanager/secret:Secret": "secret",
    "aws:s3/bucket:Bucket": "bucket",
    "aws:s3/bucketV2:BucketV2": "bucket",
    "aws:kms/key:Key": "key",
    "gcp:sql/databaseInstance:DatabaseInstance": "database",
    "gcp:sql/database:Database": "database",
    "gcp:redis/instance:Instance": "cache",
    "gcp:secretmanager/secret:Secret": "secret",
    "gcp:secretmanager/regionalSecret:RegionalSecret": "secret",
    "gcp:storage/bucket:Bucket": "bucket",
    "gcp:kms/cryptoKey:CryptoKey": "key",
    "gcp:kms/keyRing:KeyRing": "key",
    "azure-native:dbforpostgresql:Server": "database",
    "azure-native:dbforpostgresql:Database": "database",
    "azure-native:redis:Redis": "cache",
    "azure-native:keyvault:Vault": "secret store",
    "azure-native:keyvault:Secret": "secret",
    "azure-native:keyvault:Key": "key",
    "azure-native:storage:StorageAccount": "bucket",
    // Deleting the replication deletes the backup copies in the second region.
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": "database",
    "azure-native:storage:BlobContainer": "bucket",
    // Kubernetes: the CloudNativePG cluster (its PVCs go with it), the Secrets holding generated
    // values, and the in-cluster Redis (its volumeClaimTemplates PVC; the program creates no PVC directly).
    "kubernetes:postgresql.cnpg.io/v1:Cluster": "database",
    "kubernetes:core/v1:Secret": "secret",
    "kubernetes:apps/v1:StatefulSet": "cache",
};

/**
 * Generated secret values. Not cloud resources (nothing to `protect` in the cloud), but a new URN
 * generates a new value: a re-created SECRET_KEY or JWT_SECRET_KEY logs every user out, a new
 * database password rotates it under running tasks. The replacement guard tracks them too.
 */
export const GENERATED_SECRET_TYPES = ["random:index/randomPassword:RandomPassword"];

/** Tag/label path per taggable type this program creates (the `required-tags` policy checks these). */
export const TAGGABLE: Record<string, string> = {
    ...Object.fromEntries([
        "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/internetGateway:InternetGateway", "aws:ec2/routeTable:RouteTable",
        "aws:ec2/eip:Eip", "aws:ec2/natGateway:NatGateway", "aws:ec2/securityGroup:SecurityGroup",
        "aws:rds/instance:Instance", "aws:rds/parameterGroup:ParameterGroup", "aws:rds/subnetGroup:SubnetGroup", "aws:rds/proxy:Proxy",
        "aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/subnetGroup:SubnetGroup",
        "aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup", "aws:lb/listener:Listener", "aws:acm/certificate:Certificate",
        "aws:ecs/cluster:Cluster", "aws:ecs/service:Service", "aws:ecs/taskDefinition:TaskDefinition", "aws:iam/role:Role",
        "aws:cloudwatch/logGroup:LogGroup", "aws:cloudwatch/metricAlarm:MetricAlarm", "aws:sns/topic:Topic", "aws:wafv2/webAcl:WebAcl",
        "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:secretsmanager/secret:Secret", "aws:appautoscaling/target:Target",
        "aws:kms/key:Key",
        "azure-native:dbforpostgresql:Server", "azure-native:redis:Redis", "azure-native:keyvault:Vault", "azure-native:web:WebApp",
        "azure-native:web:AppServicePlan", "azure-native:monitor:AutoscaleSetting", "azure-native:monitor:MetricAlert",
        "azure-native:monitor:ActionGroup", "azure-native:applicationinsights:Component", "azure-native:network:VirtualNetwork",
        "azure-native:operationalinsights:Workspace", "azure-native:storage:StorageAccount",
    ].map((type) => [type, "tags"])),
    ...Object.fromEntries([
        "gcp:redis/instance:Instance", "gcp:cloudrunv2/service:Service", "gcp:cloudrunv2/job:Job", "gcp:cloudrunv2/workerPool:WorkerPool",
        "gcp:secretmanager/secret:Secret", "gcp:storage/bucket:Bucket", "gcp:compute/globalAddress:GlobalAddress",
    ].map((type) => [type, "labels"])),
    "gcp:sql/databaseInstance:DatabaseInstance": "settings.userLabels",
    "gcp:monitoring/alertPolicy:AlertPolicy": "userLabels",
    // Kubernetes objects carry the label-safe standard tags as metadata.labels (providers/kubernetes/platform.ts).
    ...Object.fromEntries([
        "kubernetes:core/v1:Namespace", "kubernetes:core/v1:ServiceAccount", "kubernetes:core/v1:Secret", "kubernetes:core/v1:Service",
        "kubernetes:core/v1:ResourceQuota", "kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:batch/v1:Job",
        "kubernetes:batch/v1:CronJob", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "kubernetes:policy/v1:PodDisruptionBudget",
        "kubernetes:networking.k8s.io/v1:Ingress", "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "kubernetes:postgresql.cnpg.io/v1:Cluster", "kubernetes:postgresql.cnpg.io/v1:Pooler", "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup",
    ].map((type) => [type, "metadata.labels"])),
};

export const REQUIRED_TAGS = ["project", "environment", "managed-by"];

/** Env var names that carry secrets in this application (delivered by reference only, never as plain values). */
export const SECRET_ENV_NAMES = ["DATABASE_URL", "DATABASE_READ_URL", "REDIS_URL", "SECRET_KEY", "JWT_SECRET_KEY"];

/** scheme://user:password@host — a connection string with its credentials inline. */
export function hasInlineCredentials(value: unknown): boolean {
    return typeof value === "string" && /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i.test(value);
}

/** A plain env entry that should have been a secret reference, or undefined. */
export function plainSecretProblem(name: string, value: unknown, secretNames: string[]): string | undefined {
    if (secretNames.includes(name)) return `${name} is set as a plain value; deliver it from the secret store by reference`;
    if (hasInlineCredentials(value)) return `${name} holds a URL with an inline password; move it to the secret store and reference it`;
    return undefined;
}

export function show(value: unknown): string {
    return value === undefined ? "unset" : typeof value === "string" ? `'${value}'` : JSON.stringify(value);
}

/** The value when it is an array, else []: optional list inputs such as containers[].envs[]. */
export function list<T = Props>(value: unknown): T[] {
    return Array.isArray(value) ? (value as T[]) : [];
}

// ---- rule shapes ----

interface RuleCommon<C> {
    name: string;
    cloud: PolicyCloud;
    scope: Scope;
    severity: Severity;
    /** One sentence: what must hold. */
    description: string;
    /** What to change in the program (or the stack config) to comply. */
    remediation: string;
    /** The rule in words, and where it comes from. */
    source: string;
    /** Extra policy config (JSON schema with defaults); every policy also accepts `exemptResources`. */
    config?: { [K in keyof C]: PolicyConfigJSONSchema & { default: C[K] } };
}

export interface RuleContext<C> {
    type: string;
    name: string;
    urn: string;
    environment: Environment;
    protect: boolean;
    config: C;
}

export interface ResourceRuleSpec<C> extends RuleCommon<C> {
    /** The types it checks, with the input properties it reads on each. */
    reads: Record<string, string[]>;
    /** A reason when the rule does not concern this particular resource (e.g. a read replica). */
    skip?(props: Props, ctx: RuleContext<C>): string | undefined;
    /** One message per problem; none means compliant. */
    check(props: Props, ctx: RuleContext<C>): (string | undefined)[];
}

export interface StackRuleSpec<C> extends RuleCommon<C> {
    reads: Record<string, string[]>;
    /**
     * Checks the whole stack (resource outputs, as CrossGuard passes them). Returns the problems
     * with the URN they concern, or a reason string when the rule cannot apply to this stack.
     */
    check(resources: PolicyResource[], ctx: { config: C; environmentOf(r: PolicyResource): Environment }): { urn?: string; message: string }[] | string;
}

const EXEMPT_SCHEMA: PolicyConfigJSONSchema = {
    type: "array",
    items: { type: "string" },
    default: [],
    description: "Logical resource names (exact, or /regex/) this policy does not check, e.g. a worker app with no HTTP endpoint.",
};

function configSchemaOf<C>(spec: RuleCommon<C>) {
    const properties: Record<string, PolicyConfigJSONSchema> = { exemptResources: EXEMPT_SCHEMA };
    for (const [key, schema] of Object.entries(spec.config ?? {})) properties[key] = schema as PolicyConfigJSONSchema;
    return { properties };
}

function configOf<C>(spec: RuleCommon<C>, given: object): C & { exemptResources: string[] } {
    const defaults = Object.fromEntries(Object.entries(spec.config ?? {}).map(([key, schema]) => [key, (schema as { default: unknown }).default]));
    return { exemptResources: [], ...defaults, ...given } as C & { exemptResources: string[] };
}

function isExempt(name: string, exempt: string[]): boolean {
    return exempt.some((entry) => {
        const regex = /^\/(.*)\/$/.exec(entry);
        return regex ? new RegExp(regex[1]).test(name) : entry === name;
    });
}

function baseFields<C>(spec: RuleCommon<C>, reads: Record<string, string[]>) {
    return {
        name: spec.name,
        description: spec.description,
        severity: spec.severity,
        enforcementLevel: DEFAULT_ENFORCEMENT,
        remediationSteps: spec.remediation,
        tags: [spec.cloud, spec.scope === "production" ? "production-only" : "all-environments", spec.severity],
        configSchema: configSchemaOf(spec),
        baseline: { cloud: spec.cloud, scope: spec.scope, reads, source: spec.source },
    };
}

/** A ResourceValidationPolicy that checks only `reads`' types and, if scoped so, only production resources. */
export function resourceRule<C extends object = {}>(spec: ResourceRuleSpec<C>): BaselineResourcePolicy {
    const types = Object.keys(spec.reads);
    return {
        ...baseFields(spec, spec.reads),
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            if (!types.includes(args.type)) args.notApplicable(`applies only to ${types.join(", ")}`);
            const config = configOf(spec, args.getConfig<object>());
            if (isExempt(args.name, config.exemptResources)) args.notApplicable(`${args.name} is exempted by the policy config (exemptResources)`);
            const environment = environmentOf(args.type, args.props, args.urn);
            if (spec.scope === "production" && environment !== "production") {
                args.notApplicable(`a production-only rule; ${args.name} is ${environment}`);
            }
            const ctx: RuleContext<C> = { type: args.type, name: args.name, urn: args.urn, environment, protect: args.opts.protect, config };
            const reason = spec.skip?.(args.props, ctx);
            if (reason) args.notApplicable(reason);
            for (const message of spec.check(args.props, ctx)) if (message) reportViolation(message);
        },
    };
}

/** A StackValidationPolicy over the stack's resources (their outputs), for rules spanning resources. */
export function stackRule<C extends object = {}>(spec: StackRuleSpec<C>): BaselineStackPolicy {
    return {
        ...baseFields(spec, spec.reads),
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const config = configOf(spec, args.getConfig<object>());
            const environment = (r: PolicyResource) => environmentOf(r.type, r.props, r.urn);
            const relevant = args.resources.filter((r) => !isExempt(r.name, config.exemptResources));
            if (spec.scope === "production" && !relevant.some((r) => r.type in spec.reads && environment(r) === "production")) {
                args.notApplicable(`a production-only rule and this stack has no production ${Object.keys(spec.reads).join("/")}`);
            }
            const result = spec.check(relevant, { config, environmentOf: environment });
            if (typeof result === "string") args.notApplicable(result);
            for (const { urn, message } of result) reportViolation(message, urn);
        },
    };
}

// ---- policies every cloud shares ----

const requiredTags = resourceRule({
    name: "required-tags",
    cloud: "any",
    scope: "all",
    severity: "medium",
    source: "Every cloud: tags/labels on everything taggable",
    description: "Every taggable resource carries the project, environment (production|staging) and managed-by tags/labels.",
    remediation: "Pass args.tags (components/naming.ts standardTags) as `tags` / `labels` (Cloud SQL: settings.userLabels) on the resource.",
    reads: Object.fromEntries(Object.entries(TAGGABLE).map(([type, path]) => [type, [path]])),
    check: (props, ctx) => {
        const tags = tagsOf(ctx.type, props) ?? {};
        const missing = REQUIRED_TAGS.filter((key) => typeof tags[key] !== "string" || tags[key] === "");
        const environment = tags.environment;
        return [
            missing.length > 0 ? `${TAGGABLE[ctx.type]} lacks ${missing.join(", ")}` : undefined,
            environment !== undefined && environment !== "production" && environment !== "staging"
                ? `environment tag is ${show(environment)}; must be production or staging (policies use it to pick production rules)`
                : undefined,
        ];
    },
});

/**
 * A stateful resource whose deletion cannot lose data even without `protect`: a Cloud SQL
 * database or user with deletionPolicy ABANDON is only dropped from the state; the data stays in
 * its (protected) instance.
 */
export function abandonedOnDelete(type: string, props: Props): boolean {
    return type.startsWith("gcp:") && props.deletionPolicy === "ABANDON";
}

const protectStateful = resourceRule({
    name: "protect-stateful-resources",
    cloud: "any",
    scope: "production",
    severity: "critical",
    source: "Teardown: databases, caches, vaults, secrets and buckets are protected in production",
    description: "Production databases, caches, secret stores, secrets, keys and buckets carry Pulumi's `protect` option.",
    remediation: "Register the resource with `{ parent, protect: production }`. To delete one on purpose: `pulumi state unprotect <urn>` first (docs/guardrails.md).",
    reads: Object.fromEntries(Object.keys(STATEFUL_TYPES).map((type) => [type, type.startsWith("gcp:") && type !== "gcp:kms/keyRing:KeyRing" ? ["deletionPolicy"] : []])),
    skip: (props, ctx) => (abandonedOnDelete(ctx.type, props) ? "deletionPolicy ABANDON: deleting it leaves the data in place" : undefined),
    check: (_props, ctx) => [ctx.protect ? undefined : `${STATEFUL_TYPES[ctx.type]} ${ctx.name} is not protected; \`pulumi destroy\` or a refactor could delete its data`],
});

export const COMMON_POLICIES: BaselinePolicy[] = [requiredTags, protectStateful];
