"use client";
// Recurring exclusions on the service page (docs/exclusions.md): the schedules that cover the
// service with their next occurrence, and a form that previews what saving would exclude
// (occurrences in the rule's own zone, the past ones too, the SLIs covered) before it saves.
// Saving is consequential (it changes budgets), so it needs a preview of exactly these values
// and a confirmation.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { exclusionKinds } from "@/lib/schemas/catalog";
import { createExclusionScheduleSchema, previewExclusionScheduleSchema, updateExclusionScheduleSchema, type ExclusionSchedulePreview, type ExclusionScheduleView, type OccurrenceView } from "@/lib/schemas/exclusion-schedules";
import { fieldErrors } from "@/lib/schemas/field-errors";
import { formatDateTime, formatCount } from "@/lib/domain/format";
import type { SliView } from "@/lib/schemas/views";
import { api, ApiError } from "./api";
import { Field } from "./field";
import { ConfirmDialog } from "./confirm-dialog";
import { CreatedStatus, FormError, num, SelectField, text, TextAreaField, useApiForm } from "./form-kit";
import { Time, useReaderTime } from "./time";

const kindLabel: Record<(typeof exclusionKinds)[number], string> = {
  maintenance: "Maintenance",
  out_of_scope: "Out of the SLO's scope",
  company_wide_outage: "Company-wide outage",
  dependency: "Dependency outside our control",
  load_test: "Load test",
};

const path = (team: string) => `/api/v1/teams/${team}/exclusion-schedules`;

/** An occurrence in the rule's zone, with what a DST change did to it. */
function OccurrenceText({ o, timeZone }: { o: OccurrenceView; timeZone: string }) {
  const { now } = useReaderTime();
  const shift = o.shift === "gap" ? ` (${o.local.slice(11)} does not exist that day: moved on)` : o.shift === "repeated" ? ` (${o.local.slice(11)} occurs twice that day: the first)` : "";
  return (
    <>
      {formatDateTime(o.startsAt, timeZone, now)}
      {shift} · <Time at={o.startsAt} />
    </>
  );
}

function scopeText(s: ExclusionScheduleView) {
  if (s.label) return `SLIs and SLOs labelled ${s.label}`;
  return s.sli ? `SLI ${s.sli}` : "every SLI";
}

