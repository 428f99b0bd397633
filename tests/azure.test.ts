import { migrationContainerCommand } from "../components/dbroles";
import * as assert from "assert";
import { CACHE_TIER_SPECS, DB_TIER_SPECS } from "../components/capacity";
import { CACHE_TIERS, DB_TIERS, SCHEMA } from "../config/schema";
import type * as pulumi from "@pulumi/pulumi";
import { withoutApiVersionAliases } from "../providers/azure/aliases";
import { REDIS_SKU } from "../providers/azure/cache";
import { POSTGRES_SKU, postgresStorageSize } from "../providers/azure/database";
import { relativeRecordName } from "../providers/azure/edge";
import { subnetCidr } from "../providers/azure/network";
import { KEY_VAULT_SECRETS_USER_ROLE } from "../providers/azure/secrets";
import { APP_SERVICE_SKUS, appServiceSku, containerAppSize } from "../providers/azure/service";
import type { RecordedResource, RunResult } from "../tools/harness";
import { MOCK_SUBSCRIPTION_ID, MOCK_TENANT_ID } from "../tools/mocks/azure";
import {
    appSettings, azureContainer, containerEnv, onAzure, primaryServer, secretUri, serverParameters, vaultValue, Z,
} from "./clouds/azure";
import { deploy, ofType, only, STACKS } from "./support";

/**
 * The Azure production baseline (policy/rules/azure.ts), checked on the shipped stack files with only `cloud` changed, the way
 * a reviewer would check the portal: staging and prod each run once, every assertion reads the
 * recorded provider inputs.
 */
const APP_SECRETS = ["DATABASE_URL", "REDIS_URL", "SECRET_KEY", "JWT_SECRET_KEY"];

/** Azure resource types that take no tags (child settings, links and assignments). */
const UNTAGGABLE = new Set<string>([
    Z.privateDnsZoneGroup, Z.configuration, Z.database, Z.lock, Z.roleAssignment, Z.ftpAllowed, Z.scmAllowed,
    "azure-native:web:WebAppFtpAllowedSlot", "azure-native:web:WebAppScmAllowedSlot", Z.diagnostics,
    Z.originGroup, Z.origin, Z.customDomain, Z.route, Z.securityPolicy, Z.recordSet,
    // Front Door's rule sets and rules are children of the profile, which carries the tags.
    "azure-native:cdn:RuleSet", "azure-native:cdn:Rule",
    // Child settings of the storage account, which carries the tags.
    "azure-native:storage:BlobServiceProperties", "azure-native:storage:BlobContainer", "azure-native:storage:ManagementPolicy",
    // The release step and a built image are not Azure resources.
    "command:local:Command", "docker-build:index:Image",
]);

