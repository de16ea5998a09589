// Prometheus text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/)
// and Prometheus alerting rules for an SLO's multiwindow burn-rate alerts.
import { effectiveAlertRules, lookbacks, type EffectiveAlertRule } from "./burn-rate";
import type { SloStatus } from "./slo-status";
import { integrityKinds } from "./sli-integrity";
import { gateDecisions } from "./policy";
import type { ServiceStanding } from "./standing";
import { tiers } from "./tier";

export type MetricSample = { labels: Record<string, string>; value: number };
export type MetricFamily = { name: string; help: string; type: "gauge" | "counter"; samples: MetricSample[] };

/** Label values escape backslash, double quote and newline; HELP escapes backslash and newline. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

export function renderExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
        .join(",");
      lines.push(`${f.name}${labels ? `{${labels}}` : ""} ${formatValue(s.value)}`);
    }
  }
  return lines.join("\n") + "\n";
}

export type SloIdentity = { team: string; service: string; slo: string; objective: string };

/**
 * The metric families for a set of SLO statuses. Values that are "no data" are left out
 * (absent series), never exported as NaN, so alert expressions on them stay quiet.
 */
export function sloMetricFamilies(items: readonly { id: SloIdentity; status: SloStatus }[]): MetricFamily[] {
  const base = (id: SloIdentity) => ({ team: id.team, service: id.service, slo: id.slo });
  const fam = (name: string, help: string, samples: MetricSample[]): MetricFamily => ({ name, help, type: "gauge", samples });
  return [
    fam("burnrate_slo_objective_ratio", "The SLO's objective, e.g. 0.999.", items.map(({ id }) => ({ labels: base(id), value: Number(id.objective) }))),
    fam(
      "burnrate_slo_sli_ratio",
      "Good events / valid events over the SLO's compliance window.",
      items.flatMap(({ id, status }) => (status.sli === null ? [] : [{ labels: base(id), value: status.sli }])),
    ),
    fam(
      "burnrate_slo_error_budget_remaining_ratio",
      "Remaining error budget over the compliance window (1 = untouched, below 0 = SLO breached).",
      items.flatMap(({ id, status }) => (status.budget.state === "ok" ? [{ labels: base(id), value: status.budget.remaining }] : [])),
    ),
    fam(
      "burnrate_slo_events",
      "Events in the compliance window so far, by kind (good, total).",
      items.flatMap(({ id, status }) => [
        { labels: { ...base(id), kind: "good" }, value: status.good },
        { labels: { ...base(id), kind: "total" }, value: status.total },
      ]),
    ),
    fam(
      "burnrate_slo_burn_rate",
      "Error-budget burn rate over a lookback window (1 = spends the budget exactly by the end of the window).",
      items.flatMap(({ id, status }) =>
        Object.entries(status.burnRates).flatMap(([window, rate]) => (rate === null ? [] : [{ labels: { ...base(id), window }, value: rate }])),
      ),
    ),
    fam(
      "burnrate_slo_alert_firing",
      "1 when a multiwindow burn-rate alert of this severity fires.",
      items.flatMap(({ id, status }) =>
        (["page", "ticket"] as const).map((severity) => ({
          labels: { ...base(id), severity },
          value: status.alerts.rules.some((r) => r.severity === severity && r.firing) ? 1 : 0,
        })),
      ),
    ),
    fam(
      "burnrate_slo_evaluation_failed",
      "1 when the SLO could not be evaluated (its data or definition is broken; its page names the error).",
      items.map(({ id, status }) => ({ labels: base(id), value: status.error ? 1 : 0 })),
    ),
    fam(
      "burnrate_slo_uncertain",
      "1 when the SLO's numbers may be wrong for this reason (docs/integrity.md); its page names the finding.",
      items.flatMap(({ id, status }) => integrityKinds.map((kind) => ({ labels: { ...base(id), kind }, value: status.integrity.findings.some((f) => f.kind === kind) ? 1 : 0 }))),
    ),
    fam(
      "burnrate_slo_time_to_exhaustion_seconds",
      "Time until the error budget is spent at the 1 h burn rate; absent when nothing burns.",
      items.flatMap(({ id, status }) => (status.timeToExhaustionMinutes === null ? [] : [{ labels: base(id), value: status.timeToExhaustionMinutes * 60 }])),
    ),
  ];
}

