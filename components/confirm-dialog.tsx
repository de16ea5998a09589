"use client";
// The one frame for "ask first" before a consequential action: a native modal <dialog> (the rest
// of the page is inert, Escape cancels, focus starts in the dialog and the caller returns it to the
// button that opened it), the consequences as the caller words them, an optional "type the slug to
// confirm" field, the server's error in place, and Cancel beside the danger button.
// Used by archive/restore/delete (archive-controls.tsx) and "Read history again" (definition-history.tsx).
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { ApiError } from "./api";

export type TypedConfirmation = {
  /** What to type, shown in the label (a slug). */
  expected: string;
  /** Label beyond the slug, e.g. " (or its name)". */
  hint?: string;
  /** Whether the typed text confirms; defaults to an exact match of the trimmed text. */
  matches?: (typed: string) => boolean;
};

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  typed: typedRule,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  typed?: TypedConfirmation;
  /** Does the action with the trimmed typed text; a throw shows its message and keeps the dialog open. */
  onConfirm: (typed: string) => Promise<void>;
  /** Called when the dialog closes (Cancel, Escape, or after onConfirm succeeded). */
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const inputId = useId();
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const matches = !typedRule || (typedRule.matches ?? ((t: string) => t.trim() === typedRule.expected))(typed);
  const confirm = async () => {
    if (!matches) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(typed.trim());
      ref.current?.close(); // its "close" event calls onClose
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "The server did not answer; nothing was changed.");
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} className="card confirm-dialog" aria-labelledby={titleId} onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void confirm();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
        {typedRule ? (
          <>
            <label htmlFor={inputId}>
              Type <strong className="mono">{typedRule.expected}</strong>
              {typedRule.hint ?? ""} to confirm
            </label>
            <input id={inputId} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} autoFocus aria-describedby={error ? `${inputId}-error` : undefined} />
          </>
        ) : null}
        {error ? (
          <p className="alert" role="alert" id={`${inputId}-error`}>
            {error}
          </p>
        ) : null}
        <p className="row">
          <button type="button" className="secondary" onClick={() => ref.current?.close()} autoFocus={!typedRule}>
            Cancel
          </button>
          <span className="spacer" />
          <button type="submit" className="danger" disabled={busy || !matches}>
            {busy ? "Working…" : confirmLabel}
          </button>
        </p>
      </form>
    </dialog>
  );
}
