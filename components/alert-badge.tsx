import type { AlertBadge as Badge } from "@/lib/domain/risk";

// A shape and a word for each state, so colour is never the only signal.
const look: Record<Badge, { icon: string; label: string; tone: string; help: string }> = {
  page: { icon: "●", label: "Page", tone: "danger", help: "a page-level burn-rate alert is firing" },
  exhausted: { icon: "■", label: "Budget spent", tone: "danger", help: "the error budget of this window is spent" },
  burning: { icon: "▼", label: "Burning", tone: "danger", help: "at the current burn rate the budget runs out before the window lets it recover" },
  ticket: { icon: "▲", label: "Ticket", tone: "caution", help: "a ticket-level burn-rate alert is firing" },
  stale: { icon: "◌", label: "Stale", tone: "caution", help: "data has stopped arriving; the numbers may be out of date" },
  ok: { icon: "✓", label: "OK", tone: "ok", help: "no burn-rate alert is firing" },
  no_data: { icon: "–", label: "No data", tone: "muted", help: "no events in the alert windows" },
};

/** Every state badge of the app: an icon (hidden from screen readers), a word and a tone. */
export function ToneBadge({ look: l }: { look: { icon: string; label: string; tone: string; help?: string } }) {
  return (
    <span className={`badge tone-${l.tone}`} title={l.help}>
      <span aria-hidden="true">{l.icon}</span> {l.label}
    </span>
  );
}

export function AlertBadge({ badge }: { badge: Badge }) {
  return <ToneBadge look={look[badge]} />;
}

export const alertBadgeLabel = (b: Badge) => look[b].label;
