"use client";
// Recording an incident, adding timeline entries and starting its postmortem (editors).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { incidentRoles, roleTitle, severities, severityMeaning, timelineKinds } from "@/lib/domain/postmortem";
import { createIncidentSchema, timelineEntrySchema, updateIncidentSchema } from "@/lib/schemas/incidents";
import { api, ApiError } from "./api";
import { Field } from "./field";
import { Alert, ApiForm, SelectField, TextAreaField, instant, text, useApiForm } from "./form-kit";
import { Time } from "./time";

/** `members`: the team's people, whom the roles are picked from (a role holds the person's name). */
export function IncidentForm({ team, slos, members }: { team: string; slos: { ref: string; label: string }[]; members: { userId: string; name: string; email: string }[] }) {
  const router = useRouter();
  const f = useApiForm<{ id: string; title: string }>({
    path: `/api/v1/teams/${team}/incidents`,
    schema: createIncidentSchema,
    onDone: () => router.refresh(),
    created: (i) => ({ what: "incident", name: i.title, href: `/teams/${team}/incidents/${i.id}`, next: "Open it to add its timeline." }),
  });
  return (
    <ApiForm
      label="New incident"
      form={f}
      toBody={(d) => ({
        title: text(d, "title"),
        severity: text(d, "severity"),
        status: text(d, "status"),
        summary: text(d, "summary") ?? "",
        startedAt: instant(d, "startedAt"),
        detectedAt: instant(d, "detectedAt") ?? null,
        mitigatedAt: instant(d, "mitigatedAt") ?? null,
        resolvedAt: instant(d, "resolvedAt") ?? null,
        slos: d.getAll("slos").map(String),
        roles: Object.fromEntries(incidentRoles.map((r) => [r, text(d, `role-${r}`) ?? null])),
      })}
      submit="Record incident"
      pendingText="Recording…"
    >
      <Field id="inc-title" name="title" label="Title" error={f.errors.title} />
      <div className="grid-2">
        <SelectField id="inc-sev" name="severity" label="Severity" defaultValue="SEV2" error={f.errors.severity}>
          {severities.map((s) => (
            <option key={s} value={s}>
              {s}: {severityMeaning[s]}
            </option>
          ))}
        </SelectField>
        <SelectField id="inc-status" name="status" label="Status" defaultValue="active" error={f.errors.status}>
          <option value="active">active</option>
          <option value="mitigated">mitigated</option>
          <option value="resolved">resolved</option>
        </SelectField>
        <Field id="inc-start" name="startedAt" type="datetime-local" label="Started" error={f.errors.startedAt} />
        <Field id="inc-detect" name="detectedAt" type="datetime-local" label="Detected" error={f.errors.detectedAt} />
        <Field id="inc-mitig" name="mitigatedAt" type="datetime-local" label="Mitigated" error={f.errors.mitigatedAt} />
        <Field id="inc-resol" name="resolvedAt" type="datetime-local" label="Resolved" error={f.errors.resolvedAt} />
      </div>
      <fieldset>
        <legend>Affected SLOs</legend>
        <div className="checks">
          {slos.map((s) => (
            <label key={s.ref}>
              <input type="checkbox" name="slos" value={s.ref} /> {s.label}
            </label>
          ))}
        </div>
        {f.errors.slos ? <p className="field-error">{f.errors.slos}</p> : null}
      </fieldset>
      <div className="grid-2">
        {incidentRoles.map((r) => (
          <SelectField key={r} id={`inc-role-${r}`} name={`role-${r}`} label={roleTitle[r]} defaultValue="" error={f.errors[`roles.${r}`]}>
            <option value="">Nobody yet</option>
            {members.map((m) => (
              <option key={m.userId} value={m.name}>
                {m.name} ({m.email})
              </option>
            ))}
          </SelectField>
        ))}
      </div>
      <TextAreaField id="inc-summary" name="summary" label="Summary" rows={2} error={f.errors.summary} />
    </ApiForm>
  );
}

export function TimelineForm({ team, incident }: { team: string; incident: string }) {
  const router = useRouter();
  const f = useApiForm({ path: `/api/v1/teams/${team}/incidents/${incident}/timeline`, schema: timelineEntrySchema, onDone: () => router.refresh() });
  return (
    <ApiForm label="Add a timeline entry" form={f} toBody={(d) => ({ at: instant(d, "at"), kind: text(d, "kind"), text: text(d, "text") })} submit="Add entry" pendingText="Adding…">
      <div className="grid-2">
        <Field id="tl-at" name="at" type="datetime-local" label="When" error={f.errors.at} />
        <SelectField id="tl-kind" name="kind" label="What" defaultValue="note" error={f.errors.kind}>
          {timelineKinds.map((k) => (
            <option key={k} value={k}>
              {k.replace("_", " ")}
            </option>
          ))}
        </SelectField>
      </div>
      <Field id="tl-text" name="text" label="What happened" error={f.errors.text} />
    </ApiForm>
  );
}