export function ExclusionSchedules({ team, service, slis, schedules, canEdit }: { team: string; service: string; slis: SliView[]; schedules: ExclusionScheduleView[]; canEdit: boolean }) {
  const router = useRouter();
  const [editing, setEditing] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [skipping, setSkipping] = useState<{ s: ExclusionScheduleView; o: OccurrenceView; opener: HTMLElement } | null>(null);
  async function remove(s: ExclusionScheduleView) {
    if (!window.confirm(`Delete the recurring exclusion "${s.description}"? Its occurrences that have not started are removed; past ones stay as one-off exclusions.`)) return;
    try {
      await api(`${path(team)}/${s.id}`, { method: "DELETE" });
      setProblem(null);
      router.refresh();
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : "Could not delete: the server did not answer.");
    }
  }
  return (
    <>
      {problem ? (
        <p className="alert" role="alert">
          {problem}
        </p>
      ) : null}
      {schedules.length === 0 ? (
        <p className="card muted">No recurring exclusions.</p>
      ) : (
        <ul className="card plain-list" aria-label="Recurring exclusions">
          {schedules.map((s) => (
            <li key={s.id} id={`schedule-${s.id}`}>
              <strong>{s.description}</strong>
              <div>
                {kindLabel[s.kind as keyof typeof kindLabel] ?? s.kind} · {scopeText(s)}
                {s.label ? <span className="muted small"> (here: {s.targets.filter((t) => t.service === service).map((t) => t.sli).join(", ") || "none"})</span> : null}
              </div>
              <div className="small">
                {s.next[0] ? (
                  <>
                    Next: <OccurrenceText o={s.next[0]} timeZone={s.timeZone} />
                    {canEdit ? (
                      <>
                        {" "}
                        <button type="button" className="secondary small" onClick={(e) => setSkipping({ s, o: s.next[0]!, opener: e.currentTarget })} aria-label={`Skip the occurrence of ${s.next[0].local.replace("T", " ")}`}>
                          Skip this one…
                        </button>
                      </>
                    ) : null}
                  </>
                ) : (
                  <span className="muted">No further occurrence in the next 90 days.</span>
                )}
              </div>
              {s.exdates.length ? <div className="muted small">Skipped: {s.exdates.map((x) => x.replace("T", " ")).join(", ")}</div> : null}
              <div className="muted small">
                {s.reason} · <span className="mono">{s.rrule}</span>
              </div>
              {canEdit ? (
                <div className="row">
                  <button type="button" className="secondary" onClick={() => setEditing(editing === s.id ? null : s.id)} aria-expanded={editing === s.id}>
                    Edit
                  </button>
                  <button type="button" className="danger" onClick={() => void remove(s)} aria-label={`Delete recurring exclusion ${s.description}`}>
                    Delete
                  </button>
                </div>
              ) : null}
              {editing === s.id ? <ScheduleForm team={team} service={service} slis={slis} initial={s} onDone={() => setEditing(null)} /> : null}
            </li>
          ))}
        </ul>
      )}
      {skipping ? (
        <ConfirmDialog
          title={`Skip the maintenance window of ${skipping.o.local.replace("T", " ")}?`}
          confirmLabel="Skip it"
          onClose={() => {
            if (skipping.opener.isConnected) skipping.opener.focus();
            setSkipping(null);
          }}
          onConfirm={async () => {
            const { o } = skipping;
            // Adding a skipped start commutes with any other edit: start from the schedule as it is now.
            const s = (await api<ExclusionScheduleView[]>(`${path(team)}?service=${encodeURIComponent(service)}`)).find((x) => x.id === skipping.s.id) ?? skipping.s;
            await api(`${path(team)}/${s.id}`, {
              method: "PATCH",
              body: { service: s.service, sli: s.sli, label: s.label, kind: s.kind, reason: s.reason, rrule: s.rrule, dtstart: s.dtstart, timeZone: s.timeZone, durationMinutes: s.durationMinutes, exdates: [...s.exdates, o.local], baseUpdatedAt: s.updatedAt },
            });
            setProblem(null);
            router.refresh();
          }}
        >
          <ul>
            <li>
              The minutes from <OccurrenceText o={skipping.o} timeZone={skipping.s.timeZone} /> for {skipping.s.durationMinutes} minutes count against the budget like any others.
            </li>
            <li>The rule and its other occurrences stay as they are; the skipped start is listed with the schedule and can be removed by editing it.</li>
          </ul>
        </ConfirmDialog>
      ) : null}
      {canEdit ? (
        <details className="add">
          <summary>New recurring exclusion</summary>
          <ScheduleForm team={team} service={service} slis={slis} />
        </details>
      ) : null}
    </>
  );
}

/** The scope select: "" every SLI of the service, "sli:<slug>", or "label" (with the selector field). */
function scopeOf(d: FormData, service: string) {
  const scope = text(d, "scope") ?? "";
  if (scope === "label") return { service: null, sli: null, label: text(d, "label") ?? "" };
  return { service, sli: scope.startsWith("sli:") ? scope.slice(4) : null, label: null };
}

