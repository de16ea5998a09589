"use client";
// The form that creates a grouped SLO (docs/grouped-slos.md), validated with the API's schema.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { createGroupSchema } from "@/lib/schemas/slo-groups";
import type { GroupView } from "@/lib/schemas/slo-groups";
import { Field } from "./field";
import { ApiForm, num, SelectField, text, TextAreaField, useApiForm } from "./form-kit";

export function GroupForm({ team, service }: { team: string; service: string }) {
  const router = useRouter();
  const [kind, setKind] = useState<"request_ratio" | "latency">("request_ratio");
  const [source, setSource] = useState<"push" | "prometheus">("push");
  const f = useApiForm<GroupView>({
    path: `/api/v1/teams/${team}/services/${service}/groups`,
    schema: createGroupSchema,
    onDone: () => router.refresh(),
    created: (g) => ({ what: "grouped SLO", name: g.name, href: `/teams/${team}/services/${service}/groups/${g.slug}`, next: "Its members appear as data arrives for each value of the label." }),
  });
  return (
    <ApiForm
      label="New grouped SLO"
      form={f}
      toBody={(d) => ({
        slug: text(d, "slug"),
        name: text(d, "name"),
        description: text(d, "description") ?? "",
        labelKey: text(d, "labelKey"),
        kind,
        ...(kind === "latency" ? { latencyThresholdMs: num(d, "latencyThresholdMs") } : {}),
        objective: text(d, "objective"),
        window: { kind: "rolling", days: num(d, "days") },
        maxMembers: num(d, "maxMembers") ?? 100,
        idleDays: num(d, "idleDays") ?? 7,
        ...(source === "prometheus" ? { prometheus: { url: text(d, "url"), badQuery: text(d, "badQuery"), totalQuery: text(d, "totalQuery") } } : {}),
      })}
      submit="Create grouped SLO"
      pendingText="Creating…"
    >
      <div className="grid-2">
        <Field id="group-name" name="name" label="Name" hint="e.g. Checkout latency by region" error={f.errors.name} required />
        <Field id="group-slug" name="slug" label="Short name" hint="lowercase, e.g. latency-by-region" error={f.errors.slug} required />
      </div>
      <div className="grid-2">
        <Field id="group-label" name="labelKey" label="Label" hint="one SLO per value of it, e.g. region" error={f.errors.labelKey} required />
        <SelectField id="group-kind" name="kind" label="Kind of SLI" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} error={f.errors.kind}>
          <option value="request_ratio">Request ratio</option>
          <option value="latency">Latency</option>
        </SelectField>
      </div>
      {kind === "latency" ? <Field id="group-threshold" name="latencyThresholdMs" label="Latency threshold (ms)" inputMode="numeric" error={f.errors.latencyThresholdMs} required /> : null}
      <div className="grid-2">
        <Field id="group-objective" name="objective" label="Objective" hint='"99.9%" or "0.999"' error={f.errors.objective} required />
        <Field id="group-days" name="days" label="Window (days, rolling)" inputMode="numeric" defaultValue="28" error={f.errors["window.days"] ?? f.errors.window} />
      </div>
      <div className="grid-2">
        <Field id="group-max" name="maxMembers" label="Most members" hint="new values over it are refused (at most 1,000)" inputMode="numeric" defaultValue="100" error={f.errors.maxMembers} />
        <Field id="group-idle" name="idleDays" label="Archive idle members after (days)" hint="data arriving again restores them" inputMode="numeric" defaultValue="7" error={f.errors.idleDays} />
      </div>
      <fieldset>
        <legend>Data</legend>
        <div className="checks">
          <label>
            <input type="radio" name="source" checked={source === "push"} onChange={() => setSource("push")} /> Pushed, with the label on each item
          </label>
          <label>
            <input type="radio" name="source" checked={source === "prometheus"} onChange={() => setSource("prometheus")} /> Prometheus, queries aggregated by the label
          </label>
        </div>
        {source === "prometheus" ? (
          <>
            <Field id="group-url" name="url" label="Prometheus URL" hint="e.g. http://prometheus:9090" error={f.errors["prometheus.url"] ?? f.errors.prometheus} required />
            <Field id="group-bad" name="badQuery" label="Bad events per minute" hint='e.g. sum by (region) (increase(http_requests_total{code=~"5.."}[1m]))' error={f.errors["prometheus.badQuery"] ?? f.errors["prometheus.goodQuery"]} required />
            <Field id="group-total" name="totalQuery" label="Total events per minute" hint="e.g. sum by (region) (increase(http_requests_total[1m]))" error={f.errors["prometheus.totalQuery"]} required />
          </>
        ) : null}
      </fieldset>
      <TextAreaField id="group-description" name="description" label="Description" hint="optional" rows={2} error={f.errors.description} />
    </ApiForm>
  );
}
