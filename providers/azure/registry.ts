import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import { compactName } from "../../components/naming";
import { UNTAGGED_IMAGE_DAYS } from "../../components/release";
import type { AzureContext } from "./context";
import type { SecretStore } from "./secrets";

/** Registry names: 5 to 50 letters and digits, globally unique (Microsoft.ContainerRegistry naming rules). */
const REGISTRY_NAME_MAX = 50;
/** Built-in role "AcrPull" (Azure built-in roles, Containers). */
export const ACR_PULL_ROLE = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

export interface Registry {
    registry: containerregistry.Registry;
    /** <name>.azurecr.io: where builds are pushed, and what the apps pull from. */
    loginServer: pulumi.Output<string>;
    /** AcrPull for the apps' identity on this registry; the apps start only after it exists. */
    pullAccess: authorization.RoleAssignment;
}

/**
 * The stack's Azure Container Registry: no admin user (no shared password exists at all), no
 * anonymous pull; the API, worker and migrations job pull with their user-assigned identity,
 * which gets AcrPull on this registry only. Production is Premium: zone-redundant, with untagged
 * manifests removed after a week; staging is Basic.
 */
export function createRegistry(ctx: AzureContext, store: SecretStore): Registry {
    const { args, production, location, resourceGroupName, parent } = ctx;
    const registry = new containerregistry.Registry(`${ctx.name}-registry`, {
        registryName: ctx.suffix.apply((suffix) => compactName(args.baseName, `acr${suffix}`, REGISTRY_NAME_MAX)),
        resourceGroupName, location,
        sku: { name: production ? "Premium" : "Basic" },
        adminUserEnabled: false,
        anonymousPullEnabled: false,
        ...(production
            ? {
                  zoneRedundancy: "Enabled",
                  // Retention of untagged manifests is a Premium feature.
                  policies: { retentionPolicy: { status: "enabled", days: UNTAGGED_IMAGE_DAYS } },
              }
            : {}),
        tags: args.tags,
    }, { parent });
    const pullAccess = new authorization.RoleAssignment(`${ctx.name}-app-pulls-images`, {
        scope: registry.id,
        principalId: store.identity.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: pulumi.interpolate`/subscriptions/${store.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL_ROLE}`,
        description: `${args.baseName}: the API, worker and migrations job pull their images`,
    }, { parent });
    return { registry, loginServer: registry.loginServer, pullAccess };
}
