"use client";
// The SLO page's alert settings (docs/alerting.md): the effective table with the workbook's value
// beside each number and why, an editor for the rows, the low-traffic guard and the no-data and
// budget-below alerts, and "Try alert settings": the backtest of the current settings against the
// edited ones, before saving. Every number shown comes from the API (lib/domain computes them).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatBurnRate, formatCount, formatDuration, formatPercent } from "@/lib/domain/format";
import { alertBacktestInputSchema, alertSettingsInputSchema, type AlertBacktestView, type AlertSettingsView } from "@/lib/schemas/alert-settings";
import { fieldErrors } from "@/lib/schemas/field-errors";
import { api, ApiError } from "./api";
import { FormError } from "./form-kit";
import { Time } from "./time";

type RowDraft = { enabled: boolean; long: string; short: string; factor: string; budgetPercent: string };
type Draft = { rows: RowDraft[]; page: boolean; ticket: boolean; minEvents: string; noData: boolean; budgetBelow: boolean; budgetPercent: string };

function draftOf(s: AlertSettingsView): Draft {
  return {
    rows: s.rules.map((r, i) => {
      const o = s.overrides[i] ?? {};
      return { enabled: o.enabled ?? true, long: o.long ?? "", short: o.short ?? "", factor: o.factor === undefined ? "" : String(o.factor), budgetPercent: o.budgetPercent === undefined ? "" : String(o.budgetPercent) };
    }),
    page: s.page.enabled,
    ticket: s.ticket.enabled,
    minEvents: String(s.minEvents),
    noData: s.noData.enabled,
    budgetBelow: s.budgetBelow.enabled,
    budgetPercent: String(s.budgetBelow.percent),
  };
}

const num = (v: string) => (v.trim() === "" ? undefined : Number(v));

/** The rows, severities and guard as the API takes them: blank fields keep the workbook's value (trailing rows with no change are dropped). */
function proposedOf(d: Draft) {
  const rules = d.rows.map((r) => ({
    ...(r.enabled ? {} : { enabled: false }),
    ...(r.long ? { long: r.long } : {}),
    ...(r.short ? { short: r.short } : {}),
    ...(num(r.factor) !== undefined ? { factor: num(r.factor) } : {}),
    ...(num(r.budgetPercent) !== undefined ? { budgetPercent: num(r.budgetPercent) } : {}),
  }));
  while (rules.length && Object.keys(rules.at(-1)!).length === 0) rules.pop();
  return { rules, page: { enabled: d.page }, ticket: { enabled: d.ticket }, minEvents: Number(d.minEvents) };
}

/** Everything the settings form saves. */
const inputOf = (d: Draft) => ({ ...proposedOf(d), noData: { enabled: d.noData }, budgetBelow: { enabled: d.budgetBelow, percent: Number(d.budgetPercent) } });

const windowLabel = (w: { minutes: number }) => formatDuration(w.minutes);

