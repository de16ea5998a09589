// Stored columns as domain values, written once for every reader (the catalog, the status engine,
// the definition versions, the exports): a decimal as text, an SLO's window, its alert settings.
// A leaf: it imports no service, so any service may use it.
import type { AlertingDef } from "../../domain/definitions";
import { DefinitionError } from "../../domain/slo-definition";
import type { SloWindow } from "../../domain/window";
import { alertingSchema } from "../../schemas/alerting";

/** A stored decimal without its trailing zeros: "0.99900000" is "0.999". */
export function trimDecimal(d: string) {
  return d.includes(".") ? d.replace(/0+$/, "").replace(/\.$/, "") : d;
}

/** The stored window columns as a window; columns that do not make one are an error naming them, never a default. */
export function windowOf(s: { windowKind: string; windowDays: number | null; calendarUnit: string | null; timeZone: string }): SloWindow {
  if (s.windowKind === "rolling") {
    if (!s.windowDays || s.windowDays < 1) throw new DefinitionError(`window.days is missing from a rolling window`);
    return { kind: "rolling", days: s.windowDays };
  }
  if (s.calendarUnit !== "week" && s.calendarUnit !== "month" && s.calendarUnit !== "quarter") throw new DefinitionError(`window.unit "${s.calendarUnit ?? ""}" is not week, month or quarter`);
  return { kind: "calendar", unit: s.calendarUnit, timeZone: s.timeZone };
}

/**
 * The window as stored, for showing it: a definition that cannot be read still lists (its
 * status names the error), showing what is stored, e.g. "0 days rolling" for missing days.
 */
export function storedWindowOf(s: Parameters<typeof windowOf>[0]): SloWindow {
  try {
    return windowOf(s);
  } catch {
    return s.windowKind === "rolling" ? { kind: "rolling", days: s.windowDays ?? 0 } : { kind: "calendar", unit: "month", timeZone: s.timeZone };
  }
}

/**
 * The stored alert settings (`slos.alerting`) as values; the column's `{}` is the defaults. A value
 * that does not parse is an error naming the field, so the SLO shows it instead of alerting
 * everyone with settings someone had changed.
 */
export function alertingOf(s: { alerting: unknown }): AlertingDef {
  const r = alertingSchema.safeParse(s.alerting);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new DefinitionError(`alerting${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}: ${issue.message}`);
}
