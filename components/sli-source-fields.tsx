"use client";
// The SLI forms' sources (new SLI and edit): Prometheus queries, a histogram (docs/histograms.md)
// and a threshold on a value. A histogram's threshold must be one of its bucket bounds on the
// server: "Check buckets" asks the server which bounds it has, shows them, and a bound clicked
// becomes the threshold. Each block takes an id prefix (several forms share a page) and, when
// editing, the stored values; there a blank Authorization header keeps the stored one. Each
// block's server is one of the team's data sources or a URL typed for the SLI (ServerFields).
import { useState } from "react";
import type { z } from "zod";
import { formatCount, formatSli } from "@/lib/domain/format";
import { histogramCheckSchema, prometheusSourceSchema, thresholdOps } from "@/lib/schemas/catalog";
import { parseLe } from "@/lib/domain/promql-histogram";
import type { HistogramBuckets, PrometheusTestResult, SliView } from "@/lib/schemas/views";
import { api, ApiError } from "./api";
import { Field } from "./field";
import { SelectField, text } from "./form-kit";

/** A number typed as Prometheus writes bounds ("0.25", "1e+06"), or the text itself so the schema names the problem. */
function seconds(d: FormData, name: string): number | string | undefined {
  const v = text(d, name);
  return v === undefined ? undefined : (parseLe(v) ?? v);
}

/** The form field names of each block's server (the blocks share a form with the others hidden). */
const serverNames = {
  prometheus: { dataSource: "dataSource", url: "url", authHeader: "authHeader" },
  histogram: { dataSource: "histogramDataSource", url: "histogramUrl", authHeader: "histogramAuthHeader" },
  threshold: { dataSource: "thresholdDataSource", url: "thresholdUrl", authHeader: "thresholdAuthHeader" },
} as const;
type Block = keyof typeof serverNames;

/**
 * A block's server as its schema takes it: a data source picked, or a URL with its header (blank:
 * none on a new SLI, null; on an edit, the stored one stays, left out).
 */
function serverOf(d: FormData, block: Block, editing: boolean) {
  const n = serverNames[block];
  const dataSource = text(d, n.dataSource);
  if (dataSource) return { dataSource };
  return { url: text(d, n.url), authHeader: text(d, n.authHeader) ?? (editing ? undefined : null) };
}

export function prometheusOf(d: FormData, editing = false) {
  const mode = text(d, "queryMode") === "good" ? "good" : "bad";
  return { ...serverOf(d, "prometheus", editing), [mode === "bad" ? "badQuery" : "goodQuery"]: text(d, "otherQuery"), totalQuery: text(d, "totalQuery") };
}

export function histogramOf(d: FormData, editing = false) {
  return {
    ...serverOf(d, "histogram", editing),
    type: text(d, "histogramType") ?? "classic",
    metric: text(d, "histogramMetric"),
    matchers: text(d, "histogramMatchers") ?? "",
    thresholdSeconds: seconds(d, "histogramThreshold"),
  };
}

export function thresholdOf(d: FormData, editing = false) {
  return { ...serverOf(d, "threshold", editing), query: text(d, "thresholdQuery"), op: text(d, "thresholdOp"), value: seconds(d, "thresholdValue") };
}

type Prom = NonNullable<SliView["prometheus"]>;
/** The team's data sources an SLI can read from (their headers are never sent to the browser). */
export type DataSourceChoice = { id: string; name: string; url: string };
type SourceProps = { errors: Record<string, string>; prefix?: string; initial?: Prom | null; dataSources: readonly DataSourceChoice[] };

/**
 * Where a block's queries go: one of the team's data sources (its URL and header shared with every
 * SLI naming it), or a URL typed here with its Authorization header. The header is never shown
 * back; on an edit, blank keeps the stored one while the URL stays.
 */
function ServerFields({ block, id, errors, initial, dataSources }: { block: Block; id: string } & Omit<SourceProps, "prefix">) {
  const n = serverNames[block];
  const stored = initial?.dataSourceId ? dataSources.find((x) => x.id === initial.dataSourceId) : undefined;
  const [picked, setPicked] = useState(stored?.name ?? (initial ? "" : (dataSources[0]?.name ?? "")));
  const hint = initial?.hasAuthHeader ? "one is stored: leave blank to keep it (dropped if the URL changes), or type a new one" : "optional, e.g. Bearer …; stored, never shown again";
  return (
    <>
      {dataSources.length > 0 ? (
        <SelectField id={`${id}-server`} name={n.dataSource} label="Server" value={picked} onChange={(e) => setPicked(e.target.value)} error={errors[`${block}.dataSource`]}>
          {dataSources.map((x) => (
            <option key={x.id} value={x.name}>
              data source {x.name} ({x.url})
            </option>
          ))}
          <option value="">another server: type its URL</option>
        </SelectField>
      ) : null}
      {picked ? null : (
        <>
          <Field id={`${id}-url`} name={n.url} label="Base URL" hint="e.g. http://prometheus:9090" defaultValue={initial?.url ?? undefined} error={errors[`${block}.url`]} />
          <Field id={`${id}-auth`} name={n.authHeader} label="Authorization header" hint={hint} autoComplete="off" error={errors[`${block}.authHeader`]} />
        </>
      )}
    </>
  );
}

