import { AZURE_MONITOR, CLOUD_MONITORING, CLOUD_MONITORING_ENUMS, CLOUDWATCH, PROMETHEUS_METRICS } from "./metric-catalog";

/**
 * Shape checks of each cloud's dashboard body against its documented schema, and of every metric
 * it names against the catalog. Each returns one message per problem (empty = valid), so a test
 * can also prove that a broken body is caught.
 */
type Json = Record<string, any>;
const isInt = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** CloudWatch dashboard body (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html). */
export function cloudWatchProblems(body: Json): string[] {
    const problems: string[] = [];
    if (!Array.isArray(body.widgets) || body.widgets.length === 0) return ["widgets: a non-empty array is required"];
    body.widgets.forEach((w: Json, i: number) => {
        const at = `widgets[${i}]`;
        if (w.type !== "metric") problems.push(`${at}.type '${w.type}' is not a metric widget`);
        if (!isInt(w.x, 0, 23) || !isInt(w.width, 1, 24) || w.x + w.width > 24) problems.push(`${at}: x ${w.x} + width ${w.width} outside the 24-column grid`);
        if (!isInt(w.y, 0) || !isInt(w.height, 1, 1000)) problems.push(`${at}: y/height invalid`);
        const p = w.properties ?? {};
        if (typeof p.title !== "string" || p.title === "") problems.push(`${at}.properties.title missing`);
        if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(p.region ?? "")) problems.push(`${at}.properties.region '${p.region}' is not a region`);
        if (!["timeSeries", "singleValue", "gauge", "bar", "pie"].includes(p.view)) problems.push(`${at}.properties.view '${p.view}'`);
        if (!Array.isArray(p.metrics) || p.metrics.length === 0) problems.push(`${at}.properties.metrics is empty`);
        const ids = new Set<string>();
        const expressions: string[] = [];
        for (const row of p.metrics ?? []) {
            if (!Array.isArray(row) || row.length === 0) { problems.push(`${at}: a metrics row is not an array`); continue; }
            if (typeof row[0] === "object") {
                if (typeof row[0].expression !== "string" || typeof row[0].id !== "string") problems.push(`${at}: a math row needs expression and id`);
                else expressions.push(row[0].expression);
                continue;
            }
            const [namespace, metric, ...rest] = row;
            const options = typeof rest[rest.length - 1] === "object" ? rest.pop() : {};
            const catalog = CLOUDWATCH[namespace];
            if (!catalog) { problems.push(`${at}: namespace '${namespace}' is not in the catalog`); continue; }
            if (!catalog.metrics.includes(metric)) problems.push(`${at}: ${namespace} does not publish '${metric}' (${catalog.doc})`);
            if (rest.length % 2 !== 0) problems.push(`${at}: ${metric} dimensions are not name/value pairs`);
            for (let d = 0; d < rest.length; d += 2) {
                if (!catalog.dimensions!.includes(rest[d])) problems.push(`${at}: ${namespace} has no dimension '${rest[d]}'`);
                if (typeof rest[d + 1] !== "string" || rest[d + 1] === "") problems.push(`${at}: dimension ${rest[d]} has no value`);
            }
            if (options.stat !== undefined && !["Sum", "Average", "Maximum", "Minimum", "SampleCount"].includes(options.stat) && !/^p\d{1,2}(\.\d+)?$/.test(options.stat)) {
                problems.push(`${at}: stat '${options.stat}'`);
            }
            if (options.id) ids.add(options.id);
        }
        for (const expression of expressions) {
            for (const ref of expression.match(/\bm\d+\b/g) ?? []) if (!ids.has(ref)) problems.push(`${at}: expression uses '${ref}', which no metric row defines`);
        }
        for (const line of p.annotations?.horizontal ?? []) if (typeof line.value !== "number") problems.push(`${at}: a horizontal annotation without a numeric value`);
    });
    return problems;
}

/** A Cloud Monitoring filter's metric and resource types, checked against the catalog. */
export function monitoringFilterProblems(filter: string, at: string): string[] {
    const metric = /metric\.type\s*=\s*"([a-z.]+\.googleapis\.com)\/([^"]+)"/.exec(filter);
    const resource = /resource\.type\s*=\s*"([^"]+)"/.exec(filter);
    if (!metric) return [`${at}: filter without a metric.type: ${filter}`];
    const catalog = CLOUD_MONITORING[metric[1]];
    if (!catalog) return [`${at}: metric prefix ${metric[1]} is not in the catalog`];
    const problems: string[] = [];
    if (!catalog.metrics.includes(metric[2])) problems.push(`${at}: ${metric[1]} has no metric '${metric[2]}' (${catalog.doc})`);
    if (!resource || !catalog.resourceTypes.includes(resource[1])) problems.push(`${at}: ${metric[1]}/${metric[2]} is not written against resource.type '${resource?.[1]}'`);
    return problems;
}

