// The error-budget policy and the deploy gate's decision (docs/domain.md "Error budget policy" and
// "Deploy gate"). Pure: the caller gathers the SLOs' remaining budgets, active overrides and
// freezes; this decides allow / warn / deny and says why in plain words.
import type { RemainingBudget } from "./budget";
import { formatUtc } from "./format";
import { archivedServiceReason } from "./archive";
import { tierOf, type Tier, type TierThresholds } from "./tier";

export const changeTypes = ["feature", "reliability", "p0-fix", "security", "config", "rollback"] as const;
export type ChangeType = (typeof changeTypes)[number];

export const gateDecisions = ["allow", "warn", "deny"] as const;
export type GateDecision = (typeof gateDecisions)[number];

export type Policy = {
  thresholds: TierThresholds;
  /** Change types each restrictive tier still allows. */
  allowed: { freeze: ChangeType[]; halted: ChangeType[] };
  /** Caution: allow with a warning (docs/domain.md), or deny feature deploys too. */
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
  /** Whether a postmortem's author may also approve it (a team of one needs it); off by default. */
  selfApproval: boolean;
  /**
   * Feature deploys of a service while one of its P0 action items is overdue by more than
   * `afterDays` days: warned, denied, or not judged ("off", the default: a team opts in).
   */
  overdueP0: { action: "off" | "warn" | "deny"; afterDays: number };
};

export const overdueP0Actions = ["off", "warn", "deny"] as const;
/** Upper bound of `overdueP0.afterDays`. */
export const MAX_OVERDUE_P0_DAYS = 90;

/**
 * The defaults are docs/domain.md's table: freeze allows only reliability fixes, P0 bug fixes and
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
  selfApproval: false,
  overdueP0: { action: "off", afterDays: 7 },
};

/** Upper bound of `maxOverrideHours`: an override is a time-limited exception, not a second policy. */
export const MAX_OVERRIDE_HOURS_LIMIT = 24 * 30;

/**
 * How an SLO's budget comes back (way-through.ts estimates it): the current burn rate (1 h), the
 * rolling window's length, or when a calendar window resets (null for a rolling window), and
 * how long the window has run (traffic so far dilutes what is spent in a calendar window).
 */
export type BudgetRecovery = { burnRate: number | null; periodMinutes: number; resetsAt: Date | null; elapsedMinutes: number };
/** `error`: the SLO could not be evaluated (its data or definition is broken); it does not decide, but is named. */
export type GateSlo = {
  id: string;
  slug?: string;
  name: string;
  budget: RemainingBudget;
  error?: string | null;
  recovery?: BudgetRecovery;
  /** Why its numbers may be wrong (sli-integrity.ts findings); a reason line, never a deny by itself. */
  uncertain?: readonly string[];
};
/**
 * `escalatedTo`: who the override was escalated to; only an escalated override lifts a halt (docs/domain.md).
 * `environment`: the one it covers, or null for all. Whether it applies is `overrideApplies`.
 */
export type GateOverride = { id: string; approvedBy: string; escalatedTo: string | null; reason: string; expiresAt: Date; environment?: string | null; revokedAt?: Date | null };
/** `environment`: the one it names, or null for the gated environments (a freeze without one leaves staging free). */
export type GateFreeze = { id: string; reason: string; startsAt?: Date; endsAt: Date; environment: string | null; cancelledAt?: Date | null };
/** An incident of the service whose required postmortem is not published with a P0 action item. */
export type PostmortemHold = { incidentId?: string; incidentTitle: string };
/** The service's open P0 action item with the oldest due date before today (from its incidents' postmortems). */
export type OverdueActionItem = { id: string; title: string; dueDate: string; postmortemId: string; incidentTitle: string };

/** Whole days an item due on `dueDate` (a calendar day, YYYY-MM-DD) is overdue on `now`'s UTC date: 1 the day after. */
export function daysOverdue(dueDate: string, now: Date): number {
  return Math.round((Date.parse(now.toISOString().slice(0, 10)) - Date.parse(dueDate)) / 86_400_000);
}

/**
 * Everything the policy judges a service by, whatever is asked: mapped once from stored rows
 * (lib/server/services/gate-context.ts) and shared by the gate and every page that shows a
 * service's standing. Overrides and freezes are the service's; which apply is decided here.
 */
