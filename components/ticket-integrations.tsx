"use client";
// A team's Jira and Linear (team admins; docs/ticket-sync.md): connect each, see where to point
// its webhook, rotate the webhook secret, remove it. Tokens and secrets are write-only; a secret
// Burnrate makes is shown once, here, right after it is made.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { formatProvider, ticketProviders, type TicketProvider } from "@/lib/domain/ticket-sync";
import { createTicketIntegrationSchema, setWebhookSecretSchema, type TicketConnectionCheck, type TicketIntegrationView } from "@/lib/schemas/ticket-sync";
import { api } from "./api";
import { ConfirmDialog } from "./confirm-dialog";
import { Field } from "./field";
import { AddSection, Alert, ApiForm, text, useApiForm } from "./form-kit";

export function TicketIntegrations({ team }: { team: string }) {
  const qc = useQueryClient();
  const path = `/api/v1/teams/${team}/ticket-integrations`;
  const key = ["ticket-integrations", team];
  const list = useQuery({ queryKey: key, queryFn: () => api<TicketIntegrationView[]>(path) });
  const refresh = () => void qc.invalidateQueries({ queryKey: key });
  /** A secret just made: shown until the reader leaves the page. */
  const [shown, setShown] = useState<{ secret: string } | null>(null);
  const [removing, setRemoving] = useState<TicketIntegrationView | null>(null);
  /** A tracker connected just now: its connection is tested at once ("save and test"). */
  const [justConnected, setJustConnected] = useState<string | null>(null);
  const rotate = useMutation({
    mutationFn: (i: TicketIntegrationView) => api<TicketIntegrationView>(`${path}/${i.id}`, { method: "PATCH", body: { newWebhookSecret: true } }),
    onSuccess: (i) => {
      if (i.webhookSecret) setShown({ secret: i.webhookSecret });
      refresh();
    },
  });
  if (list.error) return <Alert>Could not load the trackers: {list.error.message}</Alert>;
  const rows = list.data;
  if (!rows) return null;
  const missing = ticketProviders.filter((p) => !rows.some((r) => r.provider === p));
  return (
    <>
      {shown ? (
        <div className="card notice" role="status">
          <strong>Jira webhook secret.</strong> Copy it now: it is shown only once. Give it to Jira&apos;s webhook (field &ldquo;Secret&rdquo;); deliveries without it are refused.
          <code className="secret" data-testid="new-webhook-secret">
            {shown.secret}
          </code>
          <div className="row">
            <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(shown.secret)}>
              Copy
            </button>
            <button type="button" className="secondary" onClick={() => setShown(null)}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      {rows.length === 0 ? <p className="card muted">No tracker connected: action items cannot create Jira or Linear issues yet.</p> : null}
      {rows.map((i) => (
        <div key={i.id} className="card small">
          <p>
            <strong>{formatProvider(i.provider)}</strong> at <span className="mono">{i.baseUrl}</span>, {i.provider === "jira" ? "project" : "team"} <span className="mono">{i.project}</span>
            {i.provider === "jira" ? (
              <>
                , issue type {i.issueType}, as {i.email}
              </>
            ) : null}
            ; {i.links} linked {i.links === 1 ? "item" : "items"}.
          </p>
          <p>
            Webhook URL ({i.provider === "jira" ? "event: Issue updated" : "data: Issues"}): <span className="mono">{i.webhookUrl}</span>
          </p>
          <p className="row">
            {i.provider === "jira" ? (
              <button type="button" className="secondary" disabled={rotate.isPending} onClick={() => window.confirm("Make a new webhook secret? Jira's webhook must then be given it, or its deliveries are refused.") && rotate.mutate(i)}>
                New webhook secret
              </button>
            ) : null}
            <span className="spacer" />
            <button type="button" className="danger" onClick={() => setRemoving(i)}>
              Remove {formatProvider(i.provider)}
            </button>
          </p>
          <ConnectionCheck path={`${path}/${i.id}/test`} provider={i.provider} autoRun={justConnected === i.id} />
          {i.provider === "linear" ? <LinearSecretForm path={`${path}/${i.id}`} onDone={refresh} /> : null}
        </div>
      ))}
      {missing.map((p) => (
        <ConnectForm key={p} provider={p} path={path} onDone={(i) => {
            // Linear signs with a secret it makes itself (pasted later): ours is not shown for it.
            if (i.webhookSecret && i.provider === "jira") setShown({ secret: i.webhookSecret });
            setJustConnected(i.id);
            refresh();
          }} />
      ))}
      {removing ? (
        <ConfirmDialog
          title={`Remove ${formatProvider(removing.provider)}?`}
          confirmLabel={`Remove ${formatProvider(removing.provider)}`}
          onConfirm={async () => {
            await api(`${path}/${removing.id}`, { method: "DELETE" });
            refresh();
          }}
          onClose={() => setRemoving(null)}
        >
          <p>
            Its {removing.links} linked {removing.links === 1 ? "item is" : "items are"} unlinked; the issues stay in {formatProvider(removing.provider)}, and its webhooks are refused from now on.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

/** "Test connection": the tracker reads the project or team with the stored settings; run at once after connecting. */
function ConnectionCheck({ path, provider, autoRun }: { path: string; provider: TicketProvider; autoRun: boolean }) {
  const check = useMutation({ mutationFn: () => api<TicketConnectionCheck>(path, { method: "POST" }) });
  const { mutate } = check;
  useEffect(() => {
    if (autoRun) mutate();
  }, [autoRun, mutate]);
  const r = check.data;
  return (
    <p className="row">
      <button type="button" className="secondary" disabled={check.isPending} onClick={() => check.mutate()}>
        {check.isPending ? "Testing…" : "Test connection"}
      </button>
      <span role="status" className={r && !r.ok ? "field-error" : "muted"}>
        {check.error ? `The test could not run: ${check.error.message}` : r ? (r.ok ? `${formatProvider(provider)} answered: the settings work.` : `${r.problem}${r.retry ? " (try again later)" : ""}`) : ""}
      </span>
    </p>
  );
}

function ConnectForm({ provider, path, onDone }: { provider: TicketProvider; path: string; onDone: (i: TicketIntegrationView) => void }) {
  const f = useApiForm<TicketIntegrationView>({ path, schema: createTicketIntegrationSchema, onDone });
  const id = (n: string) => `ti-${provider}-${n}`;
  return (
    <AddSection summary={`Connect ${formatProvider(provider)}`}>
      <ApiForm
        label={`Connect ${formatProvider(provider)}`}
        form={f}
        submit={`Connect ${formatProvider(provider)}`}
        pendingText="Connecting…"
        toBody={(d) => ({ provider, baseUrl: text(d, "baseUrl"), email: text(d, "email"), apiToken: text(d, "apiToken"), project: text(d, "project"), issueType: text(d, "issueType"), webhookSecret: text(d, "webhookSecret") })}
      >
        {provider === "jira" ? (
          <div className="grid-2">
            <Field id={id("url")} name="baseUrl" label="Jira site" hint="e.g. https://acme.atlassian.net" error={f.errors.baseUrl} />
            <Field id={id("email")} name="email" label="Account email" error={f.errors.email} />
            <Field id={id("token")} name="apiToken" type="password" label="API token" hint="stored, never shown again" autoComplete="off" error={f.errors.apiToken} />
            <Field id={id("project")} name="project" label="Project key" hint="e.g. OPS" error={f.errors.project} />
            <Field id={id("type")} name="issueType" label="Issue type" defaultValue="Task" error={f.errors.issueType} />
            <Field id={id("secret")} name="webhookSecret" type="password" label="Webhook secret" hint="leave empty: Burnrate makes one and shows it once" autoComplete="off" error={f.errors.webhookSecret} />
          </div>
        ) : (
          <div className="grid-2">
            <Field id={id("url")} name="baseUrl" label="API URL" defaultValue="https://api.linear.app" error={f.errors.baseUrl} />
            <Field id={id("token")} name="apiToken" type="password" label="API key" hint="stored, never shown again" autoComplete="off" error={f.errors.apiToken} />
            <Field id={id("project")} name="project" label="Team id" hint="the Linear team's UUID" error={f.errors.project} />
            <Field id={id("secret")} name="webhookSecret" type="password" label="Webhook signing secret" hint="Linear shows it on the webhook's page; may be added later" autoComplete="off" error={f.errors.webhookSecret} />
          </div>
        )}
      </ApiForm>
    </AddSection>
  );
}

/** Linear makes its webhook's signing secret itself: the admin pastes it here once the webhook exists. */
function LinearSecretForm({ path, onDone }: { path: string; onDone: () => void }) {
  const f = useApiForm<TicketIntegrationView>({ path, method: "PATCH", schema: setWebhookSecretSchema, onDone });
  return (
    <AddSection summary="Set Linear's webhook signing secret">
      <ApiForm label="Linear webhook secret" form={f} submit="Save secret" pendingText="Saving…" toBody={(d) => ({ webhookSecret: text(d, "webhookSecret") })}>
        <Field id="ti-linear-signing-secret" name="webhookSecret" type="password" label="Signing secret" hint="stored, never shown again" autoComplete="off" error={f.errors.webhookSecret} />
      </ApiForm>
    </AddSection>
  );
}