export function ScheduleForm({ team, service, slis, initial, onDone }: { team: string; service: string; slis: SliView[]; initial?: ExclusionScheduleView; onDone?: () => void }) {
  const router = useRouter();
  const { timeZone } = useReaderTime();
  const id = initial ? `sch-${initial.id.slice(-6)}` : "sch-new";
  const [preview, setPreview] = useState<{ body: string; result: ExclusionSchedulePreview; timeZone: string } | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [scope, setScope] = useState(initial?.label ? "label" : initial?.sli ? `sli:${initial.sli}` : "");
  const f = useApiForm<ExclusionScheduleView>({
    path: initial ? `${path(team)}/${initial.id}` : path(team),
    method: initial ? "PATCH" : "POST",
    schema: initial ? updateExclusionScheduleSchema : createExclusionScheduleSchema,
    onDone: () => {
      setPreview(null);
      onDone?.();
      router.refresh();
    },
    created: initial ? undefined : (s) => ({ what: "recurring exclusion", name: s.description, href: `#schedule-${s.id}` }),
  });
  const bodyOf = (d: FormData) => ({
    ...scopeOf(d, service),
    kind: text(d, "kind"),
    reason: text(d, "reason"),
    rrule: text(d, "rrule"),
    dtstart: text(d, "dtstart"),
    timeZone: text(d, "timeZone"),
    durationMinutes: num(d, "durationMinutes"),
    exdates: (text(d, "exdates") ?? "")
      .split(/[\s,]+/)
      .filter(Boolean),
    ...(initial ? { baseUpdatedAt: initial.updatedAt } : {}),
  });

  async function runPreview(form: HTMLFormElement) {
    const body = bodyOf(new FormData(form));
    // The draft without the edit's version; an edit's preview counts from now.
    const { baseUpdatedAt: _base, ...fields } = body as Record<string, unknown>;
    const draft = { ...fields, ...(initial ? { edit: true } : {}) };
    const parsed = previewExclusionScheduleSchema.safeParse(draft);
    if (!parsed.success) {
      f.setErrors(fieldErrors(parsed.error));
      setPreview(null);
      return;
    }
    setPreviewing(true);
    try {
      const result = await api<ExclusionSchedulePreview>(`${path(team)}/preview`, { method: "POST", body: draft });
      f.setErrors({});
      setPreview({ body: JSON.stringify(body), result, timeZone: parsed.data.timeZone });
    } catch (e) {
      f.setErrors(e instanceof ApiError ? { ...e.fields, form: e.message } : { form: "Could not preview: the server did not answer." });
      setPreview(null);
    } finally {
      setPreviewing(false);
    }
  }

  return (
    <form
      className="stack card"
      aria-label={initial ? "Edit recurring exclusion" : "New recurring exclusion"}
      noValidate
      // Any change makes the preview stale: saving needs a preview of what is saved.
      onChange={() => setPreview(null)}
      onSubmit={(e) => {
        e.preventDefault();
        const el = e.currentTarget;
        const body = bodyOf(new FormData(el));
        if (!preview || preview.body !== JSON.stringify(body)) {
          void runPreview(el);
          return;
        }
        const p = preview.result;
        const question = initial
          ? `Save the new rule? Occurrences that have started stay as recorded; from now on ${formatCount(p.total)} occurrences up to ${p.horizonDays} days ahead follow it.`
          : `Exclude ${formatCount(p.total)} occurrences (${formatCount(p.past)} already past) from ${p.targets.length === 0 ? "no SLI yet" : `${p.targets.length} SLI scope${p.targets.length === 1 ? "" : "s"}`}? Budgets are recomputed without them.`;
        if (!window.confirm(question)) return;
        void f.submit(body).then((saved) => saved && !initial && el.reset());
      }}
    >
      {f.created !== undefined ? <CreatedStatus created={f.created} /> : null}
      <FormError errors={f.errors} onReload={() => router.refresh()} />
      <div className="grid-2">
        <SelectField id={`${id}-scope`} name="scope" label="Applies to" value={scope} onChange={(e) => setScope(e.target.value)} error={f.errors.service ?? f.errors.sli}>
          <option value="">Every SLI of the service</option>
          {slis.map((s) => (
            <option key={s.id} value={`sli:${s.slug}`}>
              {s.name}
            </option>
          ))}
          <option value="label">SLIs and SLOs of the team with a label…</option>
        </SelectField>
        <SelectField id={`${id}-kind`} name="kind" label="Kind" defaultValue={initial?.kind ?? "maintenance"} error={f.errors.kind}>
          {exclusionKinds.map((k) => (
            <option key={k} value={k}>
              {kindLabel[k]}
            </option>
          ))}
        </SelectField>
      </div>
      {scope === "label" ? <Field id={`${id}-label`} name="label" label="Label selector" hint="key=value, e.g. tier=critical" defaultValue={initial?.label ?? ""} error={f.errors.label} /> : null}
      <Field id={`${id}-rrule`} name="rrule" label="Repeats" hint="an RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=SU or FREQ=MONTHLY;BYDAY=1SU;COUNT=12" defaultValue={initial?.rrule ?? "FREQ=WEEKLY;BYDAY=SU"} error={f.errors.rrule} className="mono" required />
      <div className="grid-2">
        <Field id={`${id}-dtstart`} name="dtstart" type="datetime-local" label="First start" hint="local time in the zone below" defaultValue={initial?.dtstart} error={f.errors.dtstart} required />
        <Field id={`${id}-zone`} name="timeZone" label="Time zone" hint="IANA, e.g. Europe/Berlin" defaultValue={initial?.timeZone ?? timeZone} error={f.errors.timeZone} required />
      </div>
      <div className="grid-2">
        <Field id={`${id}-duration`} name="durationMinutes" type="number" inputMode="numeric" min={1} label="Length in minutes" defaultValue={initial?.durationMinutes ?? 120} error={f.errors.durationMinutes} required />
        <Field id={`${id}-reason`} name="reason" label="Reason" hint="why these minutes do not count" defaultValue={initial?.reason} error={f.errors.reason} required />
      </div>
      <TextAreaField
        id={`${id}-exdates`}
        name="exdates"
        label="Skip these starts (optional)"
        hint="local starts the rule gives, one per line, e.g. 2026-12-27T02:00 (RFC 5545 EXDATE)"
        defaultValue={initial?.exdates.join("\n") ?? ""}
        rows={2}
        className="mono"
        error={exdatesError(f.errors)}
      />
      {preview ? <PreviewOf p={preview.result} timeZone={preview.timeZone} /> : null}
      <div className="row">
        <button type="submit" disabled={f.pending || previewing}>
          {f.pending ? "Saving…" : previewing ? "Previewing…" : preview ? "Save…" : "Preview"}
        </button>
        {preview ? <span className="muted small">Check the occurrences above; saving asks once more.</span> : null}
      </div>
    </form>
  );
}