export function StartPostmortem({ team, incident, templates }: { team: string; incident: string; templates: { id: string | null; name: string }[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [template, setTemplate] = useState("");
  return (
    <>
      {templates.length > 1 ? (
        <SelectField id="pm-template" label="Template" value={template} onChange={(e) => setTemplate(e.target.value)}>
          {templates.map((t) => (
            <option key={t.id ?? ""} value={t.id ?? ""}>
              {t.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      <button
        type="button"
        disabled={pending}
        onClick={() => {
          setPending(true);
          api<{ id: string }>(`/api/v1/teams/${team}/postmortems`, { method: "POST", body: { incident, template: template || null } })
            .then((p) => router.push(`/postmortems/${p.id}`))
            .catch((e: unknown) => setError(e instanceof ApiError ? e.message : "Could not start the postmortem."))
            .finally(() => setPending(false));
        }}
      >
        {pending ? "Starting…" : "Start the postmortem"}
      </button>
      {error ? <Alert>{error}</Alert> : null}
    </>
  );
}

/** Moving an incident along: its status and the times it was mitigated and resolved. */
export function IncidentUpdateForm({ team, incident }: { team: string; incident: { id: string; status: string; severity: string; updatedAt: string } }) {
  const router = useRouter();
  const f = useApiForm({ path: `/api/v1/teams/${team}/incidents/${incident.id}`, method: "PATCH", schema: updateIncidentSchema, onDone: () => router.refresh() });
  return (
    <ApiForm
      key={incident.updatedAt}
      label="Update the incident"
      form={f}
      onReload={() => (f.setErrors({}), router.refresh())}
      toBody={(d) => ({
        baseUpdatedAt: incident.updatedAt,
        status: text(d, "status"),
        severity: text(d, "severity"),
        ...(instant(d, "mitigatedAt") ? { mitigatedAt: instant(d, "mitigatedAt") } : {}),
        ...(instant(d, "resolvedAt") ? { resolvedAt: instant(d, "resolvedAt") } : {}),
      })}
      submit="Update incident"
      pendingText="Updating…"
    >
      <div className="grid-2">
        <SelectField id="upd-status" name="status" label="Status" defaultValue={incident.status} error={f.errors.status}>
          <option value="active">active</option>
          <option value="mitigated">mitigated</option>
          <option value="resolved">resolved</option>
        </SelectField>
        <SelectField id="upd-sev" name="severity" label="Severity" defaultValue={incident.severity} error={f.errors.severity}>
          {severities.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </SelectField>
        <Field id="upd-mitig" name="mitigatedAt" type="datetime-local" label="Mitigated" hint="empty: unchanged" error={f.errors.mitigatedAt} />
        <Field id="upd-resol" name="resolvedAt" type="datetime-local" label="Resolved" hint="empty: now when resolving" error={f.errors.resolvedAt} />
      </div>
    </ApiForm>
  );
}

/** The timeline as rows an editor can remove (and add to with TimelineForm). */
export function TimelineRows({ team, incident, entries, canEdit }: { team: string; incident: string; entries: { id: string; at: string; kind: string; text: string }[]; canEdit: boolean }) {
  const router = useRouter();
  if (entries.length === 0) return <p className="card muted">No entries yet.</p>;
  return (
    <ol className="card plain-list" aria-label="Timeline">
      {entries.map((t) => (
        <li key={t.id} className="row">
          <span>
            <span className="mono small"><Time at={t.at} relative={false} /></span> · <strong>{t.kind.replace("_", " ")}</strong> · {t.text}
          </span>
          <span className="spacer" />
          {canEdit ? (
            <button
              type="button"
              className="danger"
              aria-label={`Remove the entry "${t.text}"`}
              onClick={() => window.confirm("Remove this timeline entry? Its postmortem's timeline loses it too.") && void api(`/api/v1/teams/${team}/incidents/${incident}/timeline/${t.id}`, { method: "DELETE" }).then(() => router.refresh())}
            >
              Remove
            </button>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
