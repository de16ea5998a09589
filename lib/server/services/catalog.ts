// Services, SLIs, SLOs and exclusions of a team. Every function resolves the caller's access to
// the team first (access.ts); viewers and read tokens read, editors change.
import type { CreateExclusionInput, CreateSliInput, CreateSloInput, SloWindowInput, UpdateSliInput, UpdateSloInput } from "../../schemas/catalog";
import type { z } from "zod";
import type { createServiceSchema, updateServiceSchema } from "../../schemas/catalog";
import { isUuid } from "../../schemas/common";
import { thresholdOps } from "../../schemas/catalog";
import { Prisma } from "../../generated/prisma/client";
import { syncProgressOf } from "../../domain/freshness";
import { parseObjective } from "../../domain/budget";
import { DefinitionError, type SloDefinition } from "../../domain/slo-definition";
import { requestPrometheusSync } from "../jobs/sync-requests";
import type { ExclusionView, SliView, SloView } from "../../schemas/views";
import { prisma } from "../db/client";
import { AppError, conflict, notFound } from "../errors";
import type { Actor, TeamAccess } from "./actor";
import { requireDefinitionsWrite, requireTeamRead } from "./access";
import { requireUnchangedSince, writeAudit } from "./audit";
import { servicesChanged } from "../data-generation";
import { serverOf, serverColumns, type ServerBlock, type SourceServer } from "./source-server";
import { histogramColumns } from "./histograms";
import { storedHistogram } from "../../domain/promql-histogram";
import { clockNow } from "../clock";
import { recordDefinitionChanges, snapshotMeasures } from "./definition-versions";
import { alertingOf, storedWindowOf, trimDecimal, windowOf } from "./stored-values";

type Tx = Prisma.TransactionClient;

/** A reference by id or by slug, as a Prisma filter. */
const byRef = (ref: string) => (isUuid(ref) ? { id: ref } : { slug: ref });

const readAccess = requireTeamRead;
// Catalog changes are for editors, and for tokens with the `definitions` scope (SLO as code from a pipeline).
const writeAccess = (actor: Actor, team: string) => requireDefinitionsWrite(actor, team, "editor");

function uniqueViolation(e: unknown, field: string, what: string): never {
  if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw conflict(`${what} already exists`, { [field]: "is already taken" });
  throw e;
}

/** Archived things take no changes and nothing new under them (lib/domain/archive.ts): restore first. */
function refuseArchived(what: string, thing: { slug: string; archivedAt: Date | null }) {
  if (thing.archivedAt) throw conflict(`${what} "${thing.slug}" is archived: restore it first`);
}

// --- services -----------------------------------------------------------------------------------

export const serviceView = (s: { id: string; slug: string; name: string; description: string; githubRepository: string | null; createdAt: Date; updatedAt: Date; archivedAt: Date | null }) => ({
  id: s.id,
  slug: s.slug,
  name: s.name,
  description: s.description,
  githubRepository: s.githubRepository,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
  archivedAt: s.archivedAt?.toISOString() ?? null,
});

export async function listServices(actor: Actor, team: string) {
  const access = await readAccess(actor, team);
  const rows = await prisma().service.findMany({ where: { teamId: access.teamId, archivedAt: null }, orderBy: { name: "asc" } });
  return rows.map(serviceView);
}

export async function findService(access: TeamAccess, service: string, tx: Tx = prisma()) {
  const s = await tx.service.findFirst({ where: { teamId: access.teamId, ...byRef(service) } });
  if (!s) throw notFound(`service "${service}"`);
  return s;
}


export async function createService(actor: Actor, team: string, input: z.output<typeof createServiceSchema>) {
  const access = await writeAccess(actor, team);
  try {
    return await prisma().$transaction(async (tx) => {
      const s = await tx.service.create({ data: { teamId: access.teamId, ...input } });
      await writeAudit(tx, actor, { teamId: access.teamId, action: "service.create", targetType: "service", targetId: s.id, after: serviceView(s) });
      return serviceView(s);
    });
  } catch (e) {
    serviceConflict(e, input);
  }
}

function serviceConflict(e: unknown, input: { slug?: string; githubRepository?: string | null }): never {
  const target = e instanceof Prisma.PrismaClientKnownRequestError ? JSON.stringify(e.meta ?? {}) : "";
  if (/github/.test(target)) uniqueViolation(e, "githubRepository", `a service linked to ${input.githubRepository ?? "this repository"}`);
  uniqueViolation(e, "slug", `a service with slug "${input.slug ?? ""}"`);
}

