"use client";
// A team's notification channels: where burn-rate alert changes are sent (team admins).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { createChannelSchema } from "@/lib/schemas/notifications";
import type { ChannelView } from "@/lib/schemas/views";
import { api } from "./api";
import { Field } from "./field";
import { ApiForm, SelectField, text, useApiForm } from "./form-kit";

export function ChannelManager({ team }: { team: string }) {
  const qc = useQueryClient();
  const path = `/api/v1/teams/${team}/notification-channels`;
  const key = ["channels", team];
  const channels = useQuery({ queryKey: key, queryFn: () => api<ChannelView[]>(path) });
  const [kind, setKind] = useState<"slack" | "pagerduty">("slack");
  const f = useApiForm({ path, schema: createChannelSchema, onDone: () => void qc.invalidateQueries({ queryKey: key }) });
  const remove = useMutation({ mutationFn: (id: string) => api(`${path}/${id}`, { method: "DELETE" }), onSuccess: () => void qc.invalidateQueries({ queryKey: key }) });
  return (
    <>
      {channels.data && channels.data.length > 0 ? (
        <ul className="card plain-list">
          {channels.data.map((c) => (
            <li key={c.id} className="row">
              <span>
                <strong>{c.name}</strong> · {c.kind === "slack" ? "Slack-compatible webhook" : "PagerDuty"} to <span className="mono">{c.destination}</span>
              </span>
              <span className="spacer" />
              <button type="button" className="danger" onClick={() => window.confirm(`Remove the channel ${c.name}? It hears of no alert from now on.`) && remove.mutate(c.id)} aria-label={`Remove channel ${c.name}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : channels.isSuccess ? (
        <p className="card muted">No channels: burn-rate alerts show on the dashboard only.</p>
      ) : null}
      <ApiForm
        label="New notification channel"
        form={f}
        toBody={(d) => ({ name: text(d, "name"), kind, ...(kind === "slack" ? { url: text(d, "url") } : { routingKey: text(d, "routingKey") }) })}
        submit="Add channel"
        pendingText="Adding…"
      >
        <div className="grid-2">
          <Field id="ch-name" name="name" label="Channel name" hint="e.g. #payments-oncall" error={f.errors.name} />
          <SelectField id="ch-kind" label="Kind" value={kind} onChange={(e) => setKind(e.target.value as "slack" | "pagerduty")}>
            <option value="slack">Slack-compatible webhook</option>
            <option value="pagerduty">PagerDuty (Events API v2)</option>
          </SelectField>
        </div>
        {kind === "slack" ? (
          <Field id="ch-url" name="url" label="Webhook URL" hint="stored, never shown again" autoComplete="off" error={f.errors.url} />
        ) : (
          <Field id="ch-key" name="routingKey" label="Routing key" hint="stored, never shown again" autoComplete="off" error={f.errors.routingKey} />
        )}
      </ApiForm>
    </>
  );
}
