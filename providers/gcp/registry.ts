import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { shortName } from "../../components/naming";
import type { PlatformArgs } from "../../components/platform";
import { RELEASE_IMAGES_KEPT, UNTAGGED_IMAGE_DAYS } from "../../components/release";
import { gcpLabels } from "./labels";
import type { GcpProject } from "./project";

/** Artifact Registry repository ids: at most 63 lower-case letters, digits and hyphens (Artifact Registry API, repositories.create). */
const REPOSITORY_ID_MAX = 63;
/** Cleanup policies take the age as a duration in seconds. */
const UNTAGGED_MAX_AGE = `${UNTAGGED_IMAGE_DAYS * 24 * 3600}s`;

export interface Registry {
    repository: gcp.artifactregistry.Repository;
    /** <region>-docker.pkg.dev/<project>/<repository>: where builds are pushed. */
    url: pulumi.Output<string>;
    /** The Cloud Run service agent's read access, which every revision's image pull needs. */
    pullAccess: gcp.artifactregistry.RepositoryIamMember;
}

/**
 * The stack's Docker repository in Artifact Registry, in the stack's region: immutable tags,
 * cleanup policies (untagged images after 7 days; the last releases always kept), vulnerability
 * scanning as the project's Container Scanning API sets it. Cloud Run pulls with its service
 * agent (service-<project number>@serverless-robot-prod.iam.gserviceaccount.com), which gets
 * read access on this repository only.
 */
export function createRegistry(name: string, args: PlatformArgs, project: GcpProject, parent: pulumi.Resource): Registry {
    const repositoryId = shortName(args.baseName, "images", REPOSITORY_ID_MAX);
    const repository = new gcp.artifactregistry.Repository(`${name}-images`, {
        repositoryId,
        location: project.region,
        format: "DOCKER",
        description: `${args.baseName} release images`,
        dockerConfig: { immutableTags: true },
        cleanupPolicyDryRun: false,
        cleanupPolicies: [
            { id: "delete-untagged", action: "DELETE", condition: { tagState: "UNTAGGED", olderThan: UNTAGGED_MAX_AGE } },
            { id: "keep-recent-releases", action: "KEEP", mostRecentVersions: { keepCount: RELEASE_IMAGES_KEPT } },
        ],
        vulnerabilityScanningConfig: { enablementConfig: "INHERITED" },
        labels: gcpLabels(args.tags),
    }, { parent, dependsOn: [project.apis.artifactRegistry, project.apis.containerScanning] });
    const projectNumber = gcp.organizations.getProjectOutput({ projectId: project.id }, { parent }).number;
    const pullAccess = new gcp.artifactregistry.RepositoryIamMember(`${name}-images-run-pull`, {
        repository: repository.name,
        location: project.region,
        role: "roles/artifactregistry.reader",
        member: pulumi.interpolate`serviceAccount:service-${projectNumber}@serverless-robot-prod.iam.gserviceaccount.com`,
    }, { parent, dependsOn: [project.apis.run] });
    return { repository, url: pulumi.interpolate`${project.region}-docker.pkg.dev/${project.id}/${repositoryId}`, pullAccess };
}
