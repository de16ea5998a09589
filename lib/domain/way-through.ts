// "To get through": what the policy would let through now, for a deploy the gate denied or
// warned (docs/deploy-gate.md "What would let it through"). Pure: it asks decideGate the same
// question with one thing changed (another change type, a budget back above a threshold), so
// it can never disagree with the gate; it decides nothing itself.
import { formatBurnRate, formatChangeTypes, formatDuration, formatPercent, formatUtc } from "./format";
import { changeTypes, decideGate, tierDecision, type BudgetRecovery, type ChangeType, type GateBlocker, type GateDecision, type GateInput, type GateResult, type GateSlo, type Policy } from "./policy";
import type { Tier } from "./tier";

export type WayStep =
  /** Change types the gate passes now for this service and environment (warn counts as passing). */
  | { kind: "change_types"; text: string; changeTypes: ChangeType[] }
  /** The freeze ends (or an admin ends it early). */
  | { kind: "freeze_ends"; text: string; freezeId: string; endsAt: Date }
  /** An SLO's budget must come back to `target`; `etaMinutes` at the current burn rate, null when it will not. */
  | { kind: "budget"; text: string; slo: { id: string; slug?: string; name: string }; remaining: number; target: number; needed: number; etaMinutes: number | null; resetsAt: Date | null }
  | { kind: "postmortem"; text: string; incidentId: string | null; incidentTitle: string }
  /** An overdue P0 action item is finished, or closed as won't do with a reason. */
  | { kind: "action_item"; text: string; itemId: string; postmortemId: string }
  | { kind: "policy"; text: string }
  | { kind: "setup"; text: string }
  /** Who may grant an override, for how long at most, and whether it must be escalated (a halt). */
  | { kind: "override"; text: string; admins: string[]; maxHours: number; escalation: boolean };

/** Null when the deploy passes as asked; otherwise why it did not and every way through, most direct first. */
export type WayThrough = { decision: Exclude<GateDecision, "allow">; because: GateBlocker[]; steps: WayStep[] };

/**
 * A budget at `remaining` (fraction, may be negative) comes back to `target` at the current burn
 * rate in about this many minutes; null when it does not at that rate (see docs/domain.md
 * "Getting the budget back"). Rolling window: the spent share leaves with the window (assumed
 * spread evenly over it) while new minutes spend at `burnRate`, so the spent share after t
 * minutes is C(1 - t/W) + b t/W with C = 1 - remaining. Calendar window: nothing leaves, but
 * new good traffic dilutes what was spent (traffic assumed steady): C(t) = (C e + b t) / (e + t)
 * for e minutes elapsed, until the window resets and the budget is whole again.
 */
export function budgetRecoveryMinutes(remaining: number, target: number, r: BudgetRecovery, now: Date): number | null {
  if (remaining >= target) return 0;
  const spent = 1 - remaining;
  const allowedSpent = 1 - target;
  const b = r.burnRate ?? 0;
  const untilReset = r.resetsAt ? Math.max(0, (r.resetsAt.getTime() - now.getTime()) / 60_000) : null;
  let t: number | null = null;
  if (b < allowedSpent) {
    t = untilReset === null ? (r.periodMinutes * (spent - allowedSpent)) / (spent - b) : (r.elapsedMinutes * (spent - allowedSpent)) / (allowedSpent - b);
  }
  if (untilReset !== null && (t === null || t > untilReset)) return untilReset;
  return t;
}

const budgetOf = (s: GateSlo) => (s.budget.state === "ok" && !s.error ? s.budget.remaining : null);

/**
 * The remaining budget an SLO needs for this change to pass (deny -> at least warn; warn -> allow),
 * from the policy's thresholds: the smallest tier boundary whose tier decides well enough. Null
 * when no tier lets it through (a policy that denies this change type everywhere).
 */
type BudgetTarget = { target: number; tier: Tier; label: string };

function budgetTarget(policy: Policy, change: ChangeType, goal: "pass" | "allow"): BudgetTarget | null {
  const ok = (d: GateDecision) => (goal === "allow" ? d === "allow" : d !== "deny");
  // tier.ts's boundaries: above 0 is freeze, at the freeze threshold caution, above the caution threshold normal.
  const candidates: (BudgetTarget & { tier: Exclude<Tier, "no_data" | "halted"> })[] = [
    { target: Number.MIN_VALUE, tier: "freeze", label: "more than 0%" },
    { target: policy.thresholds.freeze, tier: "caution", label: `${formatPercent(policy.thresholds.freeze, 1)} or more` },
    { target: policy.thresholds.caution + 1e-9, tier: "normal", label: `more than ${formatPercent(policy.thresholds.caution, 1)}` },
  ];
  return candidates.find((c) => ok(tierDecision(c.tier, change, policy))) ?? null;
}

