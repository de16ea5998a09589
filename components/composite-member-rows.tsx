"use client";
// The member rows of the composite forms (create on the service page, edit on the SLO page):
// rows are added and removed up to the schema's maximum, empty rows are left out of the body, and
// errors, which the schema and the API key by the body's index ("members.1.slo"), are shown on the
// row the member was typed in, not on the row that happens to have that index.
import { useRef, useState } from "react";
import { MAX_COMPOSITE_MEMBERS } from "@/lib/schemas/composites";
import { Field } from "./field";
import { num, text } from "./form-kit";
import { membersFromRows, rowError } from "./composite-members-body";

export type MemberRow = { ref: string; weight: string };

export function useMemberRows(initial: readonly MemberRow[], minRows: number) {
  // Keys are stable per row (the inputs are uncontrolled) and start at 0, so the first rows' ids are predictable.
  const [rows, setRows] = useState(() => {
    const list: MemberRow[] = [...initial];
    while (list.length < minRows) list.push({ ref: "", weight: "" });
    return list.map((r, key) => ({ key, ...r }));
  });
  const nextKey = (rs: readonly { key: number }[]) => Math.max(-1, ...rs.map((r) => r.key)) + 1;
  /** rowOf[i]: the row the body's i-th member came from (set by toBody, read when errors are shown). */
  const rowOf = useRef<number[]>([]);
  // Rows move when one is added or removed: the errors of the last send no longer say which row they mean.
  const add = () => ((rowOf.current = []), setRows((rs) => (rs.length >= MAX_COMPOSITE_MEMBERS ? rs : [...rs, { key: nextKey(rs), ref: "", weight: "" }])));
  const remove = (key: number) => ((rowOf.current = []), setRows((rs) => (rs.length <= 1 ? rs : rs.filter((r) => r.key !== key))));
  /** The members as the API takes them, from the filled rows; "slo" alone means the composite's own service. */
  const fromForm = (d: FormData) => {
    const body = membersFromRows(rows.map((_, i) => ({ ref: text(d, `member-${i}`), weight: num(d, `weight-${i}`) })));
    rowOf.current = body.rowOf;
    return body.members;
  };
  return { rows, add, remove, fromForm, rowOf };
}

export function MemberRows({ prefix, state, errors, options }: { prefix: string; state: ReturnType<typeof useMemberRows>; errors: Record<string, string>; options: string }) {
  const { rows, add, remove, rowOf } = state;
  const error = (row: number, field: "slo" | "service" | "weight") => rowError(errors, rowOf.current, row, field);
  // A list-level error (none given, too many, ...) goes on the first row.
  const memberError = (row: number) => error(row, "slo") ?? error(row, "service") ?? (row === 0 ? errors.members : undefined);
  return (
    <fieldset>
      <legend>Members (up to {MAX_COMPOSITE_MEMBERS}; each minute their burn rates are averaged by weight; empty rows are left out)</legend>
      {rows.map((r, i) => (
        <div className="grid-2" key={r.key}>
          <Field id={`${prefix}-member-${r.key}`} name={`member-${i}`} label={`Member ${i + 1}`} hint="service/slo, e.g. cart/availability-999" list={options} defaultValue={r.ref} error={memberError(i)} />
          <div className="stack">
            <Field id={`${prefix}-weight-${r.key}`} name={`weight-${i}`} label={`Weight of member ${i + 1}`} hint="default 1" inputMode="decimal" defaultValue={r.weight} error={error(i, "weight")} />
            {rows.length > 1 ? (
              <div>
                <button type="button" className="secondary" onClick={() => remove(r.key)} aria-label={`Remove member ${i + 1}`}>
                  Remove
                </button>
              </div>
            ) : null}
          </div>
        </div>
      ))}
      {rows.length < MAX_COMPOSITE_MEMBERS ? (
        <div>
          <button type="button" className="secondary" onClick={add}>
            Add a member
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}
