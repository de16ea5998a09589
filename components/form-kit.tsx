"use client";
// What every form of the app shares: validate with the API's own zod schema before sending,
// send JSON, and show each problem next to its field (the API's 422 names fields the same way).
import Link from "next/link";
import { useEffect, useRef, useState, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import type { z } from "zod";
import { fieldErrors } from "@/lib/schemas/field-errors";
import { api, ApiError } from "./api";

/** What a create made, said after it: "Created service" + a link to it (focused, so the next step is one key away). */
export type Created = { what: string; name: string; href: string; next?: string };

export function useApiForm<T>(opts: { path: string; method?: "POST" | "PATCH" | "PUT"; schema: z.ZodType; onDone: (result: T) => void; created?: (result: T) => Created }) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  /** True when saved (the form then resets itself). */
  async function submit(raw: unknown): Promise<boolean> {
    const parsed = opts.schema.safeParse(raw);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      setCreated(null);
      return false;
    }
    setErrors({});
    setPending(true);
    try {
      const result = await api<T>(opts.path, { method: opts.method ?? "POST", body: raw });
      setCreated(opts.created ? opts.created(result) : null);
      opts.onDone(result);
      return true;
    } catch (e) {
      setCreated(null);
      // A 409 is a stale save (someone changed it since this form was opened): the form offers to reload.
      setErrors(e instanceof ApiError ? { ...e.fields, form: e.message, ...(e.status === 409 ? { stale: "true" } : {}) } : { form: "Could not save: the server did not answer." });
      return false;
    } finally {
      setPending(false);
    }
  }
  return { errors, pending, submit, setErrors, created: opts.created ? created : undefined };
}

/** The announcement after a create: what was made, as a link that takes the focus. */
export function CreatedStatus({ created }: { created: Created | null }) {
  const link = useRef<HTMLAnchorElement>(null);
  useEffect(() => link.current?.focus(), [created]);
  return (
    <p role="status" className={created ? "notice" : "visually-hidden"}>
      {created ? (
        <>
          Created {created.what}{" "}
          <Link ref={link} href={created.href}>
            {created.name}
          </Link>
          .{created.next ? ` ${created.next}` : null}
        </>
      ) : null}
    </p>
  );
}

/** The form-level error (not tied to one field), announced; a stale save offers to load the latest version. */
export function FormError({ errors, onReload }: { errors: Record<string, string>; onReload?: () => void }) {
  // "body" is a problem with the whole input (no field to mark): said here, in its own words.
  const fieldCount = Object.keys(errors).filter((k) => k !== "form" && k !== "stale" && k !== "body").length;
  if (!errors.form && !errors.body && fieldCount === 0) return null;
  return (
    <div className="alert" role="alert">
      <p>{errors.form ?? errors.body ?? `Please fix ${fieldCount === 1 ? "the field" : `the ${fieldCount} fields`} marked below.`}</p>
      {errors.stale && onReload ? (
        <button type="button" className="secondary" onClick={onReload}>
          Load the latest version (your edits here are dropped)
        </button>
      ) : null}
    </div>
  );
}

/** A problem, announced: the one markup every component shows it in (e2e specs find it by role). */
export function Alert({ children }: { children: ReactNode }) {
  return (
    <p className="alert" role="alert">
      {children}
    </p>
  );
}

function described(id: string, error?: string) {
  return error ? { "aria-invalid": true as const, "aria-describedby": `${id}-error` } : {};
}

function Problem({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p className="field-error" id={`${id}-error`}>
      {error}
    </p>
  ) : null;
}

export function SelectField({ label, hint, error, children, ...select }: { label: string; hint?: string; error?: string; children: ReactNode; id: string } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <div>
      <label htmlFor={select.id}>
        {label} {hint ? <span className="hint">{hint}</span> : null}
      </label>
      <select {...select} {...described(select.id, error)}>
        {children}
      </select>
      <Problem id={select.id} error={error} />
    </div>
  );
}

export function TextAreaField({ label, hint, error, ...area }: { label: string; hint?: string; error?: string; id: string } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <div>
      <label htmlFor={area.id}>
        {label} {hint ? <span className="hint">{hint}</span> : null}
      </label>
      <textarea {...area} {...described(area.id, error)} />
      <Problem id={area.id} error={error} />
    </div>
  );
}

/** A form's text value, or undefined when empty (so optional fields stay absent). */
export function text(form: FormData, name: string): string | undefined {
  const v = form.get(name);
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/** A number field's value: a number, the raw text when it is not one (so the schema names the problem), or undefined. */
export function num(form: FormData, name: string): number | string | undefined {
  const v = text(form, name);
  if (v === undefined) return undefined;
  return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

/** A datetime-local value in the reader's zone as an ISO instant (or the raw text, to be reported). */
export function instant(form: FormData, name: string): string | undefined {
  const v = text(form, name);
  if (v === undefined) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}

/**
 * The frame every API form shares: a labelled, browser-validation-free form whose submit turns
 * its fields into the request body (`toBody`), the form-level error first, the submit button last.
 */
export function ApiForm({
  label,
  form,
  toBody,
  submit,
  pendingText,
  children,
  onReload,
  confirm,
  question,
}: {
  label: string;
  form: { errors: Record<string, string>; pending: boolean; submit: (raw: unknown) => Promise<boolean>; created?: Created | null };
  toBody: (d: FormData) => unknown;
  submit: string;
  pendingText: string;
  children: ReactNode;
  onReload?: () => void;
  /** A consequential action asks first: the question, shown before anything is sent. */
  confirm?: string;
  /** A doubt about this body (a due date in the past): asked before sending, and the reader may go on. */
  question?: (body: unknown) => string | null;
}) {
  return (
    <form
      className="stack card"
      aria-label={label}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (confirm && !window.confirm(confirm)) return;
        const el = e.currentTarget;
        const body = toBody(new FormData(el));
        const doubt = question?.(body);
        if (doubt && !window.confirm(doubt)) return;
        // A create empties its form once saved, ready for the next one; an edit keeps what was saved.
        void form.submit(body).then((saved) => saved && form.created !== undefined && el.reset());
      }}
    >
      {form.created !== undefined ? <CreatedStatus created={form.created} /> : null}
      <FormError errors={form.errors} onReload={onReload} />
      {children}
      <div>
        <button type="submit" disabled={form.pending}>
          {form.pending ? pendingText : submit}
        </button>
      </div>
    </form>
  );
}

/**
 * A collapsible "add" form that may start open (an empty list). Its state is its own from then on,
 * so a refresh after a create does not close it over the message that says what was created.
 */
export function AddSection({ summary, initiallyOpen = false, id, children }: { summary: string; initiallyOpen?: boolean; id?: string; children: ReactNode }) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <details className="add" id={id} open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{summary}</summary>
      {children}
    </details>
  );
}
