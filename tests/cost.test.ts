import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stackConfig } from "../tools/harness";
import { CLOUD_MODELS, estimateMonthlyCost, latestReadDate, renderCost, unknownTypeReason, type PlanResource } from "../tools/cost";
import { loadAssumptions, type Assumptions } from "../tools/cost/assumptions";
import { compareClouds, estimateRun } from "../tools/cost/plan";
import { commentText, estimatePlanIn, COMMENT_MARKER } from "../tools/cost/pr-comment";
import { cell } from "../tools/cost/readme";
import { parseArgs, plan, type PlanOptions } from "../tools/plan";
import { cloudsUnderTest } from "./clouds";
import { deploy, STACKS } from "./support";

/** The cost model (tools/cost): coverage of every resource type the program creates, and the arithmetic. */

const HOURS = 730;

/** Fixed assumptions for hand-computed cases, independent of assumptions.yaml. */
function assumptions(overrides: Partial<Assumptions> = {}): Assumptions {
    return {
        hoursPerMonth: HOURS, requestsPerMonth: 0, egressGbPerMonth: 0, natProcessedGbPerMonth: 0, logGbPerMonth: 0, accessLogGbPerMonth: 0,
        albLcuAverage: 0, secretReadsPerMonth: 0, migrationRunsPerMonth: 0, migrationMinutesPerRun: 0, backupStorageGbBeyondFree: 0, registryStorageGb: 0,
        kubernetes: { nodeVcpuHour: null, nodeMemoryGiBHour: null, storageGiBMonth: null },
        ...overrides,
    };
}

const resource = (type: string, name: string, inputs: Record<string, any>): PlanResource => ({ type, name, custom: true, inputs });

function linesOf(estimate: ReturnType<typeof estimateMonthlyCost>, name: string) {
    return estimate.lines.filter((line) => line.name === name);
}

describe("cost estimate of the shipped stacks", () => {
    for (const [cloud] of cloudsUnderTest()) {
        for (const stack of STACKS) {
            describe(`${cloud} ${stack}`, () => {
                const estimate = async () => {
                    const result = await deploy(stack, { overrides: { cloud } });
                    const { config } = stackConfig(stack, { overrides: { cloud } });
                    return estimateRun(stack, cloud, config, result.resources);
                };

                it("has a price entry or an explicit reason for every resource type the program creates", async () => {
                    const { unknownTypes } = await estimate();
                    assert.deepStrictEqual(unknownTypes, [], unknownTypes.map((type) => unknownTypeReason(cloud, type)).join("\n"));
                });

                it("gives every line an amount or a reason, and a min/max total", async () => {
                    const e = await estimate();
                    for (const line of e.lines) {
                        if (line.status !== "priced") assert.ok(line.reason && line.reason.length > 10, `${line.type} ${line.name}: a reason`);
                        if (line.status === "not-priced") assert.strictEqual(line.priced, false);
                        assert.ok(line.monthlyMax >= line.monthlyMin, `${line.type} ${line.name}: max >= min`);
                    }
                    assert.ok(e.totalMax >= e.totalMin);
                    if (cloud === "kubernetes") {
                        assert.ok(e.requests && e.requests.vcpuMax > e.requests.vcpuMin, "in-cluster parts as requests, with the HPA range");
                        assert.strictEqual(e.totalMax, 0, "no node price configured by default, so nothing in-cluster is priced");
                    } else {
                        assert.ok(e.totalMin > 0, "a managed stack costs something");
                        assert.ok(e.totalMax > e.totalMin, "the autoscaling range shows as min < max");
                        assert.ok(e.region, "priced in the stack's region");
                    }
                    assert.match(renderCost(e), /Total: \$[\d,.]+/);
                });
            });
        }
    }

    it("says 'not priced in region X' for a region the table does not have, never zero", async () => {
        const result = await deploy("staging", { overrides: { cloud: "aws" } });
        const e = estimateMonthlyCost({ cloud: "aws", region: "ap-south-2", resources: result.resources.map((r) => ({ ...r, inputs: r.plainInputs })) }, assumptions());
        const rds = e.lines.find((line) => line.type === "aws:rds/instance:Instance")!;
        assert.strictEqual(rds.priced, false);
        assert.match(rds.reason!, /not priced in region ap-south-2 \(the price table has eu-west-1\)/);
        assert.strictEqual(e.totalMax, 0);
    });

    it("fails naming the type when a resource type has no rule (what a new resource triggers)", () => {
        const rules = CLOUD_MODELS.aws.rules;
        const removed = rules["aws:ec2/natGateway:NatGateway"];
        delete rules["aws:ec2/natGateway:NatGateway"];
        try {
            const e = estimateMonthlyCost({ cloud: "aws", region: "eu-west-1", resources: [resource("aws:ec2/natGateway:NatGateway", "nat", {})] }, assumptions());
            assert.deepStrictEqual(e.unknownTypes, ["aws:ec2/natGateway:NatGateway"]);
            assert.strictEqual(e.lines[0].priced, false);
            assert.match(e.lines[0].reason!, /no price entry or "not priced" reason for aws:ec2\/natGateway:NatGateway: add one to tools\/cost\/rules\/aws\.ts/);
            assert.match(renderCost(e), /UNKNOWN resource types \(no cost rule\): aws:ec2\/natGateway:NatGateway/);
        } finally {
            rules["aws:ec2/natGateway:NatGateway"] = removed;
        }
    });
});

