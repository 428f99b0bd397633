import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { shortName } from "../../components/naming";
import type { PlatformArgs } from "../../components/platform";
import { RELEASE_IMAGES_KEPT, UNTAGGED_IMAGE_DAYS } from "../../components/release";

/** ECR repository names are at most 256 characters (ECR API reference, CreateRepository `repositoryName`). */
const ECR_NAME_MAX = 256;

export interface Registry {
    repository: aws.ecr.Repository;
    /** <account>.dkr.ecr.<region>.amazonaws.com/<name>: where builds are pushed. */
    url: pulumi.Output<string>;
}

/**
 * The stack's ECR repository: immutable tags (a release tag always names the same image),
 * scan on push, AES-256 encryption at rest, and a lifecycle policy that expires untagged images
 * and all but the last releases. Staging's repository is deleted with its images on destroy;
 * production's refuses to be deleted while it holds images.
 */
export function createRegistry(name: string, args: PlatformArgs, parent: pulumi.Resource): Registry {
    const production = args.environment === "production";
    const repository = new aws.ecr.Repository(`${name}-images`, {
        name: shortName(args.baseName, "", ECR_NAME_MAX),
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "AES256" }],
        forceDelete: !production,
        tags: args.tags,
    }, { parent });
    new aws.ecr.LifecyclePolicy(`${name}-images-lifecycle`, {
        repository: repository.name,
        policy: JSON.stringify({
            rules: [
                {
                    rulePriority: 1,
                    description: `expire untagged images after ${UNTAGGED_IMAGE_DAYS} days`,
                    selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: UNTAGGED_IMAGE_DAYS },
                    action: { type: "expire" },
                },
                {
                    rulePriority: 2,
                    description: `keep the last ${RELEASE_IMAGES_KEPT} images`,
                    selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: RELEASE_IMAGES_KEPT },
                    action: { type: "expire" },
                },
            ],
        }),
    }, { parent });
    return { repository, url: repository.repositoryUrl };
}

/**
 * What the ECS execution role needs to pull from this repository: an authorization token
 * (account-wide by design of the ECR API) and the image reads on this repository only.
 */
export function pullPolicy(repository: aws.ecr.Repository): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "EcrLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
            {
                Sid: "PullThisStacksImages",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Resource: repository.arn,
            },
        ],
    });
}
