"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ZodType } from "zod";
import { createUserSchema } from "@/lib/schemas/auth";
import { createTeamSchema } from "@/lib/schemas/teams";
import { fieldErrors } from "@/lib/schemas/field-errors";
import { api, ApiError } from "./api";
import { Field } from "./field";
import { Alert } from "./form-kit";

/** Validates with the shared schema, posts, and shows field errors from either side. */
function useJsonForm(path: string, schema: ZodType, read: (f: FormData) => unknown) {
  const router = useRouter();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const parsed = schema.safeParse(read(new FormData(formEl)));
    setDone(null);
    if (!parsed.success) return setFields(fieldErrors(parsed.error));
    setFields({});
    setBusy(true);
    try {
      await api(path, { method: "POST", body: parsed.data });
      formEl.reset();
      setDone("Saved.");
      router.refresh();
    } catch (err) {
      setFields(err instanceof ApiError ? { ...err.fields, form: err.message } : { form: "Could not save." });
    } finally {
      setBusy(false);
    }
  }
  return { fields, done, busy, onSubmit };
}

export function AdminForms() {
  const team = useJsonForm("/api/v1/teams", createTeamSchema, (f) => ({ name: f.get("name"), slug: f.get("slug") }));
  const user = useJsonForm("/api/v1/users", createUserSchema, (f) => ({
    name: f.get("name"),
    email: f.get("email"),
    password: f.get("password"),
    isSiteAdmin: f.get("isSiteAdmin") === "on",
  }));
  return (
    <div className="row" style={{ alignItems: "stretch" }}>
      <form className="card stack" style={{ flex: 1, minWidth: 280 }} onSubmit={team.onSubmit} noValidate aria-label="Create team">
        <h2 style={{ margin: 0 }}>New team</h2>
        <Field id="team-name" name="name" label="Name" error={team.fields.name} />
        <Field id="team-slug" name="slug" label="Short name" hint="lowercase, used in links and the API, e.g. payments" error={team.fields.slug} />
        {team.fields.form ? <Alert>{team.fields.form}</Alert> : null}
        {team.done ? <p role="status">{team.done}</p> : null}
        <div>
          <button type="submit" disabled={team.busy}>Create team</button>
        </div>
      </form>
      <form className="card stack" style={{ flex: 1, minWidth: 280 }} onSubmit={user.onSubmit} noValidate aria-label="Add person">
        <h2 style={{ margin: 0 }}>New person</h2>
        <Field id="user-name" name="name" label="Name" error={user.fields.name} />
        <Field id="user-email" name="email" type="email" label="Email" error={user.fields.email} />
        <Field id="user-password" name="password" type="password" label="Initial password" hint="at least 12 characters" autoComplete="new-password" error={user.fields.password} />
        <div className="checks">
          <label>
            <input type="checkbox" name="isSiteAdmin" /> Site administrator
          </label>
        </div>
        {user.fields.form ? <Alert>{user.fields.form}</Alert> : null}
        {user.done ? <p role="status">{user.done}</p> : null}
        <div>
          <button type="submit" disabled={user.busy}>Add person</button>
        </div>
      </form>
    </div>
  );
}
