// The error-budget policy and the deploy gate's decision (DOMAIN.md "Error budget policy" and
// "Deploy gate"). Pure: the caller gathers the SLOs' remaining budgets, active overrides and
// freezes; this decides allow / warn / deny and says why in plain words.
import type { RemainingBudget } from "./budget";
import { tierOf, type Tier, type TierThresholds } from "./tier";

export const changeTypes = ["feature", "reliability", "p0-fix", "security", "config", "rollback"] as const;
export type ChangeType = (typeof changeTypes)[number];

export type GateDecision = "allow" | "warn" | "deny";

export type Policy = {
  thresholds: TierThresholds;
  /** Change types each restrictive tier still allows. */
  allowed: { freeze: ChangeType[]; halted: ChangeType[] };
  /** Caution: allow with a warning (DOMAIN.md), or deny feature deploys too. */
  cautionFeatures: "warn" | "deny";
  /** What a service with no SLO, or no data in any SLO, gets. */
  noData: GateDecision;
  /** Whether a required postmortem not yet published blocks feature deploys. */
  missingPostmortemBlocksFeatures: boolean;
};

/**
 * The defaults are DOMAIN.md's table: freeze allows only reliability fixes, P0 bug fixes and
 * security fixes; halted only P0 and security fixes. Rollbacks and config changes are not in
 * those lists; a team that wants them allowed while frozen edits its policy.
 */
export const defaultPolicy: Policy = {
  thresholds: { caution: 0.5, freeze: 0.1 },
  allowed: { freeze: ["reliability", "p0-fix", "security"], halted: ["p0-fix", "security"] },
  cautionFeatures: "warn",
  noData: "warn",
  missingPostmortemBlocksFeatures: true,
};

export type GateSlo = { id: string; name: string; budget: RemainingBudget };
export type GateOverride = { id: string; approvedBy: string; reason: string; expiresAt: Date };
export type GateFreeze = { id: string; reason: string; endsAt: Date };

export type GateInput = {
  policy: Policy;
  changeType: ChangeType;
  slos: readonly GateSlo[];
  /** Active overrides whose scope covers this service and environment. */
  overrides: readonly GateOverride[];
  /** Active manual freezes covering this service and environment. */
  freezes: readonly GateFreeze[];
  /** An incident of this service needs a postmortem that is not published yet. */
  missingPostmortem: { incidentTitle: string } | null;
};

export type GateResult = {
  decision: GateDecision;
  tier: Tier;
  reasons: string[];
  /** The worst SLO: the one the decision rests on. */
  decidingSlo: GateSlo | null;
  override: GateOverride | null;
};

const percent = (f: number) => `${(Math.round(f * 1000) / 10).toString()}%`;

/** The service's worst SLO: least remaining budget; SLOs without data only when all are. */
export function worstSlo(slos: readonly GateSlo[]): GateSlo | null {
  const withData = slos.filter((s) => s.budget.state === "ok");
  if (withData.length === 0) return slos[0] ?? null;
  return withData.reduce((a, b) => ((b.budget as { remaining: number }).remaining < (a.budget as { remaining: number }).remaining ? b : a));
}

export function decideGate(input: GateInput): GateResult {
  const { policy, changeType } = input;
  const worst = worstSlo(input.slos);
  let tier: Tier = worst ? tierOf(worst.budget, policy.thresholds) : "no_data";
  const reasons: string[] = [];
  let decision: GateDecision;

  if (tier === "no_data") {
    decision = policy.noData;
    reasons.push(worst ? `no data in any SLO of this service yet; the policy says ${policy.noData}` : `this service has no SLO; the policy says ${policy.noData}`);
  } else {
    const r = worst!.budget as { remaining: number };
    reasons.push(`${worst!.name} has ${percent(r.remaining)} of its error budget left: tier ${tier}`);
    decision = gateByTier(tier, changeType, policy, reasons);
  }

  // A manual freeze acts like a budget freeze, unless the budget is already worse.
  if (input.freezes.length > 0 && tier !== "halted") {
    const f = input.freezes[0]!;
    tier = "freeze";
    reasons.push(`manual freeze until ${f.endsAt.toISOString()}: ${f.reason}`);
    decision = strictest(decision, policy.allowed.freeze.includes(changeType) ? "allow" : "deny");
  }
  if (input.missingPostmortem && policy.missingPostmortemBlocksFeatures && changeType === "feature") {
    reasons.push(`feature deploys wait for the postmortem of "${input.missingPostmortem.incidentTitle}" (published with a P0 action item)`);
    decision = "deny";
  }

  let override: GateOverride | null = null;
  if (decision === "deny" && input.overrides.length > 0) {
    override = input.overrides[0]!;
    decision = "allow";
    reasons.push(`override by ${override.approvedBy} until ${override.expiresAt.toISOString()}: ${override.reason}`);
  }
  return { decision, tier, reasons, decidingSlo: worst, override };
}

function gateByTier(tier: Exclude<Tier, "no_data">, change: ChangeType, policy: Policy, reasons: string[]): GateDecision {
  switch (tier) {
    case "normal":
      return "allow";
    case "caution":
      if (change === "feature" && policy.cautionFeatures === "deny") {
        reasons.push("the policy denies feature deploys in caution");
        return "deny";
      }
      reasons.push("deploy with care: slower rollout, extra review for risky changes");
      return "warn";
    case "freeze":
    case "halted": {
      const allowed = policy.allowed[tier];
      if (allowed.includes(change)) {
        reasons.push(`${change} changes are allowed in ${tier} (${allowed.join(", ")})`);
        return "allow";
      }
      reasons.push(`${tier} allows only ${allowed.join(", ")} changes, not ${change}${tier === "halted" ? "; an override needs an escalation" : ""}`);
      return "deny";
    }
  }
}

const order: GateDecision[] = ["allow", "warn", "deny"];
function strictest(a: GateDecision, b: GateDecision): GateDecision {
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
}
