"use client";
// A team's notification channels: where burn-rate alert changes and team messages are sent (team admins):
// Slack-compatible webhooks, PagerDuty and email (SMTP).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { channelKinds, createChannelSchema } from "@/lib/schemas/notifications";
import type { ChannelView } from "@/lib/schemas/views";
import { api } from "./api";
import { Field } from "./field";
import { ApiForm, SelectField, text, useApiForm } from "./form-kit";

type Kind = (typeof channelKinds)[number];
const kindLabel: Record<Kind, string> = { slack: "Slack-compatible webhook", pagerduty: "PagerDuty", email: "Email" };

/** The first error about the recipients: the list's own, or one address's ("to.1" is the second). */
function recipientsError(errors: Record<string, string>): string | undefined {
  if (errors.to) return errors.to;
  const key = Object.keys(errors).find((k) => k.startsWith("to."));
  return key ? `Recipient ${Number(key.slice(3)) + 1}: ${errors[key]}` : undefined;
}

export function ChannelManager({ team }: { team: string }) {
  const qc = useQueryClient();
  const path = `/api/v1/teams/${team}/notification-channels`;
  const key = ["channels", team];
  const channels = useQuery({ queryKey: key, queryFn: () => api<ChannelView[]>(path) });
  const [kind, setKind] = useState<Kind>("slack");
  const f = useApiForm({ path, schema: createChannelSchema, onDone: () => void qc.invalidateQueries({ queryKey: key }) });
  const remove = useMutation({ mutationFn: (id: string) => api(`${path}/${id}`, { method: "DELETE" }), onSuccess: () => void qc.invalidateQueries({ queryKey: key }) });
  return (
    <>
      {channels.data && channels.data.length > 0 ? (
        <ul className="card plain-list">
          {channels.data.map((c) => (
            <li key={c.id} className="row">
              <span>
                <strong>{c.name}</strong> · {kindLabel[c.kind as Kind] ?? c.kind} to <span className="mono">{c.destination}</span>
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
        toBody={(d) => ({
          name: text(d, "name"),
          kind,
          ...(kind === "slack"
            ? { url: text(d, "url") }
            : kind === "email"
              ? {
                  url: text(d, "url"),
                  from: text(d, "from"),
                  to: (text(d, "to") ?? "")
                    .split(/[\s,;]+/)
                    .filter(Boolean),
                }
              : { routingKey: text(d, "routingKey") }),
        })}
        submit="Add channel"
        pendingText="Adding…"
      >
        <div className="grid-2">
          <Field id="ch-name" name="name" label="Channel name" hint="e.g. #payments-oncall" error={f.errors.name} />
          <SelectField id="ch-kind" label="Kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            <option value="slack">Slack-compatible webhook</option>
            <option value="pagerduty">PagerDuty (Events API v2)</option>
            <option value="email">Email (SMTP)</option>
          </SelectField>
        </div>
        {kind === "email" ? (
          <>
            <Field id="ch-smtp" name="url" label="SMTP server" hint="smtp://mail.example.com:587 (STARTTLS) or smtps://…:465; credentials as smtp://user:password@host. Stored, never shown again" autoComplete="off" error={f.errors.url} />
            <div className="grid-2">
              <Field id="ch-from" name="from" type="email" label="From" hint="e.g. burnrate@example.com" error={f.errors.from} />
              <Field id="ch-to" name="to" label="To" hint="addresses separated by commas, at most 20" error={recipientsError(f.errors)} />
            </div>
          </>
        ) : kind === "slack" ? (
          <Field id="ch-url" name="url" label="Webhook URL" hint="stored, never shown again" autoComplete="off" error={f.errors.url} />
        ) : (
          <Field id="ch-key" name="routingKey" label="Routing key" hint="stored, never shown again" autoComplete="off" error={f.errors.routingKey} />
        )}
      </ApiForm>
    </>
  );
}
