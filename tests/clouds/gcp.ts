import * as assert from "assert";
import type { RecordedResource, RunResult } from "../../tools/harness";
import { ofType, only } from "../support";
import type { CloudFixture } from "./types";

export const GCP_FIXTURE: CloudFixture = {
    sdk: "@pulumi/gcp",
    secretHolders: {
        "gcp:secretmanager/secretVersion:SecretVersion": ["secretData"],
        "gcp:sql/user:User": ["password"],
    },
    storedValues: (r) => ofType(r, G.secretVersion).map((v) => v.plainInputs.secretData as string),
    storedSecret: (r, key) => secretValueOf(r, key),
    migrationCommand: (r) => gcpContainer(r, "migrations").args,
    workloadEnv: (r, role) => {
        const c = gcpContainer(r, role);
        // Secret ids are <baseName>-<KEY>.
        const keyById = new Map(ofType(r, G.secret).map((s) => [s.plainInputs.secretId as string, String(s.plainInputs.secretId).slice(`${r.project}-${r.stack}-`.length)]));
        return {
            plain: plainEnvOf(c),
            secrets: Object.fromEntries(Object.entries(secretEnvOf(c)).map(([envName, ref]) => [envName, keyById.get(ref.secret) ?? `unknown ${ref.secret}`])),
        };
    },
};

// ---- helpers of the GCP tests (tests/gcp*.test.ts) ----

/** Resource types of the GCP platform. */
export const G = {
    api: "gcp:projects/service:Service",
    network: "gcp:compute/network:Network",
    subnet: "gcp:compute/subnetwork:Subnetwork",
    address: "gcp:compute/globalAddress:GlobalAddress",
    peering: "gcp:servicenetworking/connection:Connection",
    sql: "gcp:sql/databaseInstance:DatabaseInstance",
    sqlDatabase: "gcp:sql/database:Database",
    sqlUser: "gcp:sql/user:User",
    redis: "gcp:redis/instance:Instance",
    run: "gcp:cloudrunv2/service:Service",
    runInvoker: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    job: "gcp:cloudrunv2/job:Job",
    serviceAccount: "gcp:serviceaccount/account:Account",
    secret: "gcp:secretmanager/secret:Secret",
    secretVersion: "gcp:secretmanager/secretVersion:SecretVersion",
    secretReader: "gcp:secretmanager/secretIamMember:SecretIamMember",
    neg: "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup",
    backend: "gcp:compute/backendService:BackendService",
    urlMap: "gcp:compute/uRLMap:URLMap",
    httpsProxy: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
    httpProxy: "gcp:compute/targetHttpProxy:TargetHttpProxy",
    forwardingRule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
    certificate: "gcp:compute/managedSslCertificate:ManagedSslCertificate",
    sslPolicy: "gcp:compute/sSLPolicy:SSLPolicy",
    armor: "gcp:compute/securityPolicy:SecurityPolicy",
    record: "gcp:dns/recordSet:RecordSet",
    channel: "gcp:monitoring/notificationChannel:NotificationChannel",
    alert: "gcp:monitoring/alertPolicy:AlertPolicy",
    uptime: "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
    logBucket: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
    logSink: "gcp:logging/projectSink:ProjectSink",
    logExclusion: "gcp:logging/projectExclusion:ProjectExclusion",
};

export const onGcp = { overrides: { cloud: "gcp" } };

/** The single container of the Cloud Run service or job for `role` (api, worker, migrations). */
export function gcpContainer(r: RunResult, role: "api" | "worker" | "migrations"): Record<string, any> {
    const template = role === "migrations" ? only(r, G.job).plainInputs.template.template : only(r, G.run, `-${role}`).plainInputs.template;
    // Services run the Managed Service for Prometheus sidecar next to the app; the job runs alone.
    assert.deepStrictEqual(template.containers.map((c: Record<string, any>) => c.name), role === "migrations" ? [role] : [role, "collector"]);
    return template.containers[0];
}

export const plainEnvOf = (c: Record<string, any>): Record<string, string> =>
    Object.fromEntries((c.envs as { name: string; value?: string }[]).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
export const secretEnvOf = (c: Record<string, any>): Record<string, { secret: string; version: string }> =>
    Object.fromEntries((c.envs as { name: string; valueSource?: { secretKeyRef: { secret: string; version: string } } }[])
        .filter((e) => e.valueSource).map((e) => [e.name, e.valueSource!.secretKeyRef]));
export const sqlFlags = (instance: RecordedResource): Record<string, string> =>
    Object.fromEntries((instance.plainInputs.settings.databaseFlags as { name: string; value: string }[]).map((f) => [f.name, f.value]));
/** The secret (or its version) that holds `key`, by its exact logical name. */
export function secretResource(r: RunResult, type: string, key: string): RecordedResource {
    const name = `${r.project}-${r.stack}-${key.toLowerCase().replace(/_/g, "-")}`;
    const found = ofType(r, type).filter((res) => res.name === name);
    assert.strictEqual(found.length, 1, `expected one ${type} named ${name}`);
    return found[0];
}
export const secretValueOf = (r: RunResult, key: string): string => secretResource(r, G.secretVersion, key).plainInputs.secretData as string;