/** Cloud Monitoring dashboard (https://cloud.google.com/monitoring/api/ref_v3/rest/v1/projects.dashboards): a mosaic of xyChart tiles. */
export function cloudMonitoringProblems(body: Json): string[] {
    const problems: string[] = [];
    const E = CLOUD_MONITORING_ENUMS;
    if (typeof body.displayName !== "string" || body.displayName === "") problems.push("displayName missing");
    const layout = body.mosaicLayout;
    if (!layout || !isInt(layout.columns, 1, 48)) return [...problems, "mosaicLayout.columns must be 1-48"];
    if (!Array.isArray(layout.tiles) || layout.tiles.length === 0) return [...problems, "mosaicLayout.tiles is empty"];
    const aggregationProblems = (a: Json, at: string) => [
        ...(E.aligners.includes(a?.perSeriesAligner) ? [] : [`${at}: aligner '${a?.perSeriesAligner}'`]),
        ...(E.reducers.includes(a?.crossSeriesReducer) ? [] : [`${at}: reducer '${a?.crossSeriesReducer}'`]),
        ...(/^\d+s$/.test(a?.alignmentPeriod ?? "") ? [] : [`${at}: alignmentPeriod '${a?.alignmentPeriod}'`]),
    ];
    layout.tiles.forEach((tile: Json, i: number) => {
        const at = `tiles[${i}]`;
        if (!isInt(tile.xPos, 0) || !isInt(tile.width, 1) || tile.xPos + tile.width > layout.columns) problems.push(`${at}: outside the ${layout.columns}-column grid`);
        if (!isInt(tile.yPos, 0) || !isInt(tile.height, 1)) problems.push(`${at}: yPos/height invalid`);
        const kinds = Object.keys(tile.widget ?? {}).filter((k) => k !== "title" && k !== "id");
        if (kinds.length !== 1 || kinds[0] !== "xyChart") { problems.push(`${at}: widget kinds ${JSON.stringify(kinds)} (expected exactly xyChart)`); return; }
        if (typeof tile.widget.title !== "string" || tile.widget.title === "") problems.push(`${at}: title missing`);
        const chart = tile.widget.xyChart;
        if (!Array.isArray(chart.dataSets) || chart.dataSets.length === 0) problems.push(`${at}: dataSets is empty`);
        for (const [d, set] of (chart.dataSets ?? []).entries()) {
            const where = `${at}.dataSets[${d}]`;
            if (!E.plotTypes.includes(set.plotType)) problems.push(`${where}: plotType '${set.plotType}'`);
            const queries = Object.keys(set.timeSeriesQuery ?? {}).filter((k) => ["timeSeriesFilter", "timeSeriesFilterRatio", "timeSeriesQueryLanguage", "prometheusQuery"].includes(k));
            if (queries.length !== 1) { problems.push(`${where}: timeSeriesQuery needs exactly one query, has ${JSON.stringify(queries)}`); continue; }
            const q = set.timeSeriesQuery;
            const filters = q.timeSeriesFilter ? [q.timeSeriesFilter] : q.timeSeriesFilterRatio ? [q.timeSeriesFilterRatio.numerator, q.timeSeriesFilterRatio.denominator] : [];
            for (const f of filters) problems.push(...monitoringFilterProblems(f.filter ?? "", where), ...aggregationProblems(f.aggregation, where));
        }
        for (const threshold of chart.thresholds ?? []) {
            if (typeof threshold.value !== "number") problems.push(`${at}: threshold without a value`);
            if (!E.colors.includes(threshold.color) || !E.directions.includes(threshold.direction)) problems.push(`${at}: threshold color/direction`);
        }
    });
    return problems;
}