type Failed = { ok: false; error: string };

/**
 * A button that asks the server about the source as typed ("Test query", "Check buckets"): the
 * input is checked by its schema first, its problems named under `field.`, and only then sent;
 * the answer, or why there is none, is kept to show.
 */
function useServerCheck<T>(o: { schema: z.ZodType; field: string; path: string; failed: string; setErrors: (e: Record<string, string>) => void }) {
  const [result, setResult] = useState<T | Failed | null>(null);
  const [pending, setPending] = useState(false);
  async function ask(input: unknown) {
    const parsed = o.schema.safeParse(input);
    if (!parsed.success) {
      o.setErrors(Object.fromEntries(parsed.error.issues.map((i) => [`${o.field}.${i.path.join(".")}`, i.message])));
      return;
    }
    setPending(true);
    try {
      setResult(await api<T>(o.path, { method: "POST", body: input }));
    } catch (e) {
      setResult({ ok: false, error: e instanceof ApiError ? e.message : o.failed });
    } finally {
      setPending(false);
    }
  }
  return { result, pending, ask };
}

/** Base URL, total query and one of good or bad, with "Test query" over the last hour. */
export function PrometheusFields({ team, errors, setErrors, prefix = "sli", initial, dataSources }: SourceProps & { team: string; setErrors: (e: Record<string, string>) => void }) {
  const [mode, setMode] = useState<"bad" | "good">(initial?.goodQuery ? "good" : "bad");
  const { result: test, pending: testing, ask } = useServerCheck<PrometheusTestResult>({ schema: prometheusSourceSchema, field: "prometheus", path: `/api/v1/teams/${team}/prometheus-test`, failed: "The test did not run.", setErrors });
  const runTest = (form: HTMLFormElement) => ask(prometheusOf(new FormData(form)));
  return (
    <div className="stack subtle">
      <ServerFields block="prometheus" id={prefix} errors={errors} initial={initial} dataSources={dataSources} />
      <Field id={`${prefix}-total`} name="totalQuery" label="Total events per minute (PromQL)" hint="e.g. sum(increase(http_requests_total[1m]))" className="mono" defaultValue={initial?.totalQuery ?? undefined} error={errors["prometheus.totalQuery"]} />
      <SelectField id={`${prefix}-mode`} name="queryMode" label="The other query counts" value={mode} onChange={(e) => setMode(e.target.value as "bad" | "good")}>
        <option value="bad">bad events</option>
        <option value="good">good events</option>
      </SelectField>
      <Field
        id={`${prefix}-other`}
        name="otherQuery"
        label={`${mode === "bad" ? "Bad" : "Good"} events per minute (PromQL)`}
        className="mono"
        defaultValue={(initial?.goodQuery ?? initial?.badQuery) || undefined}
        error={errors[`prometheus.${mode}Query`] ?? errors["prometheus.goodQuery"]}
      />
      <div className="row">
        <button type="button" className="secondary" disabled={testing} onClick={(e) => void runTest(e.currentTarget.form!)}>
          {testing ? "Testing…" : "Test query"}
        </button>
        <div aria-live="polite" className="test-result">
          {test === null ? null : test.ok ? (
            <span className="tone-ok">
              Last hour: {test.minutesWithData} of {test.minutes} minutes with data, {formatCount(test.total)} events, SLI {formatSli(test.sli)}.
            </span>
          ) : (
            <span className="tone-danger">{test.error}</span>
          )}
        </div>
      </div>
    </div>
  );
}

type CheckState = HistogramBuckets | null;

