"use client";
// Overrides of a team (or one service): active ones with who approved them and until when, a
// form for team admins to grant one, and a button to end one early.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createOverrideSchema } from "@/lib/schemas/gate";
import type { OverrideView } from "@/lib/schemas/views";
import { api } from "./api";
import { Field } from "./field";
import { ApiForm, SelectField, TextAreaField, num, text, useApiForm } from "./form-kit";
import { Time } from "./time";

export function OverrideManager({ team, services, service, canManage, maxHours }: { team: string; services: { slug: string; name: string }[]; service?: string; canManage: boolean; maxHours: number }) {
  const qc = useQueryClient();
  const path = `/api/v1/teams/${team}/overrides`;
  const key = ["overrides", team, service ?? ""];
  const list = useQuery({ queryKey: key, queryFn: () => api<OverrideView[]>(`${path}${service ? `?service=${service}` : ""}`), refetchInterval: 30_000 });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ["overrides", team] });
    void qc.invalidateQueries({ queryKey: ["decisions", team] });
  };
  const f = useApiForm<OverrideView>({ path, schema: createOverrideSchema, onDone: refresh });
  const revoke = useMutation({ mutationFn: (id: string) => api(`${path}/${id}`, { method: "DELETE" }), onSuccess: refresh });
  const active = list.data?.filter((o) => o.active) ?? [];
  const ended = list.data?.filter((o) => !o.active).slice(0, 5) ?? [];
  return (
    <>
      {active.length > 0 ? (
        <ul className="card plain-list" aria-label="Active overrides">
          {active.map((o) => (
            <li key={o.id} className="row">
              <span>
                <strong>{o.service.name}</strong> · {o.environment ?? "every environment"} · until <Time at={o.expiresAt} />
                <div className="small">
                  Approved by {o.approvedBy}
                  {o.escalatedTo ? `, escalated to ${o.escalatedTo}` : ""}
                  {o.grantedBy ? ` · granted by ${o.grantedBy}` : ""}: {o.reason}
                </div>
              </span>
              <span className="spacer" />
              {canManage ? (
                <button type="button" className="danger" onClick={() => window.confirm(`End the override of ${o.service.name} now? From the next call its deploys are judged by the policy again.`) && revoke.mutate(o.id)} aria-label={`End now the override of ${o.service.name}`}>
                  End now
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : list.isSuccess ? (
        <p className="card muted">No active override: the policy decides every deploy.</p>
      ) : null}
      {ended.length > 0 ? (
        <details>
          <summary>Ended overrides</summary>
          <ul className="card plain-list">
            {ended.map((o) => (
              <li key={o.id} className="small">
                {o.service.name} · {o.environment ?? "every environment"} · {o.revokedAt ? <>ended early <Time at={o.revokedAt} /></> : <>expired <Time at={o.expiresAt} /></>} · {o.approvedBy}: {o.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {canManage ? (
        <details className="add">
          <summary>Grant an override</summary>
          <ApiForm
            label="Grant an override"
            form={f}
            confirm="Grant this override? Until it expires the gate lets through deploys the policy would deny (recorded in the audit log and announced to the team's channels)."
            toBody={(d) => {
              const hours = num(d, "hours");
              return {
                service: service ?? text(d, "service"),
                environment: text(d, "environment") ?? null,
                reason: text(d, "reason"),
                approvedBy: text(d, "approvedBy"),
                escalatedTo: text(d, "escalatedTo") ?? null,
                expiresAt: typeof hours === "number" ? new Date(Date.now() + hours * 3_600_000).toISOString() : hours,
              };
            }}
            submit="Grant override"
            pendingText="Granting…"
          >
            <div className="grid-2">
              {service ? null : (
                <SelectField id="ov-service" name="service" label="Service" error={f.errors.service} defaultValue="">
                  <option value="" disabled>
                    Choose a service
                  </option>
                  {services.map((s) => (
                    <option key={s.slug} value={s.slug}>
                      {s.name}
                    </option>
                  ))}
                </SelectField>
              )}
              <Field id="ov-env" name="environment" label="Environment" hint="empty: every environment" placeholder="production" error={f.errors.environment} />
              <Field id="ov-hours" name="hours" label="Expires in (hours)" hint={`at most ${maxHours}`} inputMode="numeric" defaultValue="4" error={f.errors.expiresAt} />
              <Field id="ov-approved" name="approvedBy" label="Approved by" hint="who agreed to it" error={f.errors.approvedBy} />
              <Field id="ov-escalated" name="escalatedTo" label="Escalated to" hint="needed to lift a halt" error={f.errors.escalatedTo} />
            </div>
            <TextAreaField id="ov-reason" name="reason" label="Reason" rows={2} error={f.errors.reason} />
          </ApiForm>
        </details>
      ) : null}
    </>
  );
}
