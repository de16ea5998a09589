// Archiving and deleting services, SLIs and SLOs (docs/domain.md, "Archive and delete"): which
// may be done, and what each does to data and decisions, said once here for the confirm dialog,
// the API's refusals and the docs. Archive is soft and undone by Restore; delete is permanent and
// only for something already archived, confirmed by typing its slug or name.
import { formatCount } from "./format";

export type CatalogKind = "service" | "sli" | "slo";

const noun: Record<CatalogKind, string> = { service: "service", sli: "SLI", slo: "SLO" };

/** A thing as the rules read it: its names and whether (and when) it is archived. */
export type Archivable = { slug: string; name: string; archivedAt: Date | string | null };

/** What a deletion would remove (counted before asking), and what it leaves. */
export type DeletionCounts = {
  slis: number;
  slos: number;
  /** Stored minute buckets of the SLIs that go. */
  minutes: number;
  alertChanges: number;
  /** Incidents that list one of the SLOs that go as affected. */
  incidents: number;
  /** Gate decisions about the service (a service's deletion only). */
  decisions: number;
};

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** What archiving does, in the words the dialog shows before it is confirmed. */
export function archiveConsequences(kind: CatalogKind, what: { name: string; service?: string; slis?: number; slos?: number }): string[] {
  const common = "Its minute data, alert history, gate decisions and audit records are kept; Restore brings it back (minutes not received while archived stay missing).";
  if (kind === "service") {
    return [
      `${what.name}, its ${plural(what.slis ?? 0, "SLI")} and ${plural(what.slos ?? 0, "SLO")} leave the overview, lists, alerts, notifications and /metrics.`,
      `The deploy gate no longer knows the service: it answers as for an unknown service (the policy's "unknown service" setting, warn by default), saying it is archived.`,
      "Pushes to its SLIs are refused naming the SLI; Prometheus sync stops.",
      common,
    ];
  }
  if (kind === "sli") {
    return [
      `${what.name} leaves the SLI list; pushes to it are refused with 409 naming it, and its Prometheus sync stops.`,
      "An SLI that live SLOs measure cannot be archived: archive those SLOs first.",
      common,
    ];
  }
  return [
    `${what.name} leaves the overview, lists, alerts, notifications and /metrics.`,
    `It no longer gates ${what.service ?? "its service"}: the gate judges the service by its other SLOs.`,
    common,
  ];
}

/** What deleting removes and what it keeps, with the counts, for the dialog and the API's description. */
export function deletionConsequences(kind: CatalogKind, c: DeletionCounts): { deleted: string[]; kept: string[] } {
  const deleted: string[] = [];
  if (kind === "service") deleted.push(`the service with its ${plural(c.slis, "SLI")} and ${plural(c.slos, "SLO")}, its own policy versions, overrides and freezes`);
  if (kind === "sli") deleted.push(c.slos ? `the SLI and the ${plural(c.slos, "archived SLO")} on it` : "the SLI");
  if (kind === "slo") deleted.push("the SLO");
  if (kind !== "slo") deleted.push(`${plural(c.minutes, "minute")} of stored data (with their hourly and daily sums)`);
  if (kind !== "sli" || c.slos) deleted.push(`${plural(c.alertChanges, "alert state change")} of alert history`);
  if (c.incidents) deleted.push(`the link from ${plural(c.incidents, "incident")} to ${kind === "slo" ? "this SLO" : "these SLOs"} (the incidents stay)`);
  const kept = [
    kind === "service"
      ? `${plural(c.decisions, "gate decision")} about it, with their text (service name, reasons, numbers)`
      : "gate decisions keep their text (reasons and numbers as decided)",
    ...(kind === "slo" ? ["its SLI and the SLI's minute data"] : []),
    "audit records of everything done to it, this deletion included",
    "incidents and postmortems that mention it",
  ];
  return { deleted, kept };
}

/** Deletion is typed out: the slug or the name, exactly (spaces around it aside). */
export function confirmationMatches(typed: string, target: { slug: string; name: string }): boolean {
  const t = typed.trim();
  return t.length > 0 && (t === target.slug || t === target.name.trim());
}

/** Why this cannot be deleted now, or null: only something archived may be deleted. */
export function deleteRefusal(kind: CatalogKind, target: Archivable): string | null {
  return target.archivedAt ? null : `${noun[kind]} "${target.slug}" is not archived: archive it first; only archived things can be deleted`;
}

/** Why this SLI cannot be archived, or null: live SLOs measure it (they are named). */
export function sliArchiveRefusal(sli: { slug: string }, liveSlos: readonly { slug: string }[]): string | null {
  if (liveSlos.length === 0) return null;
  const names = liveSlos.map((s) => `"${s.slug}"`).join(", ");
  return `SLI "${sli.slug}" is measured by live SLO${liveSlos.length === 1 ? "" : "s"} ${names}: archive ${liveSlos.length === 1 ? "it" : "them"} first`;
}

/**
 * Why this cannot be restored, or null: it must be archived, and what it hangs on must be live
 * (an SLO's SLI and service, an SLI's service): restore those first.
 */
export function restoreRefusal(kind: CatalogKind, target: Archivable, parents: { kind: CatalogKind; slug: string; archivedAt: Date | string | null }[]): string | null {
  if (!target.archivedAt) return `${noun[kind]} "${target.slug}" is not archived`;
  const archived = parents.find((p) => p.archivedAt);
  return archived ? `${noun[archived.kind]} "${archived.slug}" is archived: restore it first` : null;
}

/** The refusal of a push to an archived SLI, naming it. */
export const archivedSliPush = (ref: string) => `SLI "${ref}" is archived: pushes are refused until it is restored`;

/** The gate's reason for a service that is archived: it is judged as unknown. */
export const archivedServiceReason = (service: string) => `service "${service}" is archived in Burnrate`;
