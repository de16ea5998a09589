// Demo grouped SLO (docs/grouped-slos.md): cart latency by region on the Cart service, four
// members made the way a push makes them, a week of minutes each. ap-south spent over half its
// budget in a slow spell three days ago (tier caution, not burning now); the others are healthy.
// Kept off the overview's top rows on purpose: the dashboard's specs read those.
import { minuteOf } from "../../domain/window";
import { prisma } from "../db/client";
import { upsertBuckets, type BucketRow } from "../sli-data";
import { createGroup } from "../services/slo-groups";
import { ensureMembers } from "../services/slo-group-members";
import { createGroupSchema } from "../../schemas/slo-groups";
import { noisyBad, prng } from "./generate";

const MIN = 60_000;
const PER_MINUTE = 300;
/** Share of requests over the 500 ms threshold per region; ap-south's slow spell: 10 hours at 6 %, three days ago. */
const REGIONS: Record<string, { base: number; spell?: number }> = {
  "eu-west": { base: 0.002 },
  "us-east": { base: 0.003 },
  "ap-south": { base: 0.002, spell: 0.06 },
  "sa-east": { base: 0.001 },
};
const SPELL = { from: 3 * 1440 + 600, to: 3 * 1440 }; // minutes ago

export async function seedDemoGroups(now: Date): Promise<void> {
  const admin = await prisma().user.findFirst({ where: { isSiteAdmin: true }, orderBy: { createdAt: "asc" } });
  if (!admin) return;
  const actor = { kind: "user" as const, userId: admin.id, isSiteAdmin: true };
  const input = createGroupSchema.parse({ slug: "latency-by-region", name: "Cart latency by region", labelKey: "region", kind: "latency", latencyThresholdMs: 500, objective: "0.99", window: { kind: "rolling", days: 28 } });
  const view = await createGroup(actor, "checkout", "cart", input);
  const group = await prisma().sloGroup.findUniqueOrThrow({ where: { id: view.id }, include: { service: { select: { slug: true, teamId: true, archivedAt: true } } } });
  const members = await ensureMembers(group, Object.keys(REGIONS), actor, now);
  const end = minuteOf(now).getTime();
  for (const [i, [region, rate]] of Object.entries(REGIONS).entries()) {
    const m = members.get(region);
    if (!m || !("sliId" in m)) continue;
    const rnd = prng(1000 + i);
    const rows: BucketRow[] = [];
    for (let ago = 7 * 1440; ago > 0; ago--) {
      const ratio = rate.spell !== undefined && ago <= SPELL.from && ago > SPELL.to ? rate.spell : rate.base;
      const bad = noisyBad(rnd, PER_MINUTE, ratio);
      rows.push({ sliId: m.sliId, minute: new Date(end - ago * MIN), good: PER_MINUTE - bad, total: PER_MINUTE });
    }
    for (let k = 0; k < rows.length; k += 5000) await upsertBuckets(rows.slice(k, k + 5000));
  }
}
