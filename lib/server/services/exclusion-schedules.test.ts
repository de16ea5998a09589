// Recurring exclusions against a real database (docs/exclusions.md; exclusions are docs/domain.md
// "Error budget policy": exemptions recorded with a reason, never made by editing data).
// Times are fixed instants passed in as `now`; each test makes its own team.
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { POST as postSchedule } from "@/app/api/v1/teams/[team]/exclusion-schedules/route";
import { POST as postPreview } from "@/app/api/v1/teams/[team]/exclusion-schedules/preview/route";
import { exclusionSchedulePreviewSchema, exclusionScheduleViewSchema, type CreateExclusionScheduleInput } from "../../schemas/exclusion-schedules";
import { prisma } from "../db/client";
import { makeTeam, unique } from "../testing/factories";
import { createService, createSli, createSlo, deleteExclusion } from "./catalog";
import { createExclusionSchedule, deleteExclusionSchedule, listExclusionSchedules, materialiseExclusionSchedules, previewExclusionSchedule, updateExclusionSchedule } from "./exclusion-schedules";
import { getSloSeries } from "./slo-series";
import { createToken } from "./tokens";

/** Compiles only when each function's answer fits the operation's response schema (docs/architecture.md rule 11). */
function returns<S extends z.ZodType>(_schema: S, ..._fns: ((...a: never[]) => Promise<z.output<S>>)[]) {}
returns(exclusionScheduleViewSchema, createExclusionSchedule, updateExclusionSchedule);
returns(exclusionScheduleViewSchema.array(), listExclusionSchedules);
returns(exclusionSchedulePreviewSchema, previewExclusionSchedule);

const now0 = new Date("2026-06-10T12:00:00Z");
const daily: CreateExclusionScheduleInput = { service: "api", kind: "maintenance", reason: "nightly vacuum", rrule: "FREQ=DAILY", dtstart: "2026-06-01T02:00", timeZone: "Europe/Berlin", durationMinutes: 60, exdates: [] };
const iso = (d: Date) => d.toISOString();

