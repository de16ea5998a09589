// Test data factories: every test makes its own users and teams with unique names, so tests
// never share seeded state (shared seeded data makes tests flaky: docs/architecture.md rule 7).
import { randomBytes } from "node:crypto";
import type { Role, TokenScope } from "../../domain/roles";
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
export async function makeTokenActor(teamSlug: string, admin: Actor, scopes: TokenScope[]) {
  const { createToken, authenticateToken } = await import("../services/tokens");
  const { secret } = await createToken(admin, teamSlug, { name: unique("token"), scopes, expiresAt: null });
  const actor = await authenticateToken(secret);
  if (!actor) throw new Error("token did not authenticate");
  return actor;
}

/**
 * A team with service "web", one Prometheus-sourced SLI "availability" and a 99 %, 1-day SLO
 * "main" on it. `queries` are the source's PromQL (badQuery or goodQuery, and totalQuery).
 */
export async function makePrometheusSlo(url: string, queries: { goodQuery?: string; badQuery?: string; totalQuery: string; authHeader?: string }) {
  const { createService, createSli, createSlo } = await import("../services/catalog");
  const { team, members } = await makeTeam(["editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: "web", name: "Web", description: "" });
  const sli = await createSli(members.editor, team.slug, "web", { slug: "availability", name: "Availability", description: "", kind: "request_ratio", prometheus: { url, ...queries } });
  await createSlo(members.editor, team.slug, "web", { slug: "main", name: "Main", description: "", sli: "availability", objective: "0.99", window: { kind: "rolling", days: 1 }, minEvents: 0 });
  return { team, members, sliId: sli!.id };
}