export async function updateService(actor: Actor, team: string, service: string, input: z.output<typeof updateServiceSchema>) {
  const access = await writeAccess(actor, team);
  try {
    return await prisma().$transaction(async (tx) => {
      const found = await findService(access, service, tx);
      refuseArchived("service", found);
      const { baseUpdatedAt, ...data } = input;
      await requireUnchangedSince(tx, "services", "service", found.id, baseUpdatedAt);
      const before = await tx.service.findUniqueOrThrow({ where: { id: found.id } });
      const s = await tx.service.update({ where: { id: before.id }, data });
      await writeAudit(tx, actor, { teamId: access.teamId, action: "service.update", targetType: "service", targetId: s.id, before: serviceView(before), after: serviceView(s) });
      return serviceView(s);
    });
  } catch (e) {
    serviceConflict(e, input);
  }
}

// --- SLIs ---------------------------------------------------------------------------------------

type SliRow = Prisma.SliGetPayload<object>;
export const sliView = (s: SliRow): SliView => ({
  id: s.id,
  slug: s.slug,
  name: s.name,
  description: s.description,
  kind: s.kind,
  source: s.source,
  latencyThresholdMs: s.latencyThresholdMs,
  sliceMinutes: s.sliceMinutes,
  sliceTarget: s.sliceTarget ? trimDecimal(s.sliceTarget.toString()) : null,
  prometheus:
    s.source === "prometheus"
      ? {
          url: s.promUrl,
          dataSourceId: s.dataSourceId,
          goodQuery: s.promGoodQuery,
          badQuery: s.promBadQuery,
          totalQuery: s.promTotalQuery,
          cohortLabel: s.promCohortLabel,
          hasAuthHeader: Boolean(s.promAuthHeader),
          sync: syncProgressOf(s, clockNow()),
          histogram: histogramViewOf(s),
          threshold: s.promThresholdQuery && isThresholdOp(s.thresholdOp) && s.thresholdValue !== null ? { query: s.promThresholdQuery, op: s.thresholdOp, value: s.thresholdValue } : null,
        }
      : null,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
  archivedAt: s.archivedAt?.toISOString() ?? null,
});

/** What a histogram SLI's queries were generated from, while they still are (storedHistogram). */
function histogramViewOf(s: SliRow): NonNullable<SliView["prometheus"]>["histogram"] {
  const h = storedHistogram(s);
  if (!h) return null;
  return { type: h.type, metric: h.metric, matchers: s.histogramMatchers ?? "", thresholdSeconds: s.histogramThreshold!, le: h.type === "classic" ? s.histogramLe : null };
}

function isThresholdOp(op: string | null): op is (typeof thresholdOps)[number] {
  return (thresholdOps as readonly (string | null)[]).includes(op);
}

export async function findSli(serviceId: string, sli: string, tx: Tx = prisma()) {
  const s = await tx.sli.findFirst({ where: { serviceId, ...byRef(sli) } });
  if (!s) throw notFound(`SLI "${sli}"`);
  return s;
}

export async function listSlis(actor: Actor, team: string, service: string) {
  const svc = await findService(await readAccess(actor, team), service);
  return (await prisma().sli.findMany({ where: { serviceId: svc.id, archivedAt: null }, orderBy: { name: "asc" } })).map(sliView);
}

/** A Prometheus source's columns (queries and server), for a new SLI and an edited one alike. */
const prometheusColumns = (p: NonNullable<CreateSliInput["prometheus"]>, server: SourceServer) => ({
  source: "prometheus" as const,
  ...serverColumns(server),
  promGoodQuery: p.goodQuery ?? null,
  promBadQuery: p.badQuery ?? null,
  promTotalQuery: p.totalQuery,
  promCohortLabel: p.cohortLabel ?? null,
});

/** A threshold source's columns (one value per minute against a threshold). */
const thresholdColumns = (t: NonNullable<CreateSliInput["threshold"]>, server: SourceServer) => ({
  source: "prometheus" as const,
  ...serverColumns(server),
  promThresholdQuery: t.query,
  thresholdOp: t.op,
  thresholdValue: t.value,
});

