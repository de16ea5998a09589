// Demo canary analyses (issue 16): on the demo's busiest service (Search API, 1,500 requests a
// minute), cohort minutes for two releases judged against the running one: 2026.11.4 at the
// baseline's error ratios passes all six intervals; 2026.11.5, with a tripled availability error
// ratio, fails early. They are started through the service layer as the demo's admin with a
// start time in the past and judged by the real job, so the pages show what a rollout would.
import { minuteOf } from "../../domain/window";
import { noisyBad, prng } from "./generate";
import { prisma } from "../db/client";
import { runDueAnalyses } from "../jobs/canary";
import { startAnalysis } from "../services/analyses";
import { storeCohortMinutes, type CohortRow } from "../services/cohorts";
import { createAnalysisSchema } from "../../schemas/analysis";

const MIN = 60_000;
const TEAM = "search";
const SERVICE = "search-api";
/** Requests a minute each cohort serves: a canary and a baseline of equal size, as Kayenta advises. */
const PER_MINUTE = 600;
/** The service's own error ratios per SLI (lib/server/demo/seed.ts). */
const BASE = { availability: 0.003, latency: 0.007 } as const;
const BASELINE = "2026.11.3";
const PASSED = { version: "2026.11.4", startedMinutesAgo: 150 };
const FAILED = { version: "2026.11.5", startedMinutesAgo: 40 };


/** A cohort's minutes in [from, to) at about `ratio` errors (binomial noise by its normal approximation). */
function cohortMinutes(sliId: string, cohort: string, ratio: number, from: number, to: number, seed: number): CohortRow[] {
  const rnd = prng(seed);
  const rows: CohortRow[] = [];
  for (let t = from; t < to; t += MIN) {
    const bad = noisyBad(rnd, PER_MINUTE, ratio);
    rows.push({ sliId, cohort, minute: new Date(t), good: PER_MINUTE - bad, total: PER_MINUTE });
  }
  return rows;
}

export async function seedDemoAnalyses(now: Date): Promise<void> {
  const admin = await prisma().user.findFirst({ where: { isSiteAdmin: true }, orderBy: { createdAt: "asc" } });
  const service = await prisma().service.findFirst({ where: { slug: SERVICE, team: { slug: TEAM } }, include: { slis: true } });
  if (!admin || !service) return;
  const sli = (slug: keyof typeof BASE) => service.slis.find((s) => s.slug === slug)!.id;
  const end = minuteOf(now).getTime();
  const at = (minutesAgo: number) => end - minutesAgo * MIN;
  const passedFrom = at(PASSED.startedMinutesAgo);
  const failedFrom = at(FAILED.startedMinutesAgo);
  await storeCohortMinutes(
    [
      // The running release, all along; each canary from its own start.
      ...cohortMinutes(sli("availability"), BASELINE, BASE.availability, passedFrom, end, 11),
      ...cohortMinutes(sli("latency"), BASELINE, BASE.latency, passedFrom, end, 12),
      ...cohortMinutes(sli("availability"), PASSED.version, BASE.availability, passedFrom, at(PASSED.startedMinutesAgo - 70), 13),
      ...cohortMinutes(sli("latency"), PASSED.version, BASE.latency, passedFrom, at(PASSED.startedMinutesAgo - 70), 14),
      ...cohortMinutes(sli("availability"), FAILED.version, 3 * BASE.availability, failedFrom, end, 15),
      ...cohortMinutes(sli("latency"), FAILED.version, BASE.latency, failedFrom, end, 16),
    ],
    now,
  );
  const actor = { kind: "user" as const, userId: admin.id, isSiteAdmin: true };
  // Availability is critical: a canary that fails it fails the interval whatever latency says.
  const metrics = [
    { sli: "availability", critical: true },
    { sli: "latency", direction: "increase" },
  ];
  const body = (version: string) => createAnalysisSchema.parse({ service: SERVICE, environment: "production", version, canary: version, baseline: BASELINE, metrics });
  await startAnalysis(actor, TEAM, body(PASSED.version), new Date(passedFrom));
  await startAnalysis(actor, TEAM, body(FAILED.version), new Date(failedFrom));
  // The job judges one due interval per claim; a few rounds judge every interval that has ended.
  for (let round = 0; round < 10; round++) {
    if ((await runDueAnalyses(now)).judged.length === 0) break;
  }
}
