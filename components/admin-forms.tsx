"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ZodType } from "zod";
import { createUserSchema } from "@/lib/schemas/auth";
import { createTeamSchema } from "@/lib/schemas/teams";
import { fieldErrors } from "@/lib/schemas/field-errors";
import { api, ApiError } from "./api";
import { Field } from "./field";
import { Alert, CreatedStatus, type Created } from "./form-kit";

/** Validates with the shared schema, posts, and shows field errors from either side. */
function useJsonForm<T>(path: string, schema: ZodType, read: (f: FormData) => unknown, created: (result: T) => Created) {
  const router = useRouter();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [done, setDone] = useState<Created | null>(null);
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
      const result = await api<T>(path, { method: "POST", body: parsed.data });
      formEl.reset();
      setDone(created(result));
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
  const team = useJsonForm<{ slug: string; name: string }>("/api/v1/teams", createTeamSchema, (f) => ({ name: f.get("name"), slug: f.get("slug") }), (t) => ({ what: "team", name: t.name, href: `/teams/${t.slug}`, next: "Open it to add its first service." }));
  const user = useJsonForm<{ name: string }>(
    "/api/v1/users",
    createUserSchema,
    (f) => ({
      name: f.get("name"),
      email: f.get("email"),
      password: f.get("password"),
      isSiteAdmin: f.get("isSiteAdmin") === "on",
    }),
    (u) => ({ what: "person", name: u.name, href: "#people", next: "Add them to a team on the team's page." }),
  );
  return (
    <div className="row" style={{ alignItems: "stretch" }}>
      <form className="card stack" style={{ flex: 1, minWidth: 280 }} onSubmit={team.onSubmit} noValidate aria-label="Create team">
        <h2 style={{ margin: 0 }}>New team</h2>
        <Field id="team-name" name="name" label="Name" error={team.fields.name} />
        <Field id="team-slug" name="slug" label="Short name" hint="lowercase, used in links and the API, e.g. payments" error={team.fields.slug} />
        {team.fields.form ? <Alert>{team.fields.form}</Alert> : null}
        <CreatedStatus created={team.done} />
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
        <CreatedStatus created={user.done} />
        <div>
          <button type="submit" disabled={user.busy}>Add person</button>
        </div>
      </form>
    </div>
  );
}
