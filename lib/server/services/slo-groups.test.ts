// Grouped SLOs against a real database (docs/grouped-slos.md): members made by pushes on first
// sight (once, under races), the cap refusing the item with the field named, age-out and restore,
// template changes reaching every member with history, team isolation, and the gate judging a
// service by its worst member.
import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { ensureBucketPartitions } from "../sli-data";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService } from "./catalog";
import { ingestBatch } from "./ingest";
import { archiveGroup, createGroup, getGroup, listGroups, restoreGroup, updateGroup } from "./slo-groups";
import { archiveIdleMembers } from "./slo-group-members";
import { askGate } from "./gate";
import { memberSlug } from "../../domain/slo-group";
import type { CreateGroupInput } from "../../schemas/slo-groups";

const minuteAgo = () => new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);

async function setup(over: Partial<CreateGroupInput> = {}) {
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: "checkout", name: "Checkout", description: "" });
  const group = await createGroup(members.editor, team.slug, "checkout", {
    slug: "latency",
    name: "Checkout latency",
    description: "",
    labelKey: "region",
    kind: "latency",
    latencyThresholdMs: 300,
    objective: "0.99",
    window: { kind: "rolling", days: 28 },
    minEvents: 0,
    maxMembers: 100,
    idleDays: 7,
    ...over,
  });
  const ingest = await makeTokenActor(team.slug, members.admin, ["ingest"]);
  const push = (items: unknown[], now?: Date) => ingestBatch(ingest, { items }, now);
  const item = (region: string, good: number, total = 100, minute = minuteAgo()) => ({ sli: "checkout/latency", minute: minute.toISOString(), good, total, labels: { region } });
  return { team, members, group, ingest, push, item };
}

describe("grouped SLOs: members from pushes", () => {
  it("makes one member SLI + SLO per new value, with the template, and stores each value's data in its member", async () => {
    const { team, members, push, item } = await setup();
    const r = await push([item("eu-west", 99), item("us-east", 100), item("EU West", 98), item("eu-west", 97, 100, new Date(minuteAgo().getTime() - 60_000))]);
    expect(r).toEqual({ accepted: 4, rejected: [] });
    const g = await getGroup(members.viewer, team.slug, "checkout", "latency");
    expect(g.memberCount).toEqual({ live: 3, archived: 0 });
    expect(g.members.map((m) => [m.value, m.slo.slug])).toEqual([
      ["EU West", memberSlug("latency", "EU West")],
      ["eu-west", "latency-eu-west"],
      ["us-east", "latency-us-east"],
    ]);
    const slo = await prisma().slo.findFirstOrThrow({ where: { slug: "latency-eu-west", service: { teamId: team.id } }, include: { sli: true } });
    expect([slo.objective.toString(), slo.windowDays, slo.sli.kind, slo.sli.latencyThresholdMs, slo.labels]).toEqual(["0.99", 28, "latency", 300, { region: "eu-west" }]);
    const buckets = await prisma().sliBucket.findMany({ where: { sliId: slo.sliId }, orderBy: { minute: "asc" } });
    expect(buckets.map((b) => Number(b.good))).toEqual([97, 99]);
    // Pushing again finds the members: no new ones.
    await push([item("eu-west", 50)]);
    expect((await getGroup(members.viewer, team.slug, "checkout", "latency")).memberCount.live).toBe(3);
    expect((await listGroups(members.viewer, team.slug, "checkout")).map((x) => [x.slug, x.memberCount.live])).toEqual([["latency", 3]]);
  });

  it("two pushes of the same new value at once make one member", async () => {
    const { team, members, push, item } = await setup();
    const results = await Promise.all([push([item("apac", 90)]), push([item("apac", 91)]), push([item("apac", 92), item("sa-east", 92)])]);
    expect(results.map((r) => r.rejected)).toEqual([[], [], []]);
    const g = await getGroup(members.viewer, team.slug, "checkout", "latency");
    expect(g.members.map((m) => m.value)).toEqual(["apac", "sa-east"]);
  });

  it("over the cap: that item is refused on `labels` with the cap and the group named, the rest kept", async () => {
    const { push, item } = await setup({ maxMembers: 2 });
    const r = await push([item("a1", 1), item("a2", 1), item("a3", 1), item("a1", 1, 100, new Date(minuteAgo().getTime() - 60_000))]);
    expect(r.accepted).toBe(3);
    expect(r.rejected).toEqual([{ index: 2, field: "labels", reason: expect.stringMatching(/group "checkout\/latency" already has its maximum of 2 live members; value "a3" was not added/) }]);
  });

  it("refuses a bad label value, a missing label and an unknown group, each naming the field", async () => {
    const { push, item } = await setup();
    const r = await push([
      item("x".repeat(129), 1),
      { sli: "checkout/latency", minute: minuteAgo().toISOString(), good: 1, total: 1, labels: { zone: "a" } },
      { ...item("eu", 1), sli: "checkout/nope" },
      item("ok", 1),
    ]);
    expect(r.rejected).toEqual([
      { index: 0, field: "labels", reason: 'label "region" value is longer than 128 characters' },
      { index: 1, field: "labels", reason: 'labels has no "region", the label group "checkout/latency" fans out by' },
      { index: 2, field: "sli", reason: expect.stringContaining('unknown group "checkout/nope"') },
    ]);
    expect(r.accepted).toBe(1);
  });
});

