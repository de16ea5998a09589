"use client";
// Site admins' list of people: whether each can sign in (disabled, locked after failed sign-ins),
// their open sessions (listed and ended here), and disabling or removing an account. Every
// consequential action asks first; nobody can disable or remove themselves (the API refuses).
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { AdminUserView, SessionView } from "@/lib/schemas/views";
import { api, ApiError } from "./api";
import { Alert } from "./form-kit";
import { SessionManager } from "./session-manager";
import { Time } from "./time";

function status(u: AdminUserView) {
  if (u.disabled) return "Disabled";
  if (u.lockedUntil) return (
      <>
        Locked until <Time at={u.lockedUntil} /> (failed sign-ins)
      </>
    );
  return "Active";
}

function UserSessions({ user }: { user: AdminUserView }) {
  const base = `/api/v1/users/${user.id}/sessions`;
  const sessions = useQuery({ queryKey: ["sessions", base, "initial"], queryFn: () => api<SessionView[]>(base) });
  if (sessions.isError) return <Alert>Could not load the sessions.</Alert>;
  if (!sessions.data) return <p>Loading sessions…</p>;
  return <SessionManager base={base} initial={sessions.data} own={false} />;
}

/** The list comes from the page (server-rendered); a change refreshes the page, as adding a person does. */
export function AdminUsers({ users, me }: { users: AdminUserView[]; me: string }) {
  const router = useRouter();
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const done = () => {
    setError(null);
    router.refresh();
  };
  const onError = (e: Error) => setError(e instanceof ApiError ? e.message : "The change failed.");
  const toggle = useMutation({ mutationFn: (v: { id: string; disabled: boolean }) => api(`/api/v1/users/${v.id}`, { method: "PATCH", body: { disabled: v.disabled } }), onSuccess: done, onError });
  const remove = useMutation({ mutationFn: (id: string) => api(`/api/v1/users/${id}`, { method: "DELETE" }), onSuccess: done, onError });
  return (
    <div className="card table-wrap stack">
      {error ? <Alert>{error}</Alert> : null}
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Site admin</th>
            <th scope="col">Status</th>
            <th scope="col">Sessions</th>
            <th scope="col">
              <span className="skip-link">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>{u.email}</td>
              <td>{u.isSiteAdmin ? "yes" : "no"}</td>
              <td>
                {status(u)}
                {u.lastLockedAt && !u.lockedUntil ? <span className="hint"> (last locked <Time at={u.lastLockedAt} />)</span> : null}
              </td>
              <td>
                <button type="button" className="secondary" aria-expanded={open === u.id} aria-label={`${u.sessions} open sessions of ${u.name}`} onClick={() => setOpen(open === u.id ? null : u.id)}>
                  {u.sessions} open
                </button>
              </td>
              <td>
                <div className="row">
                {u.id === me ? (
                  <span className="hint">you</span>
                ) : (
                  <>
                    <button
                      type="button"
                      className="secondary"
                      disabled={toggle.isPending}
                      onClick={() => {
                        if (u.disabled || window.confirm(`Disable ${u.name}'s account? They are signed out everywhere and cannot sign in until enabled again.`)) toggle.mutate({ id: u.id, disabled: !u.disabled });
                      }}
                    >
                      {u.disabled ? "Enable" : "Disable"}
                    </button>
                    <button
                      type="button"
                      className="danger"
                      disabled={remove.isPending}
                      onClick={() => {
                        if (window.confirm(`Remove ${u.name} (${u.email})? Their sessions, team memberships and sign-in end; what they wrote stays, unattributed. This cannot be undone.`)) remove.mutate(u.id);
                      }}
                    >
                      Remove
                    </button>
                  </>
                )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open ? (
        <section aria-label="Sessions of the selected person">
          <h3>Sessions of {users.find((u) => u.id === open)?.name}</h3>
          <UserSessions user={users.find((u) => u.id === open)!} />
        </section>
      ) : null}
    </div>
  );
}
