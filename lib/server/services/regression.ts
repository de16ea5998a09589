// Regression of a release against earlier releases (docs/regression.md): reads the release's and
// the earlier releases' SLI counts over their first minutes and hands them to lib/domain's judge
// (docs/architecture.md rule 1). Nothing is stored: the answer is computed on each call.
import { comparisonCount, includesResult, type KeptnSlo } from "../../domain/keptn-slo";
import {
  DEFAULT_FIRST_MINUTES,
  defaultCriteria,
  earlierReleaseResult,
  errorRatio,
  judgeRelease,
  MAX_EARLIER_CANDIDATES,
  releaseWindow,
  type EarlierRelease,
} from "../../domain/regression";
import type { RegressionRequest, RegressionView } from "../../schemas/regression";
import { clockNow } from "../clock";
import { prisma } from "../db/client";
import { AppError, forbidden, notFound } from "../errors";
import { countRange } from "../sli-data";
import { requireTeamAccess } from "./access";
import type { Actor } from "./actor";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type SliRef = { id: string; serviceId: string; slug: string };

/** Each SLI's error ratio over [from, to), by slug (null: no events). */
async function valuesOver(slis: readonly SliRef[], from: Date, to: Date): Promise<Record<string, number | null>> {
  const counts = await Promise.all(slis.map((s) => countRange(s, from, to)));
  return Object.fromEntries(slis.map((s, i) => [s.slug, errorRatio(counts[i]!)]));
}

/**
 * Judges a deploy's first `firstMinutes` against the last good releases of its service and
 * environment, with the caller's Keptn criteria (JSON or slo.yaml) or the defaults built from the
 * service's SLOs. People of the team (any role) and tokens with the `gate` or `read` scope.
 */
export async function compareRelease(actor: Actor, team: string, deployId: string, input: RegressionRequest): Promise<RegressionView> {
  if (actor.kind === "token" && !actor.scopes.includes("gate") && !actor.scopes.includes("read")) throw forbidden('this token lacks the "gate" or "read" scope');
  const access = await requireTeamAccess(actor, team, "viewer");
  if (!UUID.test(deployId)) throw notFound(`deploy "${deployId}"`);
  const deploy = await prisma().deploy.findFirst({
    where: { id: deployId, teamId: access.teamId },
    include: {
      service: {
        select: {
          slug: true,
          slis: { where: { archivedAt: null }, orderBy: { slug: "asc" }, select: { id: true, serviceId: true, slug: true, name: true, slos: { where: { archivedAt: null }, select: { objective: true } } } },
        },
      },
    },
  });
  if (!deploy) throw notFound(`deploy "${deployId}"`);

  const slis = deploy.service.slis;
  const source = input.criteria ? "json" : input.sloYaml ? "yaml" : "default";
  const slo: KeptnSlo = input.criteria ?? input.sloYaml ?? defaultCriteria(slis.map((s) => ({ slug: s.slug, name: s.name, objectives: s.slos.map((o) => o.objective.toString()) })));
  if (slo.objectives.length === 0) throw new AppError("invalid", `service "${deploy.service.slug}" has no SLI to judge a release on`, { deploy: "its service has no SLI" });
  const bySlug = new Map(slis.map((s) => [s.slug, s]));
  const unknown = slo.objectives.flatMap((o, i) => (bySlug.has(o.sli) ? [] : [[`${source === "yaml" ? "sloYaml" : "criteria"}.objectives.${i}.sli`, `service "${deploy.service.slug}" has no SLI "${o.sli}"`] as const]));
  if (unknown.length) throw new AppError("invalid", unknown.map(([k, v]) => `${k}: ${v}`).join("; "), Object.fromEntries(unknown));
  const used = [...new Set(slo.objectives.map((o) => o.sli))].map((slug) => bySlug.get(slug)!);

  const firstMinutes = input.firstMinutes ?? DEFAULT_FIRST_MINUTES;
  const now = clockNow();
  const same = { serviceId: deploy.serviceId, environment: deploy.environment };
  const next = await prisma().deploy.findFirst({ where: { ...same, deployedAt: { gt: deploy.deployedAt } }, orderBy: { deployedAt: "asc" }, select: { deployedAt: true } });
  const window = releaseWindow(deploy.deployedAt, next?.deployedAt ?? null, firstMinutes, now);
  const values = window.complete ? await valuesOver(used, window.from, window.to) : {};

  // Earlier releases, newest first, read until K of them are good (or the candidates run out):
  // each is judged on its own first minutes, cut at the release that followed it.
  const earlier: EarlierRelease[] = [];
  if (window.complete) {
    const candidates = await prisma().deploy.findMany({
      where: { ...same, deployedAt: { lt: deploy.deployedAt } },
      orderBy: { deployedAt: "desc" },
      take: MAX_EARLIER_CANDIDATES,
      select: { id: true, version: true, deployedAt: true },
    });
    let followedBy = deploy.deployedAt;
    let good = 0;
    for (const c of candidates) {
      const w = releaseWindow(c.deployedAt, followedBy, firstMinutes, now);
      followedBy = c.deployedAt;
      if (!w.complete) continue;
      const e = { deployId: c.id, version: c.version, deployedAt: c.deployedAt, window: w, values: await valuesOver(used, w.from, w.to) };
      earlier.push(e);
      if (includesResult(slo.comparison, earlierReleaseResult(slo, e.values).result) && ++good >= comparisonCount(slo.comparison)) break;
    }
  }

  const outcome = judgeRelease({ slo, release: { version: deploy.version, window }, values, earlier, firstMinutes });
  return {
    deploy: { id: deploy.id, service: deploy.service.slug, environment: deploy.environment, version: deploy.version, deployedAt: deploy.deployedAt.toISOString() },
    firstMinutes,
    window: { from: window.from.toISOString(), to: window.to.toISOString(), complete: window.complete, cutShort: window.cutShort },
    ...outcome,
    releases: outcome.releases.map((r) => ({ ...r, deployedAt: r.deployedAt.toISOString() })),
    criteria: { source, comparison: slo.comparison, totalScore: slo.totalScore },
  };
}
