"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { roles, type Role } from "@/lib/domain/roles";
import { addMemberSchema } from "@/lib/schemas/teams";
import { fieldErrors } from "@/lib/schemas/field-errors";
import { api, ApiError } from "./api";
import { Field } from "./field";
import { Alert } from "./form-kit";

type Member = { userId: string; name: string; email: string; role: Role };

export function MemberManager({ team, initial, canManage }: { team: string; initial: Member[]; canManage: boolean }) {
  const qc = useQueryClient();
  const key = ["members", team];
  const members = useQuery({ queryKey: key, queryFn: () => api<Member[]>(`/api/v1/teams/${team}/members`), initialData: initial });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const onError = (e: Error) => setError(e instanceof ApiError ? e.message : "The change failed.");
  const refresh = () => {
    setError(null);
    void qc.invalidateQueries({ queryKey: key });
  };

  const add = useMutation({
    mutationFn: (body: unknown) => api<Member>(`/api/v1/teams/${team}/members`, { method: "POST", body }),
    onSuccess: refresh,
    onError: (e) => (e instanceof ApiError && Object.keys(e.fields).length ? setFields(e.fields) : onError(e)),
  });
  const change = useMutation({
    mutationFn: (v: { userId: string; role: Role }) => api(`/api/v1/teams/${team}/members/${v.userId}`, { method: "PATCH", body: { role: v.role } }),
    onSuccess: refresh,
    onError,
  });
  const remove = useMutation({
    mutationFn: (userId: string) => api(`/api/v1/teams/${team}/members/${userId}`, { method: "DELETE" }),
    onSuccess: refresh,
    onError,
  });

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const parsed = addMemberSchema.safeParse({ email: form.get("email"), role: form.get("role") });
    if (!parsed.success) return setFields(fieldErrors(parsed.error));
    setFields({});
    add.mutate(parsed.data);
    e.currentTarget.reset();
  }

  return (
    <div className="card table-wrap">
      {error ? <Alert>{error}</Alert> : null}
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            {canManage ? <th scope="col"><span className="skip-link">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {members.data.map((m) => (
            <tr key={m.userId}>
              <td>{m.name}</td>
              <td>{m.email}</td>
              <td>
                {canManage ? (
                  <select
                    aria-label={`Role of ${m.name}`}
                    value={m.role}
                    onChange={(e) => change.mutate({ userId: m.userId, role: e.target.value as Role })}
                  >
                    {roles.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                ) : (
                  m.role
                )}
              </td>
              {canManage ? (
                <td>
                  <button type="button" className="danger" aria-label={`Remove ${m.name}`} onClick={() => window.confirm(`Remove ${m.name} from the team? They lose access to its data at once.`) && remove.mutate(m.userId)}>
                    Remove
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {canManage ? (
        <form className="row" style={{ marginTop: "1rem", alignItems: "flex-end" }} onSubmit={onSubmit} noValidate aria-label="Add member">
          <div style={{ flex: 2, minWidth: 220 }}>
            <Field id="member-email" name="email" type="email" label="Add a person by email" error={fields.email} />
          </div>
          <div style={{ flex: 1, minWidth: 120 }}>
            <label htmlFor="member-role">Role</label>
            <select id="member-role" name="role" defaultValue="viewer">
              {roles.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={add.isPending}>
            Add
          </button>
        </form>
      ) : null}
    </div>
  );
}
