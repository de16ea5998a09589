"use client";
// Forms for services, SLIs, SLOs and exclusions, validated with the same schemas as the API.
import { WindowFields, windowFromForm } from "./window-fields";
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { createExclusionSchema, createServiceSchema, createSliSchema, createSloSchema, exclusionKinds, updateServiceSchema, updateSliSchema, updateSloSchema } from "@/lib/schemas/catalog";
import { formatObjective } from "@/lib/domain/format";
import type { SliView, SloView } from "@/lib/schemas/views";
import { Field } from "./field";
import { ApiForm, instant, num, SelectField, text, TextAreaField, useApiForm } from "./form-kit";
import { HistogramFields, histogramOf, PrometheusFields, prometheusOf, ThresholdFields, thresholdOf, type DataSourceChoice } from "./sli-source-fields";

const teamPath = (team: string) => `/api/v1/teams/${team}`;

export function ServiceForm({ team }: { team: string }) {
  const router = useRouter();
  const f = useApiForm<{ slug: string; name: string }>({
    path: `${teamPath(team)}/services`,
    schema: createServiceSchema,
    onDone: () => router.refresh(),
    created: (s) => ({ what: "service", name: s.name, href: `/teams/${team}/services/${s.slug}`, next: "Open it to add its SLIs and SLOs." }),
  });
  return (
    <ApiForm
      label="New service"
      form={f}
      toBody={(d) => ({ slug: text(d, "slug"), name: text(d, "name"), description: text(d, "description") ?? "" })}
      submit="Create service"
      pendingText="Creating…"
    >
      <div className="grid-2">
        <Field id="svc-name" name="name" label="Name" hint="e.g. Payments API" error={f.errors.name} required />
        <Field id="svc-slug" name="slug" label="Short name" hint="lowercase, used in links and the API, e.g. payments-api" error={f.errors.slug} required />
      </div>
      <TextAreaField id="svc-description" name="description" label="Description" hint="optional" rows={2} error={f.errors.description} />
    </ApiForm>
  );
}

export function ServiceEditForm({ team, service }: { team: string; service: { slug: string; name: string; description: string; githubRepository: string | null; updatedAt: string } }) {
  const router = useRouter();
  const f = useApiForm({ path: `${teamPath(team)}/services/${service.slug}`, method: "PATCH", schema: updateServiceSchema, onDone: () => router.refresh() });
  return (
    <ApiForm
      key={service.updatedAt}
      label="Edit service"
      form={f}
      onReload={() => (f.setErrors({}), router.refresh())}
      toBody={(d) => ({ name: text(d, "name"), description: text(d, "description") ?? "", githubRepository: text(d, "githubRepository") ?? null, baseUpdatedAt: service.updatedAt })}
      submit="Save changes"
      pendingText="Saving…"
    >
      <Field id="svc-edit-name" name="name" label="Name" defaultValue={service.name} error={f.errors.name} required />
      <TextAreaField id="svc-edit-description" name="description" label="Description" rows={2} defaultValue={service.description} error={f.errors.description} />
      <Field id="svc-edit-github" name="githubRepository" label="GitHub repository" hint="owner/name: its deployments ask the gate" defaultValue={service.githubRepository ?? ""} error={f.errors.githubRepository} />
    </ApiForm>
  );
}

type SliKind = "request_ratio" | "latency" | "time_slice";

