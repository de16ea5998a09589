// Deploy records (docs/deploys.md): a pipeline reports a release that went out, linked to the gate
// decision that allowed it; lists answer each deploy with the budget every SLO of its service
// spent from it until the next deploy (lib/domain/deploy-budget.ts computes every figure).
import { parseObjective } from "../../domain/budget";
import type { Counts } from "../../domain/burn-rate";
import { deployPeriods, deploySpend, formatDeploySpend, formatSpendShort, windowName, worstSpend } from "../../domain/deploy-budget";
import { countTimeSlices } from "../../domain/time-slice";
import { complianceWindow, DAY_MS, HOUR_MS, splitByDays } from "../../domain/window";
import type { Prisma } from "../../generated/prisma/client";
import { FUTURE_TOLERANCE_MS } from "../../schemas/ingest";
import { OLDEST_DEPLOY_DAYS, type DeployPage, type DeployQuery, type DeploySloSpend, type DeployView, type DeployWithSpend, type RecordDeployInput } from "../../schemas/deploys";
import { clockNow } from "../clock";
import { db, prisma } from "../db/client";
import { AppError, isDatabaseDiskFull, isDatabaseUnavailable, notFound } from "../errors";
import { logger } from "../logger";
import { EXCLUSION_APPLIES_SQL, minuteBuckets, NOT_EXCLUDED_SQL } from "../sli-data";
import type { Actor, TeamAccess } from "./actor";
import { requireScope, requireTeamAccess, requireTeamRead } from "./access";
import { writeAudit } from "./audit";
import { findService, sloDefinitionOf } from "./catalog";
import { decisionUrl } from "./gate";

/** How far back the latest allowing decision of the same release is looked for when none is named. */
const DECISION_LOOKBACK_MS = 24 * HOUR_MS;

type DeployRow = Prisma.DeployGetPayload<{ include: { service: { select: { slug: true; name: true } }; decision: { select: { id: true; decision: true } } } }>;
const include = { service: { select: { slug: true, name: true } }, decision: { select: { id: true, decision: true } } } as const;

function deployView(d: DeployRow, teamSlug: string): DeployView {
  return {
    id: d.id,
    team: teamSlug,
    service: { slug: d.service.slug, name: d.service.name },
    environment: d.environment,
    version: d.version,
    commit: d.commit,
    link: d.link,
    deployedAt: d.deployedAt.toISOString(),
    source: d.source,
    decision: d.decision ? { id: d.decision.id, decision: d.decision.decision as "allow" | "warn" | "deny", url: decisionUrl(teamSlug, d.decision.id) } : null,
    recordedAt: d.createdAt.toISOString(),
  };
}

/**
 * Who may record: a token of the team with the `gate` scope (the pipeline that asked the gate),
 * or a signed-in editor naming the team. A token naming another team sees "not found".
 */
async function recordAccess(actor: Actor, team: string | undefined): Promise<TeamAccess> {
  if (actor.kind === "token") {
    requireScope(actor, "gate");
    if (team && team !== actor.teamSlug) throw notFound(`team "${team}"`);
    return requireTeamAccess(actor, actor.teamSlug, "editor");
  }
  if (!team) throw new AppError("invalid", "team: is required when signed in (a token records for its own team)", { team: "is required when signed in (a token records for its own team)" });
  return requireTeamAccess(actor, team, "editor");
}

/**
 * Records a deploy. A retried report gets the first record back (`created: false`): the same
 * service, environment and version, and the same linked decision, or the same deployedAt, or
 * (deployedAt left out) recorded within the last 5 minutes. Audited in the same transaction.
 */