export function AlertSettings({ team, service, slo, initial, canEdit }: { team: string; service: string; slo: string; initial: AlertSettingsView; canEdit: boolean }) {
  const router = useRouter();
  const [settings, setSettings] = useState(initial);
  const [draft, setDraft] = useState(() => draftOf(initial));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);
  const [backtest, setBacktest] = useState<AlertBacktestView | null>(null);
  const [btErrors, setBtErrors] = useState<Record<string, string>>({});
  const [days, setDays] = useState(String(Math.round(initial.periodMinutes / 1440)));
  const base = `/api/v1/teams/${encodeURIComponent(team)}/services/${encodeURIComponent(service)}/slos/${encodeURIComponent(slo)}`;

  const setRow = (i: number, patch: Partial<RowDraft>) => {
    setSaved(false);
    setConfirming(false);
    setDraft((d) => ({ ...d, rows: d.rows.map((r, k) => (k === i ? { ...r, ...patch } : r)) }));
  };
  const set = (patch: Partial<Draft>) => {
    setSaved(false);
    setConfirming(false);
    setDraft((d) => ({ ...d, ...patch }));
  };

  function check(): boolean {
    const parsed = alertSettingsInputSchema.safeParse({ ...inputOf(draft), baseUpdatedAt: settings.updatedAt });
    setErrors(parsed.success ? {} : fieldErrors(parsed.error));
    return parsed.success;
  }

  async function save() {
    setPending(true);
    try {
      const next = await api<AlertSettingsView>(`${base}/alert-settings`, { method: "PUT", body: { ...inputOf(draft), baseUpdatedAt: settings.updatedAt } });
      setSettings(next);
      setDraft(draftOf(next));
      setConfirming(false);
      setSaved(true);
      router.refresh();
    } catch (e) {
      setConfirming(false);
      setErrors(e instanceof ApiError ? { ...e.fields, form: e.message, ...(e.status === 409 ? { stale: "true" } : {}) } : { form: "Could not save: the server did not answer." });
    } finally {
      setPending(false);
    }
  }

  async function run() {
    const to = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const body = { from: new Date(to.getTime() - Number(days) * 86_400_000).toISOString(), to: to.toISOString(), proposed: proposedOf(draft) };
    const parsed = alertBacktestInputSchema.safeParse(body);
    if (!parsed.success) return setBtErrors(fieldErrors(parsed.error));
    setBtErrors({});
    setPending(true);
    try {
      setBacktest(await api<AlertBacktestView>(`${base}/alert-backtest`, { method: "POST", body }));
    } catch (e) {
      setBtErrors(e instanceof ApiError ? { ...e.fields, form: e.message } : { form: "The backtest could not run: the server did not answer." });
    } finally {
      setPending(false);
    }
  }

  const err = (k: string) => errors[k] ?? btErrors[`proposed.${k}`];
  return (
    <section aria-labelledby="h-alert-settings">
      <h2 id="h-alert-settings">Alert settings</h2>
      <p>
        Each row fires when both its long and short window burn faster than its factor. Defaults are the SRE Workbook&apos;s for this SLO&apos;s {formatDuration(settings.periodMinutes)} window; the short window is {settings.shortWindowReason}.
      </p>
      <div className="card table-wrap" tabIndex={0} role="region" aria-label="Effective alert rules">
        <table>
          <caption className="visually-hidden">Effective alert rules, each value beside the workbook&apos;s default</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">On</th>
              <th scope="col">Long window</th>
              <th scope="col">Short window</th>
              <th scope="col" className="num">Factor</th>
              <th scope="col" className="num">Budget spent when it fires</th>
              <th scope="col">Why the default</th>
            </tr>
          </thead>
          <tbody>
            {settings.rules.map((r) => (
              <tr key={r.tier}>
                <th scope="row">{r.severity === "page" ? "Page" : "Ticket"} {r.tier + 1}</th>
                <td>{!r.enabled ? "off" : r.notifies ? "on" : `on (${r.severity}s off)`}</td>
                <td>
                  {windowLabel(r.long)} <span className="muted">(default {windowLabel(r.workbook.long)})</span>
                </td>
                <td>
                  {windowLabel(r.short)} <span className="muted">(default {windowLabel(r.workbook.short)})</span>
                </td>
                <td className="num">
                  {formatBurnRate(r.factor)} <span className="muted">(default {formatBurnRate(r.workbook.factor)})</span>
                </td>
                <td className="num">
                  {formatPercent(r.budgetPercent / 100, 1)} <span className="muted">(default {formatPercent(r.workbook.budgetPercent / 100, 0)})</span>
                </td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        Low-traffic guard: {settings.minEvents > 0 ? `a window needs at least ${formatCount(settings.minEvents)} events to fire` : "none"}. No-data alert: {settings.noData.enabled ? "on" : "off"}. Budget-below alert:{" "}
        {settings.budgetBelow.enabled ? `on, at ${formatPercent(settings.budgetBelow.percent / 100, 0)}` : "off"}.
      </p>

      <details className="add" open={!!backtest || Object.keys(errors).length > 0}>
        <summary>{canEdit ? "Change alert settings" : "Try alert settings"}</summary>
        <form
          className="card"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (check()) setConfirming(true);
          }}
        >
          <FormError errors={errors} onReload={() => router.refresh()} />
          <p className="muted">Leave a field blank to keep the workbook&apos;s value. Give a factor or a budget share, not both; a changed long window keeps its row&apos;s budget share.</p>
          {draft.rows.map((r, i) => (
            <fieldset key={i}>
              <legend>
                {settings.rules[i]!.severity === "page" ? "Page" : "Ticket"} {i + 1} (default {windowLabel(settings.rules[i]!.workbook.long)} / {windowLabel(settings.rules[i]!.workbook.short)} at {formatBurnRate(settings.rules[i]!.workbook.factor)})
              </legend>
              <label>
                <input type="checkbox" checked={r.enabled} onChange={(e) => setRow(i, { enabled: e.target.checked })} /> On
              </label>
              <WindowSelect id={`ar-${i}-long`} label="Long window" value={r.long} windows={settings.windows} onChange={(v) => setRow(i, { long: v })} error={err(`rules.${i}.long`)} />
              <WindowSelect id={`ar-${i}-short`} label="Short window" value={r.short} windows={settings.windows} onChange={(v) => setRow(i, { short: v })} error={err(`rules.${i}.short`)} blank="long / 12" />
              <NumberField id={`ar-${i}-factor`} label="Factor" value={r.factor} onChange={(v) => setRow(i, { factor: v })} error={err(`rules.${i}.factor`)} />
              <NumberField id={`ar-${i}-budget`} label="Budget % when it fires" value={r.budgetPercent} onChange={(v) => setRow(i, { budgetPercent: v })} error={err(`rules.${i}.budgetPercent`)} />
            </fieldset>
          ))}
          <fieldset>
            <legend>Severities, low traffic and other alerts</legend>
            <label>
              <input type="checkbox" checked={draft.page} onChange={(e) => set({ page: e.target.checked })} /> Pages notify
            </label>
            <label>
              <input type="checkbox" checked={draft.ticket} onChange={(e) => set({ ticket: e.target.checked })} /> Tickets notify
            </label>
            <NumberField id="ar-min-events" label="Minimum events per window" value={draft.minEvents} onChange={(v) => set({ minEvents: v })} error={err("minEvents")} />
            <label>
              <input type="checkbox" checked={draft.noData} onChange={(e) => set({ noData: e.target.checked })} /> Alert when the data stops (and when it is back)
            </label>
            <label>
              <input type="checkbox" checked={draft.budgetBelow} onChange={(e) => set({ budgetBelow: e.target.checked })} /> Alert once when the budget falls below
            </label>
            <NumberField id="ar-budget-below" label="Budget level (%)" value={draft.budgetPercent} onChange={(v) => set({ budgetPercent: v })} error={errors["budgetBelow.percent"]} />
          </fieldset>

          <h3 id="h-try-alerts">Try alert settings</h3>
          <p className="muted">Replays this SLO&apos;s stored minutes (exclusions left out) against the current settings and the ones above; nothing is saved.</p>
          <NumberField id="bt-days" label="Days to replay (ending now)" value={days} onChange={setDays} error={btErrors.from ?? btErrors.to} />
          {btErrors.form ? (
            <div className="alert" role="alert">
              <p>{btErrors.form}</p>
            </div>
          ) : null}
          <div className="actions">
            <button type="button" className="secondary" disabled={pending} onClick={() => void run()}>
              Run backtest
            </button>
            {canEdit ? (
              <button type="submit" disabled={pending}>
                Save alert settings…
              </button>
            ) : null}
          </div>
          {confirming ? (
            <div className="card" role="group" aria-labelledby="h-confirm-alerts">
              <p id="h-confirm-alerts">
                <strong>Save these alert settings?</strong> They apply from the next minute&apos;s evaluation and the change is recorded in the audit log.
              </p>
              <div className="actions">
                <button type="button" disabled={pending} onClick={() => void save()}>
                  Confirm save
                </button>
                <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </div>
            </div>
          ) : null}
          <p role="status" className={saved ? "notice" : "visually-hidden"}>
            {saved ? "Alert settings saved." : null}
          </p>
        </form>
        {backtest ? <BacktestResult r={backtest} /> : null}
      </details>
    </section>
  );
}

