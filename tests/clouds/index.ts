import type { Cloud } from "../../config/schema";
import { availableClouds } from "../../providers";
import { AWS_FIXTURE } from "./aws";
import { AZURE_FIXTURE } from "./azure";
import { GCP_FIXTURE } from "./gcp";
import { KUBERNETES_FIXTURE } from "./kubernetes";
import type { CloudFixture } from "./types";

const FIXTURES: Partial<Record<Cloud, CloudFixture>> = { aws: AWS_FIXTURE, gcp: GCP_FIXTURE, azure: AZURE_FIXTURE, kubernetes: KUBERNETES_FIXTURE };

/** Every cloud the program can deploy today, with its fixture; a cloud without one fails here. */
export function cloudsUnderTest(): [Cloud, CloudFixture][] {
    return availableClouds().map((cloud) => {
        const fixture = FIXTURES[cloud];
        if (!fixture) throw new Error(`providers/${cloud} exists but tests/clouds/${cloud}.ts has no fixture`);
        return [cloud, fixture];
    });
}

/** Every cloud SDK package the repository knows, for "loads no other cloud" checks. */
export const ALL_SDKS = ["@pulumi/aws", "@pulumi/gcp", "@pulumi/azure-native", "@pulumi/kubernetes"];
