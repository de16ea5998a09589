// Silences and incident folding (docs/silences.md): which alert-state changes are sent, and which
// are only recorded. The evaluator records every change either way, so the alert history and the
// charts' firing periods stay complete; a silenced or folded change sends no message.
import type { Labels } from "./definitions";

export type Silence = {
  id: string;
  /** A silence holds in its own team only (a label names different things in different teams). */
  teamId: string;
  /** Parts given must all match; at least one is given (the database holds it to that). */
  serviceId: string | null;
  sloId: string | null;
  label: { key: string; value: string } | null;
  startsAt: Date;
  endsAt: Date;
};

/** The SLO an alert change belongs to, as a silence sees it. */
export type SilenceTarget = { teamId: string; sloId: string; serviceId: string; sloLabels: Labels; serviceLabels: Labels };

/** The longest a silence may last: a forgotten one must not hide a real outage for long (Alertmanager has no bound; we choose one). */
export const MAX_SILENCE_DAYS = 14;

/** Whether `s` covers the SLO at `at`: within [startsAt, endsAt) and every given part matches. An SLO's label wins over its service's. */
export function silenceMatches(s: Silence, t: SilenceTarget, at: Date): boolean {
  if (s.teamId !== t.teamId) return false;
  if (at.getTime() < s.startsAt.getTime() || at.getTime() >= s.endsAt.getTime()) return false;
  if (s.sloId !== null && s.sloId !== t.sloId) return false;
  if (s.serviceId !== null && s.serviceId !== t.serviceId) return false;
  if (s.label !== null) {
    const value = t.sloLabels[s.label.key] ?? t.serviceLabels[s.label.key];
    if (value !== s.label.value) return false;
  }
  return s.sloId !== null || s.serviceId !== null || s.label !== null;
}

/** An open incident that names SLOs: while it is open, their alert changes are part of it. */
export type OpenIncident = { id: string; title: string; sloIds: readonly string[]; startedAt: Date };

/**
 * What becomes of an alert-state change at `at`: sent, silenced (by the first matching silence,
 * earliest end first so the history names the one that lapses soonest), or folded into an open
 * incident that names the SLO (the oldest, where the team is already working). A silence comes
 * first: someone chose it for exactly this. A resolve is folded too: the incident's timeline
 * says when the burning stopped, and nobody is paged for it.
 */
export type Disposition = { kind: "send" } | { kind: "silenced"; silenceId: string } | { kind: "folded"; incidentId: string };

export function dispositionOf(t: SilenceTarget, at: Date, silences: readonly Silence[], incidents: readonly OpenIncident[]): Disposition {
  const silence = [...silences].sort((a, b) => a.endsAt.getTime() - b.endsAt.getTime()).find((s) => silenceMatches(s, t, at));
  if (silence) return { kind: "silenced", silenceId: silence.id };
  const incident = [...incidents].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime()).find((i) => i.startedAt.getTime() <= at.getTime() && i.sloIds.includes(t.sloId));
  if (incident) return { kind: "folded", incidentId: incident.id };
  return { kind: "send" };
}

/** Why a silence cannot be made as asked, or null: the field and the problem. */
export function silenceProblem(s: { startsAt: Date; endsAt: Date }, now: Date): { field: string; message: string } | null {
  if (s.endsAt.getTime() <= now.getTime()) return { field: "endsAt", message: "must be in the future: a silence that has ended silences nothing" };
  if (s.endsAt.getTime() <= s.startsAt.getTime()) return { field: "endsAt", message: "must be after startsAt" };
  if (s.endsAt.getTime() - s.startsAt.getTime() > MAX_SILENCE_DAYS * 86_400_000) return { field: "endsAt", message: `a silence lasts at most ${MAX_SILENCE_DAYS} days` };
  return null;
}
