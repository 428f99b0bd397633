import { migrationContainerCommand } from "../components/dbroles";
import * as assert from "assert";
import type { RunResult } from "../tools/harness";
import { container, deploy, envOf, ofType, only, secretRefsOf, STACKS } from "./support";

/**
 * The AWS production baseline (policy/rules/aws.ts), checked on the shipped stack files the way a reviewer would check the
 * console: staging and prod each run once, every assertion reads the recorded provider inputs.
 */
const T = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    nat: "aws:ec2/natGateway:NatGateway",
    routeTable: "aws:ec2/routeTable:RouteTable",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    rds: "aws:rds/instance:Instance",
    rdsParams: "aws:rds/parameterGroup:ParameterGroup",
    redis: "aws:elasticache/replicationGroup:ReplicationGroup",
    cluster: "aws:ecs/cluster:Cluster",
    service: "aws:ecs/service:Service",
    alb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    cert: "aws:acm/certificate:Certificate",
    scalingTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    role: "aws:iam/role:Role",
    waf: "aws:wafv2/webAcl:WebAcl",
    wafAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    bucket: "aws:s3/bucket:Bucket",
};

const idOf = (result: RunResult, type: string, suffix: string) => only(result, type, suffix).state.id as string;
const params = (result: RunResult) =>
    Object.fromEntries((only(result, T.rdsParams).plainInputs.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]));

