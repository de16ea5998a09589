// Incidents: what happened, to which SLOs, who held which role, the timeline, and the budget
// each affected SLO lost, computed from the SLI data (never typed in). The budget decides
// whether a postmortem is required (lib/domain/postmortem.ts), which the gate's policy reads.
import { postmortemRequired, type IncidentRole } from "../../domain/postmortem";
import { beforeStartMessage, type CreateIncidentInput, type UpdateIncidentInput } from "../../schemas/incidents";
import type { IncidentImpact, IncidentView, MyIncidentView } from "../../schemas/views";

export type { IncidentImpact, IncidentView, MyIncidentView };
import { isUuid } from "../../schemas/common";
import type { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";
import { AppError, notFound } from "../errors";
import type { Actor } from "./actor";
import { requirePersonInTeam, requireTeamRead, requireUser } from "./access";
import { requireUnchangedSince, writeAudit } from "./audit";
import { budgetSpentDuring } from "./slo-status";
import { linkRecurrences, recurrencesOf } from "./recurrences";
import { clockNow } from "../clock";

type Tx = Prisma.TransactionClient;

const include = {
  slos: { include: { slo: { include: { sli: true, service: { select: { slug: true, name: true } } } } } },
  timeline: { orderBy: { at: "asc" } },
  postmortem: { select: { id: true, status: true, actionItems: { select: { priority: true } } } },
} as const;
type Row = Prisma.IncidentGetPayload<{ include: typeof include }>;

/** The incident's window for budget purposes: from its start to its resolution (or mitigation, or now). */
const endOf = (i: { resolvedAt: Date | null; mitigatedAt: Date | null }, now: Date) => i.resolvedAt ?? i.mitigatedAt ?? now;

async function impactOf(i: Row, now = clockNow()): Promise<IncidentImpact[]> {
  const to = endOf(i, now);
  return Promise.all(
    i.slos.map(async ({ slo }) => {
      const spent = to > i.startedAt ? await budgetSpentDuring(slo, i.startedAt, to) : { budgetSpent: null, badEvents: 0, totalEvents: 0 };
      return { service: slo.service, slo: { slug: slo.slug, name: slo.name }, budgetSpent: spent.budgetSpent, badEvents: spent.badEvents, totalEvents: spent.totalEvents };
    }),
  );
}

async function view(i: Row, computed?: IncidentImpact[]): Promise<IncidentView> {
  const [impact, recurrences] = await Promise.all([computed ?? impactOf(i), recurrencesOf({ incidentId: i.id })]);
  return {
    id: i.id,
    title: i.title,
    severity: i.severity,
    status: i.status,
    summary: i.summary,
    startedAt: i.startedAt.toISOString(),
    detectedAt: i.detectedAt?.toISOString() ?? null,
    mitigatedAt: i.mitigatedAt?.toISOString() ?? null,
    resolvedAt: i.resolvedAt?.toISOString() ?? null,
    roles: i.roles as Partial<Record<IncidentRole, string | null>>,
    impact,
    postmortemRequired: postmortemRequired(impact.map((x) => x.budgetSpent)),
    postmortem: i.postmortem ? { id: i.postmortem.id, status: i.postmortem.status } : null,
    timeline: i.timeline.map((t) => ({ id: t.id, at: t.at.toISOString(), kind: t.kind, text: t.text })),
    recurrences,
    updatedAt: i.updatedAt.toISOString(),
  };
}

/**
 * "service/slo" references of this team to SLO ids; an unknown one is named in the error. An
 * archived SLO can stay linked to an incident that already named it, but not be newly linked
 * (lib/domain/archive.ts: archived things take nothing new).
 */
async function resolveSlos(tx: Tx, teamId: string, refs: string[], linked: ReadonlySet<string> = new Set()) {
  const ids: string[] = [];
  for (const [k, ref] of refs.entries()) {
    const [service, slo] = ref.split("/") as [string, string];
    const row = await tx.slo.findFirst({ where: { slug: slo, service: { slug: service, teamId } }, select: { id: true, archivedAt: true } });
    if (!row) throw new AppError("invalid", `slos.${k}: no SLO "${ref}" in this team`, { [`slos.${k}`]: `no SLO "${ref}" in this team` });
    if (row.archivedAt && !linked.has(row.id)) {
      const why = `SLO "${ref}" is archived: restore it to link it to an incident`;
      throw new AppError("invalid", `slos.${k}: ${why}`, { [`slos.${k}`]: why });
    }
    ids.push(row.id);
  }
  return ids;
}

/** Recomputes and stores whether the incident requires a postmortem (the gate reads the stored flag). */
async function refreshRequired(id: string): Promise<IncidentView> {
  return (await refreshRow(await prisma().incident.findUniqueOrThrow({ where: { id }, include }))).view;
}

async function refreshRow(row: Row): Promise<{ view: IncidentView; changed: boolean }> {
  const impact = await impactOf(row);
  // An SLO burned again while an earlier incident's follow-up is open: link them (recurrences.ts).
  const linked = await linkRecurrences(row, row.slos.map((x, k) => ({ sloId: x.slo.id, budgetSpent: impact[k]!.budgetSpent })));
  if (linked) row = await prisma().incident.findUniqueOrThrow({ where: { id: row.id }, include });
  const v = await view(row, impact);
  const changed = v.postmortemRequired !== row.postmortemRequired;
  // A derived flag, not an edit: stored without touching updated_at, so it never makes an editor's save look stale.
  if (changed) await prisma().$executeRaw`UPDATE incidents SET postmortem_required = ${v.postmortemRequired} WHERE id = ${row.id}::uuid`;
  return { view: v, changed };
}

/** Editors and up record incidents. */
export async function createIncident(actor: Actor, team: string, input: CreateIncidentInput): Promise<IncidentView> {
  const access = await requirePersonInTeam(actor, team, "editor");
  const id = await prisma().$transaction(async (tx) => {
    const sloIds = await resolveSlos(tx, access.teamId, input.slos);
    const i = await tx.incident.create({
      data: {
        teamId: access.teamId,
        title: input.title,
        severity: input.severity,
        status: input.status,
        summary: input.summary,
        startedAt: input.startedAt,
        detectedAt: input.detectedAt,
        mitigatedAt: input.mitigatedAt,
        resolvedAt: input.resolvedAt ?? (input.status === "resolved" ? clockNow() : null),
        roles: input.roles,
      },
    });
    // Not a nested create: Prisma runs those as parallel queries, which a transaction's one connection would queue.
    await tx.incidentSlo.createMany({ data: sloIds.map((sloId) => ({ incidentId: i.id, sloId })) });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "incident.create", targetType: "incident", targetId: i.id, after: { title: i.title, severity: i.severity, status: i.status, slos: input.slos } });
    return i.id;
  });
  return refreshRequired(id);
}