for (const stack of STACKS) {
    const production = stack === "prod";
    const base = `fastapi-platform-${stack}`;
    const domain = production ? "api.example.com" : "api.staging.example.com";
    describe(`Azure ${stack}: production baseline`, function () {
        let r: RunResult;
        before(async function () {
            r = await deploy(stack, onAzure);
        });
        const subnet = (role: string) => (only(r, Z.vnet).plainInputs.subnets as Record<string, any>[]).find((x) => x.name === role)!;
        const subnetId = (role: string) => `${only(r, Z.vnet).state.id}/subnets/${role}`;
        const idOf = (type: string, suffix?: string) => only(r, type, suffix).state.id as string;
        const api = () => only(r, Z.webApp);

        describe("resource group and network", () => {
            it("puts everything in one resource group in azure-native:location, global resources aside", () => {
                const group = only(r, Z.resourceGroup).plainInputs;
                assert.strictEqual(group.resourceGroupName, `${base}-rg`);
                assert.strictEqual(group.location, "westeurope");
                const regional = r.resources.filter((x) => x.plainInputs.location !== undefined && !/^global$/i.test(x.plainInputs.location));
                assert.ok(regional.length > 15);
                assert.deepStrictEqual(regional.filter((x) => x.plainInputs.location !== "westeurope").map((x) => x.name), []);
                const grouped = r.resources.filter((x) => x.plainInputs.resourceGroupName !== undefined && x.type !== Z.recordSet);
                assert.ok(grouped.every((x) => x.plainInputs.resourceGroupName === `${base}-rg`));
            });

            it("has a VNet with subnets delegated to App Service, Container Apps and PostgreSQL, and one for private endpoints", () => {
                assert.deepStrictEqual(only(r, Z.vnet).plainInputs.addressSpace.addressPrefixes, ["10.50.0.0/16"]);
                const expected: [string, string, string | undefined][] = [
                    ["apps", "10.50.0.0/24", "Microsoft.Web/serverFarms"],
                    ["jobs", "10.50.1.0/24", "Microsoft.App/environments"],
                    ["postgres", "10.50.2.0/24", "Microsoft.DBforPostgreSQL/flexibleServers"],
                    ["private-endpoints", "10.50.3.0/24", undefined],
                ];
                assert.deepStrictEqual(only(r, Z.vnet).plainInputs.subnets.map((x: { name: string }) => x.name), expected.map(([role]) => role));
                for (const [role, prefix, delegatedTo] of expected) {
                    const s = subnet(role);
                    assert.strictEqual(s.addressPrefix, prefix);
                    assert.deepStrictEqual((s.delegations ?? []).map((d: { serviceName: string }) => d.serviceName), delegatedTo ? [delegatedTo] : []);
                    assert.strictEqual(s.defaultOutboundAccess, false, `${role} has no implicit internet egress`);
                }
            });

            it("sends the compute subnets' egress through a NAT gateway with a static IP", () => {
                for (const role of ["apps", "jobs"]) assert.strictEqual(subnet(role).natGateway.id, idOf(Z.nat));
                for (const role of ["postgres", "private-endpoints"]) assert.strictEqual(subnet(role).natGateway, undefined);
            });

            it("lets only the compute subnets reach PostgreSQL and Redis", () => {
                const nsg = only(r, Z.nsg);
                for (const role of ["postgres", "private-endpoints"]) assert.strictEqual(subnet(role).networkSecurityGroup.id, nsg.state.id);
                assert.strictEqual(subnet("private-endpoints").privateEndpointNetworkPolicies, "NetworkSecurityGroupEnabled");
                const [postgres, redis, deny] = nsg.plainInputs.securityRules as Record<string, any>[];
                assert.deepStrictEqual([postgres.sourceAddressPrefixes, postgres.destinationAddressPrefix, postgres.destinationPortRanges],
                    [["10.50.0.0/24", "10.50.1.0/24", "10.50.2.0/24"], "10.50.2.0/24", ["5432", "6432"]]);
                assert.deepStrictEqual([redis.sourceAddressPrefixes, redis.destinationAddressPrefix, redis.destinationPortRanges],
                    [["10.50.0.0/24", "10.50.1.0/24"], "10.50.3.0/24", ["6380"]]);
                assert.deepStrictEqual([deny.access, deny.sourceAddressPrefix, deny.priority], ["Deny", "VirtualNetwork", 4000]);
                assert.ok(postgres.priority < deny.priority && redis.priority < deny.priority);
            });

            it("links the PostgreSQL and Redis private DNS zones to the VNet", () => {
                const zones = ofType(r, Z.privateZone).map((z) => z.plainInputs.privateZoneName).sort();
                assert.deepStrictEqual(zones, [`${base}.private.postgres.database.azure.com`, "privatelink.redis.cache.windows.net"]);
                for (const link of ofType(r, Z.zoneLink)) {
                    assert.strictEqual(link.plainInputs.virtualNetwork.id, idOf(Z.vnet));
                    assert.strictEqual(link.plainInputs.registrationEnabled, false);
                }
                assert.strictEqual(ofType(r, Z.zoneLink).length, 2);
            });
        });

        describe("PostgreSQL Flexible Server", () => {
            it("is private: delegated subnet, private DNS zone, no public access", () => {
                const network = primaryServer(r).plainInputs.network;
                assert.strictEqual(network.delegatedSubnetResourceId, subnetId("postgres"));
                assert.strictEqual(network.privateDnsZoneArmResourceId, idOf(Z.privateZone, "-postgres-dns"));
                assert.strictEqual(network.publicNetworkAccess, "Disabled");
            });

            it("runs PostgreSQL 16 on the tier's compute with auto-growing storage and a secret password", () => {
                const server = primaryServer(r);
                assert.strictEqual(server.plainInputs.version, "16");
                assert.deepStrictEqual(server.plainInputs.sku, production
                    ? { name: "Standard_E2ds_v5", tier: "MemoryOptimized" }
                    : { name: "Standard_B1ms", tier: "Burstable" });
                assert.deepStrictEqual(server.plainInputs.storage, { storageSizeGB: production ? 128 : 32, autoGrow: "Enabled", type: "Premium_LRS" });
                assert.strictEqual(server.plainInputs.administratorLogin, "app");
                assert.ok(server.secretPaths.includes("administratorLoginPassword"));
                assert.deepStrictEqual(server.plainInputs.authConfig.passwordAuth, "Enabled");
            });

            it("requires TLS and sets max_connections from the capacity rule plus Azure's 15 reserved connections", () => {
                const parameters = serverParameters(r, primaryServer(r));
                assert.strictEqual(parameters.require_secure_transport, "on");
                assert.strictEqual(parameters.ssl_min_protocol_version, "TLSv1.2");
                // staging: (10 + 20) x (2 + 1) + 10 + 15; prod: (20 + 40) x (10 + 4) + 10 + 15
                assert.strictEqual(parameters.max_connections, production ? "865" : "115");
                assert.ok(ofType(r, Z.configuration).every((c) => c.plainInputs.source === "user-override"));
            });

            it(production ? "is zone-redundant, geo-backed-up for 30 days, locked and protected" : "keeps Azure's minimum of 7 days of backups, unlocked and disposable", () => {
                const server = primaryServer(r);
                assert.strictEqual(server.plainInputs.highAvailability.mode, production ? "ZoneRedundant" : "Disabled");
                assert.deepStrictEqual(server.plainInputs.backup, production
                    ? { backupRetentionDays: 30, geoRedundantBackup: "Enabled" }
                    : { backupRetentionDays: 7, geoRedundantBackup: "Disabled" });
                assert.strictEqual(server.protect, production);
                const locks = ofType(r, Z.lock);
                assert.strictEqual(locks.length, production ? 1 : 0);
                if (production) assert.deepStrictEqual([locks[0].plainInputs.scope, locks[0].plainInputs.level], [server.state.id, "CanNotDelete"]);
            });

            it("creates the application database", () => {
                const db = only(r, Z.database);
                assert.deepStrictEqual(pickOf(db.plainInputs, ["serverName", "databaseName", "charset"]), { serverName: primaryServer(r).state.name, databaseName: "app", charset: "UTF8" });
                assert.strictEqual(db.protect, production);
            });

            it(production ? "has a private read replica of the primary, delivered as DATABASE_READ_URL" : "has no read replica", () => {
                const replicas = ofType(r, Z.server).filter((s) => s.plainInputs.createMode === "Replica");
                assert.strictEqual(replicas.length, production ? 1 : 0);
                if (!production) return;
                const replica = replicas[0];
                assert.strictEqual(replica.plainInputs.sourceServerResourceId, primaryServer(r).state.id);
                assert.strictEqual(replica.plainInputs.network.publicNetworkAccess, "Disabled");
                assert.strictEqual(replica.plainInputs.administratorLoginPassword, undefined);
                assert.strictEqual(replica.protect, true);
                assert.strictEqual(serverParameters(r, replica).max_connections, "865", "a hot standby needs at least its primary's max_connections");
                assert.match(vaultValue(r, "DATABASE_READ_URL"), new RegExp(`@${replica.state.fullyQualifiedDomainName}:5432/app\\?ssl=require$`));
            });
        });

        describe("Azure Cache for Redis", () => {
            it("accepts TLS 1.2 only, on the TLS port, through a private endpoint", () => {
                const redis = only(r, Z.redis).plainInputs;
                assert.strictEqual(redis.enableNonSslPort, false);
                assert.strictEqual(redis.minimumTlsVersion, "1.2");
                assert.strictEqual(redis.publicNetworkAccess, "Disabled");
                const endpoint = only(r, Z.privateEndpoint).plainInputs;
                assert.strictEqual(endpoint.subnet.id, subnetId("private-endpoints"));
                assert.deepStrictEqual(endpoint.privateLinkServiceConnections.map((c: Record<string, unknown>) => [c.privateLinkServiceId, c.groupIds]), [[only(r, Z.redis).state.id, ["redisCache"]]]);
                const dnsGroup = only(r, Z.privateDnsZoneGroup).plainInputs;
                assert.strictEqual(dnsGroup.privateEndpointName, only(r, Z.privateEndpoint).state.name);
                assert.strictEqual(dnsGroup.privateDnsZoneConfigs[0].privateDnsZoneId, idOf(Z.privateZone, "-redis-dns"));
            });

            it(production ? "is Premium with a replica in another zone, and protected" : "is a single Basic node", () => {
                const redis = only(r, Z.redis);
                assert.deepStrictEqual(redis.plainInputs.sku, production ? { name: "Premium", family: "P", capacity: 2 } : { name: "Basic", family: "C", capacity: 2 });
                assert.strictEqual(redis.plainInputs.replicasPerPrimary, production ? 1 : undefined);
                assert.strictEqual(redis.plainInputs.zonalAllocationPolicy, production ? "Automatic" : undefined);
                assert.strictEqual(redis.protect, production);
            });

            it("delivers rediss:// with the primary access key as the password, only through Key Vault", () => {
                const redis = only(r, Z.redis);
                const keys = r.invokes.find((i) => i.token === "azure-native:redis:listRedisKeys")!;
                assert.strictEqual(keys.inputs.name, redis.state.name);
                const url = vaultValue(r, "REDIS_URL");
                assert.match(url, new RegExp(`^rediss://:[^@]+@${redis.state.hostName}:6380/0\\?ssl_cert_reqs=required$`));
                const key = decodeURIComponent(url.slice("rediss://:".length, url.indexOf("@")));
                const holders = r.resources.filter((x) => JSON.stringify(x.plainInputs).includes(encodeURIComponent(key)) || JSON.stringify(x.plainInputs).includes(key));
                assert.deepStrictEqual(holders.map((h) => h.type), [Z.secret]);
                assert.ok(!JSON.stringify(r.outputs).includes(key));
            });
        });

        describe("Key Vault and the app identity", () => {
            it(`uses RBAC, soft delete${production ? " and purge protection, and is protected" : ", and no purge protection"}`, () => {
                const vault = only(r, Z.vault);
                const p = vault.plainInputs.properties;
                assert.strictEqual(p.tenantId, MOCK_TENANT_ID);
                assert.strictEqual(p.enableRbacAuthorization, true);
                assert.strictEqual(p.enableSoftDelete, true);
                assert.strictEqual(p.softDeleteRetentionInDays, production ? 90 : 7);
                assert.strictEqual(p.enablePurgeProtection, production ? true : undefined);
                assert.deepStrictEqual(p.accessPolicies, undefined);
                assert.strictEqual(vault.protect, production);
                assert.match(vault.plainInputs.vaultName, /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/);
                assert.ok(!vault.plainInputs.vaultName.includes("--"));
            });

            it("holds one secret per app secret, the value a Pulumi secret in `properties` only", () => {
                const expected = [...APP_SECRETS, "DATABASE_OWNER_URL", ...(production ? ["DATABASE_READ_URL"] : [])].map((n) => n.toLowerCase().replace(/_/g, "-")).sort();
                assert.deepStrictEqual(ofType(r, Z.secret).map((s) => s.plainInputs.secretName).sort(), expected);
                for (const s of ofType(r, Z.secret)) {
                    assert.deepStrictEqual(s.secretPaths, ["properties"]);
                    assert.strictEqual(s.plainInputs.vaultName, only(r, Z.vault).state.name);
                    assert.strictEqual(s.protect, production);
                }
            });

            it("generates different SECRET_KEY and JWT_SECRET_KEY and a TLS DATABASE_URL", () => {
                assert.ok(vaultValue(r, "SECRET_KEY").length >= 32);
                assert.ok(vaultValue(r, "JWT_SECRET_KEY").length >= 32);
                assert.notStrictEqual(vaultValue(r, "SECRET_KEY"), vaultValue(r, "JWT_SECRET_KEY"));
                assert.match(vaultValue(r, "DATABASE_URL"), new RegExp(`^postgresql\\+asyncpg://app_runtime:[^@]+@${primaryServer(r).state.fullyQualifiedDomainName}:5432/app\\?ssl=require$`));
            });

            it("grants one user-assigned identity Key Vault Secrets User on this vault only", () => {
                const grant = only(r, Z.roleAssignment, "-reads-secrets").plainInputs;
                assert.strictEqual(grant.roleDefinitionId, `/subscriptions/${MOCK_SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE}`);
                assert.strictEqual(KEY_VAULT_SECRETS_USER_ROLE, "4633458b-17de-408a-b874-0445c86b69e6");
                assert.strictEqual(grant.scope, idOf(Z.vault));
                assert.strictEqual(grant.principalId, only(r, Z.identity).state.principalId);
                assert.strictEqual(grant.principalType, "ServicePrincipal");
            });
        });

        describe("App Service (API)", () => {
            it(production ? "runs on a zone-redundant Linux Premium v3 plan of 3 instances" : "runs on a Linux Premium v3 plan", () => {
                const plan = only(r, Z.plan).plainInputs;
                assert.strictEqual(plan.reserved, true);
                assert.strictEqual(plan.kind, "linux");
                assert.deepStrictEqual(plan.sku, { name: "P0v3", tier: "PremiumV3", capacity: production ? 3 : 1 });
                assert.strictEqual(plan.zoneRedundant, production);
            });

            const sites: [string, () => RecordedResource][] = [["web app", api], ...(production ? [["staging slot", () => only(r, Z.slot)] as [string, () => RecordedResource]] : [])];
            for (const [label, site] of sites) {
                it(`hardens the ${label}: HTTPS only, TLS 1.2, no FTP, health check, always on, HTTP/2, VNet integration`, () => {
                    const s = site().plainInputs;
                    assert.strictEqual(s.httpsOnly, true);
                    assert.strictEqual(s.serverFarmId, idOf(Z.plan));
                    assert.strictEqual(s.virtualNetworkSubnetId, subnetId("apps"));
                    assert.strictEqual(s.clientAffinityEnabled, false);
                    const c = s.siteConfig;
                    assert.strictEqual(c.linuxFxVersion, "DOCKER|ghcr.io/acme/fastapi-backend:1.4.2@sha256:7722665819e503a620b3af136090693a5c20aabaaf4ecce410f44f5a24d4581a");
                    assert.strictEqual(c.minTlsVersion, "1.2");
                    assert.strictEqual(c.scmMinTlsVersion, "1.2");
                    assert.strictEqual(c.ftpsState, "Disabled");
                    assert.strictEqual(c.healthCheckPath, "/health");
                    assert.strictEqual(c.alwaysOn, true);
                    assert.strictEqual(c.http20Enabled, true);
                    assert.strictEqual(c.vnetRouteAllEnabled, true);
                    assert.strictEqual(c.scmIpSecurityRestrictionsDefaultAction, "Deny");
                });

                it(`resolves the ${label}'s secrets as Key Vault references with the shared identity, never values`, () => {
                    const s = site().plainInputs;
                    const identityId = only(r, Z.identity).state.id;
                    assert.deepStrictEqual(s.identity, { type: "UserAssigned", userAssignedIdentities: [identityId] });
                    assert.strictEqual(s.keyVaultReferenceIdentity, identityId);
                    const settings = appSettings(site());
                    for (const name of [...APP_SECRETS, ...(production ? ["DATABASE_READ_URL"] : [])]) {
                        assert.strictEqual(settings[name], `@Microsoft.KeyVault(SecretUri=${secretUri(r, name)})`, name);
                    }
                    assert.strictEqual(settings.WEBSITES_PORT, "8000");
                    assert.strictEqual(settings.PORT, "8000");
                    assert.strictEqual(settings.APPLICATIONINSIGHTS_CONNECTION_STRING, only(r, Z.insights).state.connectionString);
                });
            }

            it("passes the app settings as plain settings", () => {
                const settings = appSettings(api());
                assert.strictEqual(settings.ENVIRONMENT, production ? "production" : "staging");
                assert.strictEqual(settings.DEBUG, "false");
                assert.strictEqual(settings.LOG_LEVEL, production ? "INFO" : "DEBUG");
                assert.strictEqual(settings.DB_POOL_SIZE, production ? "20" : "10");
                assert.strictEqual(settings.CORS_ORIGINS, production ? "https://app.example.com,https://www.example.com" : "https://api.staging.example.com");
                for (const name of ["RATE_LIMIT_PER_MINUTE", "DB_MAX_OVERFLOW", "DB_POOL_TIMEOUT", "DB_POOL_RECYCLE", "CACHE_ENABLED", "CACHE_DEFAULT_TTL"]) {
                    assert.ok(settings[name], `${name} is set`);
                }
                assert.strictEqual(settings.WEBSITE_SWAP_WARMUP_PING_PATH, "/health");
            });

            it("admits only this stack's Front Door, by service tag and X-Azure-FDID", () => {
                const c = api().plainInputs.siteConfig;
                assert.strictEqual(c.ipSecurityRestrictionsDefaultAction, "Deny");
                assert.deepStrictEqual(c.ipSecurityRestrictions.map((rule: Record<string, unknown>) => [rule.action, rule.tag, rule.ipAddress, rule.headers]),
                    [["Allow", "ServiceTag", "AzureFrontDoor.Backend", { "x-azure-fdid": [only(r, Z.frontDoor).state.frontDoorId] }]]);
            });

            it("turns off basic-auth publishing (FTP and SCM)", () => {
                const policies = [...ofType(r, Z.ftpAllowed), ...ofType(r, Z.scmAllowed)];
                assert.strictEqual(policies.length, 2);
                assert.ok(policies.every((p) => p.plainInputs.allow === false && p.plainInputs.name === api().state.name));
                assert.strictEqual(ofType(r, "azure-native:web:WebAppFtpAllowedSlot").length, production ? 1 : 0);
            });

            it(production ? "has a staging slot for blue/green swaps" : "has no deployment slot", () => {
                const slots = ofType(r, Z.slot);
                assert.strictEqual(slots.length, production ? 1 : 0);
                if (production) assert.deepStrictEqual([slots[0].plainInputs.name, slots[0].plainInputs.slot], [api().state.name, "staging"]);
            });
        });

        describe("worker and migrations (Container Apps)", () => {
            it(`runs them in an internal, VNet-integrated environment${production ? ", zone-redundant" : ""}`, () => {
                const env = only(r, Z.environment).plainInputs;
                assert.deepStrictEqual(env.vnetConfiguration, { infrastructureSubnetId: subnetId("jobs"), internal: true });
                assert.strictEqual(env.zoneRedundant, production);
                assert.deepStrictEqual(env.appLogsConfiguration, { destination: "azure-monitor" });
            });

            it("gives the worker no ingress, its own CPU and memory scaling and a 60 s grace period", () => {
                const worker = only(r, Z.containerApp).plainInputs;
                assert.strictEqual(worker.configuration.ingress, undefined);
                assert.deepStrictEqual(worker.template.scale.minReplicas, production ? 2 : 1);
                assert.deepStrictEqual(worker.template.scale.maxReplicas, production ? 4 : 1);
                assert.deepStrictEqual(worker.template.scale.rules.map((rule: any) => [rule.custom.type, rule.custom.metadata.value]), [["cpu", "70"], ["memory", "80"]]);
                assert.strictEqual(worker.template.terminationGracePeriodSeconds, 60);
                const container = azureContainer(r, "worker");
                assert.deepStrictEqual(container.args, ["python", "-m", "app.worker"]);
                assert.deepStrictEqual(container.resources, production ? { cpu: 0.5, memory: "1Gi" } : { cpu: 0.25, memory: "0.5Gi" });
            });

            for (const role of ["worker", "migrations"] as const) {
                it(`gives the ${role} its secrets as Key Vault references read by the shared identity`, () => {
                    const resource = role === "worker" ? only(r, Z.containerApp) : only(r, Z.job);
                    const identityId = only(r, Z.identity).state.id;
                    assert.deepStrictEqual(resource.plainInputs.identity, { type: "UserAssigned", userAssignedIdentities: [identityId] });
                    const secrets = resource.plainInputs.configuration.secrets as { name: string; keyVaultUrl: string; identity: string; value?: string }[];
                    const { plain, secretRefs } = containerEnv(azureContainer(r, role));
                    for (const name of APP_SECRETS) {
                        const secret = secrets.find((s) => s.name === secretRefs[name])!;
                        // The migrations connect as the database owner: their DATABASE_URL is the owner's entry.
                        const stored = role === "migrations" && name === "DATABASE_URL" ? "DATABASE_OWNER_URL" : name;
                        assert.deepStrictEqual([secret.keyVaultUrl, secret.identity, secret.value], [secretUri(r, stored), identityId, undefined], name);
                        assert.ok(!(name in plain));
                    }
                    assert.strictEqual(plain.ENVIRONMENT, production ? "production" : "staging");
                });
            }

            it("defines migrations as a manual job and outputs the exact command that runs and waits for it", () => {
                const job = only(r, Z.job).plainInputs;
                assert.strictEqual(job.configuration.triggerType, "Manual");
                assert.deepStrictEqual(job.configuration.manualTriggerConfig, { parallelism: 1, replicaCompletionCount: 1 });
                assert.strictEqual(job.configuration.replicaRetryLimit, 0);
                const container = azureContainer(r, "migrations");
                assert.deepStrictEqual(container.args, migrationContainerCommand(["alembic", "upgrade", "head"]));
                assert.strictEqual(container.image, "ghcr.io/acme/fastapi-backend:1.4.2@sha256:7722665819e503a620b3af136090693a5c20aabaaf4ecce410f44f5a24d4581a");
                const command = r.outputs.migrationCommand as string;
                const target = `--subscription ${MOCK_SUBSCRIPTION_ID} --resource-group ${base}-rg --name ${job.jobName}`;
                assert.ok(command.startsWith(`EXECUTION=$(az containerapp job start ${target} --query name --output tsv)`), command);
                assert.ok(command.includes(`az containerapp job execution show ${target} --job-execution-name "$EXECUTION" --query properties.status`));
                assert.match(command, /test "\$STATUS" = Succeeded$/);
            });
        });

        describe("autoscale", () => {
            it(`scales the plan on CPU and memory between ${production ? "3 and 10" : "1 and 2"} instances`, () => {
                const setting = only(r, Z.autoscale).plainInputs;
                assert.strictEqual(setting.targetResourceUri, idOf(Z.plan));
                assert.strictEqual(setting.enabled, true);
                const [profile] = setting.profiles;
                assert.deepStrictEqual(profile.capacity, production ? { minimum: "3", maximum: "10", default: "3" } : { minimum: "1", maximum: "2", default: "1" });
                const rules = profile.rules.map((rule: any) => `${rule.metricTrigger.metricName} ${rule.metricTrigger.operator} ${rule.metricTrigger.threshold} ${rule.scaleAction.direction}`);
                assert.deepStrictEqual(rules, [
                    "CpuPercentage GreaterThan 70 Increase", "CpuPercentage LessThan 50 Decrease",
                    "MemoryPercentage GreaterThan 80 Increase", "MemoryPercentage LessThan 60 Decrease",
                ]);
                assert.ok(profile.rules.every((rule: any) => rule.metricTrigger.metricResourceUri === idOf(Z.plan)));
            });
        });

        describe("edge", () => {
            it(`serves ${domain} through Front Door ${production ? "Premium" : "Standard"} with a managed certificate, HTTPS to the origin`, () => {
                assert.strictEqual(only(r, Z.frontDoor).plainInputs.sku.name, production ? "Premium_AzureFrontDoor" : "Standard_AzureFrontDoor");
                const custom = only(r, Z.customDomain).plainInputs;
                assert.strictEqual(custom.hostName, domain);
                assert.deepStrictEqual(custom.tlsSettings, { certificateType: "ManagedCertificate", minimumTlsVersion: "TLS12" });
                const origin = only(r, Z.origin).plainInputs;
                assert.deepStrictEqual([origin.hostName, origin.originHostHeader, origin.enforceCertificateNameCheck], [api().state.defaultHostName, api().state.defaultHostName, true]);
                const probe = only(r, Z.originGroup).plainInputs.healthProbeSettings;
                assert.deepStrictEqual([probe.probePath, probe.probeProtocol, probe.probeRequestType], ["/health", "Https", "GET"]);
                const route = only(r, Z.route).plainInputs;
                assert.deepStrictEqual(route.customDomains, [{ id: only(r, Z.customDomain).state.id }]);
                assert.deepStrictEqual([route.httpsRedirect, route.forwardingProtocol, route.linkToDefaultDomain], ["Enabled", "HttpsOnly", "Disabled"]);
                assert.strictEqual(r.outputs.url, `https://${domain}`);
            });

            it(production ? "rate-limits each client IP at the edge with a WAF in prevention mode" : "has no WAF", () => {
                const policies = ofType(r, Z.waf);
                assert.strictEqual(policies.length, production ? 1 : 0);
                if (!production) return;
                const waf = policies[0].plainInputs;
                assert.strictEqual(waf.policySettings.mode, "Prevention");
                const [rate] = waf.customRules.rules;
                assert.deepStrictEqual(
                    [rate.ruleType, rate.rateLimitThreshold, rate.rateLimitDurationInMinutes, rate.groupBy, rate.action],
                    ["RateLimitRule", 1000, 1, [{ variableName: "SocketAddr" }], "Block"],
                );
                assert.ok(waf.managedRules.managedRuleSets.some((set: any) => set.ruleSetType === "Microsoft_DefaultRuleSet"));
                const association = only(r, Z.securityPolicy).plainInputs.parameters;
                assert.strictEqual(association.wafPolicy.id, policies[0].state.id);
                assert.deepStrictEqual(association.associations[0].domains, [{ id: only(r, Z.customDomain).state.id }]);
            });
        });

        describe("observability", () => {
            it("keeps logs in Log Analytics, with workspace-based Application Insights", () => {
                assert.strictEqual(only(r, Z.workspace).plainInputs.retentionInDays, production ? 90 : 30);
                const insights = only(r, Z.insights).plainInputs;
                assert.strictEqual(insights.workspaceResourceId, idOf(Z.workspace));
                assert.strictEqual(insights.ingestionMode, "LogAnalytics");
                const diagnostics = ofType(r, Z.diagnostics);
                assert.ok(diagnostics.every((d) => d.plainInputs.workspaceId === idOf(Z.workspace)));
                const covered = diagnostics.map((d) => d.plainInputs.resourceUri);
                for (const id of [api().state.id, primaryServer(r).state.id, idOf(Z.vault), idOf(Z.environment), idOf(Z.frontDoor)]) assert.ok(covered.includes(id), id);
            });

            it("alerts on 5xx, response time > 2 s, health, CPU/memory, PostgreSQL and Redis, to an e-mailed action group", () => {
                const alerts = ofType(r, Z.alert);
                const criterion = (suffix: string) => alerts.find((a) => a.name.endsWith(`-${suffix}`))!.plainInputs.criteria.allOf[0];
                for (const suffix of ["api-http-5xx", "api-response-time", "api-health-check", "api-cpu", "api-memory", "worker-cpu", "worker-memory",
                    "db-cpu", "db-connections", "db-storage", "db-storage-ceiling", "cache-memory"]) {
                    assert.ok(criterion(suffix), `alert ${suffix}`);
                }
                assert.deepStrictEqual([criterion("api-response-time").metricName, criterion("api-response-time").threshold], ["HttpResponseTime", 2]);
                assert.deepStrictEqual([criterion("db-connections").metricName, criterion("db-connections").threshold], ["active_connections", production ? 680 : 80]);
                assert.deepStrictEqual([criterion("db-cpu").metricName, criterion("db-cpu").threshold], ["cpu_percent", 80]);
                assert.strictEqual(alerts.some((a) => a.name.endsWith("-db-replica-lag")), production);
                const groupId = idOf(Z.actionGroup);
                assert.ok(alerts.every((a) => a.plainInputs.actions[0].actionGroupId === groupId && a.plainInputs.enabled));
                assert.deepStrictEqual(only(r, Z.actionGroup).plainInputs.emailReceivers.map((e: { emailAddress: string }) => e.emailAddress), ["platform-alerts@example.com"]);
                assert.ok(only(r, Z.actionGroup).plainInputs.groupShortName.length <= 12);
            });
        });

        describe("names, tags and protection", () => {
            it("keeps every name within Azure's limits", () => {
                const limits: [string, string, number][] = [
                    [Z.vault, "vaultName", 24], [Z.server, "serverName", 63], [Z.redis, "name", 63], [Z.webApp, "name", 60],
                    [Z.containerApp, "containerAppName", 32], [Z.job, "jobName", 32], [Z.endpoint, "endpointName", 46], [Z.plan, "name", 60],
                ];
                for (const [type, field, max] of limits) {
                    for (const x of ofType(r, type)) {
                        const name = x.plainInputs[field] as string;
                        assert.ok(name.length <= max && /^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(name) && !name.includes("--"), `${type} ${name}`);
                    }
                }
                if (production) assert.match(only(r, Z.waf).plainInputs.policyName, /^[a-z][a-z0-9]{0,127}$/);
            });

            it("tags everything taggable with project, stack, environment and managed-by", () => {
                const untagged = r.resources.filter((x) => x.custom && !x.type.startsWith("random:") && !UNTAGGABLE.has(x.type) && x.plainInputs.tags?.["managed-by"] !== "pulumi");
                assert.deepStrictEqual(untagged.map((x) => `${x.type} ${x.name}`), []);
                assert.deepStrictEqual(only(r, Z.vnet).plainInputs.tags, { project: "fastapi-platform", stack, environment: production ? "production" : "staging", "managed-by": "pulumi" });
            });

            it("parents every resource under the platform component", () => {
                const component = only(r, Z.platform);
                assert.deepStrictEqual(r.resources.filter((x) => x !== component && x.parent !== component.urn).map((x) => x.name), []);
            });

            it(production ? "protects the resource group, PostgreSQL, Redis, Key Vault and its secrets from `pulumi destroy`" : "protects nothing, so staging can be torn down", () => {
                const protectedTypes = new Set(r.resources.filter((x) => x.protect).map((x) => x.type));
                const storage = ["azure-native:storage:StorageAccount", "azure-native:storage:BlobContainer"];
                assert.deepStrictEqual([...protectedTypes].sort(), production ? [Z.database, Z.server, Z.secret, Z.vault, Z.redis, Z.resourceGroup, ...storage].sort() : []);
                if (production) {
                    const stateful = [...ofType(r, Z.server), ...ofType(r, Z.database), ...ofType(r, Z.redis), ...ofType(r, Z.vault), ...ofType(r, Z.secret)];
                    assert.deepStrictEqual(stateful.filter((x) => !x.protect).map((x) => x.name), []);
                }
            });
        });

        describe("stack outputs", () => {
            it("exports the URL, database, cache, Key Vault secret URIs and migration command, and no secret values", () => {
                const o = r.outputs;
                assert.strictEqual(o.cloud, "azure");
                assert.strictEqual(o.databaseHost, primaryServer(r).state.fullyQualifiedDomainName);
                assert.match(String(o.databaseHost), /\.postgres\.database\.azure\.com$/);
                assert.strictEqual(o.databasePort, 5432);
                assert.strictEqual(o.databaseName, "app");
                assert.strictEqual(o.databaseMaxConnections, production ? 850 : 100);
                assert.strictEqual(o.cacheHost, only(r, Z.redis).state.hostName);
                assert.strictEqual(o.cachePort, 6380);
                const secretIds = o.secretIds as Record<string, string>;
                assert.deepStrictEqual(Object.keys(secretIds).sort(), ofType(r, Z.secret).map((s) => s.plainInputs.secretName.toUpperCase().replace(/-/g, "_")).sort());
                for (const [name, uri] of Object.entries(secretIds)) assert.strictEqual(uri, secretUri(r, name));
                assert.strictEqual(o.alertTarget, idOf(Z.actionGroup));
                if (production) assert.strictEqual(o.databaseReadReplicaHost, ofType(r, Z.server).find((s) => s.plainInputs.createMode === "Replica")!.state.fullyQualifiedDomainName);
                assert.deepStrictEqual(r.secretOutputs, []);
            });
        });
    });
}

