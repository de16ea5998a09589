"use client";
// The team's GitHub App for custom deployment protection rules (team admins): where to point
// GitHub's webhook, and the App's id, private key and webhook secret (write-only).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { changeTypes } from "@/lib/domain/policy";
import { putGithubSchema } from "@/lib/schemas/gate";
import type { GithubIntegrationView } from "@/lib/schemas/views";
import { api } from "./api";
import { Field } from "./field";
import { ApiForm, SelectField, TextAreaField, text, useApiForm } from "./form-kit";

export function GithubSettings({ team }: { team: string }) {
  const qc = useQueryClient();
  const path = `/api/v1/teams/${team}/github`;
  const key = ["github", team];
  const current = useQuery({ queryKey: key, queryFn: () => api<GithubIntegrationView>(path) });
  const refresh = () => void qc.invalidateQueries({ queryKey: key });
  const f = useApiForm<GithubIntegrationView>({ path, method: "PUT", schema: putGithubSchema, onDone: refresh });
  const remove = useMutation({ mutationFn: () => api(path, { method: "DELETE" }), onSuccess: refresh });
  const g = current.data;
  if (!g) return null;
  return (
    <>
      <div className="card small">
        <p>
          {g.configured ? (
            <>
              Connected: GitHub App <span className="mono">{g.appId}</span> on <span className="mono">{g.apiUrl}</span>; deploys default to change type <strong>{g.defaultChangeType}</strong>.
            </>
          ) : (
            "Not connected."
          )}
        </p>
        <p>
          Webhook URL for the App (event &ldquo;Deployment protection rule&rdquo;): <span className="mono">{g.webhookUrl}</span>
        </p>
        <p className="muted">Link each service to its repository in the service&apos;s settings. Deploys are approved or rejected on GitHub with the gate&apos;s reasons.</p>
        {g.configured ? (
          <button type="button" className="danger" onClick={() => window.confirm("Disconnect the GitHub App? Deployment protection rules stop being answered.") && remove.mutate()}>
            Disconnect GitHub
          </button>
        ) : null}
      </div>
      <details className="add">
        <summary>{g.configured ? "Replace the GitHub App settings" : "Connect a GitHub App"}</summary>
        <ApiForm
          label="GitHub App"
          form={f}
          toBody={(d) => ({ appId: text(d, "appId"), privateKey: text(d, "privateKey"), webhookSecret: text(d, "webhookSecret"), apiUrl: text(d, "apiUrl"), defaultChangeType: text(d, "defaultChangeType") })}
          submit="Save GitHub App"
          pendingText="Saving…"
        >
          <div className="grid-2">
            <Field id="gh-app" name="appId" label="App ID" inputMode="numeric" error={f.errors.appId} />
            <Field id="gh-api" name="apiUrl" label="API URL" hint="GitHub Enterprise: https://HOST/api/v3" defaultValue={g.apiUrl ?? "https://api.github.com"} error={f.errors.apiUrl} />
            <Field id="gh-secret" name="webhookSecret" type="password" label="Webhook secret" hint="stored, never shown again" autoComplete="off" error={f.errors.webhookSecret} />
            <SelectField id="gh-change" name="defaultChangeType" label="Change type of a deploy" hint="unless its payload names one" defaultValue={g.defaultChangeType ?? "feature"} error={f.errors.defaultChangeType}>
              {changeTypes.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </SelectField>
          </div>
          <TextAreaField id="gh-key" name="privateKey" label="Private key (PEM)" hint="stored, never shown again" rows={4} className="mono" autoComplete="off" error={f.errors.privateKey} />
        </ApiForm>
      </details>
    </>
  );
}
