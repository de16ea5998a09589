"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { tokenScopes } from "@/lib/domain/roles";
import { createTokenSchema, type CreatedToken, type TokenView } from "@/lib/schemas/tokens";
import { fieldErrors } from "@/lib/schemas/field-errors";
import { api, ApiError } from "./api";
import { Field } from "./field";
import { Alert } from "./form-kit";
import { Time } from "./time";

const scopeHelp: Record<(typeof tokenScopes)[number], string> = {
  ingest: "push SLI data",
  gate: "ask the deploy gate",
  read: "read SLO status",
  definitions: "change services, SLIs, SLOs and policies (SLO as code)",
};

function when(iso: string | null) {
  return iso ? <Time at={iso} /> : "—";
}

export function TokenManager({ team }: { team: string }) {
  const qc = useQueryClient();
  const key = ["tokens", team];
  const tokens = useQuery({ queryKey: key, queryFn: () => api<TokenView[]>(`/api/v1/teams/${team}/tokens`) });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<CreatedToken | null>(null);
  // The secret is shown once: the focus goes to its Copy button, the next thing to do.
  const copy = useRef<HTMLButtonElement>(null);
  useEffect(() => copy.current?.focus(), [created]);

  const create = useMutation({
    mutationFn: (body: unknown) => api<CreatedToken>(`/api/v1/teams/${team}/tokens`, { method: "POST", body }),
    onSuccess: (t) => {
      setCreated(t);
      void qc.invalidateQueries({ queryKey: key });
    },
    onError: (e) => setFields(e instanceof ApiError ? { ...e.fields, form: e.message } : { form: "Could not create the token." }),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api<TokenView>(`/api/v1/teams/${team}/tokens/${id}`, { method: "DELETE" }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: key }),
  });

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const expires = String(form.get("expiresAt") ?? "");
    const raw = {
      name: form.get("name"),
      scopes: form.getAll("scopes"),
      expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
    };
    const parsed = createTokenSchema.safeParse(raw);
    if (!parsed.success) return setFields(fieldErrors(parsed.error));
    setFields({});
    create.mutate(raw);
    e.currentTarget.reset();
  }

  return (
    <>
      {created ? (
        <div className="card notice" role="status">
          <strong>Token “{created.token.name}” created.</strong> Copy it now: it is shown only once.
          <code className="secret" data-testid="new-token">
            {created.secret}
          </code>
          <div className="row">
            <button ref={copy} type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(created.secret)}>
              Copy
            </button>
            <button type="button" className="secondary" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      <div className="card">
        <h3 style={{ marginTop: 0 }}>New token</h3>
        <form className="stack" onSubmit={onSubmit} noValidate aria-label="Create API token">
          <Field id="token-name" name="name" label="Name" hint="what uses it, e.g. github-actions" error={fields.name} />
          <fieldset aria-describedby={fields.scopes ? "scopes-error" : undefined}>
            <legend>Scopes</legend>
            <div className="checks">
              {tokenScopes.map((s) => (
                <label key={s}>
                  <input type="checkbox" name="scopes" value={s} /> {s} <span className="hint">({scopeHelp[s]})</span>
                </label>
              ))}
            </div>
            {fields.scopes ? (
              <p className="field-error" id="scopes-error">
                {fields.scopes}
              </p>
            ) : null}
          </fieldset>
          <Field id="token-expiry" name="expiresAt" type="date" label="Expires" hint="optional; end of that day, local time" error={fields.expiresAt} />
          {fields.form ? <Alert>{fields.form}</Alert> : null}
          <div>
            <button type="submit" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create token"}
            </button>
          </div>
        </form>
      </div>
      <div className="card table-wrap">
        {tokens.isPending ? (
          <p className="muted">Loading tokens…</p>
        ) : tokens.isError ? (
          <p className="alert">Could not load tokens: {tokens.error.message}</p>
        ) : tokens.data.length === 0 ? (
          <p className="empty">No tokens yet. Create one for each pipeline or exporter that calls Burnrate.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Scopes</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td className="mono">{t.prefix}…</td>
                  <td>{t.scopes.join(", ")}</td>
                  <td>{when(t.lastUsedAt)}</td>
                  <td>{t.expiresAt ? when(t.expiresAt) : "never"}</td>
                  <td>
                    {t.revokedAt ? (
                      <span className="muted">revoked</span>
                    ) : t.expiresAt && new Date(t.expiresAt) < new Date() ? (
                      <span className="muted">expired</span>
                    ) : (
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Revoke token ${t.name}`}
                        disabled={revoke.isPending}
                        onClick={() => {
                          if (window.confirm(`Revoke “${t.name}”? Anything using it stops working at once.`)) revoke.mutate(t.id);
                        }}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
