"use client";
// Manual freezes (a holiday freeze, an incident freeze): current and coming ones, a form for team
// admins to declare one, and a button to cancel one.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createFreezeSchema } from "@/lib/schemas/gate";
import type { FreezeView } from "@/lib/schemas/views";
import { formatFreezeEnvironment } from "@/lib/domain/format";
import { api } from "./api";
import { Field } from "./field";
import { ApiForm, SelectField, TextAreaField, instant, text, useApiForm } from "./form-kit";
import { Time } from "./time";

export function FreezeManager({ team, services, canManage }: { team: string; services: { slug: string; name: string }[]; canManage: boolean }) {
  const qc = useQueryClient();
  const path = `/api/v1/teams/${team}/freezes`;
  const list = useQuery({ queryKey: ["freezes", team], queryFn: () => api<FreezeView[]>(path), refetchInterval: 60_000 });
  const refresh = () => void qc.invalidateQueries({ queryKey: ["freezes", team] });
  const f = useApiForm<FreezeView>({ path, schema: createFreezeSchema, onDone: refresh });
  const cancel = useMutation({ mutationFn: (id: string) => api(`${path}/${id}`, { method: "DELETE" }), onSuccess: refresh });
  const open = list.data?.filter((x) => !x.cancelledAt && new Date(x.endsAt) > new Date()) ?? [];
  return (
    <>
      {open.length > 0 ? (
        <ul className="card plain-list" aria-label="Current and coming freezes">
          {open.map((x) => (
            <li key={x.id} className="row">
              <span>
                <strong>{x.active ? "Frozen now" : "Coming"}</strong> · {x.service?.name ?? "every service"} · {formatFreezeEnvironment(x.environment)} · <Time at={x.startsAt} /> – <Time at={x.endsAt} />
                <div className="small">{x.reason}</div>
              </span>
              <span className="spacer" />
              {canManage ? (
                <button type="button" className="danger" onClick={() => window.confirm(`Cancel the freeze "${x.reason}"? Deploys it holds are judged by the budget again at once.`) && cancel.mutate(x.id)} aria-label={`Cancel freeze "${x.reason}"`}>
                  Cancel freeze
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : list.isSuccess ? (
        <p className="card muted">No freeze declared.</p>
      ) : null}
      {canManage ? (
        <details className="add">
          <summary>Declare a freeze</summary>
          <ApiForm
            label="Declare a freeze"
            form={f}
            toBody={(d) => ({ service: text(d, "service") ?? null, environment: text(d, "environment") ?? null, reason: text(d, "reason"), startsAt: instant(d, "startsAt") ?? new Date().toISOString(), endsAt: instant(d, "endsAt") })}
            submit="Declare freeze"
            confirm="Declare this freeze? While it lasts the gate denies feature deploys of the services it covers."
            pendingText="Declaring…"
          >
            <div className="grid-2">
              <SelectField id="fz-service" name="service" label="Services" error={f.errors.service} defaultValue="">
                <option value="">Every service of the team</option>
                {services.map((s) => (
                  <option key={s.slug} value={s.slug}>
                    {s.name}
                  </option>
                ))}
              </SelectField>
              <Field id="fz-env" name="environment" label="Environment" hint="empty: every gated environment" error={f.errors.environment} />
              <Field id="fz-start" name="startsAt" type="datetime-local" label="Starts" hint="empty: now" error={f.errors.startsAt} />
              <Field id="fz-end" name="endsAt" type="datetime-local" label="Ends" error={f.errors.endsAt} />
            </div>
            <TextAreaField id="fz-reason" name="reason" label="Reason" rows={2} placeholder="e.g. holiday freeze" error={f.errors.reason} />
          </ApiForm>
        </details>
      ) : null}
    </>
  );
}