for (const stack of STACKS) {
    const production = stack === "prod";
    describe(`AWS ${stack}: production baseline`, function () {
        let r: RunResult;
        before(async function () {
            r = await deploy(stack);
        });

        describe("network", () => {
            it("has its own VPC over the configured zones with public, private and data subnets", () => {
                only(r, T.vpc);
                const zones = production ? 3 : 2;
                const subnets = ofType(r, T.subnet);
                assert.strictEqual(subnets.length, 3 * zones);
                for (const role of ["public", "private", "data"]) {
                    const inRole = subnets.filter((s) => s.name.includes(`-${role}-`));
                    assert.strictEqual(new Set(inRole.map((s) => s.plainInputs.availabilityZone)).size, zones, `${role} subnets span ${zones} zones`);
                }
                assert.ok(subnets.every((s) => s.plainInputs.mapPublicIpOnLaunch === false));
            });

            it(production ? "has one NAT gateway per zone" : "shares one NAT gateway", () => {
                assert.strictEqual(ofType(r, T.nat).length, production ? 3 : 1);
            });

            it("routes private subnets through NAT and gives data subnets no route out", () => {
                const tables = ofType(r, T.routeTable);
                const privateTables = tables.filter((t) => t.name.includes("-private-rt-"));
                assert.ok(privateTables.length >= 2);
                for (const t of privateTables) assert.ok(t.plainInputs.routes[0].natGatewayId, `${t.name} routes via NAT`);
                const data = tables.find((t) => t.name.endsWith("-data-rt"))!;
                assert.deepStrictEqual(data.plainInputs.routes ?? [], []);
            });

            it("lets only the application's security groups reach PostgreSQL and Redis", () => {
                const apps = new Set([idOf(r, T.sg, "-api-sg"), idOf(r, T.sg, "-worker-sg")]);
                for (const [store, port] of [["-db-sg", 5432], ["-cache-sg", 6379]] as const) {
                    const storeId = idOf(r, T.sg, store);
                    const rules = ofType(r, T.ingress).filter((rule) => rule.plainInputs.securityGroupId === storeId);
                    assert.strictEqual(rules.length, 2, `${store} has exactly the two app rules`);
                    for (const rule of rules) {
                        assert.ok(apps.has(rule.plainInputs.referencedSecurityGroupId), `${rule.name} admits an app group only`);
                        assert.strictEqual(rule.plainInputs.cidrIpv4, undefined);
                        assert.strictEqual(rule.plainInputs.fromPort, port);
                    }
                }
            });

            it("gives the worker no ingress and the API only the container port from the ALB", () => {
                const workerId = idOf(r, T.sg, "-worker-sg");
                assert.strictEqual(ofType(r, T.ingress).filter((rule) => rule.plainInputs.securityGroupId === workerId).length, 0);
                const apiRules = ofType(r, T.ingress).filter((rule) => rule.plainInputs.securityGroupId === idOf(r, T.sg, "-api-sg"));
                assert.deepStrictEqual(apiRules.map((rule) => [rule.plainInputs.fromPort, rule.plainInputs.referencedSecurityGroupId]), [[8000, idOf(r, T.sg, "-alb-sg")]]);
            });
        });

        describe("RDS PostgreSQL", () => {
            const primary = () => only(r, T.rds, "-db");
            it("is encrypted, private, postgres 16, TLS-only, with storage autoscaling and log exports", () => {
                const db = primary().plainInputs;
                assert.strictEqual(db.engine, "postgres");
                assert.strictEqual(db.engineVersion, "16");
                assert.strictEqual(db.storageEncrypted, true);
                assert.strictEqual(db.publiclyAccessible, false);
                assert.strictEqual(db.autoMinorVersionUpgrade, true);
                assert.ok(db.maxAllocatedStorage > db.allocatedStorage);
                assert.deepStrictEqual(db.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
                assert.strictEqual(params(r)["rds.force_ssl"], "1");
                assert.ok(primary().secretPaths.includes("password"), "the password input is a Pulumi secret");
            });

            it("sizes max_connections by the capacity rule of seed 004", () => {
                // staging: (10 + 20) x (2 + 1) + 10; prod: (20 + 40) x (10 + 4) + 10
                assert.strictEqual(params(r)["max_connections"], production ? "850" : "100");
            });

            it(production ? "is Multi-AZ, protected, keeps 30 days and a final snapshot" : "is single-AZ and disposable", () => {
                const db = primary();
                assert.strictEqual(db.plainInputs.multiAz, production);
                assert.strictEqual(db.plainInputs.deletionProtection, production);
                assert.strictEqual(db.plainInputs.skipFinalSnapshot, !production);
                assert.strictEqual(db.plainInputs.performanceInsightsEnabled, production);
                assert.strictEqual(db.plainInputs.backupRetentionPeriod, production ? 30 : 3);
                assert.strictEqual(db.protect, production);
                if (production) assert.match(db.plainInputs.finalSnapshotIdentifier, /^fastapi-platform-prod-db-final-[0-9a-f]+$/);
                assert.strictEqual(db.plainInputs.instanceClass, production ? "db.r7g.large" : "db.t4g.small");
            });

            it(production ? "has a read replica of the primary" : "has no read replica", () => {
                const replicas = ofType(r, T.rds).filter((db) => db.plainInputs.replicateSourceDb);
                assert.strictEqual(replicas.length, production ? 1 : 0);
                if (production) {
                    assert.strictEqual(replicas[0].plainInputs.replicateSourceDb, primary().state.identifier);
                    assert.strictEqual(replicas[0].plainInputs.publiclyAccessible, false);
                    assert.strictEqual(replicas[0].plainInputs.storageEncrypted, true);
                }
            });
        });

        describe("ElastiCache Redis", () => {
            it("encrypts in transit and at rest and requires an AUTH token", () => {
                const redis = only(r, T.redis);
                assert.strictEqual(redis.plainInputs.transitEncryptionEnabled, true);
                assert.strictEqual(redis.plainInputs.atRestEncryptionEnabled, true);
                assert.ok(redis.secretPaths.includes("authToken"));
                assert.ok(redis.plainInputs.authToken.length >= 16);
            });

            it(production ? "fails over automatically across zones" : "runs a single node", () => {
                const redis = only(r, T.redis).plainInputs;
                if (production) assert.match(redis.finalSnapshotIdentifier, /^fastapi-platform-prod-cache-final-[0-9a-f]{8}$/);
                else assert.strictEqual(redis.finalSnapshotIdentifier, undefined);
                assert.strictEqual(redis.numCacheClusters, production ? 2 : 1);
                assert.strictEqual(redis.automaticFailoverEnabled, production);
                assert.strictEqual(redis.multiAzEnabled, production);
                assert.ok(redis.snapshotRetentionLimit >= (production ? 7 : 1));
                assert.strictEqual(redis.nodeType, production ? "cache.r7g.large" : "cache.t4g.small");
            });
        });

        describe("ECS Fargate", () => {
            it("turns on Container Insights", () => {
                assert.deepStrictEqual(only(r, T.cluster).plainInputs.settings, [{ name: "containerInsights", value: "enhanced" }]);
            });

            for (const role of ["api", "worker"]) {
                it(`runs the ${role} in private subnets with no public IP and a rolling-back circuit breaker`, () => {
                    const svc = only(r, T.service, `-${role}`).plainInputs;
                    assert.strictEqual(svc.launchType, "FARGATE");
                    assert.strictEqual(svc.networkConfiguration.assignPublicIp, false);
                    const privateIds = new Set(ofType(r, T.subnet).filter((s) => s.name.includes("-private-")).map((s) => s.state.id));
                    assert.ok(svc.networkConfiguration.subnets.every((id: string) => privateIds.has(id)));
                    assert.deepStrictEqual(svc.deploymentCircuitBreaker, { enable: true, rollback: true });
                });

                it(`runs the ${role} container as non-root, read-only, with awslogs, secrets by reference and a 60 s stop`, () => {
                    const def = container(r, role);
                    assert.strictEqual(def.user, "1000:1000");
                    assert.strictEqual(def.readonlyRootFilesystem, true);
                    assert.strictEqual(def.logConfiguration.logDriver, "awslogs");
                    assert.strictEqual(def.stopTimeout, 60);
                    assert.strictEqual(def.linuxParameters.initProcessEnabled, true);
                    const refs = secretRefsOf(def);
                    for (const name of ["DATABASE_URL", "REDIS_URL", "SECRET_KEY", "JWT_SECRET_KEY"]) {
                        assert.match(refs[name], /^arn:aws:secretsmanager:/, `${name} comes from Secrets Manager`);
                    }
                    const plain = envOf(def);
                    for (const name of Object.keys(refs)) assert.ok(!(name in plain), `${name} is not also a plain env var`);
                });
            }

            it("health-checks the API container on /health with Python (no curl needed in the image)", () => {
                const check = container(r, "api").healthCheck;
                assert.strictEqual(check.command[0], "CMD-SHELL");
                assert.match(check.command[1], /^python -c .*urlopen\('http:\/\/localhost:8000\/health', timeout=5\)/);
            });

            it("puts the API behind the target group on port 8000 with a health-check grace period", () => {
                const api = only(r, T.service, "-api").plainInputs;
                assert.deepStrictEqual(api.loadBalancers.map((lb: { containerPort: number }) => lb.containerPort), [8000]);
                assert.strictEqual(api.healthCheckGracePeriodSeconds, 60);
                assert.strictEqual(only(r, T.service, "-worker").plainInputs.loadBalancers, undefined);
            });

            it("passes the app settings as plain env", () => {
                const env = envOf(container(r, "api"));
                assert.strictEqual(env.ENVIRONMENT, production ? "production" : "staging");
                assert.strictEqual(env.DEBUG, "false");
                assert.strictEqual(env.LOG_LEVEL, production ? "INFO" : "DEBUG");
                assert.strictEqual(env.DB_POOL_SIZE, production ? "20" : "10");
                assert.strictEqual(env.DB_MAX_OVERFLOW, production ? "40" : "20");
                assert.strictEqual(env.CORS_ORIGINS, production ? "https://app.example.com,https://www.example.com" : "https://api.staging.example.com");
                for (const name of ["RATE_LIMIT_PER_MINUTE", "DB_POOL_TIMEOUT", "DB_POOL_RECYCLE", "CACHE_ENABLED", "CACHE_DEFAULT_TTL"]) {
                    assert.ok(env[name], `${name} is set`);
                }
            });

            it("defines the migrations task and outputs the exact command that runs it", () => {
                const def = container(r, "migrations");
                assert.deepStrictEqual(def.command, migrationContainerCommand(["alembic", "upgrade", "head"]));
                assert.strictEqual(only(r, T.service, "-api").plainInputs.taskDefinition.includes("migrations"), false);
                const command = r.outputs.migrationCommand as string;
                assert.match(command, /aws ecs --region eu-west-1 run-task --cluster \S+ --task-definition \S+migrations\S* --launch-type FARGATE/);
                assert.match(command, /assignPublicIp=DISABLED/);
                assert.match(command, /wait tasks-stopped/);
                assert.match(command, /exitCode/);
            });
        });

        describe("load balancer", () => {
            it("serves HTTPS with the TLS 1.3 policy and only redirects port 80", () => {
                const listeners = ofType(r, T.listener);
                const https = listeners.find((l) => l.plainInputs.port === 443)!;
                assert.strictEqual(https.plainInputs.protocol, "HTTPS");
                assert.strictEqual(https.plainInputs.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
                assert.ok(https.plainInputs.certificateArn);
                const http = listeners.find((l) => l.plainInputs.port === 80)!;
                assert.deepStrictEqual(http.plainInputs.defaultActions[0].redirect, { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" });
                assert.strictEqual(listeners.length, 2);
            });

            it("issues an ACM certificate for the domain, validated by DNS", () => {
                const cert = only(r, T.cert).plainInputs;
                assert.strictEqual(cert.domainName, production ? "api.example.com" : "api.staging.example.com");
                assert.strictEqual(cert.validationMethod, "DNS");
            });

            it("drops invalid headers and health-checks /health", () => {
                const alb = only(r, T.alb);
                assert.strictEqual(alb.plainInputs.dropInvalidHeaderFields, true);
                assert.strictEqual(alb.plainInputs.enableDeletionProtection, production);
                assert.strictEqual(alb.plainInputs.accessLogs?.enabled ?? false, production);
                const tg = only(r, T.targetGroup).plainInputs;
                assert.strictEqual(tg.healthCheck.path, "/health");
                assert.strictEqual(tg.targetType, "ip");
                assert.strictEqual(tg.port, 8000);
            });

            it(production ? "has a WAF rate limit per IP on the ALB" : "has no WAF", () => {
                const acls = ofType(r, T.waf);
                assert.strictEqual(acls.length, production ? 1 : 0);
                if (!production) return;
                const rate = acls[0].plainInputs.rules.find((rule: any) => rule.statement.rateBasedStatement);
                assert.deepStrictEqual(rate.statement.rateBasedStatement, { limit: 1000, evaluationWindowSec: 60, aggregateKeyType: "IP" });
                assert.ok(rate.action.block);
                assert.strictEqual(only(r, T.wafAssociation).plainInputs.resourceArn, only(r, T.alb).state.arn);
            });
        });

        describe("autoscaling", () => {
            it("tracks CPU 70 % and memory 80 % on both services, min/max from config", () => {
                const targets = ofType(r, T.scalingTarget);
                const api = targets.find((t) => t.name.includes("-api-"))!.plainInputs;
                assert.deepStrictEqual([api.minCapacity, api.maxCapacity], production ? [3, 10] : [1, 2]);
                const worker = targets.find((t) => t.name.includes("-worker-"))!.plainInputs;
                assert.deepStrictEqual([worker.minCapacity, worker.maxCapacity], production ? [2, 4] : [1, 1]);
                const policies = ofType(r, T.scalingPolicy).map((p) => p.plainInputs.targetTrackingScalingPolicyConfiguration);
                const byMetric = (metric: string) => policies.filter((p) => p.predefinedMetricSpecification.predefinedMetricType === metric).map((p) => p.targetValue);
                assert.deepStrictEqual(byMetric("ECSServiceAverageCPUUtilization"), [70, 70]);
                assert.deepStrictEqual(byMetric("ECSServiceAverageMemoryUtilization"), [80, 80]);
            });
        });

        describe("secrets", () => {
            it("keeps one Secrets Manager secret per app secret, recoverable in production", () => {
                const names = ofType(r, T.secret).map((s) => s.plainInputs.name).sort();
                const expected = ["DATABASE_URL", "DATABASE_OWNER_URL", "JWT_SECRET_KEY", "REDIS_URL", "SECRET_KEY", ...(production ? ["DATABASE_READ_URL"] : [])];
                assert.deepStrictEqual(names, expected.map((n) => `fastapi-platform-${stack}/${n}`).sort());
                for (const s of ofType(r, T.secret)) {
                    assert.strictEqual(s.plainInputs.recoveryWindowInDays, production ? 30 : 0);
                    assert.strictEqual(s.protect, production);
                }
                for (const v of ofType(r, T.secretVersion)) assert.deepStrictEqual(v.secretPaths, ["secretString"]);
            });

            it("lets the execution role read exactly this stack's secrets", () => {
                const policy = JSON.parse(only(r, T.rolePolicy, "-execution-read-secrets").plainInputs.policy);
                assert.strictEqual(policy.Statement.length, 1);
                assert.deepStrictEqual(policy.Statement[0].Action, ["secretsmanager:GetSecretValue"]);
                assert.deepStrictEqual([...policy.Statement[0].Resource].sort(), ofType(r, T.secret).map((s) => s.state.arn).sort());
                // Every secret is some task's (the owner's URL the migrations task's only), and no task references another.
                const referenced = new Set(["api", "worker", "migrations"].flatMap((role) => Object.values(secretRefsOf(container(r, role)))));
                assert.deepStrictEqual([...referenced].sort(), ofType(r, T.secret).map((s) => s.state.arn).sort());
            });

            it("generates different SECRET_KEY and JWT_SECRET_KEY of at least 32 characters", () => {
                const value = (name: string) => ofType(r, T.secretVersion).find((v) => v.name.endsWith(`-${name}`))!.plainInputs.secretString as string;
                assert.ok(value("secret-key").length >= 32);
                assert.ok(value("jwt-secret-key").length >= 32);
                assert.notStrictEqual(value("secret-key"), value("jwt-secret-key"));
                assert.match(value("database-url"), /^postgresql\+asyncpg:\/\/app_runtime:[^@]+@[^:]+:5432\/app\?ssl=require$/);
                assert.match(value("redis-url"), /^rediss:\/\/:[^@]+@master\.[^:]+:6379\/0\?ssl_cert_reqs=required$/);
            });
        });

        describe("observability", () => {
            it("keeps container logs for the configured retention", () => {
                const groups = ofType(r, T.logGroup);
                assert.deepStrictEqual(groups.map((g) => g.plainInputs.name).sort(), ["api", "migrations", "worker"].map((x) => `/ecs/fastapi-platform-${stack}/${x}`));
                assert.ok(groups.every((g) => g.plainInputs.retentionInDays === (production ? 90 : 14)));
            });

            it("alarms on 5xx, p99 latency > 2 s, health, CPU/memory, database and cache, to an e-mailed SNS topic", () => {
                const alarms = ofType(r, T.alarm);
                const named = (suffix: string) => alarms.find((a) => a.name.endsWith(suffix))!.plainInputs;
                for (const suffix of ["api-5xx-rate", "alb-5xx", "api-p99-latency", "api-unhealthy-targets", "api-cpu", "api-memory",
                    "worker-cpu", "worker-memory", "db-cpu", "db-connections", "db-free-storage", "cache-memory-1"]) {
                    assert.ok(named(suffix), `alarm ${suffix}`);
                }
                assert.strictEqual(named("api-p99-latency").extendedStatistic, "p99");
                assert.strictEqual(named("api-p99-latency").threshold, 2);
                assert.strictEqual(named("db-connections").threshold, production ? 680 : 80);
                assert.strictEqual(alarms.filter((a) => a.name.includes("cache-memory")).length, production ? 2 : 1);
                const topicArn = only(r, T.topic).state.arn;
                assert.ok(alarms.every((a) => a.plainInputs.alarmActions[0] === topicArn));
                const email = only(r, T.subscription).plainInputs;
                assert.deepStrictEqual([email.protocol, email.endpoint], ["email", "platform-alerts@example.com"]);
            });
        });

        describe("stack outputs", () => {
            it("exports the URL, database, cache, secret ids and migration command, and no secret values", () => {
                const o = r.outputs;
                assert.strictEqual(o.url, production ? "https://api.example.com" : "https://api.staging.example.com");
                assert.strictEqual(o.databasePort, 5432);
                assert.strictEqual(o.databaseName, "app");
                assert.strictEqual(o.cachePort, 6379);
                assert.match(String(o.databaseHost), /rds\.amazonaws\.com$/);
                assert.deepStrictEqual(Object.keys(o.secretIds as object).sort(), ofType(r, T.secret).map((s) => s.plainInputs.name.split("/")[1]).sort());
                assert.deepStrictEqual(r.secretOutputs, []);
            });
        });

        it("parents every resource under the platform component", () => {
            const component = r.resources.find((res) => res.type === "fastapi-platform:aws:Platform")!;
            assert.ok(component);
            const orphans = r.resources.filter((res) => res !== component && res.parent !== component.urn);
            assert.deepStrictEqual(orphans.map((o) => o.name), []);
        });

        if (production) {
            it("protects every stateful resource from `pulumi destroy`", () => {
                const stateful = [...ofType(r, T.rds), ...ofType(r, T.redis), ...ofType(r, T.secret), ...ofType(r, T.bucket)];
                assert.ok(stateful.length >= 8);
                assert.deepStrictEqual(stateful.filter((s) => !s.protect).map((s) => s.name), []);
            });
        }
    });
}
