// Grouped SLOs against a real database (docs/grouped-slos.md): removing a value by deleting its
// member SLO, a member archived by hand staying archived through age-out and return, and the group
// page computing status for the group's members only. Each test makes its own team.
import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { archiveSlo, deleteSli, deleteSlo } from "./archive";
import { createService, createSli, createSlo } from "./catalog";
import { ingestBatch } from "./ingest";
import { archiveGroup, createGroup, getGroup, groupsOfService } from "./slo-groups";
import { archiveIdleMembers } from "./slo-group-members";
import { getGroupPage } from "./slo-group-page";

const minuteAgo = () => new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);

async function setup() {
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: "checkout", name: "Checkout", description: "" });
  await createGroup(members.editor, team.slug, "checkout", {
    slug: "latency",
    name: "Checkout latency",
    description: "",
    labelKey: "region",
    kind: "request_ratio",
    objective: "0.99",
    window: { kind: "rolling", days: 28 },
    minEvents: 0,
    maxMembers: 100,
    idleDays: 1,
  });
  const ingest = await makeTokenActor(team.slug, members.admin, ["ingest"]);
  const push = (items: unknown[]) => ingestBatch(ingest, { items });
  const item = (region: string, good: number, total = 100, minute = minuteAgo()) => ({ sli: "checkout/latency", minute: minute.toISOString(), good, total, labels: { region } });
  const sliOf = (slug: string) => prisma().sli.findFirstOrThrow({ where: { slug, service: { teamId: team.id } } });
  return { team, members, push, item, sliOf };
}

describe("deleting a member's SLO removes the value from the group", () => {
  it("archives the member SLI in the same step (data kept, audited), refuses the value's pushes naming it, and lets it back once the SLI is deleted", async () => {
    const { team, members, push, item, sliOf } = await setup();
    await push([item("eu", 99), item("us", 99)]);
    await archiveSlo(members.editor, team.slug, "checkout", "latency-eu", {});
    // Archived by hand, the SLO's SLI still takes data (restoring the SLO by hand finds it current).
    expect((await push([item("eu", 98, 100, new Date(minuteAgo().getTime() - 60_000))])).rejected).toEqual([]);
    await deleteSlo(members.admin, team.slug, "checkout", "latency-eu", { confirm: "latency-eu" });

    const sli = await sliOf("latency-eu");
    expect(sli.archivedAt).not.toBeNull();
    expect(await prisma().sliBucket.count({ where: { sliId: sli.id } })).toBe(2);
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { teamId: team.id, action: "slo_group.member_archive", targetId: sli.id } });
    expect([audit.actorUserId, (audit.after as { value: string }).value]).toEqual([members.admin.userId, "eu"]);

    // The value is left out, saying why and how to let it back; the other values are stored.
    const r = await push([item("eu", 97, 100, new Date(minuteAgo().getTime() - 120_000)), item("us", 97)]);
    expect(r).toEqual({
      accepted: 1,
      rejected: [{ index: 0, field: "labels", reason: 'value "eu" was removed from group "checkout/latency" (its SLO was deleted); delete its archived SLI "latency-eu" to let the value make a member again' }],
    });
    expect(await prisma().sliBucket.count({ where: { sliId: sli.id } })).toBe(2);
    expect((await getGroup(members.viewer, team.slug, "checkout", "latency")).members.map((m) => m.value)).toEqual(["us"]);

    // Deleting the archived SLI (with its data) frees the value: its next push makes a new member.
    await deleteSli(members.admin, team.slug, "checkout", "latency-eu", { confirm: "latency-eu" });
    expect((await push([item("eu", 96)])).rejected).toEqual([]);
    const again = await sliOf("latency-eu");
    expect([again.id === sli.id, again.archivedAt]).toEqual([false, null]);
    expect((await getGroup(members.viewer, team.slug, "checkout", "latency")).memberCount).toEqual({ live: 2, archived: 0 });
  });

  it("deleting an ordinary SLO leaves its SLI live", async () => {
    const { team, members, sliOf } = await setup();
    await createSli(members.editor, team.slug, "checkout", { slug: "plain", name: "Plain", description: "", kind: "request_ratio" });
    await createSlo(members.editor, team.slug, "checkout", { slug: "plain-99", name: "Plain 99", description: "", sli: "plain", objective: "0.99", window: { kind: "rolling", days: 28 }, minEvents: 0 });
    await archiveSlo(members.editor, team.slug, "checkout", "plain-99", {});
    await deleteSlo(members.admin, team.slug, "checkout", "plain-99", { confirm: "plain-99" });
    expect((await sliOf("plain")).archivedAt).toBeNull();
  });
});

describe("a member archived by hand", () => {
  it("stays archived when its SLI ages out and data brings the SLI back", async () => {
    const { team, members, push, item, sliOf } = await setup();
    await push([item("eu", 99)]);
    await archiveSlo(members.editor, team.slug, "checkout", "latency-eu", {});
    await archiveIdleMembers(new Date(Date.now() + 3 * 86_400_000));
    expect((await sliOf("latency-eu")).archivedAt).not.toBeNull();
    expect((await push([item("eu", 99)])).rejected).toEqual([]);
    expect((await sliOf("latency-eu")).archivedAt).toBeNull();
    const slo = await prisma().slo.findFirstOrThrow({ where: { slug: "latency-eu", service: { teamId: team.id } } });
    expect(slo.archivedAt).not.toBeNull();
  });
});

describe("the group page", () => {
  it("has a row for each live member of the group, and none for the service's other SLOs", async () => {
    const { team, members, push, item } = await setup();
    await createSli(members.editor, team.slug, "checkout", { slug: "plain", name: "Plain", description: "", kind: "request_ratio" });
    await createSlo(members.editor, team.slug, "checkout", { slug: "plain-99", name: "Plain 99", description: "", sli: "plain", objective: "0.99", window: { kind: "rolling", days: 28 }, minEvents: 0 });
    // "ap" burns: 50 bad of 100 against a 1% budget puts it first (most at risk).
    await push([item("eu", 100), item("ap", 50), item("us", 100)]);
    await archiveSlo(members.editor, team.slug, "checkout", "latency-us", {});
    const page = await getGroupPage(members.viewer, team.slug, "checkout", "latency");
    expect(page.rows.map((r) => [r.slo.slug, r.group?.value])).toEqual([
      ["latency-ap", "ap"],
      ["latency-eu", "eu"],
    ]);
    expect(page.rows[0]!.status.total).toBe(100);
    expect(page.group.memberCount).toEqual({ live: 2, archived: 1 });
    expect([page.team.role, page.service.slug]).toEqual(["viewer", "checkout"]);
  });
});

describe("the service page's groups", () => {
  it("names archived groups apart from the live ones, so their page can be found to restore them", async () => {
    const { team, members, push, item } = await setup();
    await push([item("eu", 99)]);
    let g = await groupsOfService(members.viewer, team.slug, "checkout");
    expect([g.groups.map((x) => x.slug), g.memberSliIds.length, g.archived]).toEqual([["latency"], 1, []]);
    await archiveGroup(members.editor, team.slug, "checkout", "latency");
    g = await groupsOfService(members.viewer, team.slug, "checkout");
    expect([g.groups, g.archived.map((x) => [x.slug, x.name])]).toEqual([[], [["latency", "Checkout latency"]]]);
  });
});
