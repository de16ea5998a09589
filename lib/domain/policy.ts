// The error-budget policy and the deploy gate's decision (DOMAIN.md "Error budget policy" and
// "Deploy gate"). Pure: the caller gathers the SLOs' remaining budgets, active overrides and
// freezes; this decides allow / warn / deny and says why in plain words.
import type { RemainingBudget } from "./budget";
import { tierOf, type Tier, type TierThresholds } from "./tier";

export const changeTypes = ["feature", "reliability", "p0-fix", "security", "config", "rollback"] as const;
export type ChangeType = (typeof changeTypes)[number];

export const gateDecisions = ["allow", "warn", "deny"] as const;
export type GateDecision = (typeof gateDecisions)[number];

export type Policy = {
  thresholds: TierThresholds;
  /** Change types each restrictive tier still allows. */
  allowed: { freeze: ChangeType[]; halted: ChangeType[] };
  /** Caution: allow with a warning (DOMAIN.md), or deny feature deploys too. */
  cautionFeatures: "warn" | "deny";
  /** What a known service with no SLO, or no data in any SLO, gets. */
  noData: GateDecision;
  /** What a service Burnrate does not know gets (a typo, or a service not set up yet). */
  unknownService: GateDecision;
  /** What an environment in neither list gets. */
  unknownEnvironment: GateDecision;
  /** Environments the budget gates, and environments deployed to freely (names match case-insensitively). */
  environments: { gated: string[]; ungated: string[] };
  /** Whether a required postmortem not yet published blocks feature deploys. */
  missingPostmortemBlocksFeatures: boolean;
  /** The longest override an admin may grant, in hours. */
  maxOverrideHours: number;
};

/**
 * The defaults are DOMAIN.md's table: freeze allows only reliability fixes, P0 bug fixes and
 * security fixes; halted only P0 and security fixes. Rollbacks and config changes are not in
 * those lists; a team that wants them allowed while frozen edits its policy. Anything the
 * gate cannot judge (no data, unknown service or environment) is allowed with a warning, as
 * the gate issue asks: a gate that denies on a typo stops every pipeline of the company.
 */
export const defaultPolicy: Policy = {
  thresholds: { caution: 0.5, freeze: 0.1 },
  allowed: { freeze: ["reliability", "p0-fix", "security"], halted: ["p0-fix", "security"] },
  cautionFeatures: "warn",
  noData: "warn",
  unknownService: "warn",
  unknownEnvironment: "warn",
  environments: { gated: ["production"], ungated: ["staging", "development"] },
  missingPostmortemBlocksFeatures: true,
  maxOverrideHours: 24,
};

/** Upper bound of `maxOverrideHours`: an override is a time-limited exception, not a second policy. */
export const MAX_OVERRIDE_HOURS_LIMIT = 24 * 30;

export type GateSlo = { id: string; name: string; budget: RemainingBudget };
/** `escalatedTo`: who the override was escalated to; only an escalated override lifts a halt (DOMAIN.md). */
export type GateOverride = { id: string; approvedBy: string; escalatedTo: string | null; reason: string; expiresAt: Date };
/** `environment`: the one it names, or null for the gated environments (a freeze without one leaves staging free). */
export type GateFreeze = { id: string; reason: string; endsAt: Date; environment: string | null };

export type GateInput = {
  policy: Policy;
  changeType: ChangeType;
  /** The service's SLOs; null when the service is not known. */
  slos: readonly GateSlo[] | null;
  environment: string;
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
  freeze: GateFreeze | null;
};

const percent = (f: number) => `${(Math.round(f * 1000) / 10).toString()}%`;

/** The service's worst SLO: least remaining budget; SLOs without data only when all are. */
export function worstSlo(slos: readonly GateSlo[]): GateSlo | null {
  const withData = slos.filter((s) => s.budget.state === "ok");
  if (withData.length === 0) return slos[0] ?? null;
  return withData.reduce((a, b) => ((b.budget as { remaining: number }).remaining < (a.budget as { remaining: number }).remaining ? b : a));
}

