"use client";
// An action item's Jira or Linear issue (docs/ticket-sync.md): the link with the tracker's status
// and whether the item's latest status has reached it; or, for editors, "Create Jira issue" /
// "Create Linear issue", which asks first (an issue is made in another system, visible to others).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatActionItemStatus } from "@/lib/domain/format";
import { formatProvider, formatRemoteStatus, type TicketProvider } from "@/lib/domain/ticket-sync";
import type { TicketState } from "@/lib/schemas/ticket-sync";
import { api } from "./api";
import { ConfirmDialog } from "./confirm-dialog";
import { Alert } from "./form-kit";
import { Time } from "./time";

export function TicketLink({ itemId, canEdit }: { itemId: string; canEdit: boolean }) {
  const qc = useQueryClient();
  const path = `/api/v1/action-items/${itemId}/ticket`;
  const key = ["ticket", itemId];
  const state = useQuery({ queryKey: key, queryFn: () => api<TicketState>(path) });
  const [asking, setAsking] = useState<TicketProvider | "unlink" | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: key });
  const unlink = useMutation({ mutationFn: () => api(path, { method: "DELETE" }), onSuccess: refresh });
  const s = state.data;
  if (state.error) return <Alert>Could not load the ticket: {state.error.message}</Alert>;
  if (!s) return null;
  const link = s.link;
  return (
    <div className="ticket-link">
      {link ? (
        <p>
          {formatProvider(link.provider)}{" "}
          <a href={link.url} target="_blank" rel="noreferrer noopener" className="mono">
            {link.key}
          </a>{" "}
          — {formatRemoteStatus(link.provider, link.remoteStatus)}
          {link.pending ? <span className="muted"> (last agreed: {formatActionItemStatus(link.syncedStatus)}; the item&apos;s new status is on its way)</span> : null}
          {canEdit ? (
            <>
              {" "}
              <button type="button" className="secondary small" onClick={() => setAsking("unlink")}>
                Unlink
              </button>
            </>
          ) : null}
        </p>
      ) : canEdit && s.providers.length ? (
        <p className="row">
          {s.providers.map((p) => (
            <button key={p} type="button" className="secondary" onClick={() => setAsking(p)}>
              Create {formatProvider(p)} issue
            </button>
          ))}
        </p>
      ) : (
        <p className="muted">{s.providers.length ? "No issue linked." : "No issue linked. A team admin can connect Jira or Linear in the team's settings."}</p>
      )}
      {link?.lastError ? (
        <Alert>
          Could not update {link.key}: {link.lastError}.{link.nextAttemptAt ? <> Trying again <Time at={link.nextAttemptAt} />.</> : null}
        </Alert>
      ) : null}
      {asking === "jira" || asking === "linear" ? (
        <ConfirmDialog
          title={`Create a ${formatProvider(asking)} issue?`}
          confirmLabel={`Create ${formatProvider(asking)} issue`}
          onConfirm={async () => {
            await api(path, { method: "POST", body: { provider: asking } });
            refresh();
          }}
          onClose={() => setAsking(null)}
        >
          <p>
            An issue with this action item&apos;s title is created in the team&apos;s {formatProvider(asking)} project, with a link back here. From then on its status follows the item&apos;s, and the
            item follows the issue&apos;s.
          </p>
        </ConfirmDialog>
      ) : null}
      {asking === "unlink" && link ? (
        <ConfirmDialog
          title={`Unlink ${link.key}?`}
          confirmLabel="Unlink"
          onConfirm={async () => {
            await unlink.mutateAsync();
          }}
          onClose={() => setAsking(null)}
        >
          <p>The issue stays in {formatProvider(link.provider)}; its status and the item&apos;s no longer follow each other.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