export function SliForm({ team, service, dataSources }: { team: string; service: string; dataSources: readonly DataSourceChoice[] }) {
  const router = useRouter();
  const [kind, setKind] = useState<SliKind>("request_ratio");
  const [source, setSource] = useState<"push" | "prometheus" | "histogram" | "threshold">("push");
  const f = useApiForm<SliView>({
    path: `${teamPath(team)}/services/${service}/slis`,
    schema: createSliSchema,
    // The form resets; so do the choices it holds itself (the source's fields unmount).
    onDone: () => (setKind("request_ratio"), setSource("push"), router.refresh()),
    created: (s) => ({ what: "SLI", name: s.name, href: `#sli-${s.slug}`, next: "Next: an SLO on it." }),
  });

  return (
    <ApiForm
      label="New SLI"
      form={f}
      toBody={(d) => {
        return {
          slug: text(d, "slug"),
          name: text(d, "name"),
          description: text(d, "description") ?? "",
          kind,
          ...(kind === "latency" && source !== "histogram" ? { latencyThresholdMs: num(d, "latencyThresholdMs") } : {}),
          ...(kind === "time_slice" ? { sliceMinutes: num(d, "sliceMinutes"), sliceTarget: text(d, "sliceTarget") } : {}),
          ...(source === "prometheus" ? { prometheus: prometheusOf(d) } : {}),
          ...(source === "histogram" ? { histogram: histogramOf(d) } : {}),
          ...(source === "threshold" ? { threshold: thresholdOf(d) } : {}),
        };
      }}
      submit="Create SLI"
      pendingText="Creating…"
    >
      <div className="grid-2">
        <Field id="sli-name" name="name" label="Name" hint="e.g. Non-5xx responses" error={f.errors.name} required />
        <Field id="sli-slug" name="slug" label="Short name" hint="lowercase, e.g. availability" error={f.errors.slug} required />
      </div>
      <SelectField id="sli-kind" label="Kind" value={kind} onChange={(e) => setKind(e.target.value as SliKind)} error={f.errors.kind}>
        <option value="request_ratio">Request ratio: good / valid events</option>
        <option value="latency">Latency: requests faster than a threshold / all</option>
        <option value="time_slice">Time slices: minutes meeting a target / all</option>
      </SelectField>
      <KindFields kind={kind} histogram={source === "histogram"} errors={f.errors} prefix="sli" />
      <fieldset>
        <legend>Where the data comes from</legend>
        <div className="checks">
          <label>
            <input type="radio" name="source" value="push" checked={source === "push"} onChange={() => setSource("push")} /> Pushed to the ingest API
          </label>
          <label>
            <input type="radio" name="source" value="prometheus" checked={source === "prometheus"} onChange={() => setSource("prometheus")} /> Pulled from Prometheus, Thanos, Mimir or VictoriaMetrics
          </label>
          <label>
            <input type="radio" name="source" value="histogram" checked={source === "histogram"} onChange={() => (setSource("histogram"), kind === "request_ratio" && setKind("latency"))} /> A latency histogram in Prometheus (classic or native)
          </label>
          <label>
            <input type="radio" name="source" value="threshold" checked={source === "threshold"} onChange={() => setSource("threshold")} /> A value per minute in Prometheus, good below or above a threshold
          </label>
        </div>
      </fieldset>
      {source === "prometheus" ? <PrometheusFields team={team} errors={f.errors} setErrors={f.setErrors} dataSources={dataSources} /> : null}
      {source === "histogram" ? <HistogramFields team={team} errors={f.errors} setErrors={f.setErrors} dataSources={dataSources} /> : null}
      {source === "threshold" ? <ThresholdFields errors={f.errors} dataSources={dataSources} /> : null}
      <TextAreaField id="sli-description" name="description" label="Description" hint="optional" rows={2} error={f.errors.description} />
    </ApiForm>
  );
}

/** A latency SLI's threshold (not a histogram's: its bucket bound is the threshold), a time-slice SLI's slices. */
function KindFields({ kind, histogram, errors, prefix, initial }: { kind: SliKind; histogram: boolean; errors: Record<string, string>; prefix: string; initial?: SliView }) {
  if (kind === "latency" && !histogram) return <Field id={`${prefix}-threshold`} name="latencyThresholdMs" label="Threshold (ms)" inputMode="numeric" defaultValue={initial?.latencyThresholdMs ?? undefined} error={errors.latencyThresholdMs} />;
  if (kind !== "time_slice") return null;
  return (
    <div className="grid-2">
      <Field id={`${prefix}-slice`} name="sliceMinutes" label="Slice length (minutes)" inputMode="numeric" defaultValue={initial?.sliceMinutes ?? undefined} error={errors.sliceMinutes} />
      <Field id={`${prefix}-slice-target`} name="sliceTarget" label="A slice is good at" hint='e.g. "99%"' defaultValue={initial?.sliceTarget ?? undefined} error={errors.sliceTarget} />
    </div>
  );
}

/**
 * Edit an SLI: its name and description, and how it is measured (same source, same kind). A new
 * measure starts a new version: the SLO pages show history before it as measured then.
 */