describe("grouped SLOs: age-out and restore", () => {
  it("archives members idle past the group's days (audited by the system); data arriving restores them", async () => {
    const { team, members, push, item } = await setup({ idleDays: 1 });
    await push([item("eu", 99), item("us", 99)]);
    const euSli = await prisma().sli.findFirstOrThrow({ where: { slug: "latency-eu", service: { teamId: team.id } } });
    // Two days on, "eu" has had no data since; "us" had some an hour ago.
    const later = new Date(Date.now() + 2 * 86_400_000);
    const usSli = await prisma().sli.findFirstOrThrow({ where: { slug: "latency-us", serviceId: euSli.serviceId } });
    const minute = new Date(Math.floor(later.getTime() / 60_000) * 60_000 - 3_600_000);
    // Written past the push path, so its week's partition is made here (two days on may be next week).
    await ensureBucketPartitions(minute, new Date(minute.getTime() + 60_000));
    await prisma().sliBucket.create({ data: { sliId: usSli.id, minute, good: 1, total: 1 } });
    await archiveIdleMembers(later);
    let g = await getGroup(members.viewer, team.slug, "checkout", "latency");
    expect(g.members.map((m) => [m.value, m.archivedAt !== null])).toEqual([
      ["eu", true],
      ["us", false],
    ]);
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { teamId: team.id, action: "slo_group.member_archive" } });
    expect([audit.actorUserId, audit.actorToken, (audit.after as { value: string }).value]).toEqual([null, null, "eu"]);
    // Data again: restored, with its SLI and SLO live.
    expect((await push([item("eu", 99)])).rejected).toEqual([]);
    g = await getGroup(members.viewer, team.slug, "checkout", "latency");
    expect(g.members.every((m) => m.archivedAt === null)).toBe(true);
    expect((await prisma().sli.findUniqueOrThrow({ where: { id: euSli.id } })).archivedAt).toBeNull();
  });
});

