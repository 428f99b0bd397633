import * as assert from "assert";
import { PANEL_TITLES, type PanelId } from "../components/dashboards";
import { MONITOR_CHART_PART } from "../providers/azure/dashboard";
import { ADOT_IMAGE } from "../providers/aws/observability";
import { GMP_SIDECAR_IMAGE } from "../providers/gcp/observability";
import type { RecordedResource, RunResult } from "../tools/harness";
import { K, named } from "./clouds/kubernetes";
import { AZURE_MONITOR, CLOUDWATCH } from "./observability/metric-catalog";
import {
    azurePortalProblems, cloudMonitoringProblems, cloudWatchProblems, grafanaProblems, monitoringFilterProblems, promQlProblems,
} from "./observability/validators";
import { deploy, ofType, only, STACKS } from "./support";

/**
 * Observability on every cloud x stack, from the real program: the collector that scrapes the
 * app's Prometheus endpoint (or, on Azure, the telemetry identity the app exports with), the
 * dashboard built from components/dashboards.ts validated against each cloud's documented body
 * schema with every metric name checked against tests/observability/metric-catalog.ts, the alert
 * metrics checked the same way, and the dashboardUrl / logsCommand outputs.
 */
const CLOUDS = ["aws", "gcp", "azure", "kubernetes"] as const;
type Cloud = (typeof CLOUDS)[number];

const CORE_PANELS: PanelId[] = ["requestRate", "errorRate", "latency", "instances", "cpu", "memory", "workerHealth"];
const DATABASE_PANELS: PanelId[] = ["dbConnections", "dbCpu", "dbStorage"];
const CACHE_PANELS: PanelId[] = ["cacheMemory", "cacheHitRatio", "cacheEvictions"];

/** The dashboard of a run as the cloud receives it, its panel titles, and the shape problems. */
interface DashboardView { titles: string[]; problems: () => string[]; corrupt: () => string[] }

function dashboardOf(cloud: Cloud, r: RunResult): DashboardView {
    switch (cloud) {
        case "aws": {
            const body = JSON.parse(only(r, "aws:cloudwatch/dashboard:Dashboard").plainInputs.dashboardBody);
            return {
                titles: body.widgets.map((w: any) => w.properties.title),
                problems: () => cloudWatchProblems(body),
                corrupt: () => {
                    const broken = structuredClone(body);
                    broken.widgets[2].properties.metrics[0][1] = "TargetResponseTimes";
                    return cloudWatchProblems(broken);
                },
            };
        }
        case "gcp": {
            const body = JSON.parse(only(r, "gcp:monitoring/dashboard:Dashboard").plainInputs.dashboardJson);
            return {
                titles: body.mosaicLayout.tiles.map((t: any) => t.widget.title),
                problems: () => cloudMonitoringProblems(body),
                corrupt: () => {
                    const broken = structuredClone(body);
                    broken.mosaicLayout.tiles[0].widget.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilter.filter = "metric.type=\"run.googleapis.com/request_counts\" resource.type=\"cloud_run_revision\"";
                    return cloudMonitoringProblems(broken);
                },
            };
        }
        case "azure": {
            const properties = only(r, "azure-native:portal:Dashboard").plainInputs.properties;
            const chartOf = (part: any) => part.metadata.inputs.find((i: any) => i.name === "options").value.chart;
            return {
                // Portal charts carry their reference lines in the title: "<panel title> (target 70%, ...)".
                titles: properties.lenses[0].parts.map((p: any) => chartOf(p).title.replace(/ \(.*\)$/, "")),
                problems: () => azurePortalProblems(properties, MONITOR_CHART_PART),
                corrupt: () => {
                    const broken = structuredClone(properties);
                    chartOf(broken.lenses[0].parts[0]).metrics[0].name = "Requests2";
                    return azurePortalProblems(broken, MONITOR_CHART_PART);
                },
            };
        }
        case "kubernetes": {
            const map = named(r, K.configMap, "fastapi-dashboard").plainInputs;
            assert.strictEqual(map.metadata.labels.grafana_dashboard, "1", "the Grafana sidecar picks up ConfigMaps labelled grafana_dashboard=1");
            const dashboard = JSON.parse(map.data["fastapi-platform.json"]);
            return {
                titles: dashboard.panels.map((p: any) => p.title),
                problems: () => grafanaProblems(dashboard),
                corrupt: () => {
                    const broken = structuredClone(dashboard);
                    broken.panels[0].targets[0].expr = "sum(rate(http_request_total{}[5m]))";
                    return grafanaProblems(broken);
                },
            };
        }
    }
}

