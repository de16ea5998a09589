"use client";
// Archive, restore and delete of a service, SLI or SLO, with a confirm dialog (confirm-dialog.tsx) that says
// what happens to data and decisions before anything is done (lib/domain/archive.ts words it).
// A native modal <dialog>: the rest of the page is inert, Escape cancels, focus starts in the
// dialog and goes back to the button that opened it. Pages insert it with one line:
//   service page: <ArchiveControls team=… role=… target={{ kind: "service", … }} slis={…} />
//   SLO page:     <ArchiveControls team=… role=… target={{ kind: "slo", … }} />
//   team page:    <ArchiveControls team=… role=… />   (the team's archived services)
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { archiveConsequences, confirmationMatches, type CatalogKind } from "@/lib/domain/archive";
import { Time } from "./time";
import { accessAtLeast } from "@/lib/domain/roles";
import type { ArchivedItem, ArchivedList } from "@/lib/schemas/archive";
import { api, ApiError } from "./api";
import { ConfirmDialog } from "./confirm-dialog";

export type ArchiveTarget =
  | { kind: "service"; service: string; name: string; slis: number; slos: number }
  | { kind: "slo"; service: string; serviceName: string; slug: string; name: string };

type Subject = { kind: CatalogKind; service: string; slug: string; name: string };
type Pending = { action: "archive" | "delete"; subject: Subject; lines: string[]; deletion?: ArchivedItem["deletion"]; opener: HTMLElement | null };

const noun = { service: "service", sli: "SLI", slo: "SLO" } as const;

function pathOf(team: string, s: Subject) {
  const base = `/api/v1/teams/${encodeURIComponent(team)}/services/${encodeURIComponent(s.service)}`;
  return s.kind === "service" ? base : `${base}/${s.kind}s/${encodeURIComponent(s.slug)}`;
}