describe("grouped SLOs: template, archive, isolation", () => {
  it("a new objective applies to every member and starts a new version of each", async () => {
    const { team, members, push, item } = await setup();
    await push([item("eu", 99), item("us", 99)]);
    const updated = await updateGroup(members.editor, team.slug, "checkout", "latency", { objective: "0.995", window: { kind: "rolling", days: 7 } });
    expect([updated.objective, updated.window]).toEqual(["0.995", { kind: "rolling", days: 7 }]);
    const slos = await prisma().slo.findMany({ where: { groupId: updated.id } });
    expect(slos.map((s) => [s.objective.toString(), s.windowDays])).toEqual([
      ["0.995", 7],
      ["0.995", 7],
    ]);
    const versions = await prisma().definitionVersion.findMany({ where: { sloId: { in: slos.map((s) => s.id) } } });
    // Each member: version 1 (as created) and version 2 (the change).
    expect(versions.length).toBe(4);
    // A stale edit is refused (docs/architecture.md rule 8).
    await expect(updateGroup(members.editor, team.slug, "checkout", "latency", { objective: "0.99", baseUpdatedAt: new Date("2020-01-01T00:00:00Z") })).rejects.toMatchObject({ status: 409 });
  });

  it("archiving the group archives its members and refuses further pushes", async () => {
    const { team, members, push, item } = await setup();
    await push([item("eu", 99)]);
    const g = await archiveGroup(members.editor, team.slug, "checkout", "latency");
    expect([g.archivedAt !== null, g.memberCount]).toEqual([true, { live: 0, archived: 1 }]);
    expect((await push([item("eu", 99)])).rejected).toEqual([{ index: 0, field: "sli", reason: 'group "checkout/latency" is archived: restore it first' }]);
    // Restoring brings back the members archived with it; pushes are taken again.
    const restored = await restoreGroup(members.editor, team.slug, "checkout", "latency");
    expect([restored.archivedAt, restored.memberCount]).toEqual([null, { live: 1, archived: 0 }]);
    expect(await push([item("eu", 99)])).toEqual({ accepted: 1, rejected: [] });
  });

  it("an archived service takes no pushes for its groups", async () => {
    const { team, push, item } = await setup();
    await prisma().service.updateMany({ where: { teamId: team.id }, data: { archivedAt: new Date() } });
    expect((await push([item("eu", 99)])).rejected).toEqual([{ index: 0, field: "sli", reason: 'service "checkout" is archived: restore it first' }]);
  });

  it("another team can neither push to nor read the group; viewers cannot change it", async () => {
    const { team, members } = await setup();
    const other = await makeTeam(["admin"]);
    await createService(other.members.admin, other.team.slug, { slug: "checkout", name: "Checkout", description: "" });
    const token = await makeTokenActor(other.team.slug, other.members.admin, ["ingest"]);
    const r = await ingestBatch(token, { items: [{ sli: "checkout/latency", minute: minuteAgo().toISOString(), good: 1, total: 1, labels: { region: "eu" } }] });
    expect(r.rejected).toEqual([{ index: 0, field: "sli", reason: expect.stringContaining("unknown group") }]);
    await expect(getGroup(other.members.admin, team.slug, "checkout", "latency")).rejects.toMatchObject({ status: 404 });
    await expect(updateGroup(members.viewer, team.slug, "checkout", "latency", { objective: "0.9" })).rejects.toMatchObject({ status: 403 });
    expect(await prisma().slo.count({ where: { service: { teamId: team.id } } })).toBe(0);
  });
});

describe("the gate judges a service by its worst member (docs/domain.md: a service is gated by its worst SLO)", () => {
  it("one burning member among healthy ones decides, and is named", async () => {
    const { team, members, push, item } = await setup({ kind: "request_ratio", latencyThresholdMs: null });
    // At 99 %, 10,000 events with 95 bad leave 5 % of the budget: freeze, deny a feature (docs/domain.md policy table).
    await push([item("eu", 10_000, 10_000), item("us", 9_990, 10_000), item("apac", 9_905, 10_000)]);
    const gate = await makeTokenActor(team.slug, members.admin, ["gate"]);
    const d = await askGate(gate, { service: "checkout", environment: "production", version: "v1", changeType: "feature", requester: "ci" });
    expect([d.decision, d.tier]).toEqual(["deny", "freeze"]);
    expect(d.numbers.decidingSlo).toMatchObject({ slug: "latency-apac" });
    expect(d.reasons[0]).toContain("region=apac");
  });
});
