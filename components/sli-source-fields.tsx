"use client";
// The SLI form's histogram and threshold sources (docs/histograms.md). A histogram's threshold
// must be one of its bucket bounds on the server: "Check buckets" asks the server which bounds
// it has, shows them, and a bound clicked becomes the threshold.
import { useState } from "react";
import { histogramCheckSchema, thresholdOps } from "@/lib/schemas/catalog";
import { parseLe } from "@/lib/domain/promql-histogram";
import type { HistogramBuckets } from "@/lib/schemas/views";
import { api, ApiError } from "./api";
import { Field } from "./field";
import { SelectField, text } from "./form-kit";

/** A number typed as Prometheus writes bounds ("0.25", "1e+06"), or the text itself so the schema names the problem. */
function seconds(d: FormData, name: string): number | string | undefined {
  const v = text(d, name);
  return v === undefined ? undefined : (parseLe(v) ?? v);
}

export function histogramOf(d: FormData) {
  return {
    url: text(d, "histogramUrl"),
    authHeader: text(d, "histogramAuthHeader") ?? null,
    type: text(d, "histogramType") ?? "classic",
    metric: text(d, "histogramMetric"),
    matchers: text(d, "histogramMatchers") ?? "",
    thresholdSeconds: seconds(d, "histogramThreshold"),
  };
}

export function thresholdOf(d: FormData) {
  return { url: text(d, "thresholdUrl"), authHeader: text(d, "thresholdAuthHeader") ?? null, query: text(d, "thresholdQuery"), op: text(d, "thresholdOp"), value: seconds(d, "thresholdValue") };
}

type CheckState = HistogramBuckets | null;

export function HistogramFields({ team, errors, setErrors }: { team: string; errors: Record<string, string>; setErrors: (e: Record<string, string>) => void }) {
  const [check, setCheck] = useState<CheckState>(null);
  const [checking, setChecking] = useState(false);
  const [threshold, setThreshold] = useState("");

  async function runCheck(form: HTMLFormElement) {
    const input = histogramOf(new FormData(form));
    const parsed = histogramCheckSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [`histogram.${i.path.join(".")}`, i.message])));
      return;
    }
    setChecking(true);
    try {
      setCheck(await api<HistogramBuckets>(`/api/v1/teams/${team}/prometheus-histogram-buckets`, { method: "POST", body: input }));
    } catch (e) {
      setCheck({ ok: false, error: e instanceof ApiError ? e.message : "The check did not run." });
    } finally {
      setChecking(false);
    }
  }

  return (
    <div className="stack subtle">
      <Field id="sli-h-url" name="histogramUrl" label="Base URL" hint="e.g. http://prometheus:9090" error={errors["histogram.url"]} />
      <Field id="sli-h-auth" name="histogramAuthHeader" label="Authorization header" hint="optional, e.g. Bearer …; stored, never shown again" autoComplete="off" error={errors["histogram.authHeader"]} />
      <div className="grid-2">
        <SelectField id="sli-h-type" name="histogramType" label="Histogram" defaultValue="classic" error={errors["histogram.type"]}>
          <option value="classic">classic (le buckets)</option>
          <option value="native">native</option>
        </SelectField>
        <Field id="sli-h-metric" name="histogramMetric" label="Metric name" hint="without _bucket, e.g. http_request_duration_seconds" className="mono" error={errors["histogram.metric"]} />
      </div>
      <Field id="sli-h-matchers" name="histogramMatchers" label="Label matchers" hint='optional, e.g. job="api", code!~"5.."' className="mono" error={errors["histogram.matchers"]} />
      <Field
        id="sli-h-threshold"
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

export function ThresholdFields({ errors }: { errors: Record<string, string> }) {
  return (
    <div className="stack subtle">
      <Field id="sli-t-url" name="thresholdUrl" label="Base URL" hint="e.g. http://prometheus:9090" error={errors["threshold.url"]} />
      <Field id="sli-t-auth" name="thresholdAuthHeader" label="Authorization header" hint="optional, e.g. Bearer …; stored, never shown again" autoComplete="off" error={errors["threshold.authHeader"]} />
      <Field id="sli-t-query" name="thresholdQuery" label="Value per minute (PromQL)" hint="one series, e.g. a p99 latency or a gauge" className="mono" error={errors["threshold.query"]} />
      <div className="grid-2">
        <SelectField id="sli-t-op" name="thresholdOp" label="A minute is good when the value is" defaultValue="lt" error={errors["threshold.op"]}>
          {thresholdOps.map((op) => (
            <option key={op} value={op}>
              {{ lt: "below (lt)", lte: "at most (lte)", gt: "above (gt)", gte: "at least (gte)" }[op]}
            </option>
          ))}
        </SelectField>
        <Field id="sli-t-value" name="thresholdValue" label="Threshold" inputMode="decimal" error={errors["threshold.value"]} />
      </div>
    </div>
  );
}
