import type { RemainingBudget } from "@/lib/domain/budget";
import { formatPercent } from "@/lib/domain/format";
import type { Tier } from "@/lib/domain/tier";

const tone: Record<Tier, string> = { normal: "ok", caution: "caution", freeze: "danger", halted: "danger", no_data: "muted" };
const label: Record<Tier, string> = { normal: "normal", caution: "caution", freeze: "freeze", halted: "halted", no_data: "no data" };

export const tierLabel = (t: Tier) => label[t];

/** Remaining budget as a bar, a number and the tier in words (colour is never the only signal). */
export function BudgetBar({ budget, tier }: { budget: RemainingBudget; tier: Tier }) {
  const t = tone[tier];
  if (budget.state === "no_data") {
    return <span className="tone-muted">No data in window</span>;
  }
  const width = Math.max(0, Math.min(1, budget.remaining)) * 100;
  return (
    <div className="budget">
      <div
        className="budget-bar"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(Math.max(0, budget.remaining) * 100)}
        aria-label="Remaining error budget"
      >
        <div className={`budget-fill fill-${t}`} style={{ width: `${width}%` }} />
      </div>
      <span className={`budget-value tone-${t}`}>{formatPercent(budget.remaining, 1)}</span>
      <span className={`pill tone-${t}`}>{label[tier]}</span>
    </div>
  );
}