async function findIncident(teamId: string, id: string) {
  const i = isUuid(id) ? await prisma().incident.findFirst({ where: { id, teamId }, include }) : null;
  if (!i) throw notFound("incident");
  return i;
}

export async function updateIncident(actor: Actor, team: string, id: string, input: UpdateIncidentInput): Promise<IncidentView> {
  const access = await requirePersonInTeam(actor, team, "editor");
  await prisma().$transaction(async (tx) => {
    const found = isUuid(id) ? await tx.incident.findFirst({ where: { id, teamId: access.teamId }, select: { id: true } }) : null;
    if (!found) throw notFound("incident");
    await requireUnchangedSince(tx, "incidents", "incident", found.id, input.baseUpdatedAt);
    const before = await tx.incident.findUniqueOrThrow({ where: { id: found.id } });
    const startedAt = input.startedAt ?? before.startedAt;
    for (const key of ["detectedAt", "mitigatedAt", "resolvedAt"] as const) {
      const at = input[key] === undefined ? before[key] : input[key];
      if (at && at < startedAt) throw new AppError("invalid", `${key}: ${beforeStartMessage[key]}`, { [key]: beforeStartMessage[key] });
    }
    const { slos, baseUpdatedAt: _base, ...fields } = input;
    const resolvedAt = fields.resolvedAt !== undefined ? fields.resolvedAt : fields.status === "resolved" && !before.resolvedAt ? clockNow() : undefined;
    await tx.incident.update({ where: { id: before.id }, data: { ...fields, ...(resolvedAt !== undefined ? { resolvedAt } : {}) } });
    if (slos) {
      const linked = await tx.incidentSlo.findMany({ where: { incidentId: before.id }, select: { sloId: true } });
      const sloIds = await resolveSlos(tx, access.teamId, slos, new Set(linked.map((l) => l.sloId)));
      await tx.incidentSlo.deleteMany({ where: { incidentId: before.id } });
      await tx.incidentSlo.createMany({ data: sloIds.map((sloId) => ({ incidentId: before.id, sloId })) });
    }
    await writeAudit(tx, actor, {
      teamId: access.teamId,
      action: "incident.update",
      targetType: "incident",
      targetId: before.id,
      before: { title: before.title, severity: before.severity, status: before.status },
      after: JSON.parse(JSON.stringify(fields)) as Prisma.InputJsonValue,
    });
  });
  return refreshRequired(id);
}

