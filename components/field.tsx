import type { InputHTMLAttributes } from "react";

/** A labelled input whose error is announced and tied to it with aria-describedby. */
export function Field({ label, hint, error, ...input }: { label: string; hint?: string; error?: string } & InputHTMLAttributes<HTMLInputElement> & { id: string }) {
  const errorId = `${input.id}-error`;
  return (
    <div>
      <label htmlFor={input.id}>
        {label} {hint ? <span className="hint">{hint}</span> : null}
      </label>
      <input {...input} aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined} />
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
