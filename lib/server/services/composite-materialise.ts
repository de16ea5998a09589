// Materialises composite SLOs' minute buckets from their members' (docs/composite-slos.md), once
// a minute from the evaluation job, before the evaluation reads them. Per composite it advances
// the SLI's syncedUntil only as far as materialisableUntil allows (every member has data, or the
// delay bound has passed), records the minutes computed with a member missing (composite_gaps),
// and recomputes those minutes when the member's data arrives. Cheap when nothing changed: one
// look at the members' progress per composite, and no reads of minutes.
import { compositeMinute, materialisableUntil, whenDelayedModes, type MemberMinute, type WhenDelayed } from "../../domain/composite";
import { complianceWindow, DAY_MS, MINUTE_MS } from "../../domain/window";
import { prisma } from "../db/client";
import { recordSliSync } from "../jobs/sync-progress";
import { lastBucketsBefore, minuteBuckets, upsertBuckets, type BucketRow } from "../sli-data";
import { getConfig } from "../config";
import { storedWindowOf } from "./stored-values";

type MemberRow = { sloId: string; weight: number; objective: number; sli: { id: string; serviceId: string; source: string; syncedUntil: Date | null } };
type CompositeRow = { sloId: string; sliId: string; objective: number; maxDelayMinutes: number; whenDelayed: WhenDelayed; syncedUntil: Date | null; windowStart: Date; retainedFrom: Date; members: MemberRow[] };

export type MaterialiseResult = { composites: number; minutes: number; recomputed: number };

/** Brings every live composite up to date at `now`; composites made of composites go after their members. */
export async function materialiseComposites(now: Date, only?: readonly string[]): Promise<MaterialiseResult> {
  const composites = await loadComposites(now, only);
  const result: MaterialiseResult = { composites: 0, minutes: 0, recomputed: 0 };
  for (const c of dependencyOrder(composites)) {
    const r = await materialiseOne(c, now);
    if (r.minutes + r.recomputed > 0) result.composites++;
    result.minutes += r.minutes;
    result.recomputed += r.recomputed;
  }
  return result;
}

async function loadComposites(now: Date, only?: readonly string[]): Promise<CompositeRow[]> {
  const rows = await prisma().slo.findMany({
    where: { archivedAt: null, sli: { source: "composite", archivedAt: null }, members: { some: {} }, ...(only ? { id: { in: [...only] } } : {}) },
    include: { sli: true, members: { include: { member: { include: { sli: { select: { id: true, serviceId: true, source: true, syncedUntil: true } } } } } } },
  });
  // Backfill no further than minutes are kept (retention), however long the window.
  const oldest = now.getTime() - getConfig().MINUTE_RETENTION_DAYS * DAY_MS;
  return rows.map((s) => ({
    sloId: s.id,
    sliId: s.sliId,
    objective: Number(s.objective),
    maxDelayMinutes: s.sli.maxDelayMinutes ?? 0,
    whenDelayed: (whenDelayedModes as readonly string[]).includes(s.sli.whenDelayed ?? "") ? (s.sli.whenDelayed as WhenDelayed) : "ignore",
    syncedUntil: s.sli.syncedUntil,
    windowStart: new Date(Math.floor(Math.max(oldest, complianceWindow(storedWindowOf(s), now).start.getTime()) / MINUTE_MS) * MINUTE_MS),
    retainedFrom: new Date(oldest),
    members: s.members.map((m) => ({ sloId: m.memberSloId, weight: Number(m.weight), objective: Number(m.member.objective), sli: m.member.sli })),
  }));
}

/** Members before the composites that contain them (a composite's syncedUntil is its members' progress). */
function dependencyOrder(list: CompositeRow[]): CompositeRow[] {
  const bySlo = new Map(list.map((c) => [c.sloId, c]));
  const out: CompositeRow[] = [];
  const done = new Set<string>();
  const visit = (c: CompositeRow, depth: number) => {
    if (done.has(c.sloId) || depth > list.length) return;
    for (const m of c.members) {
      const inner = bySlo.get(m.sloId);
      if (inner) visit(inner, depth + 1);
    }
    done.add(c.sloId);
    out.push(c);
  };
  for (const c of list) visit(c, 0);
  return out;
}

/**
 * Each member's data-covers-until: a pulled or composite SLI's syncedUntil; a pushed SLI's newest
 * minute + 1 (an agent pushes every minute, so a quiet push SLI looks late: docs/composite-slos.md).
 */
async function memberThrough(c: CompositeRow, now: Date): Promise<Map<string, Date | null>> {
  const pushed = c.members.filter((m) => m.sli.source === "push").map((m) => m.sli.id);
  const last = pushed.length ? await lastBucketsBefore(pushed, new Date(now.getTime() + MINUTE_MS)) : new Map<string, Date>();
  return new Map(
    c.members.map((m) => {
      if (m.sli.source !== "push") return [m.sloId, m.sli.syncedUntil] as const;
      const l = last.get(m.sli.id);
      return [m.sloId, l ? new Date(l.getTime() + MINUTE_MS) : null] as const;
    }),
  );
}

