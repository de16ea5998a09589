// Definition history (docs/definition-history.md): versions of what SLIs and SLOs measure. Every
// path that changes a measured field (an SLO edit, an SLO-as-code apply) takes a snapshot of the
// measures before it and records the versions the change starts in the same transaction, from the
// rows as they are after it; lib/domain/definition-history.ts decides what a change writes.
import { describeChanges, versionsForChange, type DefinitionKind, type Measure, type SliMeasure, type SloMeasure, type Version } from "../../domain/definition-history";
import type { DefinitionHistoryView } from "../../schemas/views";
import { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";
import type { RereadInput } from "../../schemas/definition-history";
import { AppError, conflict } from "../errors";
import { requestPrometheusSync } from "../jobs/sync-requests";
import type { Actor } from "./actor";
import { requireDefinitionsWrite, requireTeamRead } from "./access";
import { writeAudit } from "./audit";
import { findService, findServiceSlo, findSli, sliView, storedWindowOf, trimDecimal } from "./catalog";

type Tx = Prisma.TransactionClient;

const compositeMembersOfSli = { slos: { select: { members: { orderBy: { position: "asc" }, select: { weight: true, member: { select: { slug: true, service: { select: { slug: true } } } } } } } } } as const;
type SliRow = Prisma.SliGetPayload<{ include: { dataSource: { select: { name: true } } } }> & Partial<Prisma.SliGetPayload<{ include: typeof compositeMembersOfSli }>>;
type SloRow = Prisma.SloGetPayload<{ include: { sli: { select: { slug: true } } } }>;

/** The one mapping from an SLI row to what it measures. */
export function sliMeasureOf(s: SliRow): SliMeasure {
  return {
    kind: s.kind,
    source: s.source,
    dataSource: s.dataSource?.name ?? null,
    url: s.promUrl,
    goodQuery: s.promGoodQuery,
    badQuery: s.promBadQuery,
    totalQuery: s.promTotalQuery,
    thresholdQuery: s.promThresholdQuery,
    thresholdOp: s.thresholdOp,
    thresholdValue: s.thresholdValue,
    latencyThresholdMs: s.latencyThresholdMs,
    sliceMinutes: s.sliceMinutes,
    sliceTarget: s.sliceTarget === null ? null : trimDecimal(s.sliceTarget.toString()),
    sliceMethod: s.sliceMethod,
    ...(s.source === "composite" ? { members: compositeMembersText(s) } : {}),
  };
}

/** A composite's members as one measured field: "svc/slo ×2, svc/other ×1; wait 10 min, then ignore". */
function compositeMembersText(s: SliRow): string {
  const members = (s.slos ?? []).flatMap((x) => x.members).map((m) => `${m.member.service.slug}/${m.member.slug} ×${trimDecimal(m.weight.toString())}`);
  return `${members.join(", ")}; wait ${s.maxDelayMinutes ?? 0} min, then ${s.whenDelayed ?? "ignore"}`;
}

/** The one mapping from an SLO row to what it judges. */
export function sloMeasureOf(s: SloRow): SloMeasure {
  return { sli: s.sli.slug, objective: trimDecimal(s.objective.toString()), window: storedWindowOf(s) };
}

/** The measures of some SLIs and SLOs as they are now: taken before a change, handed to recordDefinitionChanges after it. */
export type MeasureSnapshot = { sli: Map<string, { measure: SliMeasure; createdAt: Date }>; slo: Map<string, { measure: SloMeasure; createdAt: Date }> };

export async function snapshotMeasures(tx: Tx, ids: { sliIds?: readonly string[]; sloIds?: readonly string[] }): Promise<MeasureSnapshot> {
  const [slis, slos] = await Promise.all([
    ids.sliIds?.length ? tx.sli.findMany({ where: { id: { in: [...ids.sliIds] } }, include: { dataSource: { select: { name: true } }, ...compositeMembersOfSli } }) : [],
    ids.sloIds?.length ? tx.slo.findMany({ where: { id: { in: [...ids.sloIds] } }, include: { sli: { select: { slug: true } } } }) : [],
  ]);
  return {
    sli: new Map(slis.map((s) => [s.id, { measure: sliMeasureOf(s), createdAt: s.createdAt }])),
    slo: new Map(slos.map((s) => [s.id, { measure: sloMeasureOf(s), createdAt: s.createdAt }])),
  };
}

/**
 * After a change in `tx`: the versions it starts, valid from `at`, for every SLI and SLO of the
 * snapshot whose measured fields changed. Returns how many versions were written.
 */
export async function recordDefinitionChanges(tx: Tx, actor: Actor | null, teamId: string, before: MeasureSnapshot, at: Date, sourceRef: string | null = null): Promise<number> {
  const after = await snapshotMeasures(tx, { sliIds: [...before.sli.keys()], sloIds: [...before.slo.keys()] });
  const actorColumns = { actorUserId: actor?.kind === "user" ? actor.userId : null, actorTokenId: actor?.kind === "token" ? actor.tokenId : null, sourceRef };
  let written = 0;
  const record = async (kind: DefinitionKind, id: string, was: { measure: Measure; createdAt: Date }, now: Measure) => {
    const latest = await tx.definitionVersion.findFirst({ where: kind === "sli" ? { sliId: id } : { sloId: id }, orderBy: { version: "desc" } });
    const versions = versionsForChange(kind, latest ? versionOf(latest) : null, was.measure, now, was.createdAt, at);
    for (const v of versions) {
      await tx.definitionVersion.create({
        data: { teamId, kind, ...(kind === "sli" ? { sliId: id } : { sloId: id }), version: v.version, validFrom: v.validFrom, definition: v.measure as unknown as Prisma.InputJsonValue, changed: v.changed, ...actorColumns },
      });
    }
    written += versions.length;
  };
  for (const [id, was] of before.sli) {
    const now = after.sli.get(id);
    if (now) await record("sli", id, was, now.measure);
  }
  for (const [id, was] of before.slo) {
    const now = after.slo.get(id);
    if (now) await record("slo", id, was, now.measure);
  }
  return written;
}

type VersionRow = { version: number; validFrom: Date; definition: unknown; changed: string[] };
const versionOf = <M extends Measure>(r: VersionRow): Version<M> => ({ version: r.version, validFrom: r.validFrom, measure: r.definition as M, changed: r.changed });

/** An SLO's own versions, oldest first (none until its first measured change). */
export async function sloVersionsOf(sloId: string, tx: Tx = prisma()): Promise<Version<SloMeasure>[]> {
  return (await tx.definitionVersion.findMany({ where: { sloId }, orderBy: { version: "asc" } })).map((r) => versionOf<SloMeasure>(r));
}

/** An SLI's versions, oldest first. */
export async function sliVersionsOf(sliId: string, tx: Tx = prisma()): Promise<Version<SliMeasure>[]> {
  return (await tx.definitionVersion.findMany({ where: { sliId }, orderBy: { version: "asc" } })).map((r) => versionOf<SliMeasure>(r));
}

/** The history of an SLO and of the SLI it reads, newest first, each version with its changes in words. */
export async function getDefinitionHistory(actor: Actor, team: string, service: string, slo: string): Promise<DefinitionHistoryView> {
  const { row } = await findServiceSlo(await requireTeamRead(actor, team), service, slo);
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
