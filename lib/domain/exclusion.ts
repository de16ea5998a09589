// Budget exclusions (docs/domain.md, "Error budget policy"): an interval left out of an SLI's
// counts with a reason (a company-wide outage, another team's service, a load test), never made
// by editing data. One that names no SLI covers every SLI of its service.

export type Exclusion = { serviceId: string; sliId: string | null; startsAt: Date; endsAt: Date };

/** Whether the exclusion applies to this SLI of this service (SQL: EXCLUSION_APPLIES_SQL in lib/server/sli-data.ts). */
export function exclusionAppliesTo(e: Pick<Exclusion, "serviceId" | "sliId">, sli: { id: string; serviceId: string }): boolean {
  return e.serviceId === sli.serviceId && (e.sliId === null || e.sliId === sli.id);
}

/** Whether it leaves out the minute starting at `minute`: [startsAt, endsAt). */
export function exclusionCovers(e: Exclusion, sli: { id: string; serviceId: string }, minute: Date): boolean {
  return exclusionAppliesTo(e, sli) && minute.getTime() >= e.startsAt.getTime() && minute.getTime() < e.endsAt.getTime();
}