/** Metric names of the alerts, checked against the same catalog. */
function alertProblems(cloud: Cloud, r: RunResult): string[] {
    switch (cloud) {
        case "aws":
            return ofType(r, "aws:cloudwatch/metricAlarm:MetricAlarm").flatMap((alarm) => {
                const inputs = alarm.plainInputs;
                const metrics = inputs.metricQueries ? inputs.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric) : [inputs];
                return metrics.filter((m: any) => !CLOUDWATCH[m.namespace]?.metrics.includes(m.metricName)).map((m: any) => `${alarm.name}: ${m.namespace} ${m.metricName}`);
            });
        case "gcp":
            return ofType(r, "gcp:monitoring/alertPolicy:AlertPolicy").flatMap((policy) => policy.plainInputs.conditions.flatMap((c: any) => [
                ...monitoringFilterProblems(c.conditionThreshold.filter, policy.name),
                ...(c.conditionThreshold.denominatorFilter ? monitoringFilterProblems(c.conditionThreshold.denominatorFilter, policy.name) : []),
            ]));
        case "azure":
            return ofType(r, "azure-native:monitor:MetricAlert").flatMap((alert) => alert.plainInputs.criteria.allOf
                .filter((c: any) => !AZURE_MONITOR[c.metricNamespace]?.metrics.includes(c.metricName))
                .map((c: any) => `${alert.name}: ${c.metricNamespace} ${c.metricName}`));
        case "kubernetes":
            return ofType(r, K.prometheusRule).flatMap((rule) => rule.plainInputs.spec.groups.flatMap((g: any) => g.rules.flatMap((x: any) => promQlProblems(x.expr, x.alert))));
    }
}

const deployOn = (cloud: Cloud, stack: string) => deploy(stack, { overrides: { cloud } });

