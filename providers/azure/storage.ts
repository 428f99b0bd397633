import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as storage from "@pulumi/azure-native/storage";
import { compactName } from "../../components/naming";
import { NONCURRENT_VERSION_DAYS, type StorageLocation } from "../../components/storage";
import type { AzureContext } from "./context";
import type { SecretStore } from "./secrets";

/**
 * Storage account names: 3-24 characters, lower-case letters and digits only, globally unique
 * (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftstorage).
 */
const STORAGE_ACCOUNT_MAX = 24;
/** Built-in role "Storage Blob Data Contributor": read, write and delete blobs, no account keys. */
export const STORAGE_BLOB_DATA_CONTRIBUTOR_ROLE = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
export const APP_CONTAINER = "app";
/**
 * Production: read-access geo-zone-redundant (three zones here, a copy in the paired region,
 * readable there during an outage); staging: zone-redundant in its own region only.
 */
export const STORAGE_SKU = { production: "Standard_RAGZRS", staging: "Standard_ZRS" } as const;

/** The storage account name for a stack: its base name without hyphens, "st" and the stack's suffix. */
export function storageAccountName(baseName: string, suffix: string): string {
    return compactName(baseName, `st${suffix}`, STORAGE_ACCOUNT_MAX);
}

export interface Storage {
    account: storage.StorageAccount;
    container: storage.BlobContainer;
    blobService: storage.BlobServiceProperties;
    access: authorization.RoleAssignment;
    location: StorageLocation;
}

/**
 * The application's blob container in its own storage account: HTTPS only with TLS 1.2 at least,
 * no anonymous blob access, shared keys disabled (only Entra ID identities get in), infrastructure
 * encryption on top of the service's; blob versioning with noncurrent versions deleted after
 * NONCURRENT_VERSION_DAYS, soft delete for blobs and containers. Production replicates to the
 * paired region (RA-GZRS). The apps' user-assigned identity is "Storage Blob Data Contributor"
 * on this container and nowhere else.
 */
export function createStorage(ctx: AzureContext, store: SecretStore): Storage {
    const { args, production, location, resourceGroupName, parent } = ctx;
    const account = new storage.StorageAccount(`${ctx.name}-storage`, {
        accountName: ctx.suffix.apply((suffix) => storageAccountName(args.baseName, suffix)),
        resourceGroupName, location,
        kind: "StorageV2",
        sku: { name: production ? STORAGE_SKU.production : STORAGE_SKU.staging },
        accessTier: "Hot",
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
        allowCrossTenantReplication: false,
        // Reachable, but only by RBAC grants: no private endpoint yet, as for Key Vault (docs/azure.md).
        publicNetworkAccess: "Enabled",
        encryption: {
            keySource: "Microsoft.Storage",
            requireInfrastructureEncryption: true,
            services: { blob: { enabled: true, keyType: "Account" } },
        },
        tags: args.tags,
    }, { parent, protect: production });

    const blobService = new storage.BlobServiceProperties(`${ctx.name}-storage-blobs`, {
        accountName: account.name, resourceGroupName,
        blobServicesName: "default",
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: NONCURRENT_VERSION_DAYS },
        containerDeleteRetentionPolicy: { enabled: true, days: NONCURRENT_VERSION_DAYS },
    }, { parent });

    new storage.ManagementPolicy(`${ctx.name}-storage-lifecycle`, {
        accountName: account.name, resourceGroupName,
        managementPolicyName: "default",
        policy: {
            rules: [{
                name: "expire-noncurrent-versions", enabled: true, type: "Lifecycle",
                definition: {
                    filters: { blobTypes: ["blockBlob"] },
                    actions: { version: { delete: { daysAfterCreationGreaterThan: NONCURRENT_VERSION_DAYS } } },
                },
            }],
        },
    }, { parent, dependsOn: [blobService] });

    const container = new storage.BlobContainer(`${ctx.name}-storage-app`, {
        accountName: account.name, resourceGroupName,
        containerName: APP_CONTAINER,
        publicAccess: "None",
    }, { parent, protect: production, dependsOn: [blobService] });

    const access = new authorization.RoleAssignment(`${ctx.name}-app-uses-blobs`, {
        scope: container.id,
        principalId: store.identity.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: pulumi.interpolate`/subscriptions/${store.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_CONTRIBUTOR_ROLE}`,
        description: `${args.baseName}: the API, worker and migrations job read and write the application's blobs`,
    }, { parent });

    const endpoint = account.primaryEndpoints.apply((endpoints) => endpoints.blob);
    return {
        account, container, blobService, access,
        location: { provider: "azure-blob", bucket: APP_CONTAINER, endpoint, region: location },
    };
}
