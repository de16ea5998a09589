"use client";
// Archive and restore of a grouped SLO (docs/grouped-slos.md), asked first in the one confirm frame
// (confirm-dialog.tsx): archiving takes the live members with it, restoring brings back exactly
// those (members that had aged out before wait for data, as always).
import { formatCount } from "@/lib/domain/format";
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import type { GroupView } from "@/lib/schemas/slo-groups";
import { api } from "./api";
import { ConfirmDialog } from "./confirm-dialog";

export function GroupArchiveControls({ team, service, group }: { team: string; service: string; group: GroupView }) {
  const router = useRouter();
  const qc = useQueryClient();
  const opener = useRef<HTMLButtonElement>(null);
  const [asking, setAsking] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const path = `/api/v1/teams/${encodeURIComponent(team)}/services/${encodeURIComponent(service)}/groups/${encodeURIComponent(group.slug)}`;
  const archived = group.archivedAt !== null;
  const push = `${service}/${group.slug}`;
  const act = async () => {
    await api<GroupView>(archived ? `${path}/restore` : path, { method: archived ? "POST" : "DELETE" });
    setNotice(`${group.name} ${archived ? "restored" : "archived"}.`);
    void qc.invalidateQueries();
    router.refresh();
  };
  return (
    <div className="stack">
      <p role="status" className={notice ? "notice" : "visually-hidden"}>
        {notice ?? ""}
      </p>
      <p>
        <button
          type="button"
          ref={opener}
          className={archived ? "secondary" : "danger"}
          onClick={() => {
            setNotice(null);
            setAsking(true);
          }}
        >
          {archived ? "Restore group…" : "Archive group…"}
        </button>
      </p>
      {asking ? (
        <ConfirmDialog
          title={archived ? `Restore ${group.name}?` : `Archive ${group.name}?`}
          confirmLabel={archived ? "Restore group" : "Archive group"}
          onConfirm={act}
          onClose={() => {
            setAsking(false);
            opener.current?.focus();
          }}
        >
          {archived ? (
            <ul>
              <li>The members archived with the group come back at once, with their data, alerts and place in the deploy gate.</li>
              <li>Members that had aged out before the group was archived stay archived until data arrives for their value.</li>
              <li>{group.source === "prometheus" ? "The Prometheus sync resumes from where it stopped, at its next minute." : `Pushes to "${push}" are taken again; new values make members up to the cap of ${group.maxMembers}.`}</li>
            </ul>
          ) : (
            <ul>
              <li>
                {group.memberCount.live === 1 ? "Its 1 live member is" : `Its ${formatCount(group.memberCount.live)} live members are`} archived with it: they leave the overview, alerts, the deploy gate and /metrics. Their data is kept.
              </li>
              <li>{group.source === "prometheus" ? "The Prometheus sync stops." : `Pushes to "${push}" are refused, saying the group is archived.`}</li>
              <li>Restoring the group brings back exactly the members archived with it; aged-out members come back when data arrives for them.</li>
            </ul>
          )}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