describe("price tables", () => {
    for (const [cloud, model] of Object.entries(CLOUD_MODELS)) {
        it(`${cloud}: every entry names what it prices, its source page, the date read and its regions`, () => {
            const used = new Set(Object.values(model.rules).flatMap((rule) => (rule.kind === "priced" ? rule.prices : [])));
            for (const entry of model.prices) {
                assert.match(entry.source, /^https:\/\/[a-z0-9.-]+\.(amazon|google|microsoft)\.com\//, `${entry.id}: the cloud's public pricing page`);
                assert.match(entry.read, /^\d{4}-\d{2}-\d{2}$/, `${entry.id}: date read`);
                assert.ok(entry.types.length > 0 && entry.dimension.length > 10, `${entry.id}: types and dimension`);
                assert.ok(Object.keys(entry.regions).length > 0, `${entry.id}: at least one region`);
                for (const prices of Object.values(entry.regions)) {
                    for (const value of typeof prices === "number" ? [prices] : Object.values(prices)) assert.ok(value > 0, `${entry.id}: a positive price`);
                }
                assert.ok(used.has(entry.id), `${entry.id} is used by a rule`);
            }
        });

        it(`${cloud}: every priced rule's entries exist and list the rule's type`, () => {
            const table = new Map(model.prices.map((entry) => [entry.id, entry]));
            for (const [type, rule] of Object.entries(model.rules)) {
                if (rule.kind !== "priced") {
                    assert.ok(rule.reason.length > 10, `${type}: a reason`);
                    continue;
                }
                for (const id of rule.prices) {
                    assert.ok(table.has(id), `${type}: price entry ${id} exists`);
                    assert.ok(table.get(id)!.types.includes(type), `${id} lists ${type} among the types it prices`);
                }
            }
        });
    }

    it("covers the regions the shipped stacks use", () => {
        for (const stack of STACKS) {
            const { config } = stackConfig(stack);
            for (const [cloud, key] of [["aws", "aws:region"], ["gcp", "gcp:region"], ["azure", "azure-native:location"]] as const) {
                for (const entry of CLOUD_MODELS[cloud].prices) assert.ok(config[key] in entry.regions, `${entry.id} has a price in ${config[key]} (${stack})`);
            }
        }
    });
});

describe("cost arithmetic, hand-computed", () => {
    it("AWS: Fargate at the autoscaling range, 730 hours a month", () => {
        const e = estimateMonthlyCost({
            cloud: "aws", region: "eu-west-1", resources: [
                resource("aws:ecs/taskDefinition:TaskDefinition", "api-task", { family: "api", cpu: "1024", memory: "2048", runtimePlatform: { cpuArchitecture: "X86_64" } }),
                resource("aws:ecs/service:Service", "api", { taskDefinition: "arn:aws:ecs:eu-west-1:1:task-definition/api:1", desiredCount: 3 }),
                resource("aws:appautoscaling/target:Target", "api-scaling", { resourceId: "service/cluster/api", minCapacity: 3, maxCapacity: 10 }),
            ],
        }, assumptions());
        // (1 vCPU x $0.04048 + 2 GB x $0.004445) x 730 h = $36.0401 per task
        const [service] = linesOf(e, "api");
        assert.strictEqual(service.monthlyMin, 108.12); // 3 tasks
        assert.strictEqual(service.monthlyMax, 360.4); // 10 tasks
        assert.deepStrictEqual([e.totalMin, e.totalMax], [108.12, 360.4]);
        assert.strictEqual(linesOf(e, "api-task")[0].status, "free", "the task definition a service runs is priced on the service");
    });

    it("AWS: Multi-AZ doubles the instance and its storage; the replica is single; storage autoscaling sets the max", () => {
        const e = estimateMonthlyCost({
            cloud: "aws", region: "eu-west-1", resources: [
                resource("aws:rds/instance:Instance", "db", { instanceClass: "db.r7g.large", multiAz: true, allocatedStorage: 100, maxAllocatedStorage: 500, backupRetentionPeriod: 7 }),
                resource("aws:rds/instance:Instance", "db-replica", { instanceClass: "db.r7g.large", multiAz: false, replicateSourceDb: "db" }),
            ],
        }, assumptions({ backupStorageGbBeyondFree: 10 }));
        const [primary, storage, backup] = linesOf(e, "db");
        assert.strictEqual(primary.monthlyMin, 383.98); // $0.263 x 2 x 730
        assert.deepStrictEqual([storage.monthlyMin, storage.monthlyMax], [25.4, 127]); // 100 / 500 GB x $0.127 x 2
        assert.strictEqual(backup.monthlyMin, 0.95); // 10 GB x $0.095
        const [replica, replicaStorage] = linesOf(e, "db-replica");
        assert.strictEqual(replica.monthlyMin, 191.99); // $0.263 x 730
        assert.deepStrictEqual([replicaStorage.monthlyMin, replicaStorage.monthlyMax], [12.7, 63.5]);
    });

    it("AWS: NAT gateways per zone share the traffic; ElastiCache bills every node; public IPv4 by the hour", () => {
        const e = estimateMonthlyCost({
            cloud: "aws", region: "eu-west-1", resources: [
                ...[0, 1, 2].map((i) => resource("aws:ec2/natGateway:NatGateway", `nat-${i}`, {})),
                resource("aws:ec2/eip:Eip", "ip", {}),
                resource("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { nodeType: "cache.r7g.large", numCacheClusters: 2 }),
            ],
        }, assumptions({ natProcessedGbPerMonth: 90 }));
        for (const i of [0, 1, 2]) assert.strictEqual(linesOf(e, `nat-${i}`)[0].monthlyMin, 36.48); // $0.048 x 730 + 30 GB x $0.048
        assert.strictEqual(linesOf(e, "ip")[0].monthlyMin, 3.65); // $0.005 x 730
        assert.strictEqual(linesOf(e, "cache")[0].monthlyMin, 353.32); // $0.242 x 2 nodes x 730
        assert.strictEqual(e.totalMin, 466.41); // 3 x 36.48 + 3.65 + 353.32
    });

    it("AWS: a class the table does not have is listed as not priced, not zero", () => {
        const e = estimateMonthlyCost({ cloud: "aws", region: "eu-west-1", resources: [resource("aws:rds/instance:Instance", "db", { instanceClass: "db.x2g.16xlarge", allocatedStorage: 20 })] }, assumptions());
        assert.strictEqual(e.lines[0].priced, false);
        assert.match(e.lines[0].reason!, /db\.x2g\.16xlarge is not in the price table/);
    });

    it("GCP: regional HA doubles Cloud SQL; Cloud Run bills instance-based min..max; Memorystore by capacity band", () => {
        const e = estimateMonthlyCost({
            cloud: "gcp", region: "europe-west1", resources: [
                resource("gcp:sql/databaseInstance:DatabaseInstance", "db", { settings: { tier: "db-custom-4-16384", edition: "ENTERPRISE", availabilityType: "REGIONAL", diskSize: 100, diskAutoresizeLimit: 0 } }),
                resource("gcp:cloudrunv2/service:Service", "api", { template: { containers: [{ resources: { cpuIdle: false, limits: { cpu: "1", memory: "2048Mi" } } }], scaling: { minInstanceCount: 3, maxInstanceCount: 10 } } }),
                resource("gcp:redis/instance:Instance", "cache", { tier: "STANDARD_HA", memorySizeGb: 13 }),
            ],
        }, assumptions());
        const [sql, disk] = linesOf(e, "db");
        assert.strictEqual(sql.monthlyMin, 404.71); // (4 x $0.0413 + 16 x $0.007) x 2 x 730
        assert.deepStrictEqual([disk.monthlyMin, disk.monthlyMax], [34, 34], "no autoresize limit: the range stops at the initial size");
        const [run] = linesOf(e, "api");
        // (1 x $0.000018 + 2 x $0.000002) x 3600 x 730 = $57.816 per instance
        assert.deepStrictEqual([run.monthlyMin, run.monthlyMax], [173.45, 578.16]);
        assert.strictEqual(linesOf(e, "cache")[0].monthlyMin, 417.56); // 13 GB x $0.044 (M3) x 730
    });

    it("Azure: the App Service plan between the autoscale minimum and maximum; zone-redundant PostgreSQL HA doubles", () => {
        const e = estimateMonthlyCost({
            cloud: "azure", region: "westeurope", resources: [
                resource("azure-native:web:AppServicePlan", "plan", { sku: { name: "P0v3", capacity: 3 } }),
                resource("azure-native:monitor:AutoscaleSetting", "autoscale", { targetResourceUri: "plan-id", profiles: [{ capacity: { minimum: "3", maximum: "10" } }] }),
                resource("azure-native:dbforpostgresql:Server", "pg", { sku: { name: "Standard_E2ds_v5" }, highAvailability: { mode: "ZoneRedundant" }, storage: { storageSizeGB: 128 } }),
            ],
        }, assumptions());
        assert.deepStrictEqual([linesOf(e, "plan")[0].monthlyMin, linesOf(e, "plan")[0].monthlyMax], [221.19, 737.3]); // $0.101 x 730 x 3 / x 10
        const [compute, storage] = linesOf(e, "pg");
        assert.strictEqual(compute.monthlyMin, 359.16); // $0.246 x 2 x 730
        assert.strictEqual(storage.monthlyMin, 35.33); // 128 GB x $0.138 x 2
    });

    it("registries and dashboards, for the stacks that add them", () => {
        const aws = estimateMonthlyCost({ cloud: "aws", region: "eu-west-1", resources: [
            resource("aws:ecr/repository:Repository", "images", {}), resource("aws:cloudwatch/dashboard:Dashboard", "board", {}),
        ] }, assumptions({ registryStorageGb: 5 }));
        assert.deepStrictEqual(aws.lines.map((l) => l.monthlyMin), [0.5, 3]); // 5 GB x $0.10; one dashboard
        const azure = estimateMonthlyCost({ cloud: "azure", region: "westeurope", resources: [
            resource("azure-native:containerregistry:Registry", "acr", { sku: { name: "Basic" } }), resource("azure-native:portal:Dashboard", "board", {}),
        ] }, assumptions());
        assert.strictEqual(azure.lines[0].monthlyMin, 5.08); // $0.167 a day x 730 / 24
        assert.strictEqual(azure.lines[1].status, "free");
    });

    it("Kubernetes: requests at the HPA range and CNPG instances, priced only with node prices", () => {
        const resources = [
            resource("kubernetes:apps/v1:Deployment", "api", { metadata: { name: "api" }, spec: { replicas: 3, template: { spec: { containers: [{ resources: { requests: { cpu: "1000m", memory: "2048Mi" } } }] } } } }),
            resource("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "api-hpa", { spec: { scaleTargetRef: { kind: "Deployment", name: "api" }, minReplicas: 3, maxReplicas: 10 } }),
            resource("kubernetes:postgresql.cnpg.io/v1:Cluster", "pg", { spec: { instances: 3, resources: { requests: { cpu: "4000m", memory: "16384Mi" } }, storage: { size: "100Gi" } } }),
        ];
        const unpriced = estimateMonthlyCost({ cloud: "kubernetes", resources }, assumptions());
        assert.deepStrictEqual(unpriced.requests, { vcpuMin: 15, vcpuMax: 22, memoryGiBMin: 54, memoryGiBMax: 68, storageGiB: 300 });
        assert.strictEqual(unpriced.totalMax, 0);
        assert.match(linesOf(unpriced, "api")[0].reason!, /set kubernetes\.nodeVcpuHour, kubernetes\.nodeMemoryGiBHour/);

        const priced = estimateMonthlyCost({ cloud: "kubernetes", resources }, assumptions({ kubernetes: { nodeVcpuHour: 0.03, nodeMemoryGiBHour: 0.004, storageGiBMonth: 0.1 } }));
        // api: (1 x $0.03 + 2 x $0.004) x 730 = $27.74 per pod, 3-10 pods
        assert.deepStrictEqual([linesOf(priced, "api")[0].monthlyMin, linesOf(priced, "api")[0].monthlyMax], [83.22, 277.4]);
        // postgres: 3 x (4 x $0.03 + 16 x $0.004) x 730 + 300 GiB x $0.10
        assert.strictEqual(linesOf(priced, "pg")[0].monthlyMin, 432.96);
        assert.deepStrictEqual([priced.totalMin, priced.totalMax], [516.18, 710.36]);
    });
});

describe("cost assumptions", () => {
    const file = path.join(os.tmpdir(), `cost-assumptions-${process.pid}.yaml`);
    after(() => fs.rmSync(file, { force: true }));

    it("layer assumptions.yaml's defaults, its per-stack values and a COST_ASSUMPTIONS file", () => {
        fs.writeFileSync(file, "defaults:\n  requestsPerMonth: 42000000\nstacks:\n  prod:\n    egressGbPerMonth: 7\n");
        const prod = loadAssumptions("prod", file);
        assert.strictEqual(prod.requestsPerMonth, 42_000_000);
        assert.strictEqual(prod.egressGbPerMonth, 7);
        assert.strictEqual(prod.hoursPerMonth, HOURS);
        assert.strictEqual(loadAssumptions("staging", file).egressGbPerMonth, loadAssumptions("staging", undefined).egressGbPerMonth);
        const e = estimateMonthlyCost({ cloud: "aws", region: "eu-west-1", resources: [resource("aws:wafv2/webAcl:WebAcl", "waf", { rules: [{}, {}, {}] })] }, prod);
        assert.strictEqual(e.totalMin, 33.2); // $5 ACL + 3 rules x $1 + 42M requests x $0.60
        assert.deepStrictEqual(e.lines[0].assumptions, ["requestsPerMonth"], "the line names the assumption it used");
    });

    it("reject an unknown key or a wrong value, naming it", () => {
        fs.writeFileSync(file, "defaults:\n  requestPerMonth: 5\n");
        assert.throws(() => loadAssumptions("prod", file), /unknown assumption 'requestPerMonth'/);
        fs.writeFileSync(file, "stacks:\n  prod:\n    kubernetes:\n      nodeVcpuHour: cheap\n");
        assert.throws(() => loadAssumptions("prod", file), /kubernetes\.nodeVcpuHour is "cheap"; expected a number >= 0 or null/);
    });
});

describe("README's cost table", () => {
    it("matches the estimate of every shipped stack on every cloud", async () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
        const table = /<!-- cost-table:begin[^\n]*\n([\s\S]*?)<!-- cost-table:end -->/.exec(readme)?.[1];
        assert.ok(table, "README has the cost table between its markers");
        const rows = table.trim().split("\n").slice(2).map((row) => row.split("|").slice(1, -1).map((cell) => cell.trim()));
        const clouds = ["aws", "gcp", "azure", "kubernetes"];
        const expected: string[][] = [];
        for (const stack of STACKS) {
            const estimates = await Promise.all(clouds.map(async (cloud) => {
                const result = await deploy(stack, { overrides: { cloud } });
                return estimateRun(stack, cloud, stackConfig(stack, { overrides: { cloud } }).config, result.resources);
            }));
            for (const bound of ["min", "max"] as const) {
                expected.push([`${stack}, ${bound} instances`, ...estimates.map((e) => cell(e, bound))]);
            }
        }
        assert.deepStrictEqual(rows, expected, "README's cost table is stale: node -r ./tools/register.js tools/cost/readme.ts rewrites it");
        assert.ok(readme.includes(`price table of ${latestReadDate()}`), "README names the price table's date");
    });
});

/** tools/plan.ts's plan() in this process, with what it prints captured. */
async function planCaptured(options: PlanOptions): Promise<{ status: number; stdout: string }> {
    const out: string[] = [];
    const [write, writeErr] = [process.stdout.write, process.stderr.write];
    process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
        return { status: await plan(options), stdout: out.join("") };
    } finally {
        process.stdout.write = write;
        process.stderr.write = writeErr;
    }
}

describe("cost in the plan and in pull requests", function () {
    this.timeout(120000);

    it("npm run plan prints the estimate after the report and writes it to the JSON as `cost`", async () => {
        const jsonFile = path.join(os.tmpdir(), `cost-plan-${process.pid}.json`);
        try {
            const { status, stdout } = await planCaptured({ stack: "prod", cloud: "gcp", jsonFile });
            assert.strictEqual(status, 0);
            assert.match(stdout, /Monthly cost estimate \(USD, on-demand list prices in europe-west1, 730 h\/month; price table of \d{4}-\d{2}-\d{2}\)/);
            assert.match(stdout, /gcp:sql\/databaseInstance:DatabaseInstance \(2\)/);
            const written = JSON.parse(fs.readFileSync(jsonFile, "utf8")) as { cost: ReturnType<typeof estimateMonthlyCost> };
            assert.strictEqual(written.cost.cloud, "gcp");
            assert.ok(written.cost.totalMin > 0 && written.cost.totalMax > written.cost.totalMin);
            assert.match(stdout, new RegExp(`Total: \\$${written.cost.totalMin.toLocaleString("en-US", { minimumFractionDigits: 2 }).replace(/[.$]/g, "\\$&")} - `));
            assert.ok(written.cost.lines.some((line) => line.type === "gcp:redis/instance:Instance" && line.priced));
        } finally {
            fs.rmSync(jsonFile, { force: true });
        }
    });

    it("npm run plan -- <stack> --cloud all takes the comparison path", async () => {
        assert.deepStrictEqual(parseArgs(["staging", "--cloud", "all"]), { stack: "staging", cloud: "all" });
        const { status, stdout } = await planCaptured({ stack: "staging", cloud: "all" });
        assert.strictEqual(status, 0);
        assert.match(stdout, /Monthly cost of stack 'staging' on each cloud/);
    });

    it("--cloud all prints the four clouds side by side", async () => {
        let text = "";
        const code = await compareClouds("prod", (chunk) => (text += chunk));
        assert.strictEqual(code, 0);
        const header = text.split("\n")[1];
        for (const cloud of ["aws (eu-west-1)", "gcp (europe-west1)", "azure (westeurope)", "kubernetes"]) assert.ok(header.includes(cloud), `${cloud} column`);
        assert.match(text, /monthly, min instances\s+\$[\d,.]+\s+\$[\d,.]+\s+\$[\d,.]+\s+requests only/);
    });

    it("the PR comment shows each stack's base and head estimate and the difference", async () => {
        const dirs = ["base", "head"].map((side) => fs.mkdtempSync(path.join(os.tmpdir(), `cost-${side}-`)));
        try {
            const result = await deploy("prod", { overrides: { cloud: "aws" } });
            for (const [i, dir] of dirs.entries()) {
                for (const file of ["Pulumi.yaml", "Pulumi.prod.yaml"]) fs.copyFileSync(path.join(__dirname, "..", file), path.join(dir, file));
                // The base branch had one NAT gateway fewer.
                const resources = result.resources.filter((r) => i === 1 || r.name !== "fastapi-platform-prod-nat-2");
                fs.mkdirSync(path.join(dir, "plan"));
                fs.writeFileSync(path.join(dir, "plan", "prod-aws.json"), JSON.stringify({ cloud: "aws", resources: resources.map((r) => ({ type: r.type, name: r.name, custom: r.custom, inputs: r.inputs })) }));
            }
            const [base, head] = dirs.map((dir) => estimatePlanIn(dir, "prod")!);
            const text = commentText([{ stack: "prod", base, head }, { stack: "staging", base: undefined, head: estimatePlanIn(dirs[1], "staging") }]);
            assert.ok(text.startsWith(COMMENT_MARKER));
            const natHour = 0.048 * HOURS; // the third gateway's hours; the traffic is only shared differently
            assert.ok(Math.abs(head.totalMin - base.totalMin - natHour) < 0.02, `${head.totalMin} - ${base.totalMin}`);
            assert.match(text, /\| prod \| aws \| \$[\d,.]+ - \$[\d,.]+ \| \$[\d,.]+ - \$[\d,.]+ \| \+\$35\.0\d \/ \+\$35\.0\d \|/);
            assert.match(text, /`aws:ec2\/natGateway:NatGateway`/);
            assert.match(text, /\| staging \| \? \| no plan \| no plan \| n\/a \|/);
        } finally {
            dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
        }
    });
});
