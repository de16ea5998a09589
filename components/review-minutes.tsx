"use client";
// A review's minutes: status, notes (Markdown, shown sanitised) and decisions, one per line. Marking
// the review held asks first (ConfirmDialog); a save names the revision it started from, and a stale
// one offers to reload (docs/architecture.md rule 8).
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { saveReviewSchema, type ReviewRecordView } from "@/lib/schemas/reviews";
import { api } from "./api";
import { ConfirmDialog } from "./confirm-dialog";
import { FormError, SelectField, TextAreaField, useApiForm } from "./form-kit";

export function ReviewMinutes({ team, period, service, record, canEdit }: { team: string; period: string; service: string | null; record: ReviewRecordView; canEdit: boolean }) {
  const router = useRouter();
  const [status, setStatus] = useState(record.status);
  const [notes, setNotes] = useState(record.notes);
  const [decisions, setDecisions] = useState(record.decisions.join("\n"));
  const [asking, setAsking] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  // The revision this form stands on: the last save's, before the page's refresh brings it too.
  const [revision, setRevision] = useState(record.revision);
  const saveButton = useRef<HTMLButtonElement>(null);
  const form = useApiForm<ReviewRecordView>({
    path: `/api/v1/teams/${team}/reviews`,
    method: "PUT",
    schema: saveReviewSchema,
    onDone: (r) => done(r),
  });
  function done(r: ReviewRecordView) {
    setRevision(r.revision);
    setSaved(r.status === "held" ? "Saved: the review is marked held." : "Saved as a draft.");
    router.refresh();
  }
  const body = () => ({
    period,
    service,
    status,
    notes,
    decisions: decisions
      .split("\n")
      .map((d) => d.trim())
      .filter(Boolean),
    baseRevision: Math.max(revision, record.revision),
  });
  if (!canEdit) {
    return (
      <div className="card">
        <p>
          Status: <strong>{record.status}</strong>
        </p>
        {record.decisions.length ? (
          <ul>
            {record.decisions.map((d, k) => (
              <li key={k}>{d}</li>
            ))}
          </ul>
        ) : null}
        {record.notesHtml ? <div className="markdown" dangerouslySetInnerHTML={{ __html: record.notesHtml }} /> : <p className="muted">No notes yet. An editor of the team records them.</p>}
      </div>
    );
  }
  // The dialog is the form's sibling: a form inside a form would hand its submit to the outer one.
  return (
    <>
      <form
        className="card stack"
        aria-label="Review minutes"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(null);
          // Marking it held is the team's sign-off: asked first.
          if (status === "held" && record.status !== "held") setAsking(true);
          else void form.submit(body());
        }}
      >
        <FormError errors={form.errors} onReload={() => router.refresh()} />
        <SelectField id="review-status" label="Status" hint="held once the team has met and agreed" value={status} onChange={(e) => setStatus(e.target.value as typeof status)} error={form.errors.status}>
          <option value="draft">Draft</option>
          <option value="held">Held</option>
        </SelectField>
        <TextAreaField id="review-decisions" label="Decisions" hint="one per line" rows={4} value={decisions} onChange={(e) => setDecisions(e.target.value)} error={form.errors.decisions} />
        <TextAreaField id="review-notes" label="Notes" hint="Markdown" rows={8} value={notes} onChange={(e) => setNotes(e.target.value)} error={form.errors.notes} />
        <p className="row">
          <button ref={saveButton} type="submit" disabled={form.pending}>
            {form.pending ? "Saving…" : "Save the minutes"}
          </button>
          <span role="status" className="small muted">
            {saved ?? (record.heldAt ? `Held${record.heldBy ? ` by ${record.heldBy}` : ""}.` : record.revision ? `Revision ${record.revision}.` : "Not saved yet.")}
          </span>
        </p>
        {record.notesHtml ? (
          <details>
            <summary>The notes as saved</summary>
            <div className="markdown" dangerouslySetInnerHTML={{ __html: record.notesHtml }} />
          </details>
        ) : null}
      </form>
      {asking ? (
        <ConfirmDialog
          title="Mark this review held?"
          confirmLabel="Mark held"
          onConfirm={async () => {
            // Called directly so a refusal (a stale revision, a field) is said in the dialog.
            done(await api<ReviewRecordView>(`/api/v1/teams/${team}/reviews`, { method: "PUT", body: body() }));
          }}
          onClose={() => {
            setAsking(false);
            saveButton.current?.focus();
          }}
        >
          <p>The minutes are saved with your name and the time, as the record that the team held this review. You can still edit them afterwards.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