export type GateContext = {
  policy: Policy;
  /** Why the stored policy could not be read, or null. Fail closed: feature deploys are denied. */
  policyProblem?: string | null;
  /** The service's SLOs; null when the service is not known. */
  slos: readonly GateSlo[] | null;
  overrides: readonly GateOverride[];
  freezes: readonly GateFreeze[];
  /** The newest incident of this service that holds feature deploys for its postmortem, or null. */
  missingPostmortem: PostmortemHold | null;
  /** The service's most overdue open P0 action item, or null (judged by `policy.overdueP0`). */
  overdueP0?: OverdueActionItem | null;
  /** Who may grant an override: the team's admins, by name (empty when not known). */
  admins?: readonly string[];
  /** With `slos` null: the slug of the archived service asked about (judged as unknown, saying so). */
  archivedService?: string | null;
};
/** A canary analysis the request names (docs/deploy-verification.md "The gate"): its verdict and why. */
export type GateAnalysis = { id: string; verdict: "running" | "pass" | "fail" | "inconclusive" | "cancelled"; reasons: readonly string[] };
export type GateAsk = { changeType: ChangeType; environment: string; now: Date; analysis?: GateAnalysis | null };
export type GateInput = GateContext & GateAsk;

/**
 * A rule that denied or warned this deploy, as data (the gate's JSON, the "Denied because" block):
 * what kind of rule, in words, and what it names so a page can link to it.
 */
export type GateBlocker =
  | { kind: "budget"; text: string; decision: GateDecision; slo: { id: string; slug?: string; name: string }; tier: Tier }
  | { kind: "freeze"; text: string; decision: GateDecision; freeze: { id: string; endsAt: Date; reason: string } }
  | { kind: "postmortem"; text: string; decision: GateDecision; incident: PostmortemHold }
  | { kind: "policy"; text: string; decision: GateDecision }
  | { kind: "action_item"; text: string; decision: GateDecision; item: OverdueActionItem }
  | { kind: "analysis"; text: string; decision: GateDecision; analysisId: string }
  | { kind: "unknown_service" | "no_data" | "environment"; text: string; decision: GateDecision };

export type GateResult = {
  decision: GateDecision;
  tier: Tier;
  reasons: string[];
  /** The worst SLO: the one the decision rests on. */
  decidingSlo: GateSlo | null;
  override: GateOverride | null;
  freeze: GateFreeze | null;
  /** The postmortem hold that denied a feature deploy, if one did. */
  postmortemHold: PostmortemHold | null;
  /** The reason that settled the decision (one of `reasons`): what a one-line summary shows. */
  because: string;
  /** Each rule that denied or warned, in the order decided (empty when nothing held the deploy back). */
  blockers: GateBlocker[];
};

const percent = (f: number) => `${(Math.round(f * 1000) / 10).toString()}%`;

/** The service's worst SLO: least remaining budget; SLOs without data (or failing) only when all are. */
export function worstSlo(slos: readonly GateSlo[]): GateSlo | null {
  const withData = slos.filter((s) => s.budget.state === "ok" && !s.error);
  if (withData.length === 0) return slos[0] ?? null;
  return withData.reduce((a, b) => ((b.budget as { remaining: number }).remaining < (a.budget as { remaining: number }).remaining ? b : a));
}

export type EnvironmentKind = "gated" | "ungated" | "unknown";

const sameEnvironment = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function environmentKind(policy: Policy, environment: string): EnvironmentKind {
  if (policy.environments.gated.some((g) => sameEnvironment(g, environment))) return "gated";
  if (policy.environments.ungated.some((g) => sameEnvironment(g, environment))) return "ungated";
  return "unknown";
}

/**
 * Whether an override lets this deploy use it: not revoked, not expired, and for every
 * environment or this one. SQL prefilters with ACTIVE_OVERRIDE_SQL (gate-context.ts), held to this by a test.
 */
export function overrideApplies(o: GateOverride, environment: string, now: Date): boolean {
  return overrideInForce(o, now) && (o.environment == null || sameEnvironment(o.environment, environment));
}

/** Not revoked and not expired at `now` (an override's "active"). */
export function overrideInForce(o: { expiresAt: Date; revokedAt?: Date | null }, now: Date): boolean {
  return !o.revokedAt && o.expiresAt.getTime() > now.getTime();
}

/** Declared, not cancelled, started and not ended at `now` (a freeze's "active"). */
export function freezeInForce(f: { startsAt?: Date; endsAt: Date; cancelledAt?: Date | null }, now: Date): boolean {
  const t = now.getTime();
  return !f.cancelledAt && (!f.startsAt || f.startsAt.getTime() <= t) && f.endsAt.getTime() > t;
}

