import { migrationContainerCommand } from "../components/dbroles";
import * as assert from "assert";
import type { RunResult } from "../tools/harness";
import { G, gcpContainer, onGcp, plainEnvOf, secretEnvOf, secretResource, secretValueOf, sqlFlags } from "./clouds/gcp";
import { deploy, ofType, only, STACKS } from "./support";

/**
 * The GCP production baseline (policy/rules/gcp.ts), checked on the shipped stack files with only `cloud` changed, the way a
 * reviewer would check the console: staging and prod each run once, every assertion reads the
 * recorded provider inputs.
 */
const APP_SECRETS = ["DATABASE_URL", "REDIS_URL", "SECRET_KEY", "JWT_SECRET_KEY"];

for (const stack of STACKS) {
    const production = stack === "prod";
    const base = `fastapi-platform-${stack}`;
    const gcpProject = `acme-fastapi-${stack}`;
    const domain = production ? "api.example.com" : "api.staging.example.com";
    describe(`GCP ${stack}: production baseline`, function () {
        let r: RunResult;
        before(async function () {
            r = await deploy(stack, onGcp);
        });
        const primary = () => only(r, G.sql, "-db");
        const serviceAccountEmail = () => only(r, G.serviceAccount).state.email as string;

        describe("project and network", () => {
            it("enables the APIs it calls and leaves them enabled on destroy", () => {
                const apis = ofType(r, G.api);
                for (const service of ["run", "sqladmin", "redis", "servicenetworking", "secretmanager", "compute", "monitoring", "logging", "iam"]) {
                    assert.ok(apis.some((a) => a.plainInputs.service === `${service}.googleapis.com`), service);
                }
                assert.ok(apis.every((a) => a.plainInputs.disableOnDestroy === false));
            });

            it("has its own VPC and one regional subnet with Private Google Access and flow logs", () => {
                const vpc = only(r, G.network).plainInputs;
                assert.strictEqual(vpc.autoCreateSubnetworks, false);
                const subnet = only(r, G.subnet).plainInputs;
                assert.strictEqual(subnet.network, only(r, G.network).state.id);
                assert.strictEqual(subnet.region, "europe-west1");
                assert.strictEqual(subnet.ipCidrRange, "10.50.0.0/20");
                assert.strictEqual(subnet.privateIpGoogleAccess, true);
                assert.ok(subnet.logConfig.flowSampling > 0);
            });

            it("reserves a range for private service access and peers it to Google's service producers", () => {
                const range = only(r, G.address, "-private-services");
                assert.strictEqual(range.plainInputs.purpose, "VPC_PEERING");
                assert.strictEqual(range.plainInputs.addressType, "INTERNAL");
                assert.strictEqual(range.plainInputs.network, only(r, G.network).state.id);
                const peering = only(r, G.peering).plainInputs;
                assert.strictEqual(peering.service, "servicenetworking.googleapis.com");
                assert.deepStrictEqual(peering.reservedPeeringRanges, [range.state.name]);
            });

            it("sends the API, worker and migrations into the VPC by direct VPC egress", () => {
                const templates = [...ofType(r, G.run).map((s) => s.plainInputs.template), only(r, G.job).plainInputs.template.template];
                for (const template of templates) {
                    assert.deepStrictEqual(template.vpcAccess, {
                        networkInterfaces: [{ network: only(r, G.network).state.id, subnetwork: only(r, G.subnet).state.id }],
                        egress: "PRIVATE_RANGES_ONLY",
                    });
                }
            });
        });

        describe("Cloud SQL for PostgreSQL", () => {
            it("has a private address only, requires TLS, keeps backups and Query Insights, and autoresizes its disk", () => {
                const db = primary().plainInputs;
                assert.strictEqual(db.databaseVersion, "POSTGRES_16");
                const ip = db.settings.ipConfiguration;
                assert.strictEqual(ip.ipv4Enabled, false);
                assert.strictEqual(ip.privateNetwork, only(r, G.network).state.id);
                assert.strictEqual(ip.allocatedIpRange, only(r, G.address, "-private-services").state.name);
                assert.strictEqual(ip.sslMode, "ENCRYPTED_ONLY");
                assert.strictEqual(db.settings.backupConfiguration.enabled, true);
                assert.strictEqual(db.settings.backupConfiguration.backupRetentionSettings.retainedBackups, production ? 30 : 3);
                assert.strictEqual(db.settings.insightsConfig.queryInsightsEnabled, true);
                assert.strictEqual(db.settings.diskAutoresize, true);
                assert.ok(db.settings.diskAutoresizeLimit > db.settings.diskSize);
                assert.strictEqual(db.settings.edition, "ENTERPRISE");
                assert.strictEqual(db.settings.tier, production ? "db-custom-4-16384" : "db-custom-1-3840");
            });

            it("logs connections, disconnections, checkpoints and lock waits, and sizes max_connections by the capacity rule", () => {
                const flags = sqlFlags(primary());
                for (const name of ["log_connections", "log_disconnections", "log_checkpoints", "log_lock_waits"]) assert.strictEqual(flags[name], "on", name);
                // staging: (10 + 20) x (2 + 1) + 10; prod: (20 + 40) x (10 + 4) + 10
                assert.strictEqual(flags.max_connections, production ? "850" : "100");
            });

            it("suffixes the instance name, since Cloud SQL keeps a deleted name for a week", () => {
                assert.match(primary().plainInputs.name, new RegExp(`^${base}-db-[0-9a-f]{6}$`));
            });

            it(production ? "is regional, recoverable to a point in time and protected in Pulumi and in the API" : "is zonal and disposable", () => {
                const db = primary();
                const settings = db.plainInputs.settings;
                assert.strictEqual(settings.availabilityType, production ? "REGIONAL" : "ZONAL");
                assert.strictEqual(settings.backupConfiguration.pointInTimeRecoveryEnabled, production);
                assert.strictEqual(db.plainInputs.deletionProtection, production);
                assert.strictEqual(settings.deletionProtectionEnabled, production);
                assert.strictEqual(db.protect, production);
                if (production) {
                    assert.strictEqual(settings.backupConfiguration.transactionLogRetentionDays, 7);
                    assert.deepStrictEqual(settings.finalBackupConfig, { enabled: true, retentionDays: 30 });
                    assert.strictEqual(settings.retainBackupsOnDelete, true);
                }
            });

            it(production ? "has a private read replica of the primary with the same max_connections" : "has no read replica", () => {
                const replicas = ofType(r, G.sql).filter((db) => db.plainInputs.masterInstanceName);
                assert.strictEqual(replicas.length, production ? 1 : 0);
                if (!production) return;
                const replica = replicas[0];
                assert.strictEqual(replica.plainInputs.masterInstanceName, primary().state.name);
                assert.strictEqual(replica.plainInputs.settings.ipConfiguration.ipv4Enabled, false);
                assert.strictEqual(replica.plainInputs.settings.ipConfiguration.sslMode, "ENCRYPTED_ONLY");
                assert.strictEqual(sqlFlags(replica).max_connections, "850");
                assert.strictEqual(replica.plainInputs.deletionProtection, true);
                assert.strictEqual(replica.plainInputs.settings.deletionProtectionEnabled, true);
                assert.strictEqual(replica.protect, true);
            });

            it("creates the application database and user, the password only as a secret", () => {
                const database = only(r, G.sqlDatabase).plainInputs;
                assert.deepStrictEqual([database.instance, database.name], [primary().state.name, "app"]);
                const user = only(r, G.sqlUser);
                assert.deepStrictEqual([user.plainInputs.instance, user.plainInputs.name, user.plainInputs.type], [primary().state.name, "app", "BUILT_IN"]);
                assert.deepStrictEqual(user.secretPaths, ["password"]);
                assert.ok(user.plainInputs.password.length >= 32);
            });
        });

        describe("Memorystore for Redis", () => {
            it("requires AUTH and TLS and is reached over private service access only", () => {
                const redis = only(r, G.redis).plainInputs;
                assert.strictEqual(redis.authEnabled, true);
                assert.strictEqual(redis.transitEncryptionMode, "SERVER_AUTHENTICATION");
                assert.strictEqual(redis.connectMode, "PRIVATE_SERVICE_ACCESS");
                assert.strictEqual(redis.authorizedNetwork, only(r, G.network).state.id);
                assert.strictEqual(redis.reservedIpRange, only(r, G.address, "-private-services").state.name);
            });

            it(production ? "fails over across zones, persists to disk and is protected" : "runs a single disposable node", () => {
                const redis = only(r, G.redis);
                assert.strictEqual(redis.plainInputs.tier, production ? "STANDARD_HA" : "BASIC");
                assert.strictEqual(redis.plainInputs.persistenceConfig.persistenceMode, production ? "RDB" : "DISABLED");
                assert.strictEqual(redis.plainInputs.memorySizeGb, production ? 13 : 2);
                assert.strictEqual(redis.plainInputs.deletionProtection, production);
                assert.strictEqual(redis.protect, production);
            });
        });

        describe("Cloud Run", () => {
            it("runs the API, worker and migrations as their own service account, not the default compute identity", () => {
                const email = serviceAccountEmail();
                assert.match(email, new RegExp(`^${base}-run@${gcpProject}\\.iam\\.gserviceaccount\\.com$`));
                for (const service of ofType(r, G.run)) assert.strictEqual(service.plainInputs.template.serviceAccount, email);
                assert.strictEqual(only(r, G.job).plainInputs.template.template.serviceAccount, email);
                const id = only(r, G.serviceAccount).plainInputs.accountId as string;
                assert.ok(id.length >= 6 && id.length <= 30);
            });

            it("scales the API between its configured instance counts on the CPU target", () => {
                const scaling = only(r, G.run, "-api").plainInputs.template.scaling;
                assert.deepStrictEqual(scaling, { minInstanceCount: production ? 3 : 1, maxInstanceCount: production ? 10 : 2, cpuUtilization: 0.7 });
                const worker = only(r, G.run, "-worker").plainInputs.template.scaling;
                assert.deepStrictEqual(worker, { minInstanceCount: production ? 2 : 1, maxInstanceCount: production ? 4 : 1, cpuUtilization: 0.7 });
            });

            it("probes the API's start and liveness on /health and its readiness on /health/ready, port 8000", () => {
                const api = gcpContainer(r, "api");
                assert.deepStrictEqual(api.ports, { name: "http1", containerPort: 8000 });
                assert.deepStrictEqual(api.startupProbe.httpGet, { path: "/health", port: 8000 });
                assert.deepStrictEqual(api.livenessProbe.httpGet, { path: "/health", port: 8000 });
                assert.deepStrictEqual(api.readinessProbe.httpGet, { path: "/health/ready", port: 8000 });
            });

            for (const role of ["api", "worker", "migrations"] as const) {
                it(`gives the ${role} its secrets by reference to a pinned Secret Manager version, never as values`, () => {
                    const c = gcpContainer(r, role);
                    const refs = secretEnvOf(c);
                    // The migrations connect as the owner (its URL under DATABASE_URL) and create the runtime role from DATABASE_RUNTIME_URL.
                    const store: Record<string, string> = role === "migrations" ? { DATABASE_URL: "DATABASE_OWNER_URL", DATABASE_RUNTIME_URL: "DATABASE_URL" } : {};
                    const expected = [...APP_SECRETS, ...(role === "migrations" ? ["DATABASE_RUNTIME_URL"] : production ? ["DATABASE_READ_URL"] : [])].sort();
                    assert.deepStrictEqual(Object.keys(refs).sort(), expected);
                    for (const [name, ref] of Object.entries(refs)) {
                        assert.strictEqual(ref.secret, `${base}-${store[name] ?? name}`);
                        assert.strictEqual(ref.version, "1");
                    }
                    const plain = plainEnvOf(c);
                    for (const name of Object.keys(refs)) assert.ok(!(name in plain), `${name} is not also a plain env var`);
                    assert.ok(!("PORT" in plain), "Cloud Run sets PORT itself");
                });
            }

            it("passes the app settings as plain env", () => {
                const env = plainEnvOf(gcpContainer(r, "api"));
                assert.strictEqual(env.ENVIRONMENT, production ? "production" : "staging");
                assert.strictEqual(env.DEBUG, "false");
                assert.strictEqual(env.LOG_LEVEL, production ? "INFO" : "DEBUG");
                assert.strictEqual(env.DB_POOL_SIZE, production ? "20" : "10");
                assert.strictEqual(env.CORS_ORIGINS, production ? "https://app.example.com,https://www.example.com" : "https://api.staging.example.com");
                for (const name of ["RATE_LIMIT_PER_MINUTE", "DB_MAX_OVERFLOW", "DB_POOL_TIMEOUT", "DB_POOL_RECYCLE", "CACHE_ENABLED", "CACHE_DEFAULT_TTL"]) {
                    assert.ok(env[name], `${name} is set`);
                }
            });

            it("mounts the Memorystore CA for the rediss:// URL to verify against", () => {
                for (const role of ["api", "worker", "migrations"] as const) {
                    assert.deepStrictEqual(gcpContainer(r, role).volumeMounts, [{ name: "redis-tls", mountPath: "/etc/redis-tls" }]);
                }
                const volume = only(r, G.run, "-api").plainInputs.template.volumes[0];
                assert.deepStrictEqual(volume.secret, { secret: `${base}-REDIS_CA_CERT`, items: [{ path: "server-ca.pem", version: "1" }] });
                assert.match(secretValueOf(r, "REDIS_CA_CERT"), /^-----BEGIN CERTIFICATE-----/);
            });

            it("lets only the load balancer reach the API, and anyone invoke it there; the worker has no ingress and no invoker", () => {
                const api = only(r, G.run, "-api").plainInputs;
                assert.strictEqual(api.ingress, "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
                const invokers = ofType(r, G.runInvoker);
                assert.deepStrictEqual(invokers.map((i) => [i.plainInputs.name, i.plainInputs.role, i.plainInputs.member]), [[api.name, "roles/run.invoker", "allUsers"]]);
                const worker = only(r, G.run, "-worker").plainInputs;
                assert.strictEqual(worker.ingress, "INGRESS_TRAFFIC_INTERNAL_ONLY");
            });

            it("keeps CPU allocated for the worker (no requests drive it) and runs its own command", () => {
                const worker = gcpContainer(r, "worker");
                assert.strictEqual(worker.resources.cpuIdle, false);
                assert.deepStrictEqual(worker.args, ["python", "-m", "app.worker"]);
                assert.deepStrictEqual(worker.startupProbe.tcpSocket, { port: 8000 });
            });

            it("sizes instances from cpu/memoryMb (below 1000 millicores: 1 vCPU, Cloud Run's smallest multi-request size)", () => {
                assert.deepStrictEqual(gcpContainer(r, "api").resources.limits, production ? { cpu: "1", memory: "2048Mi" } : { cpu: "1", memory: "1024Mi" });
                assert.deepStrictEqual(gcpContainer(r, "worker").resources.limits, production ? { cpu: "1", memory: "1024Mi" } : { cpu: "1", memory: "512Mi" });
            });

            it(production ? "protects the services and the job from deletion" : "leaves staging services deletable", () => {
                for (const resource of [...ofType(r, G.run), only(r, G.job)]) assert.strictEqual(resource.plainInputs.deletionProtection, production);
            });

            it("defines the migrations job and outputs the exact gcloud command that runs it and waits", () => {
                const job = only(r, G.job).plainInputs;
                assert.deepStrictEqual(gcpContainer(r, "migrations").args, migrationContainerCommand(["alembic", "upgrade", "head"]));
                assert.strictEqual(gcpContainer(r, "migrations").image, "ghcr.io/acme/fastapi-backend:1.4.2@sha256:7722665819e503a620b3af136090693a5c20aabaaf4ecce410f44f5a24d4581a");
                assert.strictEqual(job.template.template.maxRetries, 0);
                assert.strictEqual(r.outputs.migrationCommand, `gcloud run jobs execute ${job.name} --region europe-west1 --project ${gcpProject} --wait`);
            });
        });

        describe("secrets", () => {
            it("keeps one Secret Manager secret per app secret (and the Redis CA and metrics sidecar config), protected in production", () => {
                const ids = ofType(r, G.secret).map((s) => s.plainInputs.secretId).sort();
                // The Managed Service for Prometheus sidecar reads its RunMonitoring config from a mounted secret.
                const expected = [...APP_SECRETS, "DATABASE_OWNER_URL", "REDIS_CA_CERT", "RUN_MONITORING_CONFIG", ...(production ? ["DATABASE_READ_URL"] : [])];
                assert.deepStrictEqual(ids, expected.map((n) => `${base}-${n}`).sort());
                for (const s of ofType(r, G.secret)) {
                    assert.strictEqual(s.protect, production);
                    assert.strictEqual(s.plainInputs.deletionProtection, production);
                    assert.strictEqual(s.plainInputs.versionDestroyTtl, production ? "2592000s" : undefined);
                }
                for (const v of ofType(r, G.secretVersion)) assert.deepStrictEqual(v.secretPaths, ["secretData"]);
            });

            it("lets only the services' account read each secret, one grant per secret", () => {
                const readers = ofType(r, G.secretReader);
                assert.deepStrictEqual(readers.map((m) => m.plainInputs.secretId).sort(), ofType(r, G.secret).map((s) => s.state.id).sort());
                for (const m of readers) {
                    assert.strictEqual(m.plainInputs.role, "roles/secretmanager.secretAccessor");
                    assert.strictEqual(m.plainInputs.member, `serviceAccount:${serviceAccountEmail()}`);
                }
            });

            it("generates different SECRET_KEY and JWT_SECRET_KEY and builds the connection URLs on private addresses", () => {
                assert.ok(secretValueOf(r, "SECRET_KEY").length >= 32);
                assert.notStrictEqual(secretValueOf(r, "SECRET_KEY"), secretValueOf(r, "JWT_SECRET_KEY"));
                const dbHost = primary().state.privateIpAddress;
                assert.match(secretValueOf(r, "DATABASE_URL"), new RegExp(`^postgresql\\+asyncpg://app_runtime:[^@]+@${dbHost.replace(/\./g, "\\.")}:5432/app\\?ssl=require$`));
                const redis = only(r, G.redis).state;
                assert.strictEqual(
                    secretValueOf(r, "REDIS_URL"),
                    `rediss://:${redis.authString}@${redis.host}:6378/0?ssl_cert_reqs=required&ssl_ca_certs=/etc/redis-tls/server-ca.pem`,
                );
                if (production) assert.ok(secretValueOf(r, "DATABASE_READ_URL").includes(`@${only(r, G.sql, "-db-replica").state.privateIpAddress}:5432/`));
            });
        });

        describe("edge", () => {
            it("serves the domain on an external HTTPS load balancer with a Google-managed certificate and TLS 1.2+", () => {
                const address = only(r, G.address, "-lb");
                assert.strictEqual(address.plainInputs.addressType, "EXTERNAL");
                assert.deepStrictEqual(only(r, G.certificate).plainInputs.managed.domains, [domain]);
                assert.deepStrictEqual([only(r, G.sslPolicy).plainInputs.profile, only(r, G.sslPolicy).plainInputs.minTlsVersion], ["MODERN", "TLS_1_2"]);
                const neg = only(r, G.neg).plainInputs;
                assert.strictEqual(neg.networkEndpointType, "SERVERLESS");
                assert.strictEqual(neg.cloudRun.service, only(r, G.run, "-api").state.name);
                const backend = only(r, G.backend).plainInputs;
                assert.strictEqual(backend.loadBalancingScheme, "EXTERNAL_MANAGED");
                assert.deepStrictEqual(backend.backends, [{ group: only(r, G.neg).state.id }]);
                const proxy = only(r, G.httpsProxy).plainInputs;
                assert.deepStrictEqual(proxy.sslCertificates, [only(r, G.certificate).state.id]);
                assert.strictEqual(proxy.sslPolicy, only(r, G.sslPolicy).state.id);
                const https = only(r, G.forwardingRule, "-https").plainInputs;
                assert.deepStrictEqual([https.portRange, https.ipAddress, https.target], ["443", address.state.address, only(r, G.httpsProxy).state.id]);
                assert.strictEqual(r.outputs.url, `https://${domain}`);
            });

            it("answers port 80 only with a 301 to HTTPS", () => {
                const http = only(r, G.forwardingRule, "-http-redirect").plainInputs;
                assert.strictEqual(http.portRange, "80");
                assert.strictEqual(http.target, only(r, G.httpProxy).state.id);
                const redirect = only(r, G.urlMap, "-http-redirect").plainInputs;
                assert.deepStrictEqual(redirect.defaultUrlRedirect, { httpsRedirect: true, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT", stripQuery: false });
                assert.strictEqual(redirect.defaultService, undefined);
            });

            it("points the domain at the load balancer in the Cloud DNS zone of dnsZone", () => {
                const record = only(r, G.record).plainInputs;
                assert.strictEqual(record.managedZone, production ? "example-com" : "staging-example-com");
                assert.deepStrictEqual([record.name, record.type, record.rrdatas], [`${domain}.`, "A", [only(r, G.address, "-lb").state.address]]);
            });

            it(production ? "puts Cloud Armor with a per-IP rate limit in front of the API" : "has no Cloud Armor policy", () => {
                const policies = ofType(r, G.armor);
                assert.strictEqual(policies.length, production ? 1 : 0);
                assert.strictEqual(only(r, G.backend).plainInputs.securityPolicy, production ? policies[0].state.selfLink : undefined);
                assert.strictEqual(only(r, G.backend).plainInputs.logConfig.enable, production);
                if (!production) return;
                const rate = policies[0].plainInputs.rules.find((rule: any) => rule.rateLimitOptions);
                assert.strictEqual(rate.action, "throttle");
                assert.deepStrictEqual(rate.rateLimitOptions, {
                    enforceOnKey: "IP", rateLimitThreshold: { count: 1000, intervalSec: 60 }, conformAction: "allow", exceedAction: "deny(429)",
                });
                assert.deepStrictEqual(rate.match, { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } });
            });
        });

        describe("observability", () => {
            it("alerts on 5xx, p99 latency > 2 s, the instance ceiling, CPU/memory, Cloud SQL and Memorystore, to an e-mail channel", () => {
                const policies = ofType(r, G.alert);
                const named = (suffix: string) => policies.find((p) => p.name === `${base}-${suffix}`)?.plainInputs.conditions[0].conditionThreshold;
                for (const suffix of ["api-5xx-rate", "lb-5xx", "api-p99-latency", "api-at-max-instances", "api-cpu", "api-memory", "worker-cpu",
                    "worker-memory", "db-cpu", "db-connections", "db-disk", "cache-memory", "api-health-check"]) {
                    assert.ok(named(suffix), `alert policy ${suffix}`);
                }
                assert.strictEqual(named("api-p99-latency").thresholdValue, 2000);
                assert.strictEqual(named("api-p99-latency").aggregations[0].perSeriesAligner, "ALIGN_PERCENTILE_99");
                assert.match(named("api-5xx-rate").filter, /response_code_class = "5xx"/);
                assert.strictEqual(named("api-5xx-rate").thresholdValue, 0.05);
                assert.strictEqual(named("db-connections").thresholdValue, production ? 680 : 80);
                assert.match(named("db-connections").filter, new RegExp(`database_id = "${gcpProject}:${primary().state.name}"`));
                assert.strictEqual(named("api-at-max-instances").thresholdValue, production ? 9 : 1);
                const channel = only(r, G.channel);
                assert.deepStrictEqual([channel.plainInputs.type, channel.plainInputs.labels], ["email", { email_address: "platform-alerts@example.com" }]);
                assert.ok(policies.every((p) => p.plainInputs.notificationChannels[0] === channel.state.name));
                assert.strictEqual(r.outputs.alertTarget, channel.state.name);
            });

            it("checks /health on the domain from outside", () => {
                const uptime = only(r, G.uptime).plainInputs;
                assert.deepStrictEqual(uptime.monitoredResource, { type: "uptime_url", labels: { project_id: gcpProject, host: domain } });
                assert.strictEqual(uptime.httpCheck.path, "/health");
                assert.strictEqual(uptime.httpCheck.useSsl, true);
            });

            it("keeps container logs in their own bucket for the configured retention, not in _Default", () => {
                const bucket = only(r, G.logBucket).plainInputs;
                assert.strictEqual(bucket.retentionDays, production ? 90 : 14);
                assert.match(bucket.bucketId, new RegExp(`^${base}-logs-[0-9a-f]{6}$`));
                const sink = only(r, G.logSink).plainInputs;
                assert.strictEqual(sink.destination, `logging.googleapis.com/projects/${gcpProject}/locations/europe-west1/buckets/${bucket.bucketId}`);
                assert.match(sink.filter, new RegExp(`service_name=\\("${base}-api" OR "${base}-worker"\\)`));
                assert.strictEqual(only(r, G.logExclusion).plainInputs.filter, sink.filter);
            });
        });

        describe("stack outputs and resources", () => {
            it("exports the URL, database, cache, secret ids and migration command, and no secret values", () => {
                const o = r.outputs;
                assert.strictEqual(o.databaseHost, primary().state.privateIpAddress);
                assert.strictEqual(o.databasePort, 5432);
                assert.strictEqual(o.databaseName, "app");
                assert.strictEqual(o.cacheHost, only(r, G.redis).state.host);
                assert.strictEqual(o.cachePort, 6378);
                const secretIds = o.secretIds as Record<string, string>;
                assert.deepStrictEqual(Object.keys(secretIds).sort(), [...APP_SECRETS, "DATABASE_OWNER_URL", ...(production ? ["DATABASE_READ_URL"] : [])].sort());
                for (const [name, id] of Object.entries(secretIds)) assert.strictEqual(id, secretResource(r, G.secret, name).state.id);
                assert.deepStrictEqual(r.secretOutputs, []);
            });

            it("labels what GCP can label with project, environment and managed-by", () => {
                const expected = { project: "fastapi-platform", stack, environment: production ? "production" : "staging", "managed-by": "pulumi" };
                const labelled = [
                    primary().plainInputs.settings.userLabels, only(r, G.redis).plainInputs.labels, only(r, G.run, "-api").plainInputs.labels,
                    only(r, G.run, "-api").plainInputs.template.labels, only(r, G.job).plainInputs.labels, ofType(r, G.secret)[0].plainInputs.labels,
                    ofType(r, G.alert)[0].plainInputs.userLabels, only(r, G.forwardingRule, "-https").plainInputs.labels,
                ];
                for (const labels of labelled) assert.deepStrictEqual(labels, expected);
            });

            it("keeps names within GCP's limits", () => {
                const lengths: [string, string, number][] = [
                    ...ofType(r, G.sql).map((db) => ["Cloud SQL instance", db.plainInputs.name, 98] as [string, string, number]),
                    ["Memorystore instance", only(r, G.redis).plainInputs.name, 40],
                    ...[...ofType(r, G.run), only(r, G.job)].map((s) => ["Cloud Run", s.plainInputs.name, 49] as [string, string, number]),
                    ["service account id", only(r, G.serviceAccount).plainInputs.accountId, 30],
                    ["log bucket", only(r, G.logBucket).plainInputs.bucketId, 100],
                ];
                for (const [what, name, max] of lengths) {
                    assert.ok(name.length <= max, `${what} ${name} is longer than ${max}`);
                    assert.match(name, /^[a-z][a-z0-9-]*[a-z0-9]$/, what);
                }
            });

            it("parents every resource under the platform component", () => {
                const component = r.resources.find((res) => res.type === "fastapi-platform:gcp:Platform")!;
                assert.ok(component);
                const orphans = r.resources.filter((res) => res !== component && res.parent !== component.urn);
                assert.deepStrictEqual(orphans.map((o) => o.name), []);
            });

            it(production ? "protects exactly the stateful resources from `pulumi destroy`" : "protects nothing in staging", () => {
                const stateful = [...ofType(r, G.sql), ...ofType(r, G.redis), ...ofType(r, G.secret), ...ofType(r, "gcp:storage/bucket:Bucket")].map((s) => s.name).sort();
                const protectedNames = r.resources.filter((s) => s.protect).map((s) => s.name).sort();
                assert.deepStrictEqual(protectedNames, production ? stateful : []);
                if (production) assert.strictEqual(stateful.length, 12);
            });
        });
    });
}
