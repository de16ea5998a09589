"use client";
// A team's postmortem templates (team admins): the default blameless one, and their own, written
// one section per line as "Title: prompt".
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
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
  // The template being changed, with the version the edit started from (a save after someone else's is refused).
  const [editing, setEditing] = useState<TemplateView | null>(null);
  const f = useApiForm({ path, method: "PUT", schema: templateSchema, onDone: () => (setEditing(null), refresh()) });
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
              <>
                <button type="button" className="secondary" onClick={() => setEditing(t)} aria-label={`Change the template ${t.name}`}>
                  Change
                </button>{" "}
                <button type="button" className="danger" onClick={() => window.confirm(`Delete the template "${t.name}"? Postmortems started from it keep their sections.`) && remove.mutate(t.id!)} aria-label={`Delete the template ${t.name}`}>
                  Delete
                </button>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {canManage ? (
        <details className="add" open={editing !== null || undefined} key={editing?.id ?? "new"}>
          <summary>{editing ? `Change the template ${editing.name}` : "New or changed template"}</summary>
          <ApiForm
            label="Postmortem template"
            form={f}
            onReload={() => (f.setErrors({}), setEditing(null), refresh())}
            toBody={(d) => ({ name: text(d, "name"), sections: templateSectionsFromLines(text(d, "sections") ?? ""), ...(editing?.updatedAt && text(d, "name") === editing.name ? { baseUpdatedAt: editing.updatedAt } : {}) })}
            submit="Save template"
            pendingText="Saving…"
          >
            <Field id="tpl-name" name="name" label="Name" hint="an existing name replaces that template" defaultValue={editing?.name} error={f.errors.name} />
            <TextAreaField
              id="tpl-sections"
              name="sections"
              label="Sections"
              hint='one per line, "Title: prompt"'
              rows={6}
              defaultValue={editing?.sections.map((s) => (s.prompt ? `${s.title}: ${s.prompt}` : s.title)).join("\n")}
              placeholder={"Summary: what happened, to whom, for how long\nCustomer impact: who noticed and how"}
              error={f.errors.sections ?? f.errors["sections.0.title"]}
            />
          </ApiForm>
        </details>
      ) : null}
    </>
  );
}