/**
 * A service's standing as metrics: one series per tier and per decision, 1 for the current one
 * (the usual enum pattern), so `burnrate_service_feature_deploy{decision="deny"} == 1` alerts on
 * exactly what the gate would answer.
 */
export function serviceMetricFamilies(items: readonly { team: string; service: string; standing: ServiceStanding }[]): MetricFamily[] {
  return [
    {
      name: "burnrate_service_tier",
      help: "1 for the service's current policy tier (its worst SLO, or a manual freeze).",
      type: "gauge",
      samples: items.flatMap(({ team, service, standing }) => tiers.map((tier) => ({ labels: { team, service, tier }, value: standing.tier === tier ? 1 : 0 }))),
    },
    {
      name: "burnrate_service_feature_deploy",
      help: "1 for what the deploy gate answers now for a feature deploy to the policy's first gated environment.",
      type: "gauge",
      samples: items.flatMap(({ team, service, standing }) =>
        gateDecisions.map((decision) => ({ labels: { team, service, environment: standing.environment, decision }, value: standing.decision === decision ? 1 : 0 })),
      ),
    },
  ];
}

const lookbackName = Object.fromEntries(Object.entries(lookbacks).map(([k, m]) => [m, k])) as Record<number, string>;

/**
 * A Prometheus rule file paging through Alertmanager on Burnrate's own burn-rate metrics: for
 * each row of the alert table, both windows above the factor scaled to the SLO's period.
 * Strings are emitted as JSON, which is valid YAML for double-quoted scalars.
 */
export function renderAlertRules(id: SloIdentity, name: string, periodMinutes: number, effective: readonly EffectiveAlertRule[] = effectiveAlertRules({}, periodMinutes)): string {
  const selector = (window: string) =>
    `burnrate_slo_burn_rate{team=${JSON.stringify(id.team)},service=${JSON.stringify(id.service)},slo=${JSON.stringify(id.slo)},window="${window}"}`;
  // The SLO's effective rules (its overrides on the workbook's table); rows that notify nothing are not written.
  const rules = effective.filter((r) => r.notifies).map((r) => {
    const factor = r.factor;
    const long = lookbackName[r.longMinutes]!;
    const short = lookbackName[r.shortMinutes]!;
    // "and" matches series by their labels: the two windows differ only in `window`, so ignore it.
    const expr = `${selector(long)} > ${factor}\nand ignoring(window)\n${selector(short)} > ${factor}`;
    return [
      `      - alert: ErrorBudgetBurn`,
      `        expr: |`,
      ...expr.split("\n").map((l) => `          ${l}`),
      `        labels:`,
      `          severity: ${r.severity}`,
      `          team: ${JSON.stringify(id.team)}`,
      `          service: ${JSON.stringify(id.service)}`,
      `          slo: ${JSON.stringify(id.slo)}`,
      `          long_window: ${long}`,
      `        annotations:`,
      `          summary: ${JSON.stringify(`${name}: error budget burning ${factor}x over ${long} and ${short}`)}`,
      `          description: ${JSON.stringify(`At this rate ${r.budgetPercent}% of the ${id.service} ${id.slo} budget is spent within ${long}.`)}`,
    ].join("\n");
  });
  return [`groups:`, `  - name: ${JSON.stringify(`burnrate-${id.team}-${id.service}-${id.slo}`)}`, `    rules:${rules.length ? "" : " []"}`, ...rules].join("\n") + "\n";
}