export function SliEditForm({ team, service, sli, dataSources }: { team: string; service: string; sli: SliView; dataSources: readonly DataSourceChoice[] }) {
  const router = useRouter();
  const prom = sli.prometheus;
  const source = prom === null ? "push" : prom.histogram ? "histogram" : prom.threshold ? "threshold" : "prometheus";
  // Saved: back to the list, which says so (the service page reads ?saved-sli).
  const f = useApiForm<SliView>({ path: `${teamPath(team)}/services/${service}/slis/${sli.slug}`, method: "PATCH", schema: updateSliSchema, onDone: (s) => router.push(`?saved-sli=${encodeURIComponent(s.slug)}#slis`) });
  const prefix = `sli-edit-${sli.slug}`;
  return (
    <ApiForm
      key={sli.updatedAt}
      label={`Edit SLI ${sli.name}`}
      form={f}
      onReload={() => (f.setErrors({}), router.refresh())}
      toBody={(d) => ({
        name: text(d, "name"),
        description: text(d, "description") ?? "",
        ...(sli.kind === "latency" && source !== "histogram" ? { latencyThresholdMs: num(d, "latencyThresholdMs") } : {}),
        ...(sli.kind === "time_slice" ? { sliceMinutes: num(d, "sliceMinutes"), sliceTarget: text(d, "sliceTarget") } : {}),
        ...(source === "prometheus" ? { prometheus: prometheusOf(d, true) } : {}),
        ...(source === "histogram" ? { histogram: histogramOf(d, true) } : {}),
        ...(source === "threshold" ? { threshold: thresholdOf(d, true) } : {}),
        baseUpdatedAt: sli.updatedAt,
      })}
      submit="Save changes"
      pendingText="Saving…"
    >
      <p className="muted small">
        Its short name <span className="mono">{sli.slug}</span> and its kind stay (another kind is a new SLI).{" "}
        {source === "push"
          ? `Its data is pushed as ${service}/${sli.slug}: what counts as good is decided by the pusher.`
          : "A new query, server or threshold applies from now on: minutes already stored keep the definition they were measured with, and each SLO's page offers to read them again."}
      </p>
      <Field id={`${prefix}-name`} name="name" label="Name" defaultValue={sli.name} error={f.errors.name} required />
      <KindFields kind={sli.kind} histogram={source === "histogram"} errors={f.errors} prefix={prefix} initial={sli} />
      {source === "prometheus" ? <PrometheusFields team={team} errors={f.errors} setErrors={f.setErrors} prefix={prefix} initial={prom} dataSources={dataSources} /> : null}
      {source === "histogram" ? <HistogramFields team={team} errors={f.errors} setErrors={f.setErrors} prefix={prefix} initial={prom} dataSources={dataSources} /> : null}
      {source === "threshold" ? <ThresholdFields errors={f.errors} prefix={prefix} initial={prom} dataSources={dataSources} /> : null}
      <TextAreaField id={`${prefix}-description`} name="description" label="Description" rows={2} defaultValue={sli.description} error={f.errors.description} />
    </ApiForm>
  );
}

type WindowKind = "rolling" | "calendar";

