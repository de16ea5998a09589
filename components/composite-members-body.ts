// The composite forms' member rows as the API takes them (docs/composite-slos.md): filled rows
// only, "slo" alone meaning the composite's own service, and for each member the row it came from,
// so an error the API keys by the member's index ("members.1.slo") is shown on the right row.
export type RowInput = { ref: string | undefined; weight: number | string | undefined };
export type MemberBody = { service?: string; slo: string; weight?: number | string };

export function membersFromRows(rows: readonly RowInput[]): { members: MemberBody[]; rowOf: number[] } {
  const filled = rows.flatMap((r, row) => (r.ref ? [{ row, ref: r.ref, weight: r.weight }] : []));
  return {
    rowOf: filled.map((m) => m.row),
    members: filled.map((m) => {
      const [svc, slo] = m.ref.includes("/") ? m.ref.split("/", 2) : [undefined, m.ref];
      return { ...(svc ? { service: svc } : {}), slo: slo!, ...(m.weight !== undefined ? { weight: m.weight } : {}) };
    }),
  };
}

/** The error of `field` for the member typed in `row`, from errors keyed by the body's index. */
export function rowError(errors: Readonly<Record<string, string>>, rowOf: readonly number[], row: number, field: "slo" | "service" | "weight"): string | undefined {
  const i = rowOf.indexOf(row);
  return i < 0 ? undefined : errors[`members.${i}.${field}`];
}
