"use client";
// A team's data sources: named Prometheus-compatible servers that SLIs pull from (editors). SLIs
// whose files name no server (Sloth's) pull from the one named "default".
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createDataSourceSchema, dataSourceTypes, type DataSourceView } from "@/lib/schemas/data-sources";
import { DEFAULT_DATA_SOURCE } from "@/lib/domain/definitions";
import { api } from "./api";
import { Field } from "./field";
import { ApiForm, SelectField, text, useApiForm } from "./form-kit";

export function DataSourceManager({ team, canEdit }: { team: string; canEdit: boolean }) {
  const qc = useQueryClient();
  const path = `/api/v1/teams/${team}/data-sources`;
  const key = ["data-sources", team];
  const sources = useQuery({ queryKey: key, queryFn: () => api<DataSourceView[]>(path) });
  // A create says what it made and empties the form for the next one (URL and header included).
  const f = useApiForm<DataSourceView>({
    path,
    schema: createDataSourceSchema,
    onDone: () => void qc.invalidateQueries({ queryKey: key }),
    created: (s) => ({ what: "data source", name: s.name, href: `/teams/${team}#data-sources`, next: "SLIs and files can now name it." }),
  });
  const remove = useMutation({ mutationFn: (name: string) => api(`${path}/${name}`, { method: "DELETE" }), onSuccess: () => void qc.invalidateQueries({ queryKey: key }) });
  const hasDefault = sources.data?.some((s) => s.name === DEFAULT_DATA_SOURCE);
  return (
    <>
      {sources.data && sources.data.length > 0 ? (
        <ul className="card plain-list">
          {sources.data.map((s) => (
            <li key={s.id} className="row">
              <span>
                <strong className="mono">{s.name}</strong> · {s.type} at <span className="mono">{s.url}</span>
                {s.hasAuthHeader ? " · with an Authorization header" : ""}
                {s.createdByApply ? <span className="muted small"> · from SLO-as-code files</span> : null}
              </span>
              <span className="spacer" />
              {canEdit ? (
                <button type="button" className="danger" onClick={() => window.confirm(`Remove the data source ${s.name}? This is refused while an SLI pulls from it.`) && remove.mutate(s.name)} aria-label={`Remove data source ${s.name}`}>
                  Remove
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : sources.isSuccess ? (
        <p className="card muted">No data sources: pull SLIs give their server's URL themselves.</p>
      ) : null}
      {remove.error ? (
        <p className="alert" role="alert">
          {remove.error.message}
        </p>
      ) : null}
      {canEdit ? (
        <ApiForm
          label="New data source"
          form={f}
          toBody={(d) => ({ name: text(d, "name"), type: text(d, "type"), url: text(d, "url"), ...(text(d, "authHeader") ? { authHeader: text(d, "authHeader") } : {}) })}
          submit="Add data source"
          pendingText="Adding…"
        >
          <div className="grid-2">
            <Field key={String(hasDefault)} id="ds-name" name="name" label="Name" hint={hasDefault ? "e.g. prom-main" : `"${DEFAULT_DATA_SOURCE}" is used by SLIs whose files name no server`} defaultValue={hasDefault ? "" : DEFAULT_DATA_SOURCE} error={f.errors.name} />
            <SelectField id="ds-type" name="type" label="Type" defaultValue="Prometheus">
              {dataSourceTypes.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </SelectField>
          </div>
          <Field id="ds-url" name="url" label="URL" hint="e.g. http://prometheus:9090" error={f.errors.url} />
          <Field id="ds-auth" name="authHeader" label="Authorization header (optional)" hint="e.g. Bearer …; stored, never shown again" autoComplete="off" error={f.errors.authHeader} />
        </ApiForm>
      ) : null}
    </>
  );
}
