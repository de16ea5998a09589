"use client";
// Writing a postmortem: Markdown sections with a live, sanitised preview and blameless-writing
// hints, autosaved; a save that finds a newer revision stops and shows the conflict instead of
// overwriting. Then review (submit, approve, request changes) and the action items.
import { useEffect, useRef, useState } from "react";
import { actionItemStatuses, actionItemTypes, blamelessHints, localDateOf, pastDueQuestion, priorities, type WorkflowAction } from "@/lib/domain/postmortem";
import { renderMarkdown } from "@/lib/domain/markdown";
import { createActionItemSchema } from "@/lib/schemas/incidents";
import type { ActionItemView, PostmortemView, Section } from "@/lib/schemas/views";
import { api, ApiError } from "./api";
import { Field } from "./field";
import { Alert, ApiForm, SelectField, text, useApiForm } from "./form-kit";
import { Time } from "./time";
import { formatActionItemStatus } from "@/lib/domain/format";

type SaveState = { kind: "saved" | "saving" | "unsaved" } | { kind: "conflict" | "error"; message: string };

const statusLabel = { draft: "Draft", in_review: "In review", published: "Published" } as const;

export function PostmortemEditor({ initial, members }: { initial: PostmortemView; members: { userId: string; name: string }[] }) {
  const [pm, setPm] = useState(initial);
  const [title, setTitle] = useState(initial.title);
  const [sections, setSections] = useState<Section[]>(initial.sections);
  const [save, setSave] = useState<SaveState>({ kind: "saved" });
  const revision = useRef(initial.revision);
  const people = [...members.map((m) => m.name), ...Object.values(initial.incident?.roles ?? {}).filter((x): x is string => Boolean(x))];

  async function persist() {
    setSave({ kind: "saving" });
    try {
      const r = await api<PostmortemView>(`/api/v1/postmortems/${pm.id}`, { method: "PATCH", body: { revision: revision.current, title, sections } });
      revision.current = r.revision;
      setPm(r);
      setSave({ kind: "saved" });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setSave({ kind: "conflict", message: e.message });
      else setSave({ kind: "error", message: e instanceof Error ? e.message : "the server did not answer" });
    }
  }

  // Autosave two seconds after the last keystroke; never while a conflict waits for a decision.
  useEffect(() => {
    if (save.kind !== "unsaved") return;
    const t = setTimeout(() => void persist(), 2000);
    return () => clearTimeout(t);
  }, [title, sections, save.kind]);

  const edit = (fn: () => void) => {
    fn();
    if (save.kind !== "conflict") setSave({ kind: "unsaved" });
  };

  async function resolveConflict(keepMine: boolean) {
    const theirs = await api<PostmortemView>(`/api/v1/postmortems/${pm.id}`);
    revision.current = theirs.revision;
    setPm(theirs);
    if (keepMine) {
      await persist();
    } else {
      setTitle(theirs.title);
      setSections(theirs.sections);
      setSave({ kind: "saved" });
    }
  }

  async function transition(action: WorkflowAction, comment = "") {
    if (action === "approve" && pm.publishCheck.warnings.length && !window.confirm(`Publish with these open points?\n\n- ${pm.publishCheck.warnings.join("\n- ")}`)) return;
    if (action === "reopen" && !window.confirm("Reopen this postmortem for corrections? It goes back to draft, and until it is published again an incident that requires it holds feature deploys.")) return;
    if (save.kind === "unsaved") await persist();
    try {
      setPm(await api<PostmortemView>(`/api/v1/postmortems/${pm.id}/transitions`, { method: "POST", body: { action, comment } }));
    } catch (e) {
      setSave({ kind: "error", message: e instanceof Error ? e.message : "could not change the status" });
    }
  }

  const editable = pm.canEdit;
  return (
    <>
      <div className="row summary-line">
        <p>
          <span className={`badge tone-${pm.status === "published" ? "ok" : pm.status === "in_review" ? "caution" : "muted"}`}>{statusLabel[pm.status]}</span>{" "}
          <span className="muted small" role="status">
            {save.kind === "saving" ? "Saving…" : save.kind === "unsaved" ? "Unsaved changes" : save.kind === "saved" ? `Saved (revision ${pm.revision}${pm.updatedBy ? `, by ${pm.updatedBy}` : ""})` : null}
          </span>
        </p>
        <span className="spacer" />
        <a className="button secondary" href={`/api/v1/postmortems/${pm.id}/export`} download>
          Export Markdown
        </a>
      </div>
      {save.kind === "conflict" ? (
        <div className="alert" role="alert">
          <p>{save.message}</p>
          <p>Your edits are still here. Choose what to keep:</p>
          <button type="button" className="secondary" onClick={() => void resolveConflict(false)}>
            Load their version (drop mine)
          </button>{" "}
          <button type="button" onClick={() => void resolveConflict(true)}>
            Save mine over theirs
          </button>
        </div>
      ) : save.kind === "error" ? (
        <Alert>{save.message}</Alert>
      ) : null}

      {editable ? (
        <Field id="pm-title" label="Title" value={title} onChange={(e) => edit(() => setTitle(e.target.value))} />
      ) : null}

      {sections.map((s, k) => {
        const hints = editable ? blamelessHints(s.body, people) : [];
        return (
          <section key={s.key} className="pm-section" aria-labelledby={`pm-${s.key}-h`}>
            <h2 id={`pm-${s.key}-h`}>{s.title}</h2>
            {editable ? (
              <div className="grid-2">
                <div>
                  <label htmlFor={`pm-${s.key}`} className="visually-hidden">
                    {s.title} (Markdown)
                  </label>
                  <textarea id={`pm-${s.key}`} rows={8} className="mono" value={s.body} placeholder={s.prompt} onChange={(e) => edit(() => setSections(sections.map((x, i) => (i === k ? { ...x, body: e.target.value } : x))))} />
                </div>
                <div className="card markdown" role="group" aria-label={`${s.title} preview`} dangerouslySetInnerHTML={{ __html: renderMarkdown(s.body) }} />
              </div>
            ) : s.body.trim() ? (
              <div className="card markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(s.body) }} />
            ) : (
              <p className="card muted">Not written.</p>
            )}
            {hints.length ? (
              <ul className="hints" aria-label={`Writing hints for ${s.title}`}>
                {hints.map((h, i) => (
                  <li key={i}>
                    <strong>&ldquo;{h.phrase}&rdquo;</strong> in &ldquo;{h.sentence}&rdquo;: {h.suggestion}
                  </li>
                ))}
              </ul>
            ) : null}
          </section>
        );
      })}

      {pm.incident && pm.incident.timeline.length ? (
        <section aria-labelledby="pm-timeline">
          <h2 id="pm-timeline">Timeline</h2>
          <p className="muted small">
            From the incident; <a href={`/teams/${pm.team}/incidents/${pm.incident.id}`}>add or remove entries there</a>.
          </p>
          <ol className="card plain-list">
            {pm.incident.timeline.map((t) => (
              <li key={t.id}>
                <span className="mono small"><Time at={t.at} relative={false} /></span> · <strong>{t.kind.replace("_", " ")}</strong> · {t.text}
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <ActionItems
        pm={pm}
        members={members}
        canEdit={pm.teamEditor}
        // Items decide the publish check: show the new list at once, then the server's view of both.
        onChange={(items) => {
          setPm({ ...pm, actionItems: items });
          void api<PostmortemView>(`/api/v1/postmortems/${pm.id}`).then(setPm);
        }}
      />

      <section aria-labelledby="pm-review">
        <h2 id="pm-review">Review</h2>
        {pm.reviews.length ? (
          <ul className="card plain-list">
            {pm.reviews.map((r, i) => (
              <li key={i}>
                <strong>{r.decision === "approve" ? "Approved" : "Changes requested"}</strong> by {r.reviewer ?? "someone since removed"} on <Time at={r.at} />
                {r.comment ? `: ${r.comment}` : ""}
              </li>
            ))}
          </ul>
        ) : null}
        <Review pm={pm} onAction={transition} />
      </section>
    </>
  );
}

function Review({ pm, onAction }: { pm: PostmortemView; onAction: (a: WorkflowAction, comment?: string) => Promise<void> }) {
  const [comment, setComment] = useState("");
  const { status, teamEditor: canAct, publishCheck: check } = pm;
  if (status === "published") {
    return (
      <>
        <p className="muted">Published: the text is read-only; action items stay open to add and edit.</p>
        {pm.canReopen ? (
          <button type="button" className="secondary" onClick={() => void onAction("reopen")}>
            Reopen for corrections
          </button>
        ) : null}
      </>
    );
  }
  if (!canAct) return null;
  // The publish check, ahead of the button: what blocks approval and what to look at first.
  const checklist =
    check.blocking.length || check.warnings.length ? (
      <div className={check.blocking.length ? "alert" : "notice"} role="status" aria-label="Before publishing">
        <Points title="Cannot be published yet:" items={check.blocking} />
        <Points title="Before publishing, look at:" items={check.warnings} />
      </div>
    ) : null;
  if (status === "draft") {
    return (
      <div className="stack">
        {checklist}
        <div>
          <button type="button" onClick={() => void onAction("submit")}>
            Submit for review
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="stack">
      {checklist}
      <div>
        <label htmlFor="pm-comment">Review comment</label>
        <textarea id="pm-comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      </div>
      <div>
        <button type="button" disabled={check.blocking.length > 0} aria-describedby={check.blocking.length ? "pm-blocked" : undefined} onClick={() => void onAction("approve", comment)}>
          Approve and publish
        </button>{" "}
        <button type="button" className="secondary" onClick={() => void onAction("request_changes", comment)}>
          Request changes
        </button>
        {check.blocking.length ? (
          <p id="pm-blocked" className="small muted">
            Approval waits for the points above.
          </p>
        ) : null}
      </div>
    </div>
  );
}

function Points({ title, items }: { title: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <p>
        <strong>{title}</strong>
      </p>
      <ul>
        {items.map((x) => (
          <li key={x}>{x}</li>
        ))}
      </ul>
    </>
  );
}

function ActionItems({ pm, members, canEdit, onChange }: { pm: PostmortemView; members: { userId: string; name: string }[]; canEdit: boolean; onChange: (items: ActionItemView[]) => void }) {
  const f = useApiForm<ActionItemView>({
    path: `/api/v1/postmortems/${pm.id}/action-items`,
    schema: createActionItemSchema,
    onDone: (a) => onChange([...pm.actionItems, a]),
    created: (a) => ({ what: "action item", name: a.title, href: `#action-${a.id}` }),
  });
  const [error, setError] = useState<string | null>(null);
  async function setStatus(item: ActionItemView, status: string) {
    let wontDoReason: string | null = null;
    if (status === "wont_do") {
      wontDoReason = window.prompt(`Why won't "${item.title}" be done?`);
      if (!wontDoReason) return;
    }
    try {
      const updated = await api<ActionItemView>(`/api/v1/action-items/${item.id}`, { method: "PATCH", body: { status, wontDoReason } });
      onChange(pm.actionItems.map((a) => (a.id === item.id ? updated : a)));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : "could not update the item");
    }
  }
  return (
    <section aria-labelledby="pm-actions">
      <h2 id="pm-actions">Action items</h2>
      {error ? <Alert>{error}</Alert> : null}
      {pm.actionItems.length === 0 ? (
        <p className="card muted">
          No action items yet.{pm.incident?.postmortemRequired ? " The incident requires at least one P0 item before this postmortem can be published and the gate lets feature deploys through again." : ""}
        </p>
      ) : (
        <div className="card table-wrap">
          <table>
            <caption className="visually-hidden">Action items of this postmortem</caption>
            <thead>
              <tr>
                <th scope="col">Priority</th>
                <th scope="col">Action</th>
                <th scope="col">Type</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {pm.actionItems.map((a) => (
                <tr key={a.id} id={`action-${a.id}`}>
                  <td>{a.priority}</td>
                  <td>
                    {a.ticketUrl ? (
                      <a href={a.ticketUrl} rel="noopener noreferrer nofollow">
                        {a.title}
                      </a>
                    ) : (
                      a.title
                    )}
                  </td>
                  <td>{a.type}</td>
                  <td>{a.owner?.name ?? "—"}</td>
                  <td data-label="Due">{a.dueDate ?? "—"}</td>
                  <td>
                    {canEdit ? (
                      <select aria-label={`Status of ${a.title}`} value={a.status} onChange={(e) => void setStatus(a, e.target.value)}>
                        {actionItemStatuses.map((s) => (
                          <option key={s} value={s}>
                            {formatActionItemStatus(s)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      formatActionItemStatus(a.status)
                    )}
                    {a.wontDoReason ? <div className="small muted">{a.wontDoReason}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canEdit ? (
        <details className="add">
          <summary>Add an action item</summary>
          <ApiForm
            label="Add an action item"
            form={f}
            toBody={(d) => ({ title: text(d, "title"), type: text(d, "type"), priority: text(d, "priority"), owner: text(d, "owner") ?? null, dueDate: text(d, "dueDate") ?? null, ticketUrl: text(d, "ticketUrl") ?? null })}
            // A date in the past is asked about, not refused: the item may be recorded late on purpose.
            question={(b) => pastDueQuestion((b as { dueDate: string | null }).dueDate, localDateOf(new Date()))}
            submit="Add action item"
            pendingText="Adding…"
          >
            <Field id="ai-title" name="title" label="Action" error={f.errors.title} />
            <div className="grid-2">
              <SelectField id="ai-type" name="type" label="Type" defaultValue="prevent" error={f.errors.type}>
                {actionItemTypes.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </SelectField>
              <SelectField id="ai-priority" name="priority" label="Priority" defaultValue="P1" error={f.errors.priority}>
                {priorities.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </SelectField>
              <SelectField id="ai-owner" name="owner" label="Owner" defaultValue="" error={f.errors.owner}>
                <option value="">Nobody yet</option>
                {members.map((m) => (
                  <option key={m.userId} value={m.userId}>
                    {m.name}
                  </option>
                ))}
              </SelectField>
              <Field id="ai-due" name="dueDate" type="date" label="Due" error={f.errors.dueDate} />
            </div>
            <Field id="ai-ticket" name="ticketUrl" label="Ticket link" hint="optional" error={f.errors.ticketUrl} />
          </ApiForm>
        </details>
      ) : null}
    </section>
  );
}