export function HistogramFields({ team, errors, setErrors, prefix = "sli", initial, dataSources }: SourceProps & { team: string; setErrors: (e: Record<string, string>) => void }) {
  const h = initial?.histogram;
  const [threshold, setThreshold] = useState(h ? String(h.thresholdSeconds) : "");
  const { result: check, pending: checking, ask } = useServerCheck<HistogramBuckets>({ schema: histogramCheckSchema, field: "histogram", path: `/api/v1/teams/${team}/prometheus-histogram-buckets`, failed: "The check did not run.", setErrors });
  const runCheck = (form: HTMLFormElement) => ask(histogramOf(new FormData(form)));

  return (
    <div className="stack subtle">
      <ServerFields block="histogram" id={`${prefix}-h`} errors={errors} initial={initial} dataSources={dataSources} />
      <div className="grid-2">
        <SelectField id={`${prefix}-h-type`} name="histogramType" label="Histogram" defaultValue={h?.type ?? "classic"} error={errors["histogram.type"]}>
          <option value="classic">classic (le buckets)</option>
          <option value="native">native</option>
        </SelectField>
        <Field id={`${prefix}-h-metric`} name="histogramMetric" label="Metric name" hint="without _bucket, e.g. http_request_duration_seconds" className="mono" defaultValue={h?.metric} error={errors["histogram.metric"]} />
      </div>
      <Field id={`${prefix}-h-matchers`} name="histogramMatchers" label="Label matchers" hint='optional, e.g. job="api", code!~"5.."' className="mono" defaultValue={h?.matchers} error={errors["histogram.matchers"]} />
      <Field
        id={`${prefix}-h-threshold`}
        name="histogramThreshold"
        label="Threshold (seconds)"
        hint="a bucket bound, e.g. 0.25"
        inputMode="decimal"
        value={threshold}
        onChange={(e) => setThreshold(e.target.value)}
        error={errors["histogram.thresholdSeconds"]}
      />
      <div className="row">
        <button type="button" className="secondary" disabled={checking} onClick={(e) => void runCheck(e.currentTarget.form!)}>
          {checking ? "Checking…" : "Check buckets"}
        </button>
        <div aria-live="polite" className="test-result">
          <CheckResult check={check} pick={setThreshold} />
        </div>
      </div>
    </div>
  );
}

function CheckResult({ check, pick }: { check: CheckState; pick: (bound: string) => void }) {
  if (check === null) return null;
  if (!check.ok) return <span className="tone-danger">{check.error}</span>;
  const t = check.threshold;
  const choices = t && !t.matches ? [t.lower, t.upper].filter((b): b is string => b !== null && b !== "+Inf") : [];
  return (
    <div className="stack">
      {check.schema !== null ? (
        <span>
          Native histogram, schema {check.schema}: its bounds are 2^(k × 2^−{check.schema}) seconds.
        </span>
      ) : (
        <span>
          Buckets found (seconds):{" "}
          {check.bounds.map((b) => (
            <button key={b} type="button" className="secondary mono" disabled={b === "+Inf"} onClick={() => pick(b)}>
              {b}
            </button>
          ))}
        </span>
      )}
      {t === null ? null : t.matches ? (
        <span className="tone-ok">
          {t.seconds} s is a bucket bound: requests within it are counted exactly.
          <br />
          <span className="mono">good: {t.goodQuery}</span>
          <br />
          <span className="mono">total: {t.totalQuery}</span>
        </span>
      ) : (
        <span className="tone-danger">
          {t.message}{" "}
          {choices.map((b) => (
            <button key={b} type="button" className="secondary mono" onClick={() => pick(b)}>
              use {b}
            </button>
          ))}
        </span>
      )}
    </div>
  );
}

export function ThresholdFields({ errors, prefix = "sli", initial, dataSources }: SourceProps) {
  const t = initial?.threshold;
  return (
    <div className="stack subtle">
      <ServerFields block="threshold" id={`${prefix}-t`} errors={errors} initial={initial} dataSources={dataSources} />
      <Field id={`${prefix}-t-query`} name="thresholdQuery" label="Value per minute (PromQL)" hint="one series, e.g. a p99 latency or a gauge" className="mono" defaultValue={t?.query} error={errors["threshold.query"]} />
      <div className="grid-2">
        <SelectField id={`${prefix}-t-op`} name="thresholdOp" label="A minute is good when the value is" defaultValue={t?.op ?? "lt"} error={errors["threshold.op"]}>
          {thresholdOps.map((op) => (
            <option key={op} value={op}>
              {{ lt: "below (lt)", lte: "at most (lte)", gt: "above (gt)", gte: "at least (gte)" }[op]}
            </option>
          ))}
        </SelectField>
        <Field id={`${prefix}-t-value`} name="thresholdValue" label="Threshold" inputMode="decimal" defaultValue={t ? String(t.value) : undefined} error={errors["threshold.value"]} />
      </div>
    </div>
  );
}
