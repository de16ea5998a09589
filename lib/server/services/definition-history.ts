// Definition history (docs/definition-history.md) for people: an SLO's and its SLI's versions
// with their changes in words, and reading a Prometheus SLI's history again. The versions
// themselves are recorded by definition-versions.ts.
import { describeChanges, type DefinitionKind, type Measure } from "../../domain/definition-history";
import type { DefinitionHistoryView } from "../../schemas/views";
import { prisma } from "../db/client";
import type { RereadInput } from "../../schemas/definition-history";
import { AppError, conflict } from "../errors";
import { requestPrometheusSync } from "../jobs/sync-requests";
import type { Actor } from "./actor";
import { requireDefinitionsWrite } from "./access";
import { writeAudit } from "./audit";
import { findService, readServiceSlo, findSli, sliView } from "./catalog";
import { versionOf } from "./definition-versions";

/** The history of an SLO and of the SLI it reads, newest first, each version with its changes in words. */
export async function getDefinitionHistory(actor: Actor, team: string, service: string, slo: string): Promise<DefinitionHistoryView> {
  const { row } = await readServiceSlo(actor, team, service, slo);
  const rows = await prisma().definitionVersion.findMany({
    where: { OR: [{ sloId: row.id }, { sliId: row.sliId }] },
    include: { sli: { select: { slug: true } } },
    orderBy: [{ validFrom: "desc" }, { version: "desc" }],
  });
  const users = await prisma().user.findMany({ where: { id: { in: rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])) } }, select: { id: true, name: true, email: true } });
  const tokens = await prisma().apiToken.findMany({ where: { id: { in: rows.flatMap((r) => (r.actorTokenId ? [r.actorTokenId] : [])) } }, select: { id: true, name: true } });
  const byName = new Map<string, string>([...users.map((u) => [u.id, u.name || u.email] as const), ...tokens.map((t) => [t.id, `token ${t.name}`] as const)]);
  const previous = (kind: string, ownerId: string | null, version: number) => rows.find((r) => r.kind === kind && (r.sloId ?? r.sliId) === ownerId && r.version === version - 1);
  return {
    versions: rows.map((r) => {
      const kind = r.kind as DefinitionKind;
      const prev = previous(r.kind, r.sloId ?? r.sliId, r.version);
      return {
        kind,
        subject: kind === "slo" ? row.slug : (r.sli?.slug ?? ""),
        version: r.version,
        validFrom: r.validFrom.toISOString(),
        changed: r.changed,
        changes: describeChanges(kind, prev ? (prev.definition as Measure) : null, versionOf(r)),
        by: (r.actorUserId && byName.get(r.actorUserId)) || (r.actorTokenId && byName.get(r.actorTokenId)) || null,
        sourceRef: r.sourceRef,
        definition: r.definition as Record<string, unknown>,
      };
    }),
  };
}

/**
 * "Recompute from stored data" for a Prometheus SLI: its backfill starts over, so the next sync
 * reads every minute its SLOs' windows need again with the current queries, replacing what an
 * older version stored wherever the source still holds the samples (older minutes keep the old
 * version's counts). A pushed SLI cannot be: the counts its agent sent are all Burnrate has.
 */
export async function rereadSli(actor: Actor, team: string, service: string, sli: string, input: RereadInput) {
  const access = await requireDefinitionsWrite(actor, team, "editor");
  const view = await prisma().$transaction(async (tx) => {
    const svc = await findService(access, service, tx);
    const found = await findSli(svc.id, sli, tx);
    if (input.confirm !== found.slug) throw new AppError("invalid", `type "${found.slug}" (the SLI's slug) to read its history again`, { confirm: `must be "${found.slug}"` });
    if (found.archivedAt) throw conflict(`SLI "${found.slug}" is archived: restore it first`);
    if (found.source !== "prometheus") throw conflict(`SLI "${found.slug}" is pushed: Burnrate stores the counts its agent sent, not the raw data, so its history cannot be read again`);
    const s = await tx.sli.update({ where: { id: found.id }, data: { backfillFrom: null, syncedUntil: null } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "sli.reread", targetType: "sli", targetId: s.id, before: { backfillFrom: found.backfillFrom?.toISOString() ?? null, syncedUntil: found.syncedUntil?.toISOString() ?? null } });
    return sliView(s);
  });
  requestPrometheusSync([view.id]);
  return view;
}
