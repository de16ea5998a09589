// "Test query" for an SLI's Prometheus source, before saving it: runs its queries over the last
// hour, as the sync would, and says what came back (or why nothing did). Editors only: it makes
// the server send requests to a URL the caller chose, through the outbound guard: an address
// it refuses (loopback, private, ... not in OUTBOUND_ALLOW) is a 422 on the url field, other
// failures a result in our words (never the upstream's text).
import { samplesToBuckets } from "../../domain/prometheus-samples";
import { MINUTE_MS, minuteOf } from "../../domain/window";
import type { PrometheusSourceInput } from "../../schemas/catalog";
import type { PrometheusTestResult } from "../../schemas/views";
import { AppError } from "../errors";
import type { OutboundPolicy } from "../http/outbound";
import { PromQueryError, queryRange } from "../sources/prometheus";
import type { Actor } from "./actor";
import { requirePersonInTeam } from "./access";
import { serverField, serverOf } from "./source-server";
import { clockNow } from "../clock";

export async function testPrometheusSource(actor: Actor, team: string, src: PrometheusSourceInput, now = clockNow(), policy: OutboundPolicy = {}): Promise<PrometheusTestResult> {
  const access = await requirePersonInTeam(actor, team, "editor");
  const source = await serverOf(access.teamId, src, "", { policy });
  const end = minuteOf(now);
  const start = new Date(end.getTime() - 60 * MINUTE_MS);
  const mode = src.badQuery ? "bad" : "good";
  try {
    const first = new Date(start.getTime() + MINUTE_MS);
    const [total, other] = await Promise.all([queryRange(source, src.totalQuery, first, end, 60, undefined, policy), queryRange(source, src.badQuery ?? src.goodQuery ?? "", first, end, 60, undefined, policy)]);
    const buckets = samplesToBuckets(total, other, mode);
    const good = buckets.reduce((s, b) => s + b.good, 0);
    const sum = buckets.reduce((s, b) => s + b.total, 0);
    return { ok: true, from: start.toISOString(), to: end.toISOString(), minutes: 60, minutesWithData: buckets.length, good, total: sum, sli: sum === 0 ? null : good / sum };
  } catch (e) {
    if (e instanceof PromQueryError && e.refused) throw new AppError("invalid", e.message, { [serverField(source)]: e.message });
    if (e instanceof PromQueryError) return { ok: false, error: e.message };
    throw e;
  }
}