/** The source block an SLI input gives (one at most, by its schema), with its field name. */
function sourceBlockOf(input: Pick<CreateSliInput, SliSourceBlock>): [SliSourceBlock, ServerBlock] | null {
  const k = (["prometheus", "histogram", "threshold"] as const).find((x) => input[x] != null);
  return k ? [k, input[k]!] : null;
}

/**
 * The columns of the source an input gives, its server resolved (a data source of the team, or a
 * URL: `stored` keeps an edited SLI's header while its URL stays). A histogram's threshold must be
 * one of its bucket bounds on the server: asked here, before any transaction holds a connection.
 */
async function sourceColumns(teamId: string, input: Pick<CreateSliInput, SliSourceBlock>, stored?: SliRow) {
  const block = sourceBlockOf(input);
  if (!block) return null;
  const server = await serverOf(teamId, block[1], block[0], { stored });
  if (input.histogram) return histogramColumns(input.histogram, server);
  return input.prometheus ? prometheusColumns(input.prometheus, server) : thresholdColumns(input.threshold!, server);
}

export async function createSli(actor: Actor, team: string, service: string, input: CreateSliInput) {
  const access = await writeAccess(actor, team);
  const source = await sourceColumns(access.teamId, input);
  try {
    const created = await prisma().$transaction(async (tx) => {
      const svc = await findService(access, service, tx);
      refuseArchived("service", svc);
      const s = await tx.sli.create({
        data: {
          serviceId: svc.id,
          slug: input.slug,
          name: input.name,
          description: input.description,
          kind: input.kind,
          latencyThresholdMs: input.latencyThresholdMs ?? null,
          sliceMinutes: input.sliceMinutes ?? null,
          sliceTarget: input.sliceTarget ?? null,
          ...source,
        },
      });
      await writeAudit(tx, actor, { teamId: access.teamId, action: "sli.create", targetType: "sli", targetId: s.id, after: sliView(s) });
      return sliView(s);
    });
    // A new source is backfilled at once, not at the next tick.
    if (created.source === "prometheus") requestPrometheusSync([created.id]);
    return created;
  } catch (e) {
    uniqueViolation(e, "slug", `an SLI with slug "${input.slug}"`);
  }
}

export async function getSli(actor: Actor, team: string, service: string, sli: string) {
  const svc = await findService(await readAccess(actor, team), service);
  return sliView(await findSli(svc.id, sli));
}

type SliSourceBlock = "prometheus" | "histogram" | "threshold";
/** Which source block describes a stored SLI; null: pushed (or a composite's, or a group member's). */
function storedBlockOf(s: SliRow): SliSourceBlock | null {
  if (s.source !== "prometheus") return null;
  return s.histogramType ? "histogram" : s.promThresholdQuery ? "threshold" : "prometheus";
}

/** What of an edit the stored SLI cannot take, as the field and the sentence; null: none. */
function sliEditProblem(s: SliRow, input: UpdateSliInput): [field: string, message: string] | null {
  if (s.groupId) return ["sli", `SLI "${s.slug}" is a member of a grouped SLO: change the group's definition, which its members follow`];
  if (s.source === "composite") return ["sli", `SLI "${s.slug}" is a composite SLO's: change the composite's members (PUT …/slos/{slo}/composite)`];
  const has = storedBlockOf(s);
  const given = (["prometheus", "histogram", "threshold"] as const).find((k) => input[k] !== undefined);
  if (given && given !== has) return [given, has ? `SLI "${s.slug}" is measured by a ${has} source: give "${has}", or create a new SLI for another source` : `SLI "${s.slug}" is pushed to /api/v1/ingest: create a new SLI to pull it from Prometheus instead`];
  if (input.latencyThresholdMs !== undefined && (s.kind !== "latency" || has === "histogram"))
    return ["latencyThresholdMs", s.kind !== "latency" ? "Only a latency SLI has a latency threshold" : "A histogram SLI's threshold is histogram.thresholdSeconds"];
  if ((input.sliceMinutes !== undefined || input.sliceTarget !== undefined) && s.kind !== "time_slice") return [input.sliceMinutes !== undefined ? "sliceMinutes" : "sliceTarget", "Only a time-slice SLI has slices"];
  return null;
}

/**
 * Changes an SLI's name, description or measure (editors). A new measure (queries, server,
 * threshold, slices) starts a new version (definition-history.ts): minutes stored so far keep
 * the old one, and "recompute from stored data" (rereadSli) is offered where the data allows.
 */
