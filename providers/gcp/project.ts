import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";

/** The Google APIs the platform calls, enabled by the stack so a fresh project deploys in one `pulumi up`. */
export const REQUIRED_APIS = {
    compute: "compute.googleapis.com",
    serviceNetworking: "servicenetworking.googleapis.com",
    sqlAdmin: "sqladmin.googleapis.com",
    redis: "redis.googleapis.com",
    run: "run.googleapis.com",
    secretManager: "secretmanager.googleapis.com",
    monitoring: "monitoring.googleapis.com",
    logging: "logging.googleapis.com",
    dns: "dns.googleapis.com",
    iam: "iam.googleapis.com",
    storage: "storage.googleapis.com",
    artifactRegistry: "artifactregistry.googleapis.com",
    containerScanning: "containerscanning.googleapis.com",
} as const;

export type Api = keyof typeof REQUIRED_APIS;

export interface GcpProject {
    /** Project id, from the stack's `gcp:project`. */
    id: string;
    /** Region of every regional resource, from the stack's `gcp:region`. */
    region: string;
    apis: Record<Api, gcp.projects.Service>;
}

/** The provider settings the stack file carries; validate() insists on both. */
export function providerSettings(): { project?: string; region?: string } {
    const config = new pulumi.Config("gcp");
    return { project: config.get("project"), region: config.get("region") };
}

export function createProject(name: string, parent: pulumi.Resource): GcpProject {
    const { project, region } = providerSettings();
    if (!project || !region) throw new Error("unreachable: validate() requires gcp:project and gcp:region");
    const apis = Object.fromEntries(
        Object.entries(REQUIRED_APIS).map(([api, service]) => [
            api,
            // Left enabled on destroy: other workloads in the project may depend on the same APIs.
            new gcp.projects.Service(`${name}-api-${api.toLowerCase()}`, { service, disableOnDestroy: false }, { parent }),
        ]),
    ) as Record<Api, gcp.projects.Service>;
    return { id: project, region, apis };
}
