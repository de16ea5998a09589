import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makeTeam, makeUser, unique } from "../testing/factories";
import { addMember, createTeam, getTeam, listMembers, listTeams, removeMember, updateMember } from "./teams";
import { createToken, authenticateToken } from "./tokens";

describe("team scoping", () => {
  it("members see their own teams only", async () => {
    const a = await makeTeam(["viewer"]);
    const b = await makeTeam(["viewer"]);
    const visible = await listTeams(a.members.viewer);
    expect(visible.map((t) => t.slug)).toEqual([a.team.slug]);
    await expect(getTeam(a.members.viewer, b.team.slug)).rejects.toMatchObject({ status: 404 });
    await expect(listMembers(a.members.viewer, b.team.slug)).rejects.toMatchObject({ status: 404 });
  });

  it("a team that does not exist and a team you are not in look the same", async () => {
    const a = await makeTeam(["viewer"]);
    const other = await makeTeam(["viewer"]);
    const missing = await getTeam(a.members.viewer, "no-such-team").catch((e: Error) => e.message);
    const foreign = await getTeam(a.members.viewer, other.team.slug).catch((e: Error) => e.message);
    expect(missing).toBe('team "no-such-team" not found');
    expect(foreign).toBe(`team "${other.team.slug}" not found`);
  });

  it("site admins see every team", async () => {
    const a = await makeTeam(["viewer"]);
    const { actor } = await makeUser({ isSiteAdmin: true });
    expect((await listTeams(actor)).map((t) => t.slug)).toContain(a.team.slug);
    expect((await getTeam(actor, a.team.slug)).role).toBe("site-admin");
  });

  it("another team's admin cannot add, change or remove members", async () => {
    const a = await makeTeam(["admin", "viewer"]);
    const b = await makeTeam(["admin"]);
    const { user: outsider } = await makeUser();
    await expect(addMember(b.members.admin, a.team.slug, { email: outsider.email, role: "admin" })).rejects.toMatchObject({ status: 404 });
    await expect(updateMember(b.members.admin, a.team.slug, a.members.viewer.userId, { role: "admin" })).rejects.toMatchObject({ status: 404 });
    await expect(removeMember(b.members.admin, a.team.slug, a.members.viewer.userId)).rejects.toMatchObject({ status: 404 });
    const rows = await prisma().membership.findMany({ where: { teamId: a.team.id } });
    expect(rows.map((r) => r.role).sort()).toEqual(["admin", "viewer"]);
  });

  it("an admin cannot reach into another team through their own team's path", async () => {
    const a = await makeTeam(["admin", "viewer"]);
    const b = await makeTeam(["admin"]);
    await expect(updateMember(b.members.admin, b.team.slug, a.members.viewer.userId, { role: "admin" })).rejects.toMatchObject({ status: 404 });
    const m = await prisma().membership.findFirstOrThrow({ where: { teamId: a.team.id, userId: a.members.viewer.userId } });
    expect(m.role).toBe("viewer");
  });

  it("a token reads its own team with the read scope only", async () => {
    const a = await makeTeam(["admin"]);
    const b = await makeTeam(["admin"]);
    const reader = (await authenticateToken((await createToken(a.members.admin, a.team.slug, { name: "r", scopes: ["read"], expiresAt: null })).secret))!;
    const gate = (await authenticateToken((await createToken(a.members.admin, a.team.slug, { name: "g", scopes: ["gate"], expiresAt: null })).secret))!;
    expect((await getTeam(reader, a.team.slug)).slug).toBe(a.team.slug);
    await expect(getTeam(reader, b.team.slug)).rejects.toMatchObject({ status: 404 });
    await expect(getTeam(gate, a.team.slug)).rejects.toMatchObject({ status: 403 });
  });
});

describe("roles", () => {
  it("viewers and editors cannot manage members", async () => {
    const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
    const { user } = await makeUser();
    for (const who of [members.editor, members.viewer]) {
      await expect(addMember(who, team.slug, { email: user.email, role: "viewer" })).rejects.toMatchObject({ status: 403 });
    }
  });

  it("admins add, promote and remove members, each change audited", async () => {
    const { team, members } = await makeTeam(["admin"]);
    const { user } = await makeUser();
    await addMember(members.admin, team.slug, { email: user.email, role: "viewer" });
    await updateMember(members.admin, team.slug, user.id, { role: "editor" });
    expect((await listMembers(members.admin, team.slug)).find((m) => m.userId === user.id)?.role).toBe("editor");
    await removeMember(members.admin, team.slug, user.id);
    const audit = await prisma().auditLog.findMany({ where: { teamId: team.id, targetId: user.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual([
      ["member.add", null, { role: "viewer" }],
      ["member.role_change", { role: "viewer" }, { role: "editor" }],
      ["member.remove", { role: "editor" }, null],
    ]);
  });

  it("the last admin cannot be demoted or removed", async () => {
    const { team, members } = await makeTeam(["admin"]);
    await expect(updateMember(members.admin, team.slug, members.admin.userId, { role: "viewer" })).rejects.toMatchObject({ status: 409 });
    await expect(removeMember(members.admin, team.slug, members.admin.userId)).rejects.toMatchObject({ status: 409 });
  });

  it("adding an unknown email names the field", async () => {
    const { team, members } = await makeTeam(["admin"]);
    await expect(addMember(members.admin, team.slug, { email: "nobody@example.test", role: "viewer" })).rejects.toMatchObject({
      status: 422,
      fields: { email: "no user with this email" },
    });
  });

  it("only site admins create teams; the creator becomes admin; slugs are unique", async () => {
    const { actor: plain } = await makeUser();
    const { actor: site } = await makeUser({ isSiteAdmin: true });
    const slug = unique("t");
    await expect(createTeam(plain, { slug, name: "X" })).rejects.toMatchObject({ status: 403 });
    const t = await createTeam(site, { slug, name: "X" });
    expect(t.role).toBe("admin");
    await expect(createTeam(site, { slug, name: "Y" })).rejects.toMatchObject({ status: 409, fields: { slug: "is already taken" } });
  });
});
