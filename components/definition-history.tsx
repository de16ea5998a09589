"use client";
// The versions of an SLO's definition and of its SLI's (docs/definition-history.md), newest first,
// each change in words from the API (lib/domain/definition-history.ts), and, for an SLI pulled from
// Prometheus, "Read history again", which asks first: the minutes the source still holds replace
// what an older version stored.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { accessAtLeast } from "@/lib/domain/roles";
import type { DefinitionHistoryView } from "@/lib/schemas/views";
import { api } from "./api";
import { ConfirmDialog } from "./confirm-dialog";
import { Time } from "./time";

export type HistoryReading = "as-it-was" | "current";

/** How the charts judge history: by the definition in force at the time, or all of it by the current one. */
export function HistoryReadingChoice({ value, onChange, changed }: { value: HistoryReading; onChange: (v: HistoryReading) => void; changed: boolean }) {
  const name = useId();
  if (!changed && value === "as-it-was") return null;
  return (
    <fieldset className="inline-choice small">
      <legend>Judge history by</legend>
      <label>
        <input type="radio" name={name} checked={value === "as-it-was"} onChange={() => onChange("as-it-was")} /> the definition in force at the time
      </label>
      <label>
        <input type="radio" name={name} checked={value === "current"} onChange={() => onChange("current")} /> the current definition
      </label>
    </fieldset>
  );
}

export function DefinitionHistory({ team, service, slo, sli, role }: { team: string; service: string; slo: string; sli: { slug: string; source: string }; role: string }) {
  const base = `/api/v1/teams/${encodeURIComponent(team)}/services/${encodeURIComponent(service)}`;
  const history = useQuery({ queryKey: ["definition-history", base, slo], queryFn: () => api<DefinitionHistoryView>(`${base}/slos/${encodeURIComponent(slo)}/history`) });
  const [rereading, setRereading] = useState<HTMLElement | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const versions = history.data?.versions ?? [];
  const sliChanged = versions.some((v) => v.kind === "sli" && v.version > 1);
  const canReread = sli.source === "prometheus" && accessAtLeast(role, "editor");
  return (
    <section aria-labelledby="h-history">
      <h2 id="h-history">Definition history</h2>
      {history.isError ? (
        <p className="alert" role="alert">
          Could not load the history: {history.error.message}
        </p>
      ) : versions.length === 0 ? (
        <p className="muted">{history.isPending ? "Loading…" : "Unchanged since it was created: every chart reads its history with this definition."}</p>
      ) : (
        <>
          <p className="muted small">
            A change of what is measured starts a new version. The charts judge each moment by the version in force then, and mark each change; choose &ldquo;the current definition&rdquo; above the charts to recompute all of it from the stored events.
          </p>
          <div className="card table-wrap" tabIndex={0} role="region" aria-labelledby="h-history">
            <table>
              <caption className="visually-hidden">Versions of the SLO and of its SLI, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Since</th>
                  <th scope="col">Version</th>
                  <th scope="col">Changes</th>
                  <th scope="col">By</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={`${v.kind}-${v.subject}-${v.version}`}>
                    <td>
                      <Time at={v.validFrom} relative={false} />
                    </td>
                    <td>
                      {v.kind === "slo" ? "SLO" : "SLI"} <span className="mono">{v.subject}</span> v{v.version}
                    </td>
                    <td>{v.changes.length ? v.changes.join("; ") : <span className="muted">as first defined</span>}</td>
                    <td>
                      {v.by ?? (v.sourceRef ? null : <span className="muted">—</span>)}
                      {v.sourceRef ? <div className="muted small mono">{v.sourceRef}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {canReread && sliChanged ? (
        <p className="row">
          <span className="muted small">The SLI&apos;s minutes before its last change were read with the older queries.</span>
          <span className="spacer" />
          <button type="button" className="secondary" onClick={(e) => setRereading(e.currentTarget)}>
            Read history again…
          </button>
        </p>
      ) : null}
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {rereading ? (
        <RereadDialog
          path={`${base}/slis/${encodeURIComponent(sli.slug)}/reread`}
          sli={sli.slug}
          onClose={() => {
            rereading.focus();
            setRereading(null);
          }}
          onDone={() => setNotice(`SLI ${sli.slug} is being read again from Prometheus; its charts fill in as the backfill goes on.`)}
        />
      ) : null}
    </section>
  );
}

function RereadDialog({ path, sli, onClose, onDone }: { path: string; sli: string; onClose: () => void; onDone: () => void }) {
  const qc = useQueryClient();
  return (
    <ConfirmDialog
      title={`Read SLI ${sli}'s history again?`}
      confirmLabel="Read history again"
      typed={{ expected: sli }}
      onClose={onClose}
      onConfirm={async (typed) => {
        await api(path, { method: "POST", body: { confirm: typed } });
        void qc.invalidateQueries();
        onDone();
      }}
    >
      <ul>
        <li>Every minute its SLOs&apos; windows need is read again from Prometheus with the current queries.</li>
        <li>Where Prometheus still holds the samples, they replace the counts an older version stored; older minutes keep them.</li>
        <li>Remaining budget, burn rates and charts change as the backfill goes on; alerts follow the new numbers.</li>
      </ul>
    </ConfirmDialog>
  );
}
