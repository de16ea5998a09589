"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { setupSchema } from "@/lib/schemas/auth";
import { api, ApiError } from "./api";
import { Field } from "./field";
import { Alert } from "./form-kit";
import { fieldErrors } from "@/lib/schemas/field-errors";

export function SetupForm() {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const raw = { name: form.get("name"), email: form.get("email"), password: form.get("password") };
    const parsed = setupSchema.safeParse(raw);
    if (!parsed.success) return setFields(fieldErrors(parsed.error));
    setFields({});
    setBusy(true);
    try {
      await api("/api/setup", { method: "POST", body: parsed.data });
      await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, callbackUrl: "/" });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError) {
        setFields(err.fields);
        setError(err.message);
      } else setError("Something went wrong; try again.");
    }
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      <Field id="name" name="name" label="Your name" autoComplete="name" error={fields.name} required />
      <Field id="email" name="email" type="email" label="Email" autoComplete="username" error={fields.email} required />
      <Field id="password" name="password" type="password" label="Password" hint="at least 12 characters" autoComplete="new-password" error={fields.password} required />
      {error ? <Alert>{error}</Alert> : null}
      <button type="submit" disabled={busy}>
        {busy ? "Creating…" : "Create administrator"}
      </button>
    </form>
  );
}