export async function updateSli(actor: Actor, team: string, service: string, sli: string, input: UpdateSliInput) {
  const access = await writeAccess(actor, team);
  const refuse = (found: SliRow) => {
    refuseArchived("SLI", found);
    const problem = sliEditProblem(found, input);
    if (problem) throw new AppError("invalid", `${problem[0]}: ${problem[1]}`, { [problem[0]]: problem[1] });
  };
  // A new source is resolved (and a histogram's buckets asked) before the transaction, against
  // the SLI as it is then; the transaction checks it again.
  let source: Awaited<ReturnType<typeof sourceColumns>> = null;
  if (sourceBlockOf(input)) {
    const before = await findSli((await findService(access, service)).id, sli);
    refuse(before);
    source = await sourceColumns(access.teamId, input, before);
  }
  const updated = await prisma().$transaction(async (tx) => {
    const svc = await findService(access, service, tx);
    const found = await findSli(svc.id, sli, tx);
    await requireUnchangedSince(tx, "slis", "sli", found.id, input.baseUpdatedAt);
    refuse(found);
    const measures = await snapshotMeasures(tx, { sliIds: [found.id] });
    const s = await tx.sli.update({
      where: { id: found.id },
      data: {
        name: input.name,
        description: input.description,
        latencyThresholdMs: input.latencyThresholdMs,
        sliceMinutes: input.sliceMinutes,
        sliceTarget: input.sliceTarget,
        ...source,
        // The last sync's error was the old source's: the new one is read at once and says its own.
        ...(source ? { lastSyncError: null } : {}),
      },
    });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "sli.update", targetType: "sli", targetId: s.id, before: sliView(found), after: sliView(s) });
    await recordDefinitionChanges(tx, actor, access.teamId, measures, clockNow());
    return s;
  });
  // The new source is read at once, not at the next tick.
  if (source) requestPrometheusSync([updated.id]);
  return sliView(updated);
}

// --- SLOs ---------------------------------------------------------------------------------------

/**
 * What the status engine (slo-status.ts, status-snapshots.ts) and the SLO views read of an SLO and
 * its SLI. Lists of many SLOs select only this: Prisma builds every field of every row, and at
 * 10,000 SLOs this select reads them in 200 ms where `include: { sli: true }` takes 450 ms. A full
 * row (findSlo) is one too.
 */
export const SLO_STATUS_SELECT = {
  id: true,
  serviceId: true,
  sliId: true,
  slug: true,
  name: true,
  description: true,
  objective: true,
  windowKind: true,
  windowDays: true,
  calendarUnit: true,
  timeZone: true,
  calendarStart: true,
  minEvents: true,
  alerting: true,
  createdAt: true,
  updatedAt: true,
  archivedAt: true,
  groupId: true,
  groupValue: true,
  sli: {
    select: {
      id: true,
      slug: true,
      kind: true,
      source: true,
      sliceMinutes: true,
      sliceTarget: true,
      sliceMethod: true,
      syncedUntil: true,
      lastSyncError: true,
      backfillFrom: true,
      createdAt: true,
      dataGeneration: true,
      promTotalQuery: true,
      promGoodQuery: true,
      promBadQuery: true,
      promThresholdQuery: true,
    },
  },
} satisfies Prisma.SloSelect;
export type SloStatusRow = Prisma.SloGetPayload<{ select: typeof SLO_STATUS_SELECT }>;
type SloRow = SloStatusRow;

/** The one mapping from an SLO row (with its SLI) to the definition the status engine reads. */
export function sloDefinitionOf(s: SloRow): SloDefinition {
  const objective = (field: string, v: { toString(): string }) => {
    try {
      return parseObjective(v.toString());
    } catch (e) {
      throw new DefinitionError(`${field}: ${(e as Error).message}`);
    }
  };
  const slice = s.sli.kind === "time_slice";
  const meanRatio = s.sli.sliceMethod === "mean_ratio";
  if (s.sli.sliceMethod !== "count_good" && !meanRatio) throw new DefinitionError(`sliceMethod "${s.sli.sliceMethod}" is neither count_good nor mean_ratio`);
  if (slice && (!s.sli.sliceMinutes || (!meanRatio && !s.sli.sliceTarget))) throw new DefinitionError("the time-slice SLI has no sliceMinutes or sliceTarget");
  return {
    id: s.id,
    serviceId: s.serviceId,
    name: s.name,
    objective: objective("objective", s.objective),
    window: windowOf(s),
    minEvents: s.minEvents,
    alerting: alertingOf(s),
    sli: {
      id: s.sliId,
      kind: s.sli.kind,
      source: s.sli.source,
      timeSlice: !slice ? null : meanRatio ? { minutes: s.sli.sliceMinutes!, method: "mean_ratio", target: null } : { minutes: s.sli.sliceMinutes!, method: "count_good", target: objective("sliceTarget", s.sli.sliceTarget!) },
      syncedUntil: s.sli.syncedUntil,
      lastSyncError: s.sli.lastSyncError,
    },
  };
}