export function ArchiveControls({ team, role, target, slis = [] }: { team: string; role: string; target?: ArchiveTarget; slis?: readonly { slug: string; name: string }[] }) {
  const router = useRouter();
  const qc = useQueryClient();
  const key = ["archived", team];
  const list = useQuery({ queryKey: key, queryFn: () => api<ArchivedList>(`/api/v1/teams/${encodeURIComponent(team)}/archived`) });
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const canEdit = accessAtLeast(role, "editor");
  const canDelete = accessAtLeast(role, "admin");
  const items = list.data?.items ?? [];

  const self = target ? items.find((i) => i.kind === target.kind && i.service.slug === target.service && (target.kind === "service" || i.slug === target.slug)) : undefined;
  // What this page lists as archived: a service's SLIs and SLOs; the team's services.
  const listed = !target ? items.filter((i) => i.kind === "service") : target.kind === "service" ? items.filter((i) => i.kind !== "service" && i.service.slug === target.service) : [];

  const refresh = () => {
    void qc.invalidateQueries({ queryKey: key });
    router.refresh();
  };
  const done = (s: Subject, what: string) => {
    setNotice(`${noun[s.kind]} ${s.name} ${what}.`);
    // Deleting what this page shows leaves the page: to the service, or to the team.
    if (what === "deleted" && target && s.kind === target.kind && (s.kind === "service" ? s.service === target.service : s.slug === (target as { slug: string }).slug)) {
      router.push(s.kind === "service" ? `/teams/${team}` : `/teams/${team}/services/${s.service}`);
    } else refresh();
  };
  const restore = async (s: Subject) => {
    setNotice(null);
    try {
      await api(`${pathOf(team, s)}/restore`, { method: "POST", body: {} });
      done(s, "restored");
    } catch (e) {
      setNotice(e instanceof ApiError ? e.message : "Could not restore: the server did not answer.");
    }
  };
  const askArchive = (s: Subject, opener: HTMLElement | null, counts?: { slis: number; slos: number }) =>
    setPending({ action: "archive", subject: s, opener, lines: archiveConsequences(s.kind, { name: s.name, service: target?.kind === "slo" ? target.serviceName : undefined, ...counts }) });
  const askDelete = (item: ArchivedItem, opener: HTMLElement | null) =>
    setPending({ action: "delete", subject: { kind: item.kind, service: item.service.slug, slug: item.slug, name: item.name }, opener, lines: [], deletion: item.deletion });

  const selfSubject: Subject | null = target ? (target.kind === "service" ? { kind: "service", service: target.service, slug: target.service, name: target.name } : { kind: "slo", service: target.service, slug: target.slug, name: target.name }) : null;
  const [sliChoice, setSliChoice] = useState("");
  const showArchiveButton = Boolean(target && selfSubject && !self && canEdit && list.isSuccess);
  // Nothing to offer (a viewer, nothing archived): no empty landmark.
  if (!notice && !self && !showArchiveButton && listed.length === 0 && !pending) return null;

  return (
    <section aria-label="Archive" className="archive-controls">
      {notice ? (
        <p className="card" role="status">
          {notice}
        </p>
      ) : null}
      {target && selfSubject && self ? (
        <div className="card" role="note">
          <p>
            <strong>Archived</strong> <Time at={self.archivedAt} />
            {self.archivedBy ? ` by ${self.archivedBy}` : ""}. It is left out of lists, the gate, alerts and /metrics; its data is kept.
          </p>
          <ItemActions item={self} canEdit={canEdit} canDelete={canDelete} onRestore={restore} onDelete={askDelete} />
        </div>
      ) : null}
      {target && selfSubject && showArchiveButton ? (
        <p className="row">
          <button type="button" className="secondary" onClick={(e) => askArchive(selfSubject, e.currentTarget, target.kind === "service" ? { slis: target.slis, slos: target.slos } : undefined)}>
            Archive this {noun[target.kind]}…
          </button>
          {target.kind === "service" && slis.length && canEdit ? (
            <>
              <label htmlFor="archive-sli">or an SLI of it:</label>
              <select id="archive-sli" value={sliChoice} onChange={(e) => setSliChoice(e.target.value)}>
                <option value="">choose…</option>
                {slis.map((s) => (
                  <option key={s.slug} value={s.slug}>
                    {s.name}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="secondary"
                disabled={!sliChoice}
                onClick={(e) => {
                  const s = slis.find((x) => x.slug === sliChoice);
                  if (s) askArchive({ kind: "sli", service: target.service, slug: s.slug, name: s.name }, e.currentTarget);
                }}
              >
                Archive SLI…
              </button>
            </>
          ) : null}
        </p>
      ) : null}
      {listed.length ? (
        <>
          <h2>Archived</h2>
          <ul className="card plain-list">
            {listed.map((i) => (
              <li key={`${i.kind}:${i.id}`} className="row">
                <span>
                  {i.kind === "service" ? (
                    <a href={`/teams/${team}/services/${i.service.slug}`}>{i.name}</a>
                  ) : (
                    <>
                      {noun[i.kind]} {i.name}
                    </>
                  )}{" "}
                  <span className="mono small">{i.slug}</span>
                  <div className="muted small">
                    archived <Time at={i.archivedAt} />
                    {i.archivedBy ? ` by ${i.archivedBy}` : ""}
                    {i.withService ? " with the service" : ""}
                  </div>
                </span>
                <span className="spacer" />
                <ItemActions item={i} canEdit={canEdit} canDelete={canDelete} onRestore={restore} onDelete={askDelete} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {pending ? (
        <ArchiveDialog
          team={team}
          pending={pending}
          onClose={() => {
            const opener = pending.opener;
            setPending(null);
            // Focus goes back where it was (the opener may be gone once the list changed).
            if (opener?.isConnected) opener.focus();
          }}
          onDone={(s, what) => done(s, what)}
        />
      ) : null}
    </section>
  );
}

function ItemActions({ item, canEdit, canDelete, onRestore, onDelete }: { item: ArchivedItem; canEdit: boolean; canDelete: boolean; onRestore: (s: Subject) => Promise<void>; onDelete: (i: ArchivedItem, opener: HTMLElement | null) => void }) {
  const label = `${noun[item.kind]} ${item.name}`;
  return (
    <span>
      {canEdit ? (
        <button type="button" className="secondary" aria-label={`Restore ${label}`} onClick={() => void onRestore({ kind: item.kind, service: item.service.slug, slug: item.slug, name: item.name })}>
          Restore
        </button>
      ) : null}{" "}
      {canDelete ? (
        <button type="button" className="danger" aria-label={`Delete ${label} for good`} onClick={(e) => onDelete(item, e.currentTarget)}>
          Delete…
        </button>
      ) : null}
    </span>
  );
}

function ArchiveDialog({ team, pending, onClose, onDone }: { team: string; pending: Pending; onClose: () => void; onDone: (s: Subject, what: string) => void }) {
  const { subject: s, action } = pending;
  const title = action === "archive" ? `Archive ${noun[s.kind]} ${s.name}?` : `Delete ${noun[s.kind]} ${s.name} for good?`;
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={action === "archive" ? `Archive ${noun[s.kind]}` : `Delete ${noun[s.kind]} for good`}
      typed={action === "delete" ? { expected: s.slug, hint: " (or its name)", matches: (t) => confirmationMatches(t, s) } : undefined}
      onClose={onClose}
      onConfirm={async (typed) => {
        if (action === "archive") await api(`${pathOf(team, s)}/archive`, { method: "POST", body: {} });
        else await api(pathOf(team, s), { method: "DELETE", body: { confirm: typed } });
        onDone(s, action === "archive" ? "archived" : "deleted");
      }}
    >
      {action === "archive" ? (
        <ul>
          {pending.lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      ) : (
        <>
          <p>This cannot be undone. Deleted:</p>
          <ul>
            {pending.deletion!.deleted.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
          <p>Kept:</p>
          <ul>
            {pending.deletion!.kept.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </>
      )}
    </ConfirmDialog>
  );
}
