// Error-budget policy tiers by remaining budget (docs/domain.md "Error budget policy", defaults):
//   > 50 %  normal | 10 - 50 %  caution | < 10 %  freeze | <= 0  halted
// Boundaries: exactly 50 % is caution, exactly 10 % is caution, 0 is halted.
import type { RemainingBudget } from "./budget";

export const tiers = ["normal", "caution", "freeze", "halted", "no_data"] as const;
export type Tier = (typeof tiers)[number];

export type TierThresholds = { caution: number; freeze: number };
export const defaultThresholds: TierThresholds = { caution: 0.5, freeze: 0.1 };

export function tierOf(budget: RemainingBudget, t: TierThresholds = defaultThresholds): Tier {
  if (budget.state === "no_data") return "no_data";
  const r = budget.remaining;
  if (r <= 0) return "halted";
  if (r < t.freeze) return "freeze";
  if (r <= t.caution) return "caution";
  return "normal";
}