/** Whether a manual freeze covers this deploy: in force now, and naming this environment or (without one) a gated one. */
export function freezeApplies(f: GateFreeze, policy: Policy, environment: string, now: Date): boolean {
  if (!freezeInForce(f, now)) return false;
  return f.environment === null ? environmentKind(policy, environment) === "gated" : sameEnvironment(f.environment, environment);
}

export function decideGate(input: GateInput): GateResult {
  const { policy, changeType, now } = input;
  const worst = input.slos ? worstSlo(input.slos) : null;
  let tier: Tier = worst && !worst.error ? tierOf(worst.budget, policy.thresholds) : "no_data";
  const reasons: string[] = [];
  let blockers: GateBlocker[] = [];
  let decision: GateDecision;
  const env = environmentKind(policy, input.environment);

  if (!input.slos) {
    decision = policy.unknownService;
    reasons.push(
      input.archivedService
        ? `${archivedServiceReason(input.archivedService)}, so the gate judges it as an unknown service; the policy says ${policy.unknownService}`
        : `this service is not known to Burnrate; the policy says ${policy.unknownService}`,
    );
    if (decision !== "allow") blockers.push({ kind: "unknown_service", text: reasons.at(-1)!, decision });
  } else if (tier === "no_data") {
    decision = policy.noData;
    reasons.push(worst ? `no data in any SLO of this service yet; the policy says ${policy.noData}` : `this service has no SLO; the policy says ${policy.noData}`);
    if (decision !== "allow") blockers.push({ kind: "no_data", text: reasons.at(-1)!, decision });
  } else {
    const r = worst!.budget as { remaining: number };
    reasons.push(`${worst!.name} has ${percent(r.remaining)} of its error budget left: tier ${tier}`);
    const first = reasons.length - 1;
    decision = env === "gated" ? gateByTier(tier, changeType, policy, reasons) : "allow";
    if (decision !== "allow") blockers.push({ kind: "budget", text: reasons.slice(first).join("; "), decision, slo: { id: worst!.id, slug: worst!.slug, name: worst!.name }, tier });
  }
  // The reason that settles the decision: each step below that decides replaces it.
  let because = reasons.at(-1)!;
  for (const s of input.slos ?? []) if (s.error) reasons.push(`${s.name} could not be evaluated (${s.error}); the gate judges by the other SLOs`);
  // Uncertain data is said, not acted on (docs/integrity.md): a collapse at night or a young SLI
  // must not stop every deploy, and a deny on doubt would train people to override the gate.
  for (const s of input.slos ?? []) if (s.uncertain?.length) reasons.push(`${s.name}'s numbers are uncertain (${s.uncertain.join("; ")}); the gate used them as they are`);
  if (env === "ungated") {
    decision = "allow";
    blockers = [];
    because = `${input.environment} is not gated by the error budget`;
    reasons.push(because);
  } else if (env === "unknown") {
    decision = policy.unknownEnvironment;
    because = `environment "${input.environment}" is not in the policy (gated: ${policy.environments.gated.join(", ") || "none"}); the policy says ${policy.unknownEnvironment}`;
    reasons.push(because);
    blockers = decision === "allow" ? [] : [{ kind: "environment", text: because, decision }];
  }

  // A manual freeze acts like a budget freeze, unless the budget is already worse.
  const freeze = input.freezes.find((f) => freezeApplies(f, policy, input.environment, now)) ?? null;
  if (freeze) {
    if (tier !== "halted") tier = "freeze";
    reasons.push(`manual freeze until ${formatUtc(freeze.endsAt)}: ${freeze.reason}`);
    const byFreeze = policy.allowed[tier === "halted" ? "halted" : "freeze"].includes(changeType) ? "allow" : "deny";
    decision = strictest(decision, byFreeze);
    if (byFreeze === "deny") blockers.push({ kind: "freeze", text: reasons.at(-1)!, decision: "deny", freeze: { id: freeze.id, endsAt: freeze.endsAt, reason: freeze.reason } });
    if (decision === "deny") because = reasons.at(-1)!;
  }
  let postmortemHold: PostmortemHold | null = null;
  if (input.missingPostmortem && policy.missingPostmortemBlocksFeatures && changeType === "feature" && env === "gated") {
    postmortemHold = input.missingPostmortem;
    because = `feature deploys wait for the postmortem of "${input.missingPostmortem.incidentTitle}" (published with a P0 action item)`;
    reasons.push(because);
    blockers.push({ kind: "postmortem", text: because, decision: "deny", incident: input.missingPostmortem });
    decision = "deny";
  }
  // An overdue P0 follow-up says the last incident's lesson is not in place yet (issue 18): the
  // team's policy may warn on or deny feature deploys until it is done or closed with a reason.
  const late = input.overdueP0;
  const lateRule = policy.overdueP0;
  if (late && lateRule.action !== "off" && changeType === "feature" && env === "gated") {
    const days = daysOverdue(late.dueDate, now);
    if (days > lateRule.afterDays) {
      const text = `P0 action item "${late.title}" from the postmortem of "${late.incidentTitle}" is ${days} day${days === 1 ? "" : "s"} overdue (due ${late.dueDate}); the policy ${lateRule.action === "deny" ? "denies" : "warns about"} feature deploys while a P0 action item is more than ${lateRule.afterDays} day${lateRule.afterDays === 1 ? "" : "s"} overdue`;
      reasons.push(text);
      blockers.push({ kind: "action_item", text, decision: lateRule.action, item: late });
      if (gateDecisions.indexOf(lateRule.action) >= gateDecisions.indexOf(decision)) because = text;
      decision = strictest(decision, lateRule.action);
    }
  }
  // Fail closed: a policy that cannot be read must not turn a deny into an allow by its defaults.
  if (input.policyProblem && changeType === "feature") {
    because = `the stored policy cannot be read (${input.policyProblem}); feature deploys are denied until a team admin saves the policy again`;
    reasons.push(because);
    blockers.push({ kind: "policy", text: because, decision: "deny" });
    decision = "deny";
  }

  // A failed canary analysis named by the request denies the promotion, in any environment: the
  // caller asked about this release's verdict. An override lifts it as it lifts any other deny.
  if (input.analysis?.verdict === "fail") {
    because = `canary analysis ${input.analysis.id} failed: ${input.analysis.reasons.join(" ") || "no reason recorded"}`;
    reasons.push(because);
    blockers.push({ kind: "analysis", text: because, decision: "deny", analysisId: input.analysis.id });
    decision = "deny";
  }

  let override: GateOverride | null = null;
  const overrides = input.overrides.filter((o) => overrideApplies(o, input.environment, now));
  if (decision === "deny" && overrides.length > 0) {
    // A halt needs an escalation to override (docs/domain.md): ordinary overrides do not lift it.
    const usable = overrides.find((o) => tier !== "halted" || o.escalatedTo);
    if (usable) {
      override = usable;
      decision = "allow";
      const by = usable.escalatedTo ? `${usable.approvedBy}, escalated to ${usable.escalatedTo},` : usable.approvedBy;
      because = `override approved by ${by} until ${formatUtc(usable.expiresAt)}: ${usable.reason}`;
      reasons.push(because);
    } else {
      reasons.push("an override is active but the budget is exhausted: only an override escalated beyond the team lifts a halt");
    }
  }
  return { decision, tier, reasons, decidingSlo: worst, override, freeze, postmortemHold, because, blockers: decision === "allow" ? [] : blockers };
}