function WindowSelect({ id, label, value, windows, onChange, error, blank = "default" }: { id: string; label: string; value: string; windows: { name: string; minutes: number }[]; onChange: (v: string) => void; error?: string; blank?: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        <option value="">{blank}</option>
        {windows.map((w) => (
          <option key={w.name} value={w.name}>
            {formatDuration(w.minutes)}
          </option>
        ))}
      </select>
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function NumberField({ id, label, value, onChange, error }: { id: string; label: string; value: string; onChange: (v: string) => void; error?: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} inputMode="decimal" value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

const delay = (m: number | null) => (m === null ? "missed" : formatDuration(m));
const share = (s: number | null) => (s === null ? "no data" : formatPercent(s, 1));

function BacktestResult({ r }: { r: AlertBacktestView }) {
  const c = r.comparison;
  const p = r.proposed;
  return (
    <div className="card" aria-labelledby="h-backtest-result">
      <h3 id="h-backtest-result">
        Backtest: <Time at={r.from} relative={false} /> to <Time at={r.to} relative={false} />
      </h3>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Backtest: current against proposed">
        <table>
          <caption className="visually-hidden">What the current and the proposed settings would have done</caption>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col" className="num">Current</th>
              <th scope="col" className="num">Proposed</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Firings</th>
              <td className="num">{r.current.firings.length}</td>
              <td className="num">{p ? p.firings.length : "—"}</td>
            </tr>
            <tr>
              <th scope="row">Noise (no incident within {formatDuration(r.noiseMarginMinutes)})</th>
              <td className="num">{r.current.noise}</td>
              <td className="num">{p ? p.noise : "—"}</td>
            </tr>
            <tr>
              <th scope="row">Budget burned with no alert firing</th>
              <td className="num">
                {share(r.current.unalerted.budgetShare)} ({formatCount(r.current.unalerted.badEvents)} bad)
              </td>
              <td className="num">{p ? `${share(p.unalerted.budgetShare)} (${formatCount(p.unalerted.badEvents)} bad)` : "—"}</td>
            </tr>
            {(c?.incidents ?? r.current.incidents.map((i) => ({ id: i.id, title: i.title, current: i.firstAlertMinutes, proposed: null }))).map((i) => (
              <tr key={i.id}>
                <th scope="row">First alert after the start of “{i.title}”</th>
                <td className="num">{delay(i.current)}</td>
                <td className="num">{p ? delay(i.proposed) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.current.incidents.length === 0 ? <p className="muted">No incident linked to this SLO in the range: every firing counts as noise.</p> : null}
    </div>
  );
}
