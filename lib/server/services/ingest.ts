// Push ingestion: a batch of minute buckets from a machine holding an `ingest` token. Each item
// is checked on its own; rejected items come back with their index and reason, valid ones are
// stored (the last value sent for a bucket wins, so re-sending a batch changes nothing).
import { FUTURE_TOLERANCE_MS, parseIngestItem, type IngestEnvelope, type IngestItem, type IngestRejection, type IngestResult } from "../../schemas/ingest";
import { isUuid } from "../../schemas/common";
import { forbidden } from "../errors";
import { getConfig } from "../config";
import { DAY_MS } from "../../domain/window";
import { prisma } from "../db/client";
import { currentRequest } from "../request-context";
import { upsertBuckets, type BucketRow } from "../sli-data";
import type { Actor } from "./actor";
import { requireScope } from "./access";
import { clockNow } from "../clock";
import { archivedSliPush } from "../../domain/archive";
import { storeCohortMinutes, type CohortRow } from "./cohorts";
import { resolveGroupItems } from "./slo-group-members";

export async function ingestBatch(actor: Actor, envelope: IngestEnvelope, now = clockNow()): Promise<IngestResult> {
  if (actor.kind !== "token") throw forbidden("push SLI data with an API token that has the ingest scope");
  requireScope(actor, "ingest");
  const retentionDays = getConfig().MINUTE_RETENTION_DAYS;
  const oldest = now.getTime() - retentionDays * DAY_MS;
  const rejected: IngestRejection[] = [];
  // Parallel arrays, not an object per item: a batch is 10,000 items and allocation shows.
  const valid: IngestItem[] = [];
  const validIndex: number[] = [];
  envelope.items.forEach((raw, index) => {
    const r = parseIngestItem(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      rejected.push({ index, field: issue?.path.join(".") || "item", reason: issue?.message ?? "is invalid" });
    } else if (r.data.minute.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
      rejected.push({ index, field: "minute", reason: "minute is more than 5 minutes in the future" });
    } else if (r.data.minute.getTime() < oldest) {
      rejected.push({ index, field: "minute", reason: `minute is older than the ${retentionDays}-day retention of minute data` });
    } else {
      valid.push(r.data);
      validIndex.push(index);
    }
  });

  // Items with labels name a grouped SLO: their members are found, or made (docs/grouped-slos.md).
  const grouped = valid.some((v) => v.labels) ? await resolveGroupItems(actor, valid.filter((v): v is IngestItem & { labels: Record<string, string> } => v.labels !== undefined), now) : [];
  let g = 0;
  const memberOf = valid.map((v) => (v.labels ? grouped[g++] : undefined));
  const { ids: sliIds, archived } = await resolveSlis(actor.teamId, [...new Set(valid.filter((v) => !v.labels).map((v) => v.sli))]);
  const rows: BucketRow[] = [];
  // Cohort minutes go to their own table, never into the SLI's numbers (docs/deploy-verification.md).
  const cohortRows: CohortRow[] = [];
  const cohortIndex: number[] = [];
  valid.forEach((item, i) => {
    const member = memberOf[i];
    if (member) {
      if ("sliId" in member) rows.push({ sliId: member.sliId, minute: item.minute, good: item.good, total: item.total });
      else rejected.push({ index: validIndex[i]!, ...member });
      return;
    }
    const sliId = sliIds.get(item.sli);
    if (archived.has(item.sli)) rejected.push({ index: validIndex[i]!, field: "sli", reason: archivedSliPush(archived.get(item.sli)!) });
    else if (!sliId) rejected.push({ index: validIndex[i]!, field: "sli", reason: `unknown SLI "${item.sli}" (give its id or "service/sli" slugs of this token's team)` });
    else if (item.cohort !== undefined) {
      cohortRows.push({ sliId, cohort: item.cohort, minute: item.minute, good: item.good, total: item.total });
      cohortIndex.push(validIndex[i]!);
    } else rows.push({ sliId, minute: item.minute, good: item.good, total: item.total });
  });
  if (rows.length) await upsertBuckets(rows);
  let cohortsStored = 0;
  if (cohortRows.length) {
    (await storeCohortMinutes(cohortRows, now)).forEach((reason, i) => {
      if (reason) rejected.push({ index: cohortIndex[i]!, field: "cohort", reason });
      else cohortsStored++;
    });
  }
  const ctx = currentRequest();
  if (ctx) ctx.team = actor.teamSlug;
  rejected.sort((a, b) => a.index - b.index);
  return { accepted: rows.length + cohortsStored, rejected };
}

/**
 * Maps each reference (SLI id, or "service/sli" slugs) to an SLI of the team; other teams' SLIs
 * stay unknown. Archived SLIs take no data: `archived` maps their references to "service/sli".
 */
async function resolveSlis(teamId: string, refs: string[]) {
  const ids = refs.filter(isUuid);
  const pairs = refs.filter((r) => !isUuid(r) && /^[^/]+\/[^/]+$/.test(r)).map((r) => r.split("/") as [string, string]);
  const found = await prisma().sli.findMany({
    where: {
      service: { teamId },
      OR: [{ id: { in: ids } }, ...pairs.map(([service, sli]) => ({ slug: sli, service: { slug: service } }))],
    },
    include: { service: { select: { slug: true } } },
  });
  const map = new Map<string, string>();
  const archived = new Map<string, string>();
  for (const s of found.filter((x) => x.archivedAt)) {
    archived.set(s.id, `${s.service.slug}/${s.slug}`);
    archived.set(`${s.service.slug}/${s.slug}`, `${s.service.slug}/${s.slug}`);
  }
  // SLIs pulled from Prometheus take no pushed data: two writers would overwrite each other.
  for (const s of found.filter((x) => x.source === "push" && !x.archivedAt)) {
    map.set(s.id, s.id);
    map.set(`${s.service.slug}/${s.slug}`, s.id);
  }
  return { ids: map, archived };
}