async function world() {
  const t = await makeTeam(["admin", "editor", "viewer"]);
  await createService(t.members.editor, t.team.slug, { slug: "api", name: "API", description: "" });
  await createSli(t.members.editor, t.team.slug, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
  await createSlo(t.members.editor, t.team.slug, "api", { slug: "main", name: "Main", description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
  return t;
}

const rowsOf = (scheduleId: string) => prisma().exclusion.findMany({ where: { scheduleId }, orderBy: [{ startsAt: "asc" }, { sliId: "asc" }] });

describe("creating a schedule", () => {
  it("stores its occurrences from DTSTART up to 90 days ahead as exclusions of the service, audited in the same transaction", async () => {
    const w = await world();
    const s = await createExclusionSchedule(w.members.editor, w.team.slug, daily, now0);
    expect(s).toMatchObject({ service: "api", sli: null, label: null, rrule: "FREQ=DAILY", description: "Every day, at 02:00 for 1 h (Europe/Berlin)", targets: [{ service: "api", sli: null }] });
    expect(s.next.map((o) => o.startsAt)).toEqual(["2026-06-11T00:00:00.000Z", "2026-06-12T00:00:00.000Z", "2026-06-13T00:00:00.000Z"]);
    const rows = await rowsOf(s.id);
    // Jun 1 to Sep 8 (now + 90 days is Sep 8, 12:00 UTC): 30 + 31 + 31 + 8 days, 02:00 CEST each.
    expect(rows).toHaveLength(100);
    expect([iso(rows[0]!.startsAt), iso(rows[0]!.endsAt), iso(rows.at(-1)!.startsAt)]).toEqual(["2026-06-01T00:00:00.000Z", "2026-06-01T01:00:00.000Z", "2026-09-08T00:00:00.000Z"]);
    expect(new Set(rows.map((r) => `${r.sliId}|${r.kind}|${r.reason}`))).toEqual(new Set(["null|maintenance|nightly vacuum"]));
    const audit = await prisma().auditLog.findMany({ where: { teamId: w.team.id, targetType: "exclusion_schedule" } });
    expect(audit.map((a) => [a.action, a.targetId, a.actorUserId])).toEqual([["exclusion_schedule.create", s.id, w.members.editor.userId]]);
    expect(audit[0]!.after).toMatchObject({ rrule: "FREQ=DAILY", dtstart: "2026-06-01T02:00", timeZone: "Europe/Berlin", occurrences: 100, exclusions: 100 });
  });

  it("the SLO's chart shades the stored occurrences as it shades any exclusion", async () => {
    const w = await world();
    await createExclusionSchedule(w.members.editor, w.team.slug, { ...daily, sli: "ok" }, now0);
    const series = await getSloSeries(w.members.viewer, w.team.slug, "api", "main", { from: new Date("2026-06-01T00:00:00Z"), to: new Date("2026-06-03T00:00:00Z") }, now0);
    expect(series.exclusions.map((e) => [e.startsAt, e.endsAt, e.reason])).toEqual([
      ["2026-06-01T00:00:00.000Z", "2026-06-01T01:00:00.000Z", "nightly vacuum"],
      ["2026-06-02T00:00:00.000Z", "2026-06-02T01:00:00.000Z", "nightly vacuum"],
    ]);
  });

  it("a label selector covers the SLIs with the label and the SLIs of SLOs with it, in live services of the team only", async () => {
    const w = await world();
    const e = w.members.editor;
    const slug = w.team.slug;
    await createSli(e, slug, "api", { slug: "latency", name: "Latency", description: "", kind: "request_ratio" });
    await createService(e, slug, { slug: "web", name: "Web", description: "" });
    await createSli(e, slug, "web", { slug: "pages", name: "Pages", description: "", kind: "request_ratio" });
    await createSli(e, slug, "web", { slug: "assets", name: "Assets", description: "", kind: "request_ratio" });
    await createSlo(e, slug, "web", { slug: "pages-slo", name: "Pages", description: "", sli: "pages", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
    await createService(e, slug, { slug: "old", name: "Old", description: "" });
    await createSli(e, slug, "old", { slug: "gone", name: "Gone", description: "", kind: "request_ratio" });
    const other = await world();
    // Labels come from SLO-as-code; set them as an apply would.
    const setLabels = (where: object, labels: Record<string, string>) => prisma().sli.updateMany({ where, data: { labels } });
    await setLabels({ service: { teamId: w.team.id, slug: "api" }, slug: "ok" }, { tier: "critical" });
    await setLabels({ service: { teamId: w.team.id, slug: "api" }, slug: "latency" }, { tier: "low" });
    await prisma().slo.updateMany({ where: { service: { teamId: w.team.id }, slug: "pages-slo" }, data: { labels: { tier: "critical" } } });
    await setLabels({ service: { teamId: w.team.id, slug: "old" } }, { tier: "critical" });
    await prisma().service.updateMany({ where: { teamId: w.team.id, slug: "old" }, data: { archivedAt: now0 } });
    await setLabels({ service: { teamId: other.team.id } }, { tier: "critical" });

    const s = await createExclusionSchedule(e, slug, { ...daily, service: null, label: "tier=critical", rrule: "FREQ=WEEKLY;COUNT=2", dtstart: "2026-06-14T02:00" }, now0);
    expect(s.targets).toEqual([{ service: "api", sli: "ok" }, { service: "web", sli: "pages" }]);
    const rows = await rowsOf(s.id);
    const names = async () => (await rowsOf(s.id)).map((r) => r.sliId);
    const sliIds = Object.fromEntries((await prisma().sli.findMany({ where: { service: { teamId: w.team.id } } })).map((x) => [x.slug, x.id]));
    expect(rows.map((r) => [iso(r.startsAt), r.sliId])).toEqual(
      [
        ["2026-06-14T00:00:00.000Z", sliIds.ok],
        ["2026-06-14T00:00:00.000Z", sliIds.pages],
        ["2026-06-21T00:00:00.000Z", sliIds.ok],
        ["2026-06-21T00:00:00.000Z", sliIds.pages],
      ].sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`)),
    );
    // The service page of "web" lists it; "api" too; the archived one is covered by nothing.
    expect((await listExclusionSchedules(w.members.viewer, slug, { service: "web" }, now0)).map((x) => x.id)).toEqual([s.id]);

    // A label added later: the periodic run covers that SLI's occurrences that are still to come.
    await setLabels({ id: sliIds.latency }, { tier: "critical" });
    await materialiseExclusionSchedules(new Date("2026-06-15T00:00:00Z"));
    const after = await names();
    expect(after.filter((x) => x === sliIds.latency)).toHaveLength(1); // Jun 21 only: Jun 14 had started
    expect(after).toHaveLength(5);
    const audit = await prisma().auditLog.findMany({ where: { targetId: s.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => [a.action, a.actorUserId])).toEqual([
      ["exclusion_schedule.create", e.userId],
      ["exclusion_schedule.materialise", null],
    ]);
    expect(audit[1]!.after).toMatchObject({ exclusionsAdded: 1, exclusionsRemoved: 0 });
  });
});

describe("changing a schedule", () => {
  it("an edit replaces only occurrences that start after it; the past stays as recorded", async () => {
    const w = await world();
    const s = await createExclusionSchedule(w.members.editor, w.team.slug, daily, now0);
    const before = await rowsOf(s.id);
    const now1 = new Date("2026-06-20T12:00:00Z");
    const edited = await updateExclusionSchedule(w.members.editor, w.team.slug, s.id, { ...daily, rrule: "FREQ=WEEKLY;BYDAY=SU", dtstart: "2026-06-07T03:00", reason: "weekly upgrade", baseUpdatedAt: new Date(s.updatedAt) }, now1);
    expect(edited).toMatchObject({ rrule: "FREQ=WEEKLY;BYDAY=SU", reason: "weekly upgrade", editedAt: iso(now1) });
    const rows = await rowsOf(s.id);
    const past = rows.filter((r) => r.startsAt <= now1);
    // Jun 1 to Jun 20: the daily ones, untouched (same rows, same reason).
    expect(past.map((r) => [r.id, r.reason])).toEqual(before.filter((r) => r.startsAt <= now1).map((r) => [r.id, "nightly vacuum"]));
    expect(past).toHaveLength(20);
    // From Jun 21 to Sep 18 (now1 + 90 days): Sundays at 03:00 CEST, 13 of them.
    const future = rows.filter((r) => r.startsAt > now1);
    expect(future.map((r) => iso(r.startsAt))).toEqual(
      ["06-21", "06-28", "07-05", "07-12", "07-19", "07-26", "08-02", "08-09", "08-16", "08-23", "08-30", "09-06", "09-13"].map((d) => `2026-${d}T01:00:00.000Z`),
    );
    expect(new Set(future.map((r) => r.reason))).toEqual(new Set(["weekly upgrade"]));
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { targetId: s.id, action: "exclusion_schedule.update" } });
    expect(audit.before).toMatchObject({ rrule: "FREQ=DAILY", reason: "nightly vacuum" });
    expect(audit.after).toMatchObject({ rrule: "FREQ=WEEKLY;BYDAY=SU", reason: "weekly upgrade", exclusionsAdded: 13, exclusionsRemoved: 80 });

    // A save from the version before the edit is refused, and changes nothing.
    await expect(updateExclusionSchedule(w.members.editor, w.team.slug, s.id, { ...daily, baseUpdatedAt: new Date(s.updatedAt) }, now1)).rejects.toMatchObject({ status: 409 });
    expect(await rowsOf(s.id)).toEqual(rows);
  });

  it("skipping a start (EXDATE) removes that occurrence's exclusion and keeps the others; a skipped start that matches nothing is shown in the preview", async () => {
    const w = await world();
    const s = await createExclusionSchedule(w.members.editor, w.team.slug, daily, now0);
    const skip = { ...daily, exdates: ["2026-06-15T02:00", "2026-06-12T02:00"], baseUpdatedAt: new Date(s.updatedAt) };
    const edited = await updateExclusionSchedule(w.members.editor, w.team.slug, s.id, skip, now0);
    expect(edited.exdates).toEqual(["2026-06-12T02:00", "2026-06-15T02:00"]);
    expect(edited.description).toBe("Every day, at 02:00 for 1 h (Europe/Berlin), except 2026-06-12 02:00 and 2026-06-15 02:00");
    expect(edited.next.map((o) => o.local)).toEqual(["2026-06-11T02:00", "2026-06-13T02:00", "2026-06-14T02:00"]);
    const starts = (await rowsOf(s.id)).map((r) => iso(r.startsAt));
    expect(starts).toHaveLength(98);
    expect(starts).not.toContain("2026-06-12T00:00:00.000Z");
    expect(starts).toContain("2026-06-13T00:00:00.000Z");
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { targetId: s.id, action: "exclusion_schedule.update" } });
    expect(audit.after).toMatchObject({ exdates: ["2026-06-12T02:00", "2026-06-15T02:00"], exclusionsRemoved: 2 });
    const p = await previewExclusionSchedule(w.members.viewer, w.team.slug, { ...daily, exdates: ["2026-06-12T02:00", "2026-06-12T03:00"], edit: true }, now0);
    expect(p.unmatchedExdates).toEqual(["2026-06-12T03:00"]);
  });

  it("previews an edit from now on (DTSTART may be long past); a new schedule may not start more than a year ago", async () => {
    const w = await world();
    const old = { ...daily, dtstart: "2024-01-01T02:00" };
    const p = await previewExclusionSchedule(w.members.viewer, w.team.slug, { ...old, edit: true }, now0);
    // Jun 11 to Sep 8: 20 + 31 + 31 + 8 starts after now0.
    expect(p).toMatchObject({ past: 0, total: 90, next: expect.arrayContaining([expect.objectContaining({ startsAt: "2026-06-11T00:00:00.000Z", local: "2026-06-11T02:00" })]) });
    await expect(previewExclusionSchedule(w.members.viewer, w.team.slug, old, now0)).rejects.toMatchObject({ status: 422, fields: { dtstart: expect.stringContaining("more than a year ago") } });
    await expect(createExclusionSchedule(w.members.editor, w.team.slug, old, now0)).rejects.toMatchObject({ status: 422 });
  });

  it("the periodic run moves the horizon on, is idempotent, and never touches what has started", async () => {
    const w = await world();
    const s = await createExclusionSchedule(w.members.editor, w.team.slug, daily, now0);
    const later = new Date("2026-07-10T12:00:00Z");
    await materialiseExclusionSchedules(later);
    const rows = await rowsOf(s.id);
    // Up to Oct 8 (later + 90 days): Sep 9 to Oct 8 added.
    expect(rows).toHaveLength(130);
    expect(iso(rows.at(-1)!.startsAt)).toBe("2026-10-08T00:00:00.000Z");
    await materialiseExclusionSchedules(later);
    expect(await rowsOf(s.id)).toEqual(rows);
    expect(await prisma().auditLog.count({ where: { targetId: s.id, action: "exclusion_schedule.materialise" } })).toBe(1);
  });

  it("deleting keeps the occurrences that started, as one-off exclusions, and removes the rest; audited", async () => {
    const w = await world();
    const s = await createExclusionSchedule(w.members.editor, w.team.slug, daily, now0);
    const ids = (await rowsOf(s.id)).filter((r) => r.startsAt <= now0).map((r) => r.id);
    await deleteExclusionSchedule(w.members.editor, w.team.slug, s.id, now0);
    const left = await prisma().exclusion.findMany({ where: { service: { teamId: w.team.id } }, orderBy: { startsAt: "asc" } });
    expect(left.map((r) => [r.id, r.scheduleId])).toEqual(ids.map((id) => [id, null]));
    expect(left).toHaveLength(10);
    expect(await prisma().exclusionSchedule.count({ where: { teamId: w.team.id } })).toBe(0);
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { targetId: s.id, action: "exclusion_schedule.delete" } });
    expect(audit.after).toEqual({ exclusionsRemoved: 90, exclusionsKept: 10 });
  });

  it("an occurrence is not deleted on its own (the next run would store it again), viewers change nothing, other teams see nothing", async () => {
    const w = await world();
    const s = await createExclusionSchedule(w.members.editor, w.team.slug, daily, now0);
    const one = (await rowsOf(s.id))[50]!;
    await expect(deleteExclusion(w.members.editor, w.team.slug, "api", one.id)).rejects.toMatchObject({ status: 409, message: expect.stringContaining("edit or delete the schedule") });
    await expect(createExclusionSchedule(w.members.viewer, w.team.slug, daily, now0)).rejects.toMatchObject({ status: 403 });
    await expect(deleteExclusionSchedule(w.members.viewer, w.team.slug, s.id, now0)).rejects.toMatchObject({ status: 403 });
    const other = await world();
    await expect(deleteExclusionSchedule(other.members.editor, other.team.slug, s.id, now0)).rejects.toMatchObject({ status: 404 });
    await expect(updateExclusionSchedule(other.members.editor, other.team.slug, s.id, daily, now0)).rejects.toMatchObject({ status: 404 });
    expect(await listExclusionSchedules(other.members.viewer, other.team.slug, {}, now0)).toEqual([]);
    expect(await rowsOf(s.id)).toHaveLength(100);
  });
});

describe("the routes: hostile and bad input", () => {
  const answer = async (r: Response) => ({ status: r.status, body: (await r.json()) as { error?: { code: string; message: string; fields?: Record<string, string> } } & Record<string, unknown> });

  it("names the field and the problem, answers 422, and stores nothing", async () => {
    const w = await world();
    const { secret } = await createToken(w.members.admin, w.team.slug, { name: unique("t"), scopes: ["definitions", "read"], expiresAt: null });
    const post = async (body: unknown, route = postSchedule, path = "") =>
      answer(await route(new NextRequest(`http://localhost/api/v1/teams/${w.team.slug}/exclusion-schedules${path}`, { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: JSON.stringify(body) }), { params: Promise.resolve({ team: w.team.slug }) }));
    // A DTSTART of today's local date keeps the horizon checks about the rule, whatever the clock says.
    const today = new Date().toISOString().slice(0, 10);
    const base = { ...daily, dtstart: `${today}T02:00` };
    const cases: [string, unknown, string, string][] = [
      ["newline injection", { ...base, rrule: "FREQ=DAILY\nDTSTART:19700101T000000Z" }, "rrule", "must be one line: give only the RRULE's parts, e.g. FREQ=WEEKLY;BYDAY=SU (DTSTART and the zone have their own fields)"],
      ["a huge COUNT", { ...base, rrule: "FREQ=DAILY;COUNT=999999999" }, "rrule", "COUNT must be a whole number from 1 to 10,000"],
      ["a 10,000-character rule", { ...base, rrule: `FREQ=DAILY;${"BYHOUR=1;".repeat(1111)}` }, "rrule", "is 10010 characters long; use at most 500"],
      ["FREQ=MINUTELY", { ...base, rrule: "FREQ=MINUTELY" }, "rrule", "FREQ=MINUTELY is refused: a maintenance window repeats hourly at most"],
      ["an invalid zone", { ...base, timeZone: "Europe/Atlantis" }, "timeZone", "Give an IANA time zone such as Europe/Berlin"],
      ["a DTSTART with an offset", { ...base, dtstart: "2026-06-01T02:00+02:00" }, "dtstart", "Give the first start as a local date and time such as 2026-03-01T02:00"],
      ["too many occurrences", { ...base, rrule: "FREQ=HOURLY" }, "rrule", "gives more than 500 occurrences up to 90 days ahead; repeat less often"],
      ["a rule that never matches", { ...base, rrule: "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30" }, "rrule", "finds too few days: its BY parts match (almost) no date, e.g. BYMONTH=2;BYMONTHDAY=30; check them"],
      ["a service and a label", { ...base, label: "tier=critical" }, "label", "Give a service or a label selector, not both"],
      ["a bad label selector", { ...base, service: null, label: "tier critical" }, "label", "Give a label selector as key=value, e.g. tier=critical"],
      ["an unknown service", { ...base, service: "nope" }, "service", 'there is no service "nope" in this team'],
      ["a long occurrence", { ...base, durationMinutes: 20_000 }, "durationMinutes", "An occurrence lasts at most 10080 minutes (7 days)"],
      ["a skipped start with an offset", { ...base, exdates: ["2026-06-01T02:00Z"] }, "exdates.0", "must be a local date and time such as 2026-12-27T02:00, in the form of the first start"],
      ["skipped starts not as a list", { ...base, exdates: "2026-06-01T02:00" }, "exdates", "Give the skipped starts as a list"],
      ["101 skipped starts", { ...base, exdates: Array.from({ length: 101 }, (_, i) => `2027-01-01T${String(i % 24).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`) }, "exdates", "Skip at most 100 starts; rewrite the rule if more are skipped"],
    ];
    for (const [name, body, field, problem] of cases) {
      const r = await post(body);
      expect([name, r.status, r.body.error?.fields]).toEqual([name, 422, { [field]: problem }]);
    }
    expect(await prisma().exclusionSchedule.count({ where: { teamId: w.team.id } })).toBe(0);
    expect(await prisma().exclusion.count({ where: { service: { teamId: w.team.id } } })).toBe(0);

    // The preview of a good draft: its occurrences in the zone, changing nothing.
    const preview = await post({ ...base, reason: undefined, rrule: "FREQ=WEEKLY;COUNT=3" }, postPreview, "/preview");
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ description: "Every week for 3 times, at 02:00 for 1 h (Europe/Berlin)", total: 3, horizonDays: 90, targets: [{ service: "api", sli: null }] });
    expect(await prisma().exclusionSchedule.count({ where: { teamId: w.team.id } })).toBe(0);
  });
});
