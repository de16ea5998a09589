"use client";
// A person's live sessions (their own on the account page; anyone's for a site admin), each
// endable. Ending one signs that browser out at its next request; it asks first.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime } from "@/lib/domain/format";
import type { SessionView } from "@/lib/schemas/views";
import { api, ApiError } from "./api";
import { Alert } from "./form-kit";
import { Time, useReaderTime } from "./time";

/** A short name for a browser from its User-Agent, for people to recognise their sessions. */
function browserOf(ua: string) {
  const name = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : ua ? "Other browser" : "Unknown browser";
  const os = /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS" : /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Linux/.test(ua) ? "Linux" : "";
  return os ? `${name} on ${os}` : name;
}

export function SessionManager({ base, initial, own }: { base: string; initial: SessionView[]; own: boolean }) {
  const qc = useQueryClient();
  const { timeZone, now } = useReaderTime();
  const key = ["sessions", base];
  const sessions = useQuery({ queryKey: key, queryFn: () => api<SessionView[]>(base), initialData: initial });
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const onError = (e: Error) => setMessage({ kind: "error", text: e instanceof ApiError ? e.message : "The change failed." });
  const end = useMutation({
    mutationFn: (id: string) => api(`${base}/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      setMessage({ kind: "ok", text: "Session ended: that browser is signed out." });
      void qc.invalidateQueries({ queryKey: key });
    },
    onError,
  });
  const endAll = useMutation({
    mutationFn: () => api<{ ended: number }>(base, { method: "DELETE" }),
    onSuccess: (r) => {
      setMessage({ kind: "ok", text: `${r.ended} session${r.ended === 1 ? "" : "s"} ended.` });
      void qc.invalidateQueries({ queryKey: key });
    },
    onError,
  });
  const others = sessions.data.filter((s) => !s.current).length;
  return (
    <div className="card table-wrap stack">
      {message?.kind === "error" ? <Alert>{message.text}</Alert> : message ? <p role="status">{message.text}</p> : null}
      {sessions.data.length === 0 ? (
        <p>No open sessions.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Browser</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last active</th>
              <th scope="col">From</th>
              <th scope="col">
                <span className="skip-link">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.data.map((s) => (
              <tr key={s.id}>
                <td>
                  {browserOf(s.userAgent)}
                  {s.current ? <strong> (this browser)</strong> : null}
                  <br />
                  <span className="hint">{s.method === "oidc" ? "single sign-on" : "password"}</span>
                </td>
                <td><Time at={s.createdAt} /></td>
                <td><Time at={s.lastSeenAt} /></td>
                <td>{s.address || "—"}</td>
                <td>
                  {s.current ? null : (
                    <button
                      type="button"
                      className="secondary"
                      disabled={end.isPending}
                      onClick={() => {
                        if (window.confirm(`End this session (${browserOf(s.userAgent)}, signed in ${formatDateTime(s.createdAt, timeZone, now)})? That browser is signed out.`)) end.mutate(s.id);
                      }}
                    >
                      End session
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {others > 0 ? (
        <div>
          <button
            type="button"
            className="secondary"
            disabled={endAll.isPending}
            onClick={() => {
              if (window.confirm(own ? `Sign out your ${others} other session${others === 1 ? "" : "s"}? This browser stays signed in.` : `End all ${others} sessions of this person?`)) endAll.mutate();
            }}
          >
            {own ? "Sign out everywhere else" : "End all sessions"}
          </button>
        </div>
      ) : null}
    </div>
  );
}
