"use client";
// The SLO window as forms ask for it (SLO, composite and group forms): rolling days, or a calendar
// period in a time zone; and the body's `window` read back from the form. One fieldset, one parse.
import { Field } from "./field";
import { num, SelectField, text } from "./form-kit";

export type WindowKindChoice = "rolling" | "calendar";
type InitialWindow = { kind: "rolling"; days: number } | { kind: "calendar"; unit: string; timeZone: string };

/** The form's `window` for the chosen kind (the schema names what is wrong). */
export function windowFromForm(d: FormData, kind: WindowKindChoice) {
  return kind === "rolling" ? { kind: "rolling", days: num(d, "days") } : { kind: "calendar", unit: text(d, "unit"), timeZone: text(d, "timeZone") ?? "UTC" };
}

export function WindowFields({ prefix, kind, onKind, initial, defaultDays, errors }: { prefix: string; kind: WindowKindChoice; onKind: (k: WindowKindChoice) => void; initial?: InitialWindow | null; defaultDays: number; errors: Record<string, string | undefined> }) {
  return (
    <fieldset>
      <legend>Window</legend>
      <div className="checks">
        <label>
          <input type="radio" name="windowKind" checked={kind === "rolling"} onChange={() => onKind("rolling")} /> Rolling
        </label>
        <label>
          <input type="radio" name="windowKind" checked={kind === "calendar"} onChange={() => onKind("calendar")} /> Calendar
        </label>
      </div>
      {kind === "rolling" ? (
        <Field id={`${prefix}-days`} name="days" label="Days" inputMode="numeric" defaultValue={String(initial?.kind === "rolling" ? initial.days : defaultDays)} error={errors["window.days"] ?? errors.window} />
      ) : (
        <div className="grid-2">
          <SelectField id={`${prefix}-unit`} name="unit" label="Period" defaultValue={initial?.kind === "calendar" ? initial.unit : "month"} error={errors["window.unit"]}>
            <option value="week">Week (from Monday)</option>
            <option value="month">Month</option>
            <option value="quarter">Quarter</option>
          </SelectField>
          <Field id={`${prefix}-tz`} name="timeZone" label="Time zone" hint="IANA, e.g. Europe/Berlin" defaultValue={initial?.kind === "calendar" ? initial.timeZone : "UTC"} error={errors["window.timeZone"] ?? errors.window} />
        </div>
      )}
    </fieldset>
  );
}
