// The cost of one canary analysis interval (issue 16 "Done when"): a service of 10 SLIs, each with
// an SLO and a day of its own minutes, and 60 minutes of canary and baseline cohort minutes; one
// interval judges all 60 minutes of all 10 SLIs (two cohort reads, one Mann-Whitney test and the
// budget terms per SLI, and the writes). Reported, not asserted.
import { performance } from "node:perf_hooks";
import { prisma } from "../server/db/client";
import { authenticateToken } from "../server/services/tokens";
import type { BenchCatalog } from "./bench-database";

const MIN = 60_000;
const SLIS = 10;
const MINUTES = 60;
const RUNS = 11;

export async function benchCanary(catalog: Pick<BenchCatalog, "teamSlug" | "token" | "gateSecret">) {
  const { ingestBatch } = await import("../server/services/ingest");
  const { startAnalysis } = await import("../server/services/analyses");
  const { runDueAnalyses } = await import("../server/jobs/canary");
  const { createAnalysisSchema } = await import("../schemas/analysis");
  const gate = (await authenticateToken(catalog.gateSecret))!;
  const team = await prisma().team.findUniqueOrThrow({ where: { slug: catalog.teamSlug } });
  const svc = await prisma().service.create({ data: { teamId: team.id, slug: "canary-bench", name: "Canary bench" } });
  for (let i = 0; i < SLIS; i++) {
    const sli = await prisma().sli.create({ data: { serviceId: svc.id, slug: `sli-${i}`, name: `SLI ${i}`, kind: "request_ratio" } });
    await prisma().slo.create({ data: { serviceId: svc.id, sliId: sli.id, slug: `slo-${i}`, name: `SLO ${i}`, objective: "0.999", windowKind: "rolling", windowDays: 30 } });
  }
  const end = Math.floor(Date.now() / MIN) * MIN;
  const start = end - MINUTES * MIN;
  // A day of each SLI's own minutes (the SLO's status the budget terms need), then both cohorts' hour.
  for (let i = 0; i < SLIS; i++) {
    const items = Array.from({ length: 1440 }, (_, m) => ({ sli: `canary-bench/sli-${i}`, minute: new Date(end - (m + 1) * MIN).toISOString(), good: 1000 - (m % 7 === 0 ? 1 : 0), total: 1000 }));
    await ingestBatch(catalog.token, { items }, new Date(end));
    const cohort = (name: string, bad: (m: number) => number) =>
      Array.from({ length: MINUTES }, (_, m) => ({ sli: `canary-bench/sli-${i}`, cohort: name, minute: new Date(start + m * MIN).toISOString(), bad: bad(m), total: 1000 }));
    await ingestBatch(catalog.token, { items: [...cohort("baseline", (m) => m % 3), ...cohort("canary", (m) => (m + 1) % 3)] }, new Date(end));
  }
  const schedule = { count: 1, intervalMinutes: MINUTES, initialDelayMinutes: 0, failureLimit: 0, inconclusiveLimit: 0 };
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const a = await startAnalysis(gate, catalog.teamSlug, createAnalysisSchema.parse({ service: "canary-bench", canary: "canary", baseline: "baseline", schedule }), new Date(start));
    const t0 = performance.now();
    const run = await runDueAnalyses(new Date(end), { teamId: team.id });
    times.push(performance.now() - t0);
    if (run.judged.length !== 1 || run.judged[0]!.id !== a.id) throw new Error(`expected one judged interval, got ${JSON.stringify(run.judged)}`);
  }
  times.sort((x, y) => x - y);
  // Baseline in the same run: the 10 SLOs' statuses alone (the interval needs them for its budget terms).
  const { getSloStatus } = await import("../server/services/slo-status");
  const base: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < SLIS; i++) await getSloStatus(catalog.token, catalog.teamSlug, "canary-bench", `slo-${i}`, new Date(end));
    base.push(performance.now() - t0);
  }
  base.sort((x, y) => x - y);
  const median = times[Math.floor(RUNS / 2)]!;
  const baseMedian = base[Math.floor(RUNS / 2)]!;
  console.log(
    `Canary interval:      ${SLIS} SLIs x ${MINUTES} minutes of two cohorts: median ${median.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms over ${RUNS} runs = ${(median / baseMedian).toFixed(2)} x reading the ${SLIS} SLOs' statuses (${baseMedian.toFixed(1)} ms)`,
  );
}
