// One overview row from an SLO and its computed status: the shape the overview, the service page
// and the group page show (lib/schemas/views.ts overviewRowSchema). Numbers come computed
// (slo-status.ts -> lib/domain, docs/architecture.md rule 1); this only picks and rounds for display.
import { alertBadgeOf } from "../../domain/risk";
import type { SloStatus } from "../../domain/slo-status";
import type { OverviewRow } from "../../schemas/views";
import { storedWindowOf, trimDecimal } from "./stored-values";

type SloRow = Parameters<typeof storedWindowOf>[0] & { id: string; slug: string; name: string; objective: { toString(): string } };

export function overviewRowOf(input: {
  slo: SloRow;
  team: { slug: string; name: string };
  service: { slug: string; name: string };
  group: OverviewRow["group"];
  status: SloStatus;
  remainingByDay: readonly (number | null)[];
  firingSince: Date | null;
}): OverviewRow {
  const { slo: o, status } = input;
  return {
    team: { slug: input.team.slug, name: input.team.name },
    service: { slug: input.service.slug, name: input.service.name },
    slo: { id: o.id, slug: o.slug, name: o.name, objective: trimDecimal(o.objective.toString()), window: storedWindowOf(o) },
    group: input.group,
    status: {
      sli: status.sli,
      budget: status.budget,
      tier: status.tier,
      total: status.total,
      timeToExhaustionMinutes: status.timeToExhaustionMinutes,
      exhaustionHorizonMinutes: status.exhaustionHorizonMinutes,
      alerts: { state: status.alerts.state },
      freshness: { state: status.freshness.state, lastDataAt: status.freshness.lastDataAt },
      burnRate1h: status.burnRates["1h"],
      integrity: status.integrity,
      error: status.error,
    },
    badge: alertBadgeOf(status),
    firingSince: input.firingSince?.toISOString() ?? null,
    // A tenth of a percent is finer than a sparkline's pixels.
    sparkline: input.remainingByDay.map((r) => (r === null ? null : Math.round(r * 1000) / 1000)),
  };
}