export function windowColumns(w: SloWindowInput) {
  return w.kind === "rolling"
    ? { windowKind: "rolling" as const, windowDays: w.days, calendarUnit: null, timeZone: "UTC" }
    : { windowKind: "calendar" as const, windowDays: null, calendarUnit: w.unit, timeZone: w.timeZone };
}

export const sloView = (s: SloRow): SloView => ({
  id: s.id,
  slug: s.slug,
  name: s.name,
  description: s.description,
  sli: { id: s.sli.id, slug: s.sli.slug, kind: s.sli.kind },
  objective: trimDecimal(s.objective.toString()),
  window: storedWindowOf(s),
  minEvents: s.minEvents,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
  archivedAt: s.archivedAt?.toISOString() ?? null,
});

export async function findSlo(serviceId: string, slo: string, tx: Tx = prisma()) {
  const s = await tx.slo.findFirst({ where: { serviceId, ...byRef(slo) }, include: { sli: true } });
  if (!s) throw notFound(`SLO "${slo}"`);
  return s;
}

/**
 * The caller's read access to the team, and the SLO by its own reference within the team's
 * service with its SLI and service, read at once (one round trip's wait, not two: the pages and
 * API answers of one SLO). Nothing read is returned unless the caller may read the team. When
 * nothing is found, findService says whether the service or the SLO is missing.
 */
export async function readServiceSlo(actor: Actor, team: string, service: string, slo: string) {
  // Settled, never rejected: when the access check throws first, this has no one to report to.
  const lookup = prisma()
    .slo.findFirst({ where: { ...byRef(slo), service: { team: { slug: team }, ...byRef(service) } }, include: { sli: true, service: true } })
    .then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
  const access = await readAccess(actor, team);
  const found = await lookup;
  if (!found.ok) throw found.error;
  if (!found.value) {
    await findService(access, service);
    throw notFound(`SLO "${slo}"`);
  }
  const { service: svc, ...row } = found.value;
  return { access, svc, row };
}

export async function listSlos(actor: Actor, team: string, service: string) {
  const svc = await findService(await readAccess(actor, team), service);
  return (await prisma().slo.findMany({ where: { serviceId: svc.id, archivedAt: null }, include: { sli: true }, orderBy: { name: "asc" } })).map(sloView);
}

export async function getSlo(actor: Actor, team: string, service: string, slo: string) {
  return sloView((await readServiceSlo(actor, team, service, slo)).row);
}

export async function createSlo(actor: Actor, team: string, service: string, input: CreateSloInput) {
  const access = await writeAccess(actor, team);
  try {
    const created = await prisma().$transaction(async (tx) => {
      const svc = await findService(access, service, tx);
      refuseArchived("service", svc);
      const sli = await findSli(svc.id, input.sli, tx).catch(() => {
        throw new AppError("invalid", `no SLI "${input.sli}" in service "${svc.slug}"`, { sli: "no such SLI in this service" });
      });
      if (sli.archivedAt) throw new AppError("invalid", `SLI "${sli.slug}" is archived: restore it first`, { sli: "is archived" });
      // A composite's SLI holds the minutes materialised for its own SLO's objective (docs/composite-slos.md).
      if (sli.source === "composite") throw new AppError("invalid", `SLI "${sli.slug}" is a composite SLO's: make another composite instead`, { sli: "is a composite SLO's" });
      const s = await tx.slo.create({
        data: {
          serviceId: svc.id,
          sliId: sli.id,
          slug: input.slug,
          name: input.name,
          description: input.description,
          objective: input.objective,
          minEvents: input.minEvents,
          ...windowColumns(input.window),
        },
        include: { sli: true },
      });
      await writeAudit(tx, actor, { teamId: access.teamId, action: "slo.create", targetType: "slo", targetId: s.id, after: sloView(s) });
      return s;
    });
    // A longer window than the SLI's others needs older data: the sync extends the backfill.
    if (created.sli.source === "prometheus") requestPrometheusSync([created.sliId]);
    return sloView(created);
  } catch (e) {
    uniqueViolation(e, "slug", `an SLO with slug "${input.slug}"`);
  }
}