/** Create an SLO (no `slo` given) or edit one (name, objective, window, guard, description). */
export function SloForm({ team, service, slis, slo }: { team: string; service: string; slis: SliView[]; slo?: SloView }) {
  const router = useRouter();
  const qc = useQueryClient();
  const [windowKind, setWindowKind] = useState<WindowKind>(slo?.window.kind ?? "rolling");
  const base = `${teamPath(team)}/services/${service}/slos`;
  const f = useApiForm<SloView>({
    path: slo ? `${base}/${slo.slug}` : base,
    method: slo ? "PATCH" : "POST",
    schema: slo ? updateSloSchema : createSloSchema,
    // An edit changes numbers the page's queries hold: refetch them, and the server parts.
    onDone: () => {
      if (slo) void qc.invalidateQueries();
      router.refresh();
    },
    created: slo ? undefined : (s) => ({ what: "SLO", name: s.name, href: `/teams/${team}/services/${service}/slos/${s.slug}`, next: "Open it to see how to send its data." }),
  });
  if (!slo && slis.length === 0) return <p className="card muted">Create an SLI first: an SLO sets an objective for one SLI.</p>;
  const objectiveText = slo ? formatObjective(slo.objective) : "";
  return (
    <ApiForm
      label={slo ? "Edit SLO" : "New SLO"}
      form={f}
      toBody={(d) => {
        const window = windowFromForm(d, windowKind);
        const common = { name: text(d, "name"), description: text(d, "description") ?? "", objective: text(d, "objective"), window, minEvents: num(d, "minEvents") ?? 0 };
        return slo ? { ...common, baseUpdatedAt: slo.updatedAt } : { ...common, slug: text(d, "slug"), sli: text(d, "sli") };
      }}
      onReload={slo ? () => (f.setErrors({}), void qc.invalidateQueries(), router.refresh()) : undefined}
      submit={slo ? "Save changes" : "Create SLO"}
      pendingText="Saving…"
    >
      <div className="grid-2">
        <Field id="slo-name" name="name" label="Name" hint="e.g. Availability 99.9%" defaultValue={slo?.name} error={f.errors.name} required />
        {slo ? null : <Field id="slo-slug" name="slug" label="Short name" hint="lowercase, e.g. availability-999" error={f.errors.slug} required />}
      </div>
      {slo ? null : (
        <SelectField id="slo-sli" name="sli" label="SLI" error={f.errors.sli}>
          {slis.map((s) => (
            <option key={s.id} value={s.slug}>
              {s.name} ({s.slug})
            </option>
          ))}
        </SelectField>
      )}
      <div className="grid-2">
        <Field id="slo-objective" name="objective" label="Objective" hint='"99.9%" or "0.999"' defaultValue={objectiveText} error={f.errors.objective} required />
        <Field id="slo-min-events" name="minEvents" label="Minimum events to alert" hint="an alert window with fewer events stays quiet (low traffic); 0: no minimum" inputMode="numeric" defaultValue={String(slo?.minEvents ?? 0)} error={f.errors.minEvents} />
      </div>
      <WindowFields prefix="slo" kind={windowKind} onKind={setWindowKind} initial={slo?.window} defaultDays={30} errors={f.errors} />
      <TextAreaField id="slo-description" name="description" label="Description" hint="optional" rows={2} defaultValue={slo?.description} error={f.errors.description} />
    </ApiForm>
  );
}

const exclusionLabel: Record<(typeof exclusionKinds)[number], string> = {
  maintenance: "Planned maintenance",
  out_of_scope: "Out of scope",
  company_wide_outage: "Company-wide outage",
  dependency: "Dependency outside our control",
  load_test: "Load test",
};

export function ExclusionForm({ team, service, slis }: { team: string; service: string; slis: SliView[] }) {
  const router = useRouter();
  const f = useApiForm<{ id: string; kind: (typeof exclusionKinds)[number] }>({
    path: `${teamPath(team)}/services/${service}/exclusions`,
    schema: createExclusionSchema,
    onDone: () => router.refresh(),
    created: (e) => ({ what: "exclusion", name: exclusionLabel[e.kind], href: `#exclusion-${e.id}` }),
  });
  return (
    <ApiForm
      label="New exclusion"
      form={f}
      toBody={(d) => ({ sli: text(d, "sli") ?? null, kind: text(d, "kind"), reason: text(d, "reason"), startsAt: instant(d, "startsAt"), endsAt: instant(d, "endsAt") })}
      submit="Add exclusion"
      pendingText="Saving…"
    >
      <div className="grid-2">
        <SelectField id="exc-sli" name="sli" label="Applies to" error={f.errors.sli}>
          <option value="">Every SLI of the service</option>
          {slis.map((s) => (
            <option key={s.id} value={s.slug}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <SelectField id="exc-kind" name="kind" label="Kind" error={f.errors.kind}>
          {exclusionKinds.map((k) => (
            <option key={k} value={k}>
              {exclusionLabel[k]}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="grid-2">
        <Field id="exc-start" name="startsAt" type="datetime-local" label="Starts" hint="your time zone" error={f.errors.startsAt} required />
        <Field id="exc-end" name="endsAt" type="datetime-local" label="Ends" error={f.errors.endsAt} required />
      </div>
      <Field id="exc-reason" name="reason" label="Reason" hint="why these minutes do not count" error={f.errors.reason} required />
    </ApiForm>
  );
}
