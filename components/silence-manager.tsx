"use client";
// Silences of burn-rate alert messages (docs/silences.md): those in force and coming, a form for
// editors to silence an SLO, a service or a label (asked to confirm), and a button to end one.
// On an SLO's page it is fixed to that SLO; on the team page it names what to silence.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createSilenceSchema, type SilenceView } from "@/lib/schemas/silences";
import { api } from "./api";
import { Field } from "./field";
import { ApiForm, SelectField, TextAreaField, instant, text, useApiForm } from "./form-kit";
import { Time } from "./time";

type Fixed = { service: string; slo: string; name: string };

const what = (x: SilenceView) =>
  [x.slo ? `SLO ${x.slo.name}` : x.service ? `every SLO of ${x.service.name}` : null, x.label ? `SLOs labelled ${x.label.key}=${x.label.value}${x.service && !x.slo ? ` in ${x.service.name}` : ""}` : null]
    .filter(Boolean)
    .join(", ");

export function SilenceManager({ team, services = [], fixed, canManage }: { team: string; services?: { slug: string; name: string }[]; fixed?: Fixed; canManage: boolean }) {
  const qc = useQueryClient();
  const path = `/api/v1/teams/${team}/silences`;
  const key = ["silences", team];
  const list = useQuery({ queryKey: key, queryFn: () => api<SilenceView[]>(path), refetchInterval: 60_000 });
  const refresh = () => void qc.invalidateQueries({ queryKey: key });
  const f = useApiForm<SilenceView>({ path, schema: createSilenceSchema, onDone: refresh });
  const end = useMutation({ mutationFn: (id: string) => api(`${path}/${id}/end`, { method: "POST" }), onSuccess: refresh });
  const now = Date.now();
  // On an SLO's page: the silences that name it or its whole service (label silences are on the team page).
  const names = (x: SilenceView) => !fixed || (x.service?.slug === fixed.service && (x.slo ? x.slo.slug === fixed.slo : !x.label));
  const open = (list.data ?? []).filter((x) => Date.parse(x.endsAt) > now && names(x));
  // From the moment the form is sent, not when the page was drawn.
  const hours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
  return (
    <>
      {open.length > 0 ? (
        <ul className="card plain-list" aria-label="Silences in force and coming">
          {open.map((x) => (
            <li key={x.id} className="row">
              <span>
                <strong>{x.active ? "Silenced now" : "Coming"}</strong> · {what(x)} · <Time at={x.startsAt} /> – <Time at={x.endsAt} />
                <div className="small">
                  {x.reason}
                  {x.createdBy ? <span className="muted"> · by {x.createdBy}</span> : null}
                </div>
              </span>
              <span className="spacer" />
              {canManage ? (
                <button type="button" className="secondary" onClick={() => window.confirm(`End the silence "${x.reason}"? Alert changes of what it covers are sent again from now on.`) && end.mutate(x.id)} aria-label={`End silence "${x.reason}"`}>
                  End silence
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : list.isSuccess ? (
        <p className="card muted">{fixed ? "No silence names this SLO or its service (silences by label are on the team page)." : "No silence in force or coming."}</p>
      ) : null}
      {canManage ? (
        <details className="add">
          <summary>{fixed ? "Silence this SLO's alerts" : "Silence alerts"}</summary>
          <ApiForm
            label={fixed ? `Silence the alerts of ${fixed.name}` : "Silence alerts"}
            form={f}
            toBody={(d) => {
              const preset = text(d, "for");
              const labelKey = text(d, "labelKey");
              return {
                ...(fixed ? { service: fixed.service, slo: fixed.slo } : { service: text(d, "service"), slo: text(d, "slo"), ...(labelKey ? { label: { key: labelKey, value: text(d, "labelValue") ?? "" } } : {}) }),
                reason: text(d, "reason"),
                startsAt: instant(d, "startsAt"),
                endsAt: preset && preset !== "custom" ? hours(Number(preset)) : instant(d, "endsAt"),
              };
            }}
            submit="Silence"
            confirm="Silence these alerts? Their changes are still recorded, but nobody is notified until the silence ends. An open incident naming an SLO takes its alerts anyway."
            pendingText="Silencing…"
          >
            <div className="grid-2">
              {fixed ? null : (
                <>
                  <SelectField id="si-service" name="service" label="Service" hint="with no SLO: every SLO of it" error={f.errors.service} defaultValue="">
                    <option value="">Any service (then name a label)</option>
                    {services.map((s) => (
                      <option key={s.slug} value={s.slug}>
                        {s.name}
                      </option>
                    ))}
                  </SelectField>
                  <Field id="si-slo" name="slo" label="SLO" hint="its slug; empty: every SLO" error={f.errors.slo} />
                  <Field id="si-label-key" name="labelKey" label="Label" hint="e.g. tier; matches the SLO's or its service's labels" error={f.errors["label.key"] ?? f.errors.label} />
                  <Field id="si-label-value" name="labelValue" label="Label value" hint="e.g. gold" error={f.errors["label.value"]} />
                </>
              )}
              <SelectField id="si-for" name="for" label="For" error={f.errors.endsAt} defaultValue="1">
                <option value="1">1 hour</option>
                <option value="4">4 hours</option>
                <option value="24">1 day</option>
                <option value="custom">Until the time below</option>
              </SelectField>
              <Field id="si-start" name="startsAt" type="datetime-local" label="Starts" hint="empty: now" error={f.errors.startsAt} />
              <Field id="si-end" name="endsAt" type="datetime-local" label="Ends" hint="with “until the time below”; at most 14 days" />
            </div>
            <TextAreaField id="si-reason" name="reason" label="Reason" rows={2} placeholder="e.g. planned failover test" error={f.errors.reason} />
          </ApiForm>
        </details>
      ) : null}
    </>
  );
}
