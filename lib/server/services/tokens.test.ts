import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { hashApiToken } from "../auth/api-token";
import { AppError } from "../errors";
import { makeTeam } from "../testing/factories";
import { authenticateToken, authenticateTokenRechecked, createToken, listTokens, revokeToken } from "./tokens";
import { askGate } from "./gate";
import { createService } from "./catalog";

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

  // The gate's fast path takes a token found good seconds ago from memory (one round trip less on
  // every deploy); its own statement re-checks the token, so no revocation is missed.
  it("found good seconds ago come from memory for the gate, whose own statement still refuses them once revoked", async () => {
    const { team, members } = await makeTeam(["admin"]);
    await createService(members.admin, team.slug, { slug: "api", name: "API", description: "" });
    const { token, secret } = await createToken(members.admin, team.slug, input());
    const ask = (actor: NonNullable<Awaited<ReturnType<typeof authenticateTokenRechecked>>>) =>
      askGate(actor, { service: "api", environment: "production", version: "v1", changeType: "feature", requester: "ci" });
    const actor = await authenticateTokenRechecked(secret);
    expect(actor).toMatchObject({ kind: "token", tokenId: token.id, teamId: team.id });
    expect((await ask(actor!)).decision).toBe("warn"); // no data yet: the default policy warns

    // Revoked by another replica (straight in the database): this replica still remembers the
    // token, and the gate's statement refuses it.
    await prisma().apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    expect(await authenticateToken(secret)).toBeNull();
    const remembered = await authenticateTokenRechecked(secret);
    expect(remembered).toEqual(actor);
    await expect(ask(remembered!)).rejects.toMatchObject({ status: 401, message: "the API token is unknown, revoked or expired" });
    expect(await prisma().gateDecision.count({ where: { teamId: team.id } })).toBe(1); // the refused call stored nothing

    // Revoked here: forgotten at once.
    const second = await createToken(members.admin, team.slug, input());
    expect(await authenticateTokenRechecked(second.secret)).not.toBeNull();
    await revokeToken(members.admin, team.slug, second.token.id);
    expect(await authenticateTokenRechecked(second.secret)).toBeNull();
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