export async function recordDeploy(actor: Actor, input: RecordDeployInput, source: "api" | "cli" | "demo" = "api"): Promise<{ created: boolean; deploy: DeployView }> {
  const access = await recordAccess(actor, input.team);
  const now = clockNow();
  const svc = await findService(access, input.service).catch((e: unknown) => {
    throw e instanceof AppError && e.status === 404 ? new AppError("invalid", `service: "${input.service}" is not a service of team "${access.slug}"`, { service: `is not a service of team "${access.slug}"` }) : e;
  });
  if (svc.archivedAt) throw new AppError("invalid", `service: "${svc.slug}" is archived: restore it to record deploys`, { service: "is archived: restore it to record deploys" });
  const deployedAt = input.deployedAt ?? now;
  if (deployedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new AppError("invalid", "deployedAt: is more than 5 minutes in the future", { deployedAt: "is more than 5 minutes in the future" });
  }
  if (deployedAt.getTime() < now.getTime() - OLDEST_DEPLOY_DAYS * DAY_MS) {
    throw new AppError("invalid", `deployedAt: is more than ${OLDEST_DEPLOY_DAYS} days ago`, { deployedAt: `is more than ${OLDEST_DEPLOY_DAYS} days ago` });
  }
  const decisionId = input.decisionId ? await namedDecision(access, svc.id, input.decisionId) : await latestAllowingDecision(access, svc.id, input.environment, input.version, deployedAt);

  const result = await prisma().$transaction(async (tx) => {
    // One writer per release at a time, so two retries arriving together find each other.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`deploy:${svc.id}:${input.environment}:${input.version}`}, 16))`;
    const same: Prisma.DeployWhereInput[] = [{ deployedAt }];
    if (decisionId) same.push({ decisionId });
    if (!input.deployedAt) same.push({ createdAt: { gte: new Date(now.getTime() - FUTURE_TOLERANCE_MS) } });
    const existing = await tx.deploy.findFirst({ where: { teamId: access.teamId, serviceId: svc.id, environment: input.environment, version: input.version, OR: same }, orderBy: { createdAt: "asc" }, include });
    if (existing) return { created: false, row: existing };
    const row = await tx.deploy.create({
      data: {
        teamId: access.teamId,
        serviceId: svc.id,
        environment: input.environment,
        version: input.version,
        commit: input.commit ?? null,
        link: input.link ?? null,
        deployedAt,
        decisionId,
        source,
        tokenId: actor.kind === "token" ? actor.tokenId : null,
        createdAt: now,
      },
      include,
    });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "deploy.record", targetType: "deploy", targetId: row.id, after: deployView(row, access.slug) });
    return { created: true, row };
  });
  return { created: result.created, deploy: deployView(result.row, access.slug) };
}

/** A decision the caller named: the team's, for this service, and one that let the deploy through. */
async function namedDecision(access: TeamAccess, serviceId: string, id: string): Promise<string> {
  const d = await prisma().gateDecision.findFirst({ where: { id, teamId: access.teamId }, select: { serviceId: true, decision: true } });
  const problem = !d ? "is not a gate decision of this team" : d.serviceId !== serviceId ? "is a decision about another service" : d.decision === "deny" ? "is a deny: a deploy links to the decision that allowed it" : null;
  if (problem) throw new AppError("invalid", `decisionId: ${problem}`, { decisionId: problem });
  return id;
}

