import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { globalName, localName, type AzureContext } from "./context";

/** Built-in role "Key Vault Secrets User": read secret values, nothing else. */
export const KEY_VAULT_SECRETS_USER_ROLE = "4633458b-17de-408a-b874-0445c86b69e6";

export interface SecretStore {
    vault: keyvault.Vault;
    secrets: Record<string, keyvault.Secret>;
    /** Env var name -> versionless secret URI (the latest version is always read). */
    uris: Record<string, pulumi.Output<string>>;
    /** The one identity of the API, the worker and the migrations job. */
    identity: managedidentity.UserAssignedIdentity;
    /** "Key Vault Secrets User" for that identity on this vault; apps start only after it exists. */
    readAccess: authorization.RoleAssignment;
    subscriptionId: pulumi.Output<string>;
}

/**
 * A Key Vault with RBAC authorization only (no access policies), soft delete, and purge
 * protection in production; one secret per env var, the value in exactly one input (the
 * secret's `properties`, a Pulumi secret). Vault and secrets are protected in production. One
 * user-assigned identity, shared by the API, the worker and the migrations job, may read them:
 * "Key Vault Secrets User" on this vault and nowhere else. It is created before the apps, so the
 * grant exists when they first start.
 */
export function createSecretStore(ctx: AzureContext, values: Record<string, pulumi.Output<string>>): SecretStore {
    const { args, production, location, resourceGroupName, parent } = ctx;
    const client = authorization.getClientConfigOutput({ parent });
    const vault = new keyvault.Vault(`${ctx.name}-vault`, {
        vaultName: globalName(ctx, "kv", 24),
        resourceGroupName, location,
        properties: {
            tenantId: client.tenantId,
            sku: { family: "A", name: keyvault.SkuName.Standard },
            enableRbacAuthorization: true,
            enableSoftDelete: true,
            softDeleteRetentionInDays: production ? 90 : 7,
            // Azure accepts only `true` here, never `false`: once on, purge protection stays on.
            ...(production ? { enablePurgeProtection: true } : {}),
            enabledForDeployment: false,
            enabledForTemplateDeployment: false,
            enabledForDiskEncryption: false,
            // Reachable, but only by RBAC grants: no private endpoint yet (docs/azure.md, "Known limits").
            publicNetworkAccess: "Enabled",
            networkAcls: { bypass: "AzureServices", defaultAction: "Allow" },
        },
        tags: args.tags,
    }, { parent, protect: production });

    const secrets: Record<string, keyvault.Secret> = {};
    const uris: Record<string, pulumi.Output<string>> = {};
    for (const [envName, value] of Object.entries(values)) {
        const secretName = envName.toLowerCase().replace(/_/g, "-");
        const secret = new keyvault.Secret(`${ctx.name}-vault-${secretName}`, {
            vaultName: vault.name,
            resourceGroupName,
            secretName,
            properties: pulumi.secret({ value, contentType: "text/plain" }),
            tags: args.tags,
        }, { parent, protect: production });
        secrets[envName] = secret;
        // Built from the vault's URI rather than read from `properties`, which carries the value
        // and so is a secret output as a whole.
        uris[envName] = pulumi.interpolate`${vault.properties.vaultUri}secrets/${secret.name}`;
    }

    const identity = new managedidentity.UserAssignedIdentity(`${ctx.name}-app-identity`, {
        resourceName: localName(ctx, "app", 128),
        resourceGroupName, location,
        tags: args.tags,
    }, { parent });
    const readAccess = new authorization.RoleAssignment(`${ctx.name}-app-reads-secrets`, {
        scope: vault.id,
        principalId: identity.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE}`,
        description: `${args.baseName}: the API, worker and migrations job read their secrets`,
    }, { parent });
    return { vault, secrets, uris, identity, readAccess, subscriptionId: client.subscriptionId };
}