function budgetStep(s: GateSlo, target: BudgetTarget, now: Date): WayStep {
  const remaining = budgetOf(s)!;
  const needed = target.target - remaining;
  const r = s.recovery;
  const eta = r ? budgetRecoveryMinutes(remaining, target.target, r, now) : null;
  let text = `${s.name} needs ${formatPercent(needed, 1)} of its budget back (${formatPercent(remaining, 1)} left; ${target.label} is tier ${target.tier})`;
  if (r) {
    const rate = `the current burn rate (${formatBurnRate(r.burnRate ?? 0)} over the last hour)`;
    if (r.resetsAt && eta !== null && Math.abs(eta - (r.resetsAt.getTime() - now.getTime()) / 60_000) < 1) text += `: it comes back when the window resets on ${formatUtc(r.resetsAt)}, in ${formatDuration(eta)}`;
    else if (eta !== null) text += `: at ${rate} that takes about ${formatDuration(eta)}`;
    else text += `: at ${rate} it does not come back; the burn rate must fall below ${formatBurnRate(1 - target.target)} first`;
  }
  return { kind: "budget", text, slo: { id: s.id, slug: s.slug, name: s.name }, remaining, target: target.target, needed, etaMinutes: eta, resetsAt: r?.resetsAt ?? null };
}

/** Every way the policy offers past this decision now, or null when the deploy passes as asked. */
export function wayThrough(input: GateInput, result: GateResult): WayThrough | null {
  if (result.decision === "allow") return null;
  const { policy, now, environment, changeType } = input;
  const steps: WayStep[] = [];
  const goal = result.decision === "deny" ? "pass" : "allow";

  // Other change types, asked exactly as this one was.
  if (result.decision === "deny") {
    const passing = changeTypes.filter((c) => c !== changeType && decideGate({ ...input, changeType: c }).decision !== "deny");
    if (passing.length) steps.push({ kind: "change_types", text: `${formatChangeTypes(passing)} to ${environment} pass now`, changeTypes: passing });
  }
  for (const b of result.blockers) {
    if (b.kind === "budget") {
      const target = budgetTarget(policy, changeType, goal);
      // Every SLO below the target holds the service back, not only the worst.
      for (const s of input.slos ?? []) {
        const rem = budgetOf(s);
        if (target && rem !== null && rem < target.target) steps.push(budgetStep(s, target, now));
      }
      if (!target) steps.push({ kind: "policy", text: `the policy ${goal === "pass" ? "denies" : "warns about"} ${changeType} changes in every tier: a team admin can change what each tier allows` });
    } else if (b.kind === "freeze") {
      steps.push({ kind: "freeze_ends", text: `the freeze ends on ${formatUtc(b.freeze.endsAt)}, in ${formatDuration((b.freeze.endsAt.getTime() - now.getTime()) / 60_000)} (a team admin can end it sooner)`, freezeId: b.freeze.id, endsAt: b.freeze.endsAt });
    } else if (b.kind === "postmortem") {
      steps.push({ kind: "postmortem", text: `publish the postmortem of "${b.incident.incidentTitle}" with at least one P0 action item`, incidentId: b.incident.incidentId ?? null, incidentTitle: b.incident.incidentTitle });
    } else if (b.kind === "action_item") {
      steps.push({ kind: "action_item", text: `finish the P0 action item "${b.item.title}", or close it as won't do with the reason`, itemId: b.item.id, postmortemId: b.item.postmortemId });
    } else if (b.kind === "policy") {
      steps.push({ kind: "policy", text: "a team admin saves the policy again (the stored version cannot be read)" });
    } else if (b.kind === "unknown_service") {
      steps.push({ kind: "setup", text: input.archivedService ? `a team editor restores the archived service ${input.archivedService}` : "check the service name, or create the service in Burnrate with an SLO" });
    } else if (b.kind === "analysis") {
      steps.push({ kind: "setup", text: "fix the release and start a new canary analysis: this one failed, and its verdict stands" });
    } else if (b.kind === "no_data") {
      steps.push({ kind: "setup", text: "send data to the service's SLIs (push or a Prometheus source); the gate judges once an SLO has events" });
    } else {
      steps.push({ kind: "policy", text: `a team admin adds ${environment} to the policy's gated or ungated environments` });
    }
  }
  if (result.decision === "deny") {
    const escalation = result.tier === "halted";
    const admins = [...(input.admins ?? [])];
    const who = admins.length ? `A team admin (${admins.join(", ")})` : "A team admin";
    steps.push({
      kind: "override",
      text: `${who} can grant an override of at most ${policy.maxOverrideHours} hours${escalation ? "; the budget is exhausted, so it must be escalated beyond the team (who approved it is recorded)" : ""}`,
      admins,
      maxHours: policy.maxOverrideHours,
      escalation,
    });
  }
  return { decision: result.decision, because: result.blockers, steps };
}