export async function getIncident(actor: Actor, team: string, id: string): Promise<IncidentView> {
  const access = await requireTeamRead(actor, team);
  return view(await findIncident(access.teamId, id));
}

/** An incident for a caller whose access was checked on something that links to it (its postmortem). */
export async function incidentOf(teamId: string, id: string): Promise<IncidentView> {
  return view(await findIncident(teamId, id));
}

/**
 * The incidents of a team (or those touching one service's SLOs) that started in [from, to), with
 * the budget impact their pages show: for error-budget reviews, after the caller's access was checked.
 */
export async function incidentsStartedIn(teamId: string, from: Date, to: Date, serviceId?: string): Promise<IncidentView[]> {
  const rows = await prisma().incident.findMany({
    where: { teamId, startedAt: { gte: from, lt: to }, ...(serviceId ? { slos: { some: { slo: { serviceId } } } } : {}) },
    include,
    orderBy: { startedAt: "asc" },
    take: 1000,
  });
  return Promise.all(rows.map((r) => view(r)));
}

/** A team's incidents, newest first, with their budget impact. */
export async function listIncidents(actor: Actor, team: string): Promise<IncidentView[]> {
  const access = await requireTeamRead(actor, team);
  const rows = await prisma().incident.findMany({ where: { teamId: access.teamId }, include, orderBy: { startedAt: "desc" }, take: 100 });
  return Promise.all(rows.map((r) => view(r)));
}

/**
 * The incidents of every team the person is a member of, newest first (open ones before closed
 * ones of the same start do not matter: the page sorts by start). Scoped by membership here, so a
 * team one is not in never shows; a site admin sees the teams they belong to, like anyone else.
 * The postmortem flag is the stored one (kept fresh by the evaluator), so the list costs one query.
 */
export async function listMyIncidents(actor: Actor, limit = 200): Promise<MyIncidentView[]> {
  const user = requireUser(actor);
  const rows = await prisma().incident.findMany({
    where: { team: { memberships: { some: { userId: user.userId } } } },
    include: { team: { select: { slug: true, name: true } }, postmortem: { select: { id: true, status: true } } },
    orderBy: [{ startedAt: "desc" }, { id: "asc" }],
    take: limit,
  });
  return rows.map((i) => ({
    id: i.id,
    team: i.team,
    title: i.title,
    severity: i.severity,
    status: i.status,
    startedAt: i.startedAt.toISOString(),
    resolvedAt: i.resolvedAt?.toISOString() ?? null,
    postmortemRequired: i.postmortemRequired,
    postmortem: i.postmortem,
  }));
}

export async function addTimelineEntry(actor: Actor, team: string, id: string, entry: { at: Date; kind: string; text: string }) {
  const access = await requirePersonInTeam(actor, team, "editor");
  const i = await findIncident(access.teamId, id);
  const t = await prisma().timelineEntry.create({ data: { incidentId: i.id, at: entry.at, kind: entry.kind, text: entry.text } });
  return { id: t.id, at: t.at.toISOString(), kind: t.kind, text: t.text };
}

export async function deleteTimelineEntry(actor: Actor, team: string, id: string, entryId: string) {
  const access = await requirePersonInTeam(actor, team, "editor");
  const i = await findIncident(access.teamId, id);
  const gone = isUuid(entryId) ? await prisma().timelineEntry.deleteMany({ where: { id: entryId, incidentId: i.id } }) : { count: 0 };
  if (gone.count === 0) throw notFound("timeline entry");
}

/**
 * Recomputes the postmortem flag of incidents still open or resolved in the last week: their
 * SLI data may arrive late (a Prometheus backfill). Run by the per-minute evaluator.
 */
export async function refreshRecentIncidents(now = clockNow()): Promise<number> {
  const since = new Date(now.getTime() - 7 * 86_400_000);
  const rows = await prisma().incident.findMany({ where: { OR: [{ resolvedAt: null }, { resolvedAt: { gt: since } }] }, include });
  let changed = 0;
  for (const r of rows) if ((await refreshRow(r)).changed) changed++;
  return changed;
}