/** What a tier alone says to a change in a gated environment (the budget's part of decideGate). */
export function tierDecision(tier: Exclude<Tier, "no_data">, change: ChangeType, policy: Policy): GateDecision {
  return gateByTier(tier, change, policy, []);
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

/** GitHub's deployment protection rule comment: at most 1,024 characters (docs/domain.md). */
export const GITHUB_COMMENT_LIMIT = 1024;

export function githubComment(r: Pick<GateResult, "decision" | "tier" | "reasons"> & { toGetThrough?: { steps: readonly { text: string }[] } | null }, decisionUrl: string): string {
  const head = `Burnrate: ${r.decision} (tier ${r.tier}).`;
  const tail = `\nDecision: ${decisionUrl}`;
  const steps = r.toGetThrough?.steps ?? [];
  let body = r.reasons.map((x) => `\n- ${x}`).join("") + (steps.length ? `\nTo get through:${steps.map((x) => `\n- ${x.text}`).join("")}` : "");
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
  diff("authors may approve their own postmortems", String(before.selfApproval), String(after.selfApproval));
  const lateRule = (p: Policy) => (p.overdueP0.action === "off" ? "off" : `${p.overdueP0.action} after ${p.overdueP0.afterDays} days`);
  diff("overdue P0 action items", lateRule(before), lateRule(after));
  return out;
}
