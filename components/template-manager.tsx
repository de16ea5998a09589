"use client";
// A team's postmortem templates (team admins): the default blameless one, and their own, written
// one section per line as "Title: prompt".
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { templateSectionsFromLines } from "@/lib/domain/postmortem";
import { templateSchema } from "@/lib/schemas/incidents";
import type { TemplateView } from "@/lib/schemas/views";
import { api } from "./api";
import { Field } from "./field";
import { ApiForm, TextAreaField, text, useApiForm } from "./form-kit";

export function TemplateManager({ team, canManage }: { team: string; canManage: boolean }) {
  const qc = useQueryClient();
  const path = `/api/v1/teams/${team}/postmortem-templates`;
  const key = ["templates", team];
  const list = useQuery({ queryKey: key, queryFn: () => api<TemplateView[]>(path) });
  const refresh = () => void qc.invalidateQueries({ queryKey: key });
  const f = useApiForm({ path, method: "PUT", schema: templateSchema, onDone: refresh });
  const remove = useMutation({ mutationFn: (id: string) => api(`${path}/${id}`, { method: "DELETE" }), onSuccess: refresh });
  return (
    <>
      <ul className="card plain-list">
        {list.data?.map((t) => (
          <li key={t.id ?? "default"} className="row">
            <span>
              <strong>{t.name}</strong>
              <div className="small muted">{t.sections.map((s) => s.title).join(" · ")}</div>
            </span>
            <span className="spacer" />
            {canManage && t.id ? (
              <button type="button" className="danger" onClick={() => remove.mutate(t.id!)} aria-label={`Delete the template ${t.name}`}>
                Delete
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {canManage ? (
        <details className="add">
          <summary>New or changed template</summary>
          <ApiForm label="Postmortem template" form={f} toBody={(d) => ({ name: text(d, "name"), sections: templateSectionsFromLines(text(d, "sections") ?? "") })} submit="Save template" pendingText="Saving…">
            <Field id="tpl-name" name="name" label="Name" hint="an existing name replaces that template" error={f.errors.name} />
            <TextAreaField id="tpl-sections" name="sections" label="Sections" hint='one per line, "Title: prompt"' rows={6} placeholder={"Summary: what happened, to whom, for how long\nCustomer impact: who noticed and how"} error={f.errors.sections ?? f.errors["sections.0.title"]} />
          </ApiForm>
        </details>
      ) : null}
    </>
  );
}
