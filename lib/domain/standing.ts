// A service's standing (docs/domain.md "The standing"): what the gate answers now for a feature
// deploy to the policy's first gated environment, with the way through when it does not allow.
import { decideGate, type GateContext, type GateDecision, type GateResult } from "./policy";
import { wayThrough, type WayThrough } from "./way-through";

/**
 * A service's standing: what the gate answers now for a feature deploy to the policy's first
 * gated environment. Every page, notification, metric and API answer that shows a service's
 * tier or verdict shows this, so none can disagree with the gate.
 */
export type ServiceStanding = GateResult & { environment: string; changeType: "feature"; headline: string; wayThrough: WayThrough | null };

export function serviceStanding(ctx: GateContext, now: Date): ServiceStanding {
  const environment = ctx.policy.environments.gated[0] ?? "production";
  const input = { ...ctx, changeType: "feature" as const, environment, now };
  const r = decideGate(input);
  return { ...r, environment, changeType: "feature", headline: verdictHeadline(r.decision, environment), wayThrough: wayThrough(input, r) };
}

/** "Feature deploys to production are denied", in the words every surface uses. */
export function verdictHeadline(decision: GateDecision, environment: string): string {
  const verb = decision === "allow" ? "allowed" : decision === "warn" ? "allowed with a warning" : "denied";
  return `Feature deploys to ${environment} are ${verb}`;
}