async function materialiseOne(c: CompositeRow, now: Date): Promise<{ minutes: number; recomputed: number }> {
  const through = await memberThrough(c, now);
  const until = materialisableUntil([...through.values()], now, c.maxDelayMinutes);
  const from = c.syncedUntil && c.syncedUntil > c.windowStart ? c.syncedUntil : c.windowStart;
  // Minutes computed with a member missing whose data now covers them: recompute (members are authoritative).
  // Only the recorded gaps a member's data now covers are read (a dead member's pile is not);
  // gaps of former members and past retention go.
  await prisma().compositeGap.deleteMany({ where: { sliId: c.sliId, OR: [{ memberSloId: { notIn: c.members.map((m) => m.sloId) } }, { minute: { lt: c.retainedFrom } }] } });
  const covered = c.members.flatMap((m) => {
    const t = through.get(m.sloId);
    return t ? [{ memberSloId: m.sloId, minute: { lt: t } }] : [];
  });
  const arrived = covered.length ? await prisma().compositeGap.findMany({ where: { sliId: c.sliId, OR: covered }, select: { minute: true, memberSloId: true } }) : [];
  const redo = [...new Set(arrived.map((g) => g.minute.getTime()))].sort((a, b) => a - b);
  let minutes = 0;
  for (let start = from.getTime(); start < until.getTime(); start += DAY_MS) {
    const end = Math.min(start + DAY_MS, until.getTime());
    const list: number[] = [];
    for (let t = start; t < end; t += MINUTE_MS) list.push(t);
    minutes += await computeMinutes(c, through, list, false);
  }
  for (let i = 0; i < redo.length; ) {
    // Day-sized reads, as above.
    const first = redo[i]!;
    const chunk: number[] = [];
    while (i < redo.length && redo[i]! < first + DAY_MS) chunk.push(redo[i++]!);
    await computeMinutes(c, through, chunk, true);
  }
  if (arrived.length) await prisma().compositeGap.deleteMany({ where: { OR: arrived.map((g) => ({ sliId: c.sliId, minute: g.minute, memberSloId: g.memberSloId })) } });
  if (until.getTime() > from.getTime() || c.syncedUntil === null) {
    await recordSliSync(c.sliId, { syncedUntil: until > from ? until : from, backfillFrom: c.syncedUntil === null ? c.windowStart : undefined, lastSyncAt: now, lastSyncError: null });
  }
  return { minutes, recomputed: redo.length };
}

/**
 * Computes and writes the composite's buckets for `minutes` (sorted, within a day). `again`: the
 * minutes were written before, so an empty result is written as a zero bucket (it replaces the
 * old one); new empty minutes write nothing. Returns how many minutes were looked at.
 */
async function computeMinutes(c: CompositeRow, through: Map<string, Date | null>, minutes: readonly number[], again: boolean): Promise<number> {
  if (minutes.length === 0) return 0;
  const from = new Date(minutes[0]!);
  const to = new Date(minutes[minutes.length - 1]! + MINUTE_MS);
  // Members' minutes with their services' exclusions left out: an excluded minute sits out like a quiet one.
  const data = await Promise.all(c.members.map(async (m) => new Map((await minuteBuckets(m.sli, from, to)).map((b) => [b.start.getTime(), b]))));
  const rows: BucketRow[] = [];
  const gaps: { sliId: string; minute: Date; memberSloId: string }[] = [];
  for (const t of minutes) {
    const input: MemberMinute[] = c.members.map((m, k) => {
      const covered = through.get(m.sloId);
      const b = data[k]!.get(t);
      const state = covered && covered.getTime() > t ? (b && b.total > 0 ? "data" : "no_events") : b && b.total > 0 ? "data" : "missing";
      return { id: m.sloId, weight: m.weight, objective: m.objective, state, good: b?.good ?? 0, total: b?.total ?? 0 };
    });
    const out = compositeMinute(input, c.objective, c.whenDelayed);
    for (const id of out?.missing ?? input.filter((x) => x.state === "missing").map((x) => x.id)) gaps.push({ sliId: c.sliId, minute: new Date(t), memberSloId: id });
    if (out) rows.push({ sliId: c.sliId, minute: new Date(t), good: out.good, total: out.total });
    else if (again) rows.push({ sliId: c.sliId, minute: new Date(t), good: 0, total: 0 });
  }
  if (rows.length) await upsertBuckets(rows);
  if (gaps.length) await prisma().compositeGap.createMany({ data: gaps, skipDuplicates: true });
  return minutes.length;
}