/** Azure portal dashboard (Microsoft.Portal/dashboards): lenses of parts, each a MonitorChartPart over catalogued metrics. */
export function azurePortalProblems(properties: Json, chartPart: string): string[] {
    const problems: string[] = [];
    const namespaces = new Map(Object.entries(AZURE_MONITOR).map(([ns, c]) => [ns.toLowerCase(), c]));
    if (!Array.isArray(properties.lenses) || properties.lenses.length === 0) return ["properties.lenses is empty"];
    for (const lens of properties.lenses) {
        if (!isInt(lens.order, 0) || !Array.isArray(lens.parts) || lens.parts.length === 0) problems.push("a lens needs an order and parts");
        (lens.parts ?? []).forEach((part: Json, i: number) => {
            const at = `parts[${i}]`;
            const pos = part.position ?? {};
            if (!isInt(pos.x, 0) || !isInt(pos.y, 0) || !isInt(pos.colSpan, 1) || !isInt(pos.rowSpan, 1)) problems.push(`${at}: position invalid`);
            if (part.metadata?.type !== chartPart) { problems.push(`${at}: type '${part.metadata?.type}'`); return; }
            const chart = (part.metadata.inputs ?? []).find((input: Json) => input.name === "options")?.value?.chart;
            if (!chart) { problems.push(`${at}: no options.chart input`); return; }
            if (typeof chart.title !== "string" || chart.title === "") problems.push(`${at}: chart title missing`);
            if (!Array.isArray(chart.metrics) || chart.metrics.length === 0) problems.push(`${at}: chart has no metrics`);
            for (const m of chart.metrics ?? []) {
                const catalog = namespaces.get(String(m.namespace));
                if (!catalog) { problems.push(`${at}: namespace '${m.namespace}' is not in the catalog`); continue; }
                if (!catalog.metrics.includes(m.name)) problems.push(`${at}: ${m.namespace} has no metric '${m.name}' (${catalog.doc})`);
                if (![1, 2, 3, 4, 7].includes(m.aggregationType)) problems.push(`${at}: aggregationType ${m.aggregationType}`);
                if (typeof m.resourceMetadata?.id !== "string" || m.resourceMetadata.id === "") problems.push(`${at}: metric without a resource id`);
            }
        });
    }
    return problems;
}

/** Series names a PromQL expression reads (identifiers directly followed by a label matcher). */
export function promQlMetrics(expr: string): string[] {
    return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)].map((m) => m[1]);
}

/** Grafana dashboard JSON model (https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/). */
export function grafanaProblems(dashboard: Json): string[] {
    const problems: string[] = [];
    if (typeof dashboard.uid !== "string" || !/^[A-Za-z0-9_-]{1,40}$/.test(dashboard.uid)) problems.push(`uid '${dashboard.uid}' (at most 40 characters)`);
    if (typeof dashboard.title !== "string" || dashboard.title === "") problems.push("title missing");
    if (typeof dashboard.schemaVersion !== "number") problems.push("schemaVersion missing");
    if (!Array.isArray(dashboard.panels) || dashboard.panels.length === 0) return [...problems, "panels is empty"];
    const ids = new Set<number>();
    dashboard.panels.forEach((panel: Json, i: number) => {
        const at = `panels[${i}]`;
        if (!isInt(panel.id, 1) || ids.has(panel.id)) problems.push(`${at}: id ${panel.id} missing or repeated`);
        ids.add(panel.id);
        if (!["timeseries", "stat", "gauge", "table"].includes(panel.type)) problems.push(`${at}: type '${panel.type}'`);
        const g = panel.gridPos ?? {};
        if (!isInt(g.x, 0, 23) || !isInt(g.w, 1, 24) || g.x + g.w > 24 || !isInt(g.y, 0) || !isInt(g.h, 1)) problems.push(`${at}: gridPos outside the 24-column grid`);
        if (panel.datasource?.type !== "prometheus") problems.push(`${at}: datasource is not Prometheus`);
        if (!Array.isArray(panel.targets) || panel.targets.length === 0) problems.push(`${at}: no targets`);
        const refIds = (panel.targets ?? []).map((t: Json) => t.refId);
        if (new Set(refIds).size !== refIds.length) problems.push(`${at}: repeated refId`);
        for (const target of panel.targets ?? []) problems.push(...promQlProblems(target.expr, at));
    });
    return problems;
}

/** Every series a PromQL expression reads must be one the exporters publish. */
export function promQlProblems(expr: unknown, at: string): string[] {
    if (typeof expr !== "string" || expr === "") return [`${at}: empty expression`];
    const names = promQlMetrics(expr);
    if (names.length === 0) return [`${at}: reads no series: ${expr}`];
    return names.filter((name) => !PROMETHEUS_METRICS.has(name)).map((name) => `${at}: '${name}' is not a series any exporter in the catalog publishes`);
}
