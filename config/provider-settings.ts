import * as pulumi from "@pulumi/pulumi";
import { showValue } from "./parse";

/**
 * The provider settings the program reads from the stack (region, project, location). They end
 * up in resource names, endpoints and the shell commands the stack outputs (migrationCommand),
 * so each is checked against the cloud's own naming rule before anything uses it.
 */
interface ProviderSetting {
    key: string;
    pattern: RegExp;
    hint: string;
}

export const PROVIDER_SETTINGS: ProviderSetting[] = [
    {
        // Region codes: docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
        // (us-east-1, eu-west-1, ap-southeast-2, us-gov-west-1, cn-north-1).
        key: "aws:region", pattern: /^[a-z]{2}(-[a-z]+){1,3}-[1-9][0-9]?$/,
        hint: "an AWS Region code such as eu-west-1 or us-gov-west-1",
    },
    {
        // Region names: cloud.google.com/compute/docs/regions-zones (europe-west1, us-central1).
        key: "gcp:region", pattern: /^[a-z]+-[a-z]+[1-9][0-9]?$/,
        hint: "a Google Cloud region such as europe-west1 or us-central1",
    },
    {
        // Project IDs: 6 to 30 lower-case letters, digits or hyphens, starting with a letter, not
        // ending with a hyphen (cloud.google.com/resource-manager/docs/creating-managing-projects);
        // legacy domain-scoped IDs carry "<domain>:" in front.
        key: "gcp:project", pattern: /^([a-z0-9-]+(\.[a-z0-9-]+)+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
        hint: "a Google Cloud project ID: 6 to 30 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen",
    },
    {
        // Location names as `az account list-locations --query [].name` prints them (westeurope,
        // eastus2), or their display names (West Europe), which Azure Resource Manager also accepts.
        key: "azure-native:location", pattern: /^([a-z][a-z0-9]{2,39}|[A-Z][A-Za-z0-9]*( [A-Za-z0-9]+){0,4})$/,
        hint: "an Azure region name such as westeurope or eastus2",
    },
];

/** One message per provider setting that is set but does not follow its cloud's naming rule. */
export function providerSettingProblems(): string[] {
    const problems: string[] = [];
    const all = pulumi.runtime.allConfig();
    for (const { key, pattern, hint } of PROVIDER_SETTINGS) {
        if (!Object.hasOwn(all, key)) continue;
        const value = all[key];
        if (!pattern.test(value) || value.length > 64) problems.push(`${key} is ${showValue(value, { secret: isSecretKey(key) })}; expected ${hint}`);
    }
    return problems;
}

/** The runtime knows which keys the stack set with --secret; its typings do not say so. */
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

export function isSecretKey(key: string): boolean {
    return runtimeConfig.isConfigSecret(key);
}
