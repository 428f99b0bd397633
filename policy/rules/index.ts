import { AWS_POLICIES } from "./aws";
import { AZURE_POLICIES } from "./azure";
import { COMMON_POLICIES, type BaselinePolicy } from "./common";
import { DATA_PROTECTION_POLICIES } from "./data-protection";
import { GCP_POLICIES } from "./gcp";
import { KUBERNETES_POLICIES } from "./kubernetes";

export * from "./common";

/** The pack's name: what `--policy-pack-config` files, Pulumi Cloud policy groups and violations show. */
export const PACK_NAME = "fastapi-platform-baseline";

export const PACK_DESCRIPTION =
    "The production baseline of fastapi-platform as policy: one policy per rule for AWS, Google Cloud, Azure and Kubernetes. " +
    "Every policy is mandatory; production-only rules skip staging resources; staging stacks lower the pack to advisory " +
    "with --policy-pack-config policy/config/staging.json.";

/** Every policy of the pack, grouped by cloud (a cloud's policies only ever match that cloud's types). */
export const POLICIES_BY_CLOUD: Record<"common" | "aws" | "gcp" | "azure" | "kubernetes", BaselinePolicy[]> = {
    common: COMMON_POLICIES,
    aws: [...AWS_POLICIES, ...DATA_PROTECTION_POLICIES.aws],
    gcp: [...GCP_POLICIES, ...DATA_PROTECTION_POLICIES.gcp],
    azure: [...AZURE_POLICIES, ...DATA_PROTECTION_POLICIES.azure],
    kubernetes: [...KUBERNETES_POLICIES, ...DATA_PROTECTION_POLICIES.kubernetes],
};

export const ALL_POLICIES: BaselinePolicy[] = [
    ...COMMON_POLICIES, ...POLICIES_BY_CLOUD.aws, ...POLICIES_BY_CLOUD.gcp, ...POLICIES_BY_CLOUD.azure, ...POLICIES_BY_CLOUD.kubernetes,
];
