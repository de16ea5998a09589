// Definition versions (docs/definition-history.md): what SLIs and SLOs measure, as versions.
// Every path that changes a measured field (an SLO or SLI edit, an SLO-as-code apply, a composite
// or group change) takes a snapshot of the measures before it and records the versions the change
// starts in the same transaction, from the rows as they are after it; lib/domain/definition-history.ts
// decides what a change writes. Reading them for people is definition-history.ts.
import { versionsForChange, type DefinitionKind, type Measure, type SliMeasure, type SloMeasure, type Version } from "../../domain/definition-history";
import { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";
import type { Actor } from "./actor";
import { storedWindowOf, trimDecimal } from "./stored-values";

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
export const versionOf = <M extends Measure>(r: VersionRow): Version<M> => ({ version: r.version, validFrom: r.validFrom, measure: r.definition as M, changed: r.changed });

/** An SLO's own versions, oldest first (none until its first measured change). */
export async function sloVersionsOf(sloId: string, tx: Tx = prisma()): Promise<Version<SloMeasure>[]> {
  return (await tx.definitionVersion.findMany({ where: { sloId }, orderBy: { version: "asc" } })).map((r) => versionOf<SloMeasure>(r));
}

/** An SLI's versions, oldest first. */
export async function sliVersionsOf(sliId: string, tx: Tx = prisma()): Promise<Version<SliMeasure>[]> {
  return (await tx.definitionVersion.findMany({ where: { sliId }, orderBy: { version: "asc" } })).map((r) => versionOf<SliMeasure>(r));
}

