// Silences of burn-rate alert messages (docs/silences.md): editors make and end them, audited in
// the same transaction; the evaluator reads the ones in force with the open incidents that fold
// alerts (alertSuppressions) and lib/domain/silence.ts decides what each change becomes.
import { silenceProblem, type OpenIncident, type Silence } from "../../domain/silence";
import type { CreateSilenceInput, SilenceView } from "../../schemas/silences";
import { isUuid } from "../../schemas/common";
import type { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";
import { AppError, notFound } from "../errors";
import { clockNow } from "../clock";
import type { Actor } from "./actor";
import { requirePersonInTeam, requireTeamRead } from "./access";
import { writeAudit } from "./audit";
import { findService, findSlo } from "./catalog";

const include = {
  service: { select: { slug: true, name: true } },
  slo: { select: { slug: true, name: true } },
} as const;
type Row = Prisma.SilenceGetPayload<{ include: typeof include }>;

/** The one mapping from a row to the domain's silence. */
export const silenceOf = (r: Pick<Row, "id" | "teamId" | "serviceId" | "sloId" | "labelKey" | "labelValue" | "startsAt" | "endsAt">): Silence => ({
  id: r.id,
  teamId: r.teamId,
  serviceId: r.serviceId,
  sloId: r.sloId,
  label: r.labelKey !== null && r.labelValue !== null ? { key: r.labelKey, value: r.labelValue } : null,
  startsAt: r.startsAt,
  endsAt: r.endsAt,
});

async function viewsOf(rows: Row[], now: Date): Promise<SilenceView[]> {
  const ids = [...new Set(rows.flatMap((r) => [r.createdById, r.endedById]).filter((x): x is string => x !== null))];
  const users = new Map((await prisma().user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, u.name || u.email]));
  return rows.map((r) => {
    const s = silenceOf(r);
    return {
      id: r.id,
      service: r.service,
      slo: r.slo,
      label: s.label,
      reason: r.reason,
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      createdBy: (r.createdById && users.get(r.createdById)) || null,
      createdAt: r.createdAt.toISOString(),
      endedAt: r.endedAt?.toISOString() ?? null,
      endedBy: (r.endedById && users.get(r.endedById)) || null,
      active: now >= r.startsAt && now < r.endsAt,
    };
  });
}

/** In force and coming first (soonest end first), then the last 50 that ended. */
export async function listSilences(actor: Actor, team: string, now = clockNow()): Promise<SilenceView[]> {
  const access = await requireTeamRead(actor, team);
  const [open, ended] = await Promise.all([
    prisma().silence.findMany({ where: { teamId: access.teamId, endsAt: { gt: now } }, orderBy: [{ endsAt: "asc" }, { id: "asc" }], include }),
    prisma().silence.findMany({ where: { teamId: access.teamId, endsAt: { lte: now } }, orderBy: [{ endsAt: "desc" }, { id: "desc" }], take: 50, include }),
  ]);
  return viewsOf([...open, ...ended], now);
}

/** Editors silence an SLO, a service or a label, from now or later, for at most MAX_SILENCE_DAYS. */
export async function createSilence(actor: Actor, team: string, input: CreateSilenceInput, now = clockNow()): Promise<SilenceView> {
  const access = await requirePersonInTeam(actor, team, "editor");
  const startsAt = input.startsAt ?? now;
  const problem = silenceProblem({ startsAt, endsAt: input.endsAt }, now);
  if (problem) throw new AppError("invalid", `the silence cannot be made: endsAt ${problem.message}`, { [problem.field]: problem.message });
  const service = input.service ? await findService(access, input.service) : null;
  const slo = service && input.slo ? await findSlo(service.id, input.slo) : null;
  const id = await prisma().$transaction(async (tx) => {
    const s = await tx.silence.create({
      data: {
        teamId: access.teamId,
        serviceId: service?.id ?? null,
        sloId: slo?.id ?? null,
        labelKey: input.label?.key ?? null,
        labelValue: input.label?.value ?? null,
        reason: input.reason,
        startsAt,
        endsAt: input.endsAt,
        createdById: actor.kind === "user" ? actor.userId : null,
      },
    });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "silence.create", targetType: "silence", targetId: s.id, after: { ...auditFields(s), service: service?.slug ?? null, slo: slo?.slug ?? null } });
    return s.id;
  });
  return (await viewsOf([await prisma().silence.findUniqueOrThrow({ where: { id }, include })], now))[0]!;
}

/** Ends a silence now (one not begun yet never begins); ending an ended one changes nothing. */
export async function endSilence(actor: Actor, team: string, id: string, now = clockNow()): Promise<SilenceView> {
  const access = await requirePersonInTeam(actor, team, "editor");
  const found = await prisma().$transaction(async (tx) => {
    const before = isUuid(id) ? await tx.silence.findFirst({ where: { id, teamId: access.teamId } }) : null;
    if (!before) throw notFound("silence");
    if (before.endsAt <= now) return before.id;
    const endsAt = before.startsAt > now ? before.startsAt : now;
    const s = await tx.silence.update({ where: { id: before.id }, data: { endsAt, endedAt: now, endedById: actor.kind === "user" ? actor.userId : null } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "silence.end", targetType: "silence", targetId: s.id, before: auditFields(before), after: auditFields(s) });
    return s.id;
  });
  return (await viewsOf([await prisma().silence.findUniqueOrThrow({ where: { id: found }, include })], now))[0]!;
}

const auditFields = (s: Prisma.SilenceGetPayload<object>) => ({
  label: s.labelKey === null ? null : `${s.labelKey}=${s.labelValue ?? ""}`,
  reason: s.reason,
  startsAt: s.startsAt.toISOString(),
  endsAt: s.endsAt.toISOString(),
});

/**
 * What the evaluator needs at `at` to decide each change: the silences in force and the open
 * incidents naming SLOs (started, not resolved). Two statements for every team.
 */
export async function alertSuppressions(at: Date): Promise<{ silences: Silence[]; incidents: OpenIncident[] }> {
  const [silences, incidents] = await Promise.all([
    prisma().silence.findMany({ where: { startsAt: { lte: at }, endsAt: { gt: at } } }),
    prisma().incident.findMany({ where: { resolvedAt: null, startedAt: { lte: at }, slos: { some: {} } }, select: { id: true, title: true, startedAt: true, slos: { select: { sloId: true } } } }),
  ]);
  return {
    silences: silences.map(silenceOf),
    incidents: incidents.map((i) => ({ id: i.id, title: i.title, startedAt: i.startedAt, sloIds: i.slos.map((s) => s.sloId) })),
  };
}