export type EnvironmentKind = "gated" | "ungated" | "unknown";

export function environmentKind(policy: Policy, environment: string): EnvironmentKind {
  const e = environment.trim().toLowerCase();
  if (policy.environments.gated.some((g) => g.toLowerCase() === e)) return "gated";
  if (policy.environments.ungated.some((g) => g.toLowerCase() === e)) return "ungated";
  return "unknown";
}

/** The tier a service is in: its worst SLO's, by the policy's thresholds. */
export function serviceTier(slos: readonly GateSlo[], thresholds: TierThresholds): Tier {
  const worst = worstSlo(slos);
  return worst ? tierOf(worst.budget, thresholds) : "no_data";
}

export function decideGate(input: GateInput): GateResult {
  const { policy, changeType } = input;
  const worst = input.slos ? worstSlo(input.slos) : null;
  let tier: Tier = worst ? tierOf(worst.budget, policy.thresholds) : "no_data";
  const reasons: string[] = [];
  let decision: GateDecision;
  const env = environmentKind(policy, input.environment);

  if (!input.slos) {
    decision = policy.unknownService;
    reasons.push(`this service is not known to Burnrate; the policy says ${policy.unknownService}`);
  } else if (tier === "no_data") {
    decision = policy.noData;
    reasons.push(worst ? `no data in any SLO of this service yet; the policy says ${policy.noData}` : `this service has no SLO; the policy says ${policy.noData}`);
  } else {
    const r = worst!.budget as { remaining: number };
    reasons.push(`${worst!.name} has ${percent(r.remaining)} of its error budget left: tier ${tier}`);
    decision = env === "gated" ? gateByTier(tier, changeType, policy, reasons) : "allow";
  }
  if (env === "ungated") {
    decision = "allow";
    reasons.push(`${input.environment} is not gated by the error budget`);
  } else if (env === "unknown") {
    decision = policy.unknownEnvironment;
    reasons.push(`environment "${input.environment}" is not in the policy (gated: ${policy.environments.gated.join(", ") || "none"}); the policy says ${policy.unknownEnvironment}`);
  }

  // A manual freeze acts like a budget freeze, unless the budget is already worse. One that
  // names no environment covers the gated ones; one that names this environment covers it.
  const freeze = input.freezes.find((f) => (f.environment === null ? env === "gated" : f.environment.toLowerCase() === input.environment.trim().toLowerCase())) ?? null;
  if (freeze) {
    if (tier !== "halted") tier = "freeze";
    reasons.push(`manual freeze until ${freeze.endsAt.toISOString()}: ${freeze.reason}`);
    decision = strictest(decision, policy.allowed[tier === "halted" ? "halted" : "freeze"].includes(changeType) ? "allow" : "deny");
  }
  if (input.missingPostmortem && policy.missingPostmortemBlocksFeatures && changeType === "feature" && env === "gated") {
    reasons.push(`feature deploys wait for the postmortem of "${input.missingPostmortem.incidentTitle}" (published with a P0 action item)`);
    decision = "deny";
  }

  let override: GateOverride | null = null;
  if (decision === "deny" && input.overrides.length > 0) {
    // A halt needs an escalation to override (DOMAIN.md): ordinary overrides do not lift it.
    const usable = input.overrides.find((o) => tier !== "halted" || o.escalatedTo);
    if (usable) {
      override = usable;
      decision = "allow";
      const by = usable.escalatedTo ? `${usable.approvedBy}, escalated to ${usable.escalatedTo},` : usable.approvedBy;
      reasons.push(`override approved by ${by} until ${usable.expiresAt.toISOString()}: ${usable.reason}`);
    } else {
      reasons.push("an override is active but the budget is exhausted: only an override escalated beyond the team lifts a halt");
    }
  }
  return { decision, tier, reasons, decidingSlo: worst, override, freeze };
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
      reasons.push(`${tier} allows only ${allowed.join(", ") || "no"} changes, not ${change}${tier === "halted" ? "; an override needs an escalation" : ""}`);
      return "deny";
    }
  }
}

