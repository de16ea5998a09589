// Gate decisions and policy tiers as a shape and a word, so colour is never the only signal.
import type { GateDecision } from "@/lib/domain/policy";
import type { Tier } from "@/lib/domain/tier";
import { ToneBadge } from "./alert-badge";

const decisionLook: Record<GateDecision, { icon: string; label: string; tone: string }> = {
  allow: { icon: "✓", label: "Allow", tone: "ok" },
  warn: { icon: "▲", label: "Warn", tone: "caution" },
  deny: { icon: "■", label: "Deny", tone: "danger" },
};

const tierLook: Record<Tier, { icon: string; label: string; tone: string; help: string }> = {
  normal: { icon: "✓", label: "Normal", tone: "ok", help: "more than the caution threshold of the budget left: all deploys" },
  caution: { icon: "▲", label: "Caution", tone: "caution", help: "deploys with a warning: slower rollouts, extra review" },
  freeze: { icon: "■", label: "Freeze", tone: "danger", help: "only the change types the policy lets through a freeze" },
  halted: { icon: "✕", label: "Halted", tone: "danger", help: "budget exhausted: only P0 and security fixes by default" },
  no_data: { icon: "–", label: "No data", tone: "muted", help: "nothing to judge by: the policy decides" },
};

export function DecisionBadge({ decision }: { decision: GateDecision }) {
  return <ToneBadge look={decisionLook[decision]} />;
}

export function TierBadge({ tier }: { tier: Tier }) {
  return <ToneBadge look={tierLook[tier]} />;
}
