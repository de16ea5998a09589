// Test data factories: every test makes its own users and teams with unique names, so tests
// never share seeded state (the flakiness STYLE.md warns about).
import { randomBytes } from "node:crypto";
import type { Role } from "../../domain/roles";
import { prisma } from "../db/client";
import type { Actor } from "../services/actor";

export const unique = (prefix: string) => `${prefix}-${randomBytes(5).toString("hex")}`;

export async function makeUser(opts: { isSiteAdmin?: boolean; name?: string } = {}) {
  const name = opts.name ?? unique("user");
  const user = await prisma().user.create({
    data: { email: `${name}@example.test`, name, isSiteAdmin: opts.isSiteAdmin ?? false },
  });
  const actor: Actor = { kind: "user", userId: user.id, isSiteAdmin: user.isSiteAdmin };
  return { user, actor };
}

/** A team with one member per requested role; returns the actors by role. */
export async function makeTeam(roles: Role[] = ["admin", "editor", "viewer"]) {
  const team = await prisma().team.create({ data: { slug: unique("team"), name: unique("Team") } });
  const members = {} as Record<Role, Actor & { kind: "user" }>;
  for (const role of roles) {
    const { user } = await makeUser();
    await prisma().membership.create({ data: { teamId: team.id, userId: user.id, role } });
    members[role] = { kind: "user", userId: user.id, isSiteAdmin: false };
  }
  return { team, members };
}

/** A real API token of the team (created through the service), returned as the actor it authenticates to. */
export async function makeTokenActor(teamSlug: string, admin: Actor, scopes: ("ingest" | "gate" | "read")[]) {
  const { createToken, authenticateToken } = await import("../services/tokens");
  const { secret } = await createToken(admin, teamSlug, { name: unique("token"), scopes, expiresAt: null });
  const actor = await authenticateToken(secret);
  if (!actor) throw new Error("token did not authenticate");
  return actor;
}