function strictest(a: GateDecision, b: GateDecision): GateDecision {
  return gateDecisions.indexOf(a) >= gateDecisions.indexOf(b) ? a : b;
}

/** Why an override's expiry cannot be accepted, or null: it must be in the future and within the policy's maximum. */
export function overrideExpiryProblem(expiresAt: Date, now: Date, policy: Pick<Policy, "maxOverrideHours">): string | null {
  if (expiresAt.getTime() <= now.getTime()) return "must be in the future";
  const hours = (expiresAt.getTime() - now.getTime()) / 3_600_000;
  if (hours > policy.maxOverrideHours) return `must be at most ${policy.maxOverrideHours} hours from now (the policy's maximum)`;
  return null;
}

/** GitHub's deployment protection rule comment: at most 1,024 characters (DOMAIN.md). */
export const GITHUB_COMMENT_LIMIT = 1024;

export function githubComment(r: Pick<GateResult, "decision" | "tier" | "reasons">, decisionUrl: string): string {
  const head = `Burnrate: ${r.decision} (tier ${r.tier}).`;
  const tail = `\nDecision: ${decisionUrl}`;
  let body = r.reasons.map((x) => `\n- ${x}`).join("");
  const room = GITHUB_COMMENT_LIMIT - head.length - tail.length;
  if (body.length > room) body = `${body.slice(0, Math.max(0, room - 1))}…`;
  return head + body + tail;
}

const pct = (f: number) => `${Math.round(f * 1000) / 10}%`;
const list = (xs: readonly string[]) => (xs.length ? xs.join(", ") : "none");

/** What changed between two versions of a policy, in plain words (the policy history shows it). */
export function describePolicyChanges(before: Policy, after: Policy): string[] {
  const out: string[] = [];
  const diff = (label: string, a: string, b: string) => void (a !== b && out.push(`${label}: ${a} → ${b}`));
  diff("caution below", pct(before.thresholds.caution), pct(after.thresholds.caution));
  diff("freeze below", pct(before.thresholds.freeze), pct(after.thresholds.freeze));
  diff("freeze allows", list(before.allowed.freeze), list(after.allowed.freeze));
  diff("halted allows", list(before.allowed.halted), list(after.allowed.halted));
  diff("feature deploys in caution", before.cautionFeatures, after.cautionFeatures);
  diff("no data", before.noData, after.noData);
  diff("unknown service", before.unknownService, after.unknownService);
  diff("unknown environment", before.unknownEnvironment, after.unknownEnvironment);
  diff("gated environments", list(before.environments.gated), list(after.environments.gated));
  diff("ungated environments", list(before.environments.ungated), list(after.environments.ungated));
  diff("missing postmortem blocks features", String(before.missingPostmortemBlocksFeatures), String(after.missingPostmortemBlocksFeatures));
  diff("longest override", `${before.maxOverrideHours} h`, `${after.maxOverrideHours} h`);
  return out;
}

/** What the gate does in a tier under a policy, in a few words (tier-change messages, the service page). */
export function tierEffect(tier: Tier, policy: Pick<Policy, "allowed" | "cautionFeatures" | "noData">): string {
  switch (tier) {
    case "normal":
      return "all deploys are allowed";
    case "caution":
      return policy.cautionFeatures === "deny" ? "feature deploys are denied; other changes get a warning" : "deploys are allowed with a warning: roll out slowly, review risky changes";
    case "freeze":
    case "halted":
      return policy.allowed[tier].length ? `only ${policy.allowed[tier].join(", ")} changes are allowed` : "no changes are allowed";
    case "no_data":
      return `the gate has no data to judge by, so it answers ${policy.noData}`;
  }
}