describe("Azure staging without a domain", () => {
    it("serves the API on its own azurewebsites.net name, with no Front Door and no access restriction", async () => {
        const r = await deploy("staging", { overrides: { cloud: "azure", domain: "", dnsZone: "" } });
        assert.strictEqual(r.resources.filter((x) => x.type.startsWith("azure-native:cdn:")).length, 0);
        const api = only(r, Z.webApp);
        assert.strictEqual(r.outputs.url, `https://${api.state.defaultHostName}`);
        assert.strictEqual(api.plainInputs.siteConfig.ipSecurityRestrictionsDefaultAction, "Allow");
        assert.strictEqual(api.plainInputs.siteConfig.ipSecurityRestrictions, undefined);
        assert.strictEqual(api.plainInputs.httpsOnly, true);
    });
});

describe("Azure: how the neutral sizes map to Azure's", () => {
    it("gives the API the cheapest Premium v3 size covering cpu and memoryMb, for every size the schema allows", () => {
        assert.strictEqual(appServiceSku(250, 512), "P0v3");
        assert.strictEqual(appServiceSku(1000, 4096), "P0v3");
        assert.strictEqual(appServiceSku(2000, 4096), "P1v3");
        assert.strictEqual(appServiceSku(500, 16384), "P1mv3");
        assert.strictEqual(appServiceSku(4000, 16384), "P2v3");
        assert.strictEqual(appServiceSku(4000, 30720), "P2mv3");
        const cpus = SCHEMA.cpu.allowed;
        for (const cpu of cpus) {
            for (const memoryMb of [SCHEMA.memoryMb.min, 8192, SCHEMA.memoryMb.max]) {
                const sku = APP_SERVICE_SKUS.find((s) => s.name === appServiceSku(cpu, memoryMb))!;
                assert.ok(sku.vCpus * 1000 >= cpu && sku.memoryMb >= memoryMb, `${cpu}/${memoryMb}`);
            }
        }
    });

    it("gives the worker the smallest Container Apps size covering workerCpu and workerMemoryMb (2 GiB per vCPU, at most 4 vCPU)", () => {
        assert.deepStrictEqual(containerAppSize(250, 512), { cpu: 0.25, memoryGi: 0.5 });
        assert.deepStrictEqual(containerAppSize(500, 1024), { cpu: 0.5, memoryGi: 1 });
        assert.deepStrictEqual(containerAppSize(250, 1536), { cpu: 0.75, memoryGi: 1.5 });
        assert.deepStrictEqual(containerAppSize(4000, 8192), { cpu: 4, memoryGi: 8 });
        assert.strictEqual(containerAppSize(500, 8193), undefined);
    });

    it("maps each dbTier to Flexible Server compute of the tier's memory", () => {
        const memoryGiB: Record<string, number> = { Standard_B1ms: 2, Standard_E2ds_v5: 16, Standard_E4ds_v5: 32, Standard_E8ds_v5: 64 };
        for (const tier of DB_TIERS) assert.strictEqual(memoryGiB[POSTGRES_SKU[tier].name], DB_TIER_SPECS[tier].memoryGiB, tier);
        assert.strictEqual(POSTGRES_SKU.small.tier, "Burstable");
    });

    it("rounds dbStorageGb up to a Premium SSD size", () => {
        assert.deepStrictEqual([20, 32, 33, 100, 16000].map(postgresStorageSize), [32, 32, 64, 128, 16384]);
    });

    it("maps each cacheTier to a Redis size of at least the tier's memory, Basic alone or Premium replicated", () => {
        const gb: Record<string, number> = { C2: 2.5, C4: 13, C5: 26, P1: 6, P2: 13, P3: 26 };
        for (const tier of CACHE_TIERS) {
            const { single, replicated } = REDIS_SKU[tier];
            assert.deepStrictEqual([single.name, replicated.name], ["Basic", "Premium"]);
            for (const sku of [single, replicated]) assert.ok(gb[`${sku.family}${sku.capacity}`] >= CACHE_TIER_SPECS[tier].memoryGiB, `${tier} ${sku.family}${sku.capacity}`);
        }
    });

    it("carves /24 subnets out of the VNet and names DNS records relative to their zone", () => {
        assert.deepStrictEqual([0, 1, 3].map((i) => subnetCidr("10.60.0.0/16", 24, i)), ["10.60.0.0/24", "10.60.1.0/24", "10.60.3.0/24"]);
        assert.strictEqual(subnetCidr("10.8.8.0/21", 24, 7), "10.8.15.0/24");
        assert.throws(() => subnetCidr("10.8.8.0/21", 24, 8), /does not fit/);
        assert.strictEqual(relativeRecordName("api.staging.example.com", "example.com"), "api.staging");
        assert.strictEqual(relativeRecordName("example.com", "example.com"), "@");
    });
});

describe("Azure: aliases", () => {
    it("drops azure-native's per-API-version type aliases, keeping former-module aliases and the caller's own", () => {
        const kept = ["urn:pulumi:prod::fastapi-platform::azure-native:web:WebApp::old-name", { name: "old-name" }, { type: "azure-native:insights:MetricAlert" }];
        const transform = (type: string) => withoutApiVersionAliases({
            type, name: "x", props: {}, opts: { aliases: [{ type: "azure-native:network/v20150501preview:Subnet" }, { type: "azure-native:network/v20240501:Subnet" }, ...kept] },
        } as unknown as pulumi.ResourceTransformationArgs);
        assert.deepStrictEqual(transform("azure-native:network:Subnet")?.opts.aliases, kept);
        assert.strictEqual(transform("random:index/randomPassword:RandomPassword"), undefined);
    });
});

function pickOf(value: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    return Object.fromEntries(keys.map((k) => [k, value[k]]));
}