for (const cloud of CLOUDS) {
    for (const stack of STACKS) {
        describe(`observability on ${cloud} (${stack})`, () => {
            let r: RunResult;
            let dashboard: DashboardView;
            before(async () => {
                r = await deployOn(cloud, stack);
                dashboard = dashboardOf(cloud, r);
            });

            it("draws the dashboard as the cloud's documented body shape, every metric one the service emits", () => {
                assert.deepStrictEqual(dashboard.problems(), []);
            });

            it("rejects a body with a metric the service does not emit (the check is not vacuous)", () => {
                assert.ok(dashboard.corrupt().length > 0);
            });

            it("has the shared panels in the shared order", () => {
                const ids = Object.fromEntries(Object.entries(PANEL_TITLES).map(([id, title]) => [title, id as PanelId]));
                const drawn = dashboard.titles.map((title) => ids[title]);
                assert.ok(!drawn.includes(undefined as unknown as PanelId), `unknown panel titles in ${JSON.stringify(dashboard.titles)}`);
                for (const id of [...CORE_PANELS, ...DATABASE_PANELS]) assert.ok(drawn.includes(id), `no ${id} panel`);
                // Kubernetes has no Redis exporter in the cluster (and production's Redis is external).
                for (const id of CACHE_PANELS) assert.strictEqual(drawn.includes(id), cloud !== "kubernetes", id);
                const replicated = cloud === "kubernetes" ? stack === "prod" : r.outputs.databaseReadReplicaHost !== undefined;
                assert.strictEqual(drawn.includes("replicaLag"), replicated, "a replica-lag panel exactly when there is a replica");
                const order = Object.keys(PANEL_TITLES);
                assert.deepStrictEqual([...drawn].sort((a, b) => order.indexOf(a) - order.indexOf(b)), drawn);
            });

            it("alerts on metrics the services emit", () => {
                assert.deepStrictEqual(alertProblems(cloud, r), []);
            });

            it("exports the dashboard's URL and a shell-quoted command that follows the API's logs", () => {
                const url = String(r.outputs.dashboardUrl);
                const logs = String(r.outputs.logsCommand);
                const expected: Record<Cloud, [RegExp, RegExp]> = {
                    aws: [/^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=eu-west-1#dashboards\/dashboard\/[A-Za-z0-9_-]+$/, /^aws logs tail \/ecs\/fastapi-platform-\w+\/api --follow --format short --region eu-west-1$/],
                    gcp: [/^https:\/\/console\.cloud\.google\.com\/monitoring\/dashboards\/builder\/[^/?]+\?project=acme-fastapi-\w+$/, /^gcloud beta run services logs tail fastapi-platform-\w+-api --project acme-fastapi-\w+ --region europe-west1$/],
                    azure: [/^https:\/\/portal\.azure\.com\/#@\/dashboard\/arm\S+$/, /^az webapp log tail --subscription [0-9a-f-]+ --resource-group fastapi-platform-\w+-rg --name fastapi-platform-\w+-api-\w+$/],
                    kubernetes: [/^Grafana dashboard uid fastapi-[0-9a-f]{12} \(ConfigMap fastapi-platform-\w+\/fastapi-dashboard; set kubernetes\.grafanaUrl for a link\)$/, /^kubectl logs -n fastapi-platform-\w+ -l app\.kubernetes\.io\/name=api -c api -f --max-log-requests \d+ --prefix$/],
                };
                assert.match(url, expected[cloud][0]);
                assert.match(logs, expected[cloud][1]);
            });
        });
    }
}

describe("metrics collection on each cloud", () => {
    it("AWS: an ADOT sidecar in the API and worker tasks remote-writes to the stack's AMP workspace, which only the task role may write", async () => {
        const r = await deployOn("aws", "prod");
        const workspace = only(r, "aws:amp/workspace:Workspace");
        for (const role of ["api", "worker"]) {
            const containers = JSON.parse(only(r, "aws:ecs/taskDefinition:TaskDefinition", `-${role}`).plainInputs.containerDefinitions);
            const sidecar = containers.find((c: any) => c.name === "otel-collector");
            assert.strictEqual(sidecar.image, ADOT_IMAGE);
            assert.strictEqual(sidecar.essential, false, "a collector failure must not stop the app");
            const config = JSON.parse(sidecar.environment.find((e: any) => e.name === "AOT_CONFIG_CONTENT").value);
            const job = config.receivers.prometheus.config.scrape_configs[0];
            assert.deepStrictEqual([job.metrics_path, job.static_configs[0].targets], ["/metrics", ["localhost:8000"]]);
            assert.strictEqual(config.exporters.prometheusremotewrite.endpoint, `${workspace.state.prometheusEndpoint}api/v1/remote_write`);
            assert.deepStrictEqual(config.extensions.sigv4auth, { region: "eu-west-1", service: "aps" });
            assert.deepStrictEqual(config.service.pipelines.metrics, { receivers: ["prometheus"], processors: ["batch"], exporters: ["prometheusremotewrite"] });
        }
        const migrations = JSON.parse(only(r, "aws:ecs/taskDefinition:TaskDefinition", "-migrations").plainInputs.containerDefinitions);
        assert.deepStrictEqual(migrations.map((c: any) => c.name), ["migrations"]);
        const policy = JSON.parse(only(r, "aws:iam/rolePolicy:RolePolicy", "-task-remote-write").plainInputs.policy);
        assert.deepStrictEqual(policy.Statement, [{ Sid: "WriteAppMetrics", Effect: "Allow", Action: ["aps:RemoteWrite"], Resource: [workspace.state.arn] }]);
        const taskRole = only(r, "aws:iam/role:Role", "-task-role");
        assert.strictEqual(only(r, "aws:iam/rolePolicy:RolePolicy", "-task-remote-write").plainInputs.role, taskRole.state.id);
    });

    it("GCP: the Managed Service for Prometheus sidecar runs next to the API and worker, configured by a mounted RunMonitoring, with metricWriter", async () => {
        const r = await deployOn("gcp", "prod");
        const account = only(r, "gcp:serviceaccount/account:Account");
        for (const role of ["api", "worker"]) {
            const template = only(r, "gcp:cloudrunv2/service:Service", `-${role}`).plainInputs.template;
            const sidecar = template.containers.find((c: any) => c.name === "collector");
            assert.strictEqual(sidecar.image, GMP_SIDECAR_IMAGE);
            assert.deepStrictEqual(sidecar.dependsOns, [role], "the collector starts after the app");
            assert.deepStrictEqual(sidecar.volumeMounts, [{ name: "rungmp-config", mountPath: "/etc/rungmp" }]);
            assert.strictEqual(sidecar.ports, undefined, "only the app container takes the port");
            const volume = template.volumes.find((v: any) => v.name === "rungmp-config");
            assert.strictEqual(volume.secret.items[0].path, "config.yaml");
            assert.strictEqual(volume.secret.secret, "fastapi-platform-prod-RUN_MONITORING_CONFIG");
            // The sidecar needs CPU between requests to scrape (instance-based billing).
            assert.strictEqual(template.containers.find((c: any) => c.name === role).resources.cpuIdle, false);
        }
        const config = JSON.parse(ofType(r, "gcp:secretmanager/secretVersion:SecretVersion").find((v) => v.name.endsWith("-run-monitoring-config"))!.plainInputs.secretData);
        assert.deepStrictEqual(config.spec.endpoints, [{ port: 8000, path: "/metrics", interval: "30s", timeout: "10s" }]);
        assert.strictEqual(config.kind, "RunMonitoring");
        const writer = only(r, "gcp:projects/iAMMember:IAMMember", "-run-metric-writer").plainInputs;
        assert.deepStrictEqual([writer.role, writer.member, writer.project], ["roles/monitoring.metricWriter", account.state.member, "acme-fastapi-prod"]);
        const job = only(r, "gcp:cloudrunv2/job:Job").plainInputs.template.template;
        assert.deepStrictEqual(job.containers.map((c: any) => c.name), ["migrations"]);
    });

    it("Azure: the API and worker carry the Application Insights connection string and their own OpenTelemetry service name", async () => {
        const r = await deployOn("azure", "prod");
        const insights = only(r, "azure-native:applicationinsights:Component");
        const settings = Object.fromEntries(only(r, "azure-native:web:WebApp").plainInputs.siteConfig.appSettings.map((s: any) => [s.name, s.value]));
        const worker = Object.fromEntries(only(r, "azure-native:app:ContainerApp").plainInputs.template.containers[0].env.map((e: any) => [e.name, e.value]));
        for (const [env, role] of [[settings, "api"], [worker, "worker"]] as const) {
            assert.strictEqual(env.APPLICATIONINSIGHTS_CONNECTION_STRING, insights.state.connectionString);
            assert.strictEqual(env.OTEL_SERVICE_NAME, `fastapi-platform-prod-${role}`);
            assert.strictEqual(env.OTEL_RESOURCE_ATTRIBUTES, "deployment.environment=production");
        }
    });

    it("Kubernetes: one PodMonitor scrapes the API and worker on the metrics port and path; CloudNativePG makes the PostgreSQL one", async () => {
        const r = await deployOn("kubernetes", "prod");
        const monitor = named(r, K.podMonitor, "fastapi-app").plainInputs.spec;
        assert.deepStrictEqual(monitor.selector.matchExpressions, [{ key: "app.kubernetes.io/name", operator: "In", values: ["api", "worker"] }]);
        assert.deepStrictEqual(monitor.podMetricsEndpoints.map((e: any) => [e.port, e.path, e.relabelings[0].regex]), [["http", "/metrics", "api"], ["metrics", "/metrics", "worker"]]);
        assert.deepStrictEqual(only(r, K.cluster).plainInputs.spec.monitoring, { enablePodMonitor: true });
        const workerPorts = named(r, K.deployment, "worker").plainInputs.spec.template.spec.containers[0].ports;
        assert.deepStrictEqual(workerPorts, [{ name: "metrics", containerPort: 8000 }]);
    });
});

// ---- NetworkPolicy: the scrape paths are open, and nothing else is ----

interface Pod { name: string; namespace: string; labels: Record<string, string>; ports: Record<string, number> }
interface Peer { namespace: string; labels: Record<string, string> }

const matches = (selector: any, labels: Record<string, string>) =>
    Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
    (selector?.matchExpressions ?? []).every((e: any) => (e.operator === "In" ? e.values.includes(labels[e.key]) : e.operator === "NotIn" ? !e.values.includes(labels[e.key]) : e.operator === "Exists" ? e.key in labels : !(e.key in labels)));

/** Whether the policies of the pod's namespace admit `from` to `port` of `pod` (ingress; Kubernetes NetworkPolicy semantics). */
function admits(policies: RecordedResource[], pod: Pod, from: Peer, port: number): boolean {
    const selecting = policies.filter((p) => p.plainInputs.metadata.namespace === pod.namespace && matches(p.plainInputs.spec.podSelector, pod.labels) && p.plainInputs.spec.policyTypes.includes("Ingress"));
    if (selecting.length === 0) return true;
    return selecting.some((p) => (p.plainInputs.spec.ingress ?? []).some((rule: any) => {
        const peerOk = !rule.from || rule.from.some((peer: any) => {
            const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, { "kubernetes.io/metadata.name": from.namespace }) : from.namespace === pod.namespace;
            const podOk = peer.podSelector ? matches(peer.podSelector, from.labels) : true;
            return nsOk && podOk;
        });
        const portOk = !rule.ports || rule.ports.some((p: any) => (typeof p.port === "number" ? p.port === port : pod.ports[p.port] === port));
        return peerOk && portOk;
    }));
}

for (const stack of STACKS) {
    describe(`Kubernetes NetworkPolicies admit Prometheus to the scraped ports only (${stack})`, () => {
        let r: RunResult;
        let policies: RecordedResource[];
        let pods: Pod[];
        before(async () => {
            r = await deployOn("kubernetes", stack);
            policies = ofType(r, K.networkPolicy);
            const ns = only(r, K.namespace).plainInputs.metadata.name;
            const fromTemplate = (name: string): Pod => {
                const template = named(r, K.deployment, name).plainInputs.spec.template;
                const ports = Object.fromEntries((template.spec.containers[0].ports ?? []).map((p: any) => [p.name, p.containerPort]));
                return { name, namespace: ns, labels: template.metadata.labels, ports };
            };
            pods = [
                fromTemplate("api"), fromTemplate("worker"),
                // CloudNativePG's instance pods: PostgreSQL, the instance manager's status port and the exporter.
                { name: "postgres-1", namespace: ns, labels: { "cnpg.io/cluster": "postgres", "cnpg.io/podRole": "instance" }, ports: { postgresql: 5432, status: 8000, metrics: 9187 } },
                { name: "pooler", namespace: ns, labels: { "cnpg.io/poolerName": "postgres-rw" }, ports: { pgbouncer: 5432 } },
            ];
        });
        const pod = (name: string) => pods.find((p) => p.name === name)!;
        const prometheus: Peer = { namespace: "monitoring", labels: { "app.kubernetes.io/name": "prometheus" } };
        const stranger: Peer = { namespace: "default", labels: { "app.kubernetes.io/name": "prometheus" } };

        it("admits the Prometheus namespace to the app's metrics port and CloudNativePG's exporter", () => {
            assert.ok(admits(policies, pod("api"), prometheus, 8000));
            assert.ok(admits(policies, pod("worker"), prometheus, 8000));
            assert.ok(admits(policies, pod("postgres-1"), prometheus, 9187));
        });

        it("keeps Prometheus away from PostgreSQL itself, the instance manager and the poolers", () => {
            for (const [name, port] of [["postgres-1", 5432], ["postgres-1", 8000], ["pooler", 5432], ["api", 9187], ["worker", 9187]] as const) {
                assert.ok(!admits(policies, pod(name), prometheus, port), `${name}:${port}`);
            }
        });

        it("admits no other namespace to the metrics ports", () => {
            assert.ok(!admits(policies, pod("worker"), stranger, 8000));
            assert.ok(!admits(policies, pod("postgres-1"), stranger, 9187));
            assert.ok(!admits(policies, pod("api"), { namespace: "ingress-nginx", labels: {} }, 9187));
            assert.ok(!admits(policies, pod("worker"), { namespace: "ingress-nginx", labels: {} }, 8000));
        });

        it("the evaluator itself denies without policies selecting a peer (not vacuous)", () => {
            const withoutScrape = policies.filter((p) => !p.plainInputs.metadata.name.endsWith("-from-prometheus"));
            assert.ok(!admits(withoutScrape, pod("postgres-1"), prometheus, 9187));
            assert.ok(!admits(withoutScrape, pod("worker"), prometheus, 8000));
        });
    });
}