export async function updateSlo(actor: Actor, team: string, service: string, slo: string, input: UpdateSloInput) {
  const access = await writeAccess(actor, team);
  const updated = await prisma().$transaction(async (tx) => {
    const svc = await findService(access, service, tx);
    const found = await findSlo(svc.id, slo, tx);
    await requireUnchangedSince(tx, "slos", "slo", found.id, input.baseUpdatedAt);
    refuseArchived("SLO", found);
    const before = await findSlo(svc.id, found.id, tx);
    const measures = await snapshotMeasures(tx, { sloIds: [before.id] });
    const s = await tx.slo.update({
      where: { id: before.id },
      data: {
        name: input.name,
        description: input.description,
        objective: input.objective,
        minEvents: input.minEvents,
        ...(input.window ? windowColumns(input.window) : {}),
      },
      include: { sli: true },
    });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "slo.update", targetType: "slo", targetId: s.id, before: sloView(before), after: sloView(s) });
    // A new objective or window starts a new version of the SLO (definition-history.ts).
    await recordDefinitionChanges(tx, actor, access.teamId, measures, clockNow());
    return s;
  });
  if (input.window && updated.sli.source === "prometheus") requestPrometheusSync([updated.sliId]);
  return sloView(updated);
}

// --- exclusions ---------------------------------------------------------------------------------

type ExclusionRow = Prisma.ExclusionGetPayload<{ include: { sli: true } }>;
export const exclusionView = (e: ExclusionRow): ExclusionView => ({
  id: e.id,
  sli: e.sli ? e.sli.slug : null,
  kind: e.kind,
  reason: e.reason,
  startsAt: e.startsAt.toISOString(),
  endsAt: e.endsAt.toISOString(),
  createdById: e.createdById,
  createdAt: e.createdAt.toISOString(),
  scheduleId: e.scheduleId,
});

export async function listExclusions(actor: Actor, team: string, service: string) {
  const svc = await findService(await readAccess(actor, team), service);
  return (await prisma().exclusion.findMany({ where: { serviceId: svc.id }, include: { sli: true }, orderBy: { startsAt: "desc" } })).map(exclusionView);
}

export async function createExclusion(actor: Actor, team: string, service: string, input: CreateExclusionInput) {
  const access = await writeAccess(actor, team);
  const { view, serviceId } = await prisma().$transaction(async (tx) => {
    const svc = await findService(access, service, tx);
    const sli = input.sli ? await findSli(svc.id, input.sli, tx) : null;
    const e = await tx.exclusion.create({
      data: {
        serviceId: svc.id,
        sliId: sli?.id ?? null,
        kind: input.kind,
        reason: input.reason,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        createdById: actor.kind === "user" ? actor.userId : null,
      },
      include: { sli: true },
    });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "exclusion.create", targetType: "exclusion", targetId: e.id, after: exclusionView(e) });
    return { view: exclusionView(e), serviceId: svc.id };
  });
  await servicesChanged([serviceId]);
  return view;
}

export async function deleteExclusion(actor: Actor, team: string, service: string, id: string) {
  const access = await writeAccess(actor, team);
  const serviceId = await prisma().$transaction(async (tx) => {
    const svc = await findService(access, service, tx);
    const before = isUuid(id) ? await tx.exclusion.findFirst({ where: { id, serviceId: svc.id }, include: { sli: true } }) : null;
    if (!before) throw notFound("exclusion");
    // The schedule's next run would store it again: change the schedule (docs/exclusions.md).
    if (before.scheduleId) throw conflict("this exclusion is an occurrence of a recurring exclusion: edit or delete the schedule instead");
    await tx.exclusion.delete({ where: { id: before.id } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "exclusion.delete", targetType: "exclusion", targetId: before.id, before: exclusionView(before) });
    return svc.id;
  });
  await servicesChanged([serviceId]);
}
