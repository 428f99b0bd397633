import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { ALERT_THRESHOLDS } from "../components/alerts";
import type { RunResult } from "../tools/harness";
import { K, named } from "./clouds/kubernetes";
import { deploy, only } from "./support";

/**
 * The Kubernetes alert rules and dashboard queries as Prometheus itself reads them: the rule group
 * the real program generates for the shipped prod stack (cloud kubernetes) goes through
 * `promtool check rules`, and `promtool test rules` proves each threshold from
 * components/alerts.ts fires just above it and stays quiet just below. promtool comes from
 * Debian's `prometheus` package (.ci/install-observability.sh); without it this suite fails in CI
 * and skips loudly elsewhere.
 */
const PROMTOOL = findPromtool();
const TIMEOUT_MS = 30_000;

function findPromtool(): string | undefined {
    const found = spawnSync("sh", ["-c", "command -v promtool"], { encoding: "utf8" });
    return found.status === 0 ? found.stdout.trim() : undefined;
}

function promtool(args: string[], cwd: string): { status: number | null; output: string } {
    const result = spawnSync(PROMTOOL!, args, { cwd, encoding: "utf8", timeout: TIMEOUT_MS });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

interface Rule { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }

describe("Kubernetes alert rules and dashboard queries under promtool", function () {
    this.timeout(120_000);
    let r: RunResult;
    let dir: string;
    let rules: Rule[];
    let ns: string;

    before(async function () {
        if (!PROMTOOL) {
            if (process.env.CI) throw new Error("promtool is not installed; CI must run .ci/install-observability.sh first");
            console.warn("\n  !!! SKIPPING the promtool checks: promtool is not installed (run .ci/install-observability.sh) !!!\n");
            this.skip();
        }
        r = await deploy("prod", { overrides: { cloud: "kubernetes" } });
        const rule = only(r, K.prometheusRule).plainInputs;
        rules = rule.spec.groups[0].rules;
        ns = rule.metadata.namespace;
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "fastapi-rules-"));
        fs.writeFileSync(path.join(dir, "rules.yaml"), stringify({ groups: rule.spec.groups }));
    });

    after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

    it("checks every generated rule with `promtool check rules`", () => {
        const { status, output } = promtool(["check", "rules", "rules.yaml"], dir);
        assert.strictEqual(status, 0, output);
        assert.match(output, new RegExp(`SUCCESS: ${rules.length} rules found`));
    });

    it("fails `promtool check rules` on a broken expression (the check is not vacuous)", () => {
        const broken = rules.map((rule, i) => (i === 0 ? { ...rule, expr: rule.expr.replace("sum(rate(", "sum(rate((") } : rule));
        fs.writeFileSync(path.join(dir, "broken.yaml"), stringify({ groups: [{ name: "broken", rules: broken }] }));
        const { status, output } = promtool(["check", "rules", "broken.yaml"], dir);
        assert.notStrictEqual(status, 0, output);
        assert.match(output, /parse error|unclosed|unexpected/i);
    });

    it("parses every Grafana dashboard query (as recording rules through promtool)", () => {
        const dashboard = JSON.parse(named(r, K.configMap, "fastapi-dashboard").plainInputs.data["fastapi-platform.json"]);
        const queries: string[] = dashboard.panels.flatMap((p: { targets: { expr: string }[] }) => p.targets.map((t) => t.expr));
        assert.ok(queries.length >= 15, `only ${queries.length} queries`);
        const recording = queries.map((expr, i) => ({ record: `dashboard:query_${i}`, expr }));
        fs.writeFileSync(path.join(dir, "dashboard.yaml"), stringify({ groups: [{ name: "dashboard", rules: recording }] }));
        const { status, output } = promtool(["check", "rules", "dashboard.yaml"], dir);
        assert.strictEqual(status, 0, output);
    });

    it("fires each threshold of components/alerts.ts just above it and stays quiet below (`promtool test rules`)", () => {
        const t = ALERT_THRESHOLDS;
        const maxConnections = Number(r.outputs.databaseMaxConnections);
        const ruleOf = (alert: string) => rules.find((x) => x.alert === alert)!;
        const expected = (alert: string, extra: Record<string, string> = {}) =>
            ({ exp_labels: { ...ruleOf(alert).labels, ...extra }, exp_annotations: ruleOf(alert).annotations });
        const at = (alert: string, exp: object[]) => ({ eval_time: "15m", alertname: alert, exp_alerts: exp });
        const app = `namespace="${ns}",handler="/items",method="GET"`;
        const errorsPerMinute = (percent: number) => [
            { series: `http_requests_total{${app},status="5xx"}`, values: `0+${percent}x20` },
            { series: `http_requests_total{${app},status="2xx"}`, values: `0+${100 - percent}x20` },
        ];
        // prometheus-fastapi-instrumentator's default buckets include 1 and 2.5 s: all requests in (1, 2.5] put p99 near 2.5 s.
        const latency = (slow: boolean) => ["0.5", "1", "2.5", "+Inf"].map((le) => ({
            series: `http_request_duration_seconds_bucket{${app},le="${le}"}`,
            values: `0+${le === "0.5" || (slow && le === "1") ? 0 : 100}x20`,
        }));
        const pg = (pod: string, backends: number) => [
            { series: `cnpg_backends_total{namespace="${ns}",pod="${pod}",datname="app",usename="app",state="active",application_name="api"}`, values: `${backends}x20` },
            { series: `cnpg_pg_settings_setting{namespace="${ns}",pod="${pod}",name="max_connections"}`, values: `${maxConnections}x20` },
        ];
        const connectionsAbove = Math.floor(maxConnections * t.dbConnectionsPercent / 100) + 2;
        const connectionsBelow = Math.floor(maxConnections * t.dbConnectionsPercent / 100) - 2;
        const workerMin: number = named(r, K.hpa, "worker").plainInputs.spec.minReplicas;

        const tests = [
            { interval: "1m", input_series: errorsPerMinute(t.http5xxPercent + 1), alert_rule_test: [at("ApiHigh5xxRate", [expected("ApiHigh5xxRate")])] },
            { interval: "1m", input_series: errorsPerMinute(t.http5xxPercent - 1), alert_rule_test: [at("ApiHigh5xxRate", [])] },
            { interval: "1m", input_series: latency(true), alert_rule_test: [at("ApiHighP99Latency", [expected("ApiHighP99Latency")])] },
            { interval: "1m", input_series: latency(false), alert_rule_test: [at("ApiHighP99Latency", [])] },
            {
                interval: "1m",
                input_series: [...pg("postgres-1", connectionsAbove), ...pg("postgres-2", connectionsBelow)],
                alert_rule_test: [at("DatabaseConnectionsHigh", [expected("DatabaseConnectionsHigh", { pod: "postgres-1" })])],
            },
            {
                interval: "1m",
                input_series: [
                    { series: `cnpg_pg_replication_lag{namespace="${ns}",pod="postgres-2"}`, values: `${t.replicaLagSeconds + 5}x20` },
                    { series: `cnpg_pg_replication_lag{namespace="${ns}",pod="postgres-3"}`, values: `${t.replicaLagSeconds - 5}x20` },
                ],
                alert_rule_test: [at("DatabaseReplicationLagHigh", [expected("DatabaseReplicationLagHigh")])],
            },
            {
                interval: "1m",
                input_series: [{ series: `kube_deployment_status_replicas_available{namespace="${ns}",deployment="worker"}`, values: `${workerMin - 1}x20` }],
                alert_rule_test: [at("WorkerBelowMinimum", [expected("WorkerBelowMinimum", { deployment: "worker" })])],
            },
            {
                interval: "1m",
                input_series: [{ series: `kube_deployment_status_replicas_available{namespace="${ns}",deployment="worker"}`, values: `${workerMin}x20` }],
                alert_rule_test: [at("WorkerBelowMinimum", [])],
            },
        ];
        fs.writeFileSync(path.join(dir, "thresholds.test.yaml"), stringify({ rule_files: ["rules.yaml"], evaluation_interval: "1m", tests }));
        const { status, output } = promtool(["test", "rules", "thresholds.test.yaml"], dir);
        assert.strictEqual(status, 0, output);
        assert.match(output, /SUCCESS/);
    });
});