/** The skipped starts' error: the list's own, or the first line at fault ("exdates.2" is line 3). */
function exdatesError(errors: Record<string, string>): string | undefined {
  if (errors.exdates) return errors.exdates;
  const key = Object.keys(errors).find((k) => k.startsWith("exdates."));
  return key ? `Line ${Number(key.slice(8)) + 1}: ${errors[key]}` : undefined;
}

function PreviewOf({ p, timeZone }: { p: ExclusionSchedulePreview; timeZone: string }) {
  return (
    <section className="notice" aria-label="Preview" role="status">
      <p>
        <strong>{p.description}</strong>
      </p>
      <p>
        {formatCount(p.total)} occurrence{p.total === 1 ? "" : "s"} up to {p.horizonDays} days ahead
        {p.past > 0 ? <>, of which {formatCount(p.past)} already started: saving excludes those too</> : null}. Applies to{" "}
        {p.targets.length === 0 ? "no SLI now" : p.targets.map((t) => (t.sli ? `${t.service}/${t.sli}` : `every SLI of ${t.service}`)).join(", ")}.
      </p>
      {p.unmatchedExdates.length ? (
        <p className="alert">
          No occurrence starts at {p.unmatchedExdates.map((x) => x.replace("T", " ")).join(", ")} (local time): {p.unmatchedExdates.length === 1 ? "that skipped start skips" : "those skipped starts skip"} nothing. Check the time.
        </p>
      ) : null}
      {p.next.length ? (
        <ol className="small">
          {p.next.map((o) => (
            <li key={o.startsAt}>
              <OccurrenceText o={o} timeZone={timeZone} />
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">No occurrence from now on.</p>
      )}
    </section>
  );
}
