import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { hashApiToken } from "../auth/api-token";
import { AppError } from "../errors";
import { makeTeam } from "../testing/factories";
import { authenticateToken, createToken, listTokens, revokeToken } from "./tokens";

const input = (over: Partial<{ name: string; scopes: ("ingest" | "gate" | "read")[]; expiresAt: Date | null }> = {}) => ({
  name: "ci",
  scopes: ["gate" as const],
  expiresAt: null,
  ...over,
});

describe("API tokens", () => {
  it("are shown once and stored only as a SHA-256 digest", async () => {
    const { team, members } = await makeTeam(["admin"]);
    const { token, secret } = await createToken(members.admin, team.slug, input());
    const row = await prisma().apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.tokenHash).toBe(hashApiToken(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(await listTokens(members.admin, team.slug))).not.toContain(secret);
    expect(token.prefix).toBe(secret.slice(0, 12));
  });

  it("authenticate with their team and scopes, and record last use", async () => {
    const { team, members } = await makeTeam(["admin"]);
    const { token, secret } = await createToken(members.admin, team.slug, input({ scopes: ["ingest", "read"] }));
    const actor = await authenticateToken(secret);
    expect(actor).toEqual({ kind: "token", tokenId: token.id, teamId: team.id, teamSlug: team.slug, scopes: ["ingest", "read"] });
    const row = await prisma().apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("stop working once revoked, and the revocation is audited", async () => {
    const { team, members } = await makeTeam(["admin"]);
    const { token, secret } = await createToken(members.admin, team.slug, input());
    const revoked = await revokeToken(members.admin, team.slug, token.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect(await authenticateToken(secret)).toBeNull();
    const audit = await prisma().auditLog.findMany({ where: { teamId: team.id, targetId: token.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["token.create", "token.revoke"]);
  });

  it("stop working after their expiry", async () => {
    const { team, members } = await makeTeam(["admin"]);
    const expiresAt = new Date(Date.now() + 60_000);
    const { secret } = await createToken(members.admin, team.slug, input({ expiresAt }));
    expect(await authenticateToken(secret, new Date(expiresAt.getTime() - 1))).not.toBeNull();
    expect(await authenticateToken(secret, expiresAt)).toBeNull();
  });

  it("refuse an expiry in the past", async () => {
    const { team, members } = await makeTeam(["admin"]);
    await expect(createToken(members.admin, team.slug, input({ expiresAt: new Date(Date.now() - 1000) }))).rejects.toMatchObject({
      status: 422,
      fields: { expiresAt: "must be in the future" },
    });
  });

  it("reject unknown and malformed secrets", async () => {
    expect(await authenticateToken("brt_" + "x".repeat(43))).toBeNull();
    expect(await authenticateToken("not-a-token")).toBeNull();
    expect(await authenticateToken("")).toBeNull();
  });

  it("are managed by team admins only", async () => {
    const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
    for (const who of [members.editor, members.viewer]) {
      await expect(createToken(who, team.slug, input())).rejects.toMatchObject({ status: 403 });
      await expect(listTokens(who, team.slug)).rejects.toMatchObject({ status: 403 });
    }
  });

  it("cannot be created, listed or revoked from another team", async () => {
    const a = await makeTeam(["admin"]);
    const b = await makeTeam(["admin"]);
    const { token } = await createToken(a.members.admin, a.team.slug, input());
    await expect(listTokens(b.members.admin, a.team.slug)).rejects.toMatchObject({ status: 404 });
    await expect(createToken(b.members.admin, a.team.slug, input())).rejects.toMatchObject({ status: 404 });
    // B's admin names A's token under B's own team: still not found, and A's token stays valid.
    await expect(revokeToken(b.members.admin, b.team.slug, token.id)).rejects.toBeInstanceOf(AppError);
    const row = await prisma().apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.revokedAt).toBeNull();
  });

  it("cannot manage tokens with a token", async () => {
    const { team, members } = await makeTeam(["admin"]);
    const { secret } = await createToken(members.admin, team.slug, input({ scopes: ["read", "gate", "ingest"] }));
    const machine = (await authenticateToken(secret))!;
    await expect(createToken(machine, team.slug, input())).rejects.toMatchObject({ status: 403 });
  });
});