/** The latest allow or warn for the same release in the 24 hours before it went out (5 minutes of clock skew after), if any. */
async function latestAllowingDecision(access: TeamAccess, serviceId: string, environment: string, version: string, deployedAt: Date): Promise<string | null> {
  const d = await prisma().gateDecision.findFirst({
    where: {
      teamId: access.teamId,
      serviceId,
      environment: { equals: environment, mode: "insensitive" },
      version,
      decision: { in: ["allow", "warn"] },
      createdAt: { gte: new Date(deployedAt.getTime() - DECISION_LOOKBACK_MS), lte: new Date(deployedAt.getTime() + FUTURE_TOLERANCE_MS) },
    },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  return d?.id ?? null;
}

/** A team's deploys, newest first, each with what it spent; `next` continues the list. */
export async function listDeploys(actor: Actor, team: string, q: DeployQuery): Promise<DeployPage> {
  const access = await requireTeamRead(actor, team);
  let serviceId: string | undefined;
  if (q.service) serviceId = (await findService(access, q.service)).id;
  return pageOf(access, { serviceId, environment: q.environment, before: q.before, limit: q.limit });
}

/** One service's deploys, newest first, each with what it spent. */
export async function listServiceDeploys(actor: Actor, team: string, service: string, q: Omit<DeployQuery, "service">): Promise<DeployPage> {
  const access = await requireTeamRead(actor, team);
  const svc = await findService(access, service);
  return pageOf(access, { serviceId: svc.id, environment: q.environment, before: q.before, limit: q.limit });
}

async function pageOf(access: TeamAccess, q: { serviceId?: string; environment?: string; before?: string; limit: number }): Promise<DeployPage> {
  const where: Prisma.DeployWhereInput = { teamId: access.teamId, ...(q.serviceId ? { serviceId: q.serviceId } : {}), ...(q.environment ? { environment: { equals: q.environment, mode: "insensitive" } } : {}) };
  if (q.before) {
    const cursor = await prisma().deploy.findFirst({ where: { id: q.before, teamId: access.teamId }, select: { id: true, deployedAt: true } });
    if (!cursor) throw new AppError("bad_request", "before: is not a deploy of this team", { before: "is not a deploy of this team" });
    where.OR = [{ deployedAt: { lt: cursor.deployedAt } }, { deployedAt: cursor.deployedAt, id: { lt: cursor.id } }];
  }
  const rows = await prisma().deploy.findMany({ where, orderBy: [{ deployedAt: "desc" }, { id: "desc" }], take: q.limit + 1, include });
  const page = rows.slice(0, q.limit);
  return { deploys: await withSpend(access, page, clockNow()), next: rows.length > q.limit ? page.at(-1)!.id : null };
}

/**
 * The deploys of some services inside [from, to), oldest first, each with what it spent (the
 * incident page: deploys from an hour before an incident started to its end).
 */
export async function deploysBetween(actor: Actor, team: string, services: readonly string[], from: Date, to: Date): Promise<DeployWithSpend[]> {
  const access = await requireTeamRead(actor, team);
  if (services.length === 0) return [];
  const rows = await prisma().deploy.findMany({
    where: { teamId: access.teamId, service: { slug: { in: [...services] } }, deployedAt: { gte: from, lt: to } },
    orderBy: [{ deployedAt: "asc" }, { id: "asc" }],
    take: 100,
    include,
  });
  return withSpend(access, rows, clockNow());
}

/** The newest 200 deploys of a service inside [from, to), oldest first, without figures (the SLO charts' markers). */
export async function deployMarks(actor: Actor, team: string, service: string, from: Date, to: Date): Promise<DeployView[]> {
  const access = await requireTeamRead(actor, team);
  const svc = await findService(access, service);
  const rows = await prisma().deploy.findMany({ where: { teamId: access.teamId, serviceId: svc.id, deployedAt: { gte: from, lt: to } }, orderBy: [{ deployedAt: "desc" }, { id: "desc" }], take: 200, include });
  return rows.reverse().map((d) => deployView(d, access.slug));
}

/**
 * Each deploy with its period's end and every SLO's spend. One read for the periods' ends, one
 * for the SLOs, then one statement per SLO over all its deploys' periods and windows.
 */
async function withSpend(access: TeamAccess, rows: readonly DeployRow[], now: Date): Promise<DeployWithSpend[]> {
  if (rows.length === 0) return [];
  const { rows: nexts } = await db().pool.query<{ id: string; next_at: Date | null }>(
    `SELECT d.id, (SELECT n.deployed_at FROM deploys n WHERE n.service_id = d.service_id AND n.environment = d.environment
        AND (n.deployed_at, n.id) > (d.deployed_at, d.id) ORDER BY n.deployed_at, n.id LIMIT 1) AS next_at
     FROM deploys d WHERE d.id = ANY($1::uuid[])`,
    [rows.map((r) => r.id)],
  );
  const nextOf = new Map(nexts.map((n) => [n.id, n.next_at]));
  // The domain cuts the periods: each deploy and its successor (when there is one) as a pair.
  const periods = new Map(
    rows.map((r) => {
      const next = nextOf.get(r.id) ?? null;
      const marks = [{ id: r.id, environment: r.environment, deployedAt: r.deployedAt }, ...(next ? [{ id: `${r.id}:next`, environment: r.environment, deployedAt: next }] : [])];
      return [r.id, deployPeriods(marks, now).get(r.id)!] as const;
    }),
  );
  const serviceIds = [...new Set(rows.map((r) => r.serviceId))];
  const slos = await prisma().slo.findMany({ where: { serviceId: { in: serviceIds }, archivedAt: null }, include: { sli: true }, orderBy: { name: "asc" } });
  const spendOf = new Map<string, DeploySloSpend[]>(rows.map((r) => [r.id, []]));
  for (const slo of slos) {
    const mine = rows.filter((r) => r.serviceId === slo.serviceId);
    const figures = await sloSpends(slo, mine.map((r) => periods.get(r.id)!));
    mine.forEach((r, i) => spendOf.get(r.id)!.push(figures[i]!));
  }
  return rows.map((r) => {
    const spend = spendOf.get(r.id)!;
    const worst = worstSpend(spend.map((s) => ({ share: s.share })));
    return {
      ...deployView(r, access.slug),
      periodEnd: periods.get(r.id)!.to.toISOString(),
      current: !nextOf.get(r.id),
      spend: spend.map((s, i) => ({ ...s, worst: i === worst })),
    };
  });
}

type SloRow = Prisma.SloGetPayload<{ include: { sli: true } }>;

/** One SLO's spend for each period, in order; a broken definition or data is that SLO's error only. */
async function sloSpends(slo: SloRow, periods: readonly { from: Date; to: Date }[]): Promise<DeploySloSpend[]> {
  const base = { slo: { slug: slo.slug, name: slo.name }, objective: slo.objective.toString(), worst: false };
  try {
    const def = sloDefinitionOf(slo);
    const windows = periods.map((p) => complianceWindow(def.window, p.to));
    const ranges = [...periods, ...windows.map((w, i) => ({ from: w.start, to: periods[i]!.to }))];
    const sli = { id: def.sli.id, serviceId: def.serviceId };
    let counts: Counts[];
    if (def.sli.timeSlice) {
      // Slices need their minutes whole: one read from the earliest window start to the last end.
      const from = new Date(Math.min(...ranges.map((r) => r.from.getTime())));
      const to = new Date(Math.max(...ranges.map((r) => r.to.getTime())));
      const buckets = await minuteBuckets(sli, from, to);
      const { minutes, target } = def.sli.timeSlice;
      counts = ranges.map((r) => countTimeSlices(buckets.filter((b) => b.start >= r.from && b.start < r.to), minutes, target));
    } else {
      counts = await sumRanges(sli, ranges);
    }
    return periods.map((_, i) => {
      const s = deploySpend({
        objective: parseObjective(slo.objective.toString()),
        windowMinutes: windows[i]!.periodMinutes,
        sliceMinutes: def.sli.timeSlice?.minutes ?? null,
        period: counts[i]!,
        window: counts[periods.length + i]!,
      });
      return { ...base, window: windowName(def.window), badEvents: s.badEvents, totalEvents: s.totalEvents, share: s.share, budgetMinutes: s.minutes, summary: formatSpendShort(s), sentence: formatDeploySpend(s, def.window), error: null };
    });
  } catch (e) {
    if (isDatabaseUnavailable(e) || isDatabaseDiskFull(e)) throw e;
    logger().error({ err: e, slo: slo.id }, "a deploy's spend could not be computed");
    const error = "its definition or data could not be read; the error is in the server's log";
    return periods.map(() => ({ ...base, window: "", badEvents: 0, totalEvents: 0, share: null, budgetMinutes: null, summary: "could not be computed", sentence: `No figure: ${error}.`, error }));
  }
}

/**
 * Good/total over each range [from, to) of one SLI, in one statement: whole UTC days from the
 * daily rollup, whole hours at the edges from the hourly one, minutes only at the very edges
 * (the split countManyWindowsAndLookbacks in lib/server/sli-data.ts reads windows with). With an
 * exclusion in reach, every range is read per minute with the exclusions left out, as SLO status
 * does (NOT_EXCLUDED_SQL).
 */
async function sumRanges(sli: { id: string; serviceId: string }, ranges: readonly { from: Date; to: Date }[]): Promise<Counts[]> {
  const lo = new Date(Math.min(...ranges.map((r) => r.from.getTime())));
  const hi = new Date(Math.max(...ranges.map((r) => r.to.getTime())));
  const { rows: ex } = await db().pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM exclusions e WHERE ${EXCLUSION_APPLIES_SQL("e", "$1", "$2")} AND e.starts_at < $4 AND e.ends_at > $3`,
    [sli.serviceId, sli.id, lo, hi],
  );
  const k = ranges.map((_, i) => i);
  let result: { k: number; good: string; total: string }[];
  if ((ex[0]?.n ?? 0) > 0) {
    result = (
      await db().pool.query<{ k: number; good: string; total: string }>(
        `SELECT r.k, coalesce(sum(b.good), 0)::bigint AS good, coalesce(sum(b.total), 0)::bigint AS total
         FROM unnest($3::int[], $4::timestamptz[], $5::timestamptz[]) AS r(k, lo, hi)
         LEFT JOIN sli_buckets b ON b.sli_id = $1 AND b.minute >= r.lo AND b.minute < r.hi AND ${NOT_EXCLUDED_SQL("$2")}
         GROUP BY r.k`,
        [sli.id, sli.serviceId, k, ranges.map((r) => r.from), ranges.map((r) => r.to)],
      )
    ).rows;
  } else {
    const splits = ranges.map((r) => splitByDays(r.from.getTime(), r.to.getTime()));
    const col = (f: (s: (typeof splits)[number]) => number | undefined) => splits.map((s) => (f(s) === undefined ? null : new Date(f(s)!)));
    const sum = (table: string, column: string, a: string, b: string) => `SELECT good, total FROM ${table} WHERE sli_id = $1 AND ${column} >= r.${a} AND ${column} < r.${b}`;
    result = (
      await db().pool.query<{ k: number; good: string; total: string }>(
        `SELECT r.k, coalesce(d.good, 0) + coalesce(h.good, 0) + coalesce(m.good, 0) AS good, coalesce(d.total, 0) + coalesce(h.total, 0) + coalesce(m.total, 0) AS total
         FROM unnest($2::int[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[])
           AS r(k, d1, d2, h1lo, h1hi, h2lo, h2hi, m1lo, m1hi, m2lo, m2hi)
         CROSS JOIN LATERAL (SELECT sum(good) AS good, sum(total) AS total FROM (${sum("sli_buckets_daily", "day", "d1", "d2")}) x) d
         CROSS JOIN LATERAL (SELECT sum(good) AS good, sum(total) AS total FROM (${sum("sli_buckets_hourly", "hour", "h1lo", "h1hi")} UNION ALL ${sum("sli_buckets_hourly", "hour", "h2lo", "h2hi")}) x) h
         CROSS JOIN LATERAL (SELECT sum(good) AS good, sum(total) AS total FROM (${sum("sli_buckets", "minute", "m1lo", "m1hi")} UNION ALL ${sum("sli_buckets", "minute", "m2lo", "m2hi")}) x) m`,
        [
          sli.id,
          k,
          col((s) => s.days?.from),
          col((s) => s.days?.to),
          col((s) => s.hours[0]?.from),
          col((s) => s.hours[0]?.to),
          col((s) => s.hours[1]?.from),
          col((s) => s.hours[1]?.to),
          col((s) => s.minutes[0]?.from),
          col((s) => s.minutes[0]?.to),
          col((s) => s.minutes[1]?.from),
          col((s) => s.minutes[1]?.to),
        ],
      )
    ).rows;
  }
  const out: Counts[] = ranges.map(() => ({ good: 0, total: 0 }));
  for (const r of result) out[r.k] = { good: Number(r.good), total: Number(r.total) };
  return out;
}
