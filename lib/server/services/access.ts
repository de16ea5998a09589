// Team scoping lives here, in the service layer (docs/architecture.md rule 3): every service that touches
// team data first resolves the caller's access to that team. Non-members get "not found", the
// same answer as for a team that does not exist, so team names do not leak.
import { hasRole, type Role, type TokenScope } from "../../domain/roles";
import { prisma } from "../db/client";
import { AppError, forbidden, notFound } from "../errors";
import { currentRequest } from "../request-context";
import type { Actor, TeamAccess } from "./actor";

export async function requireTeamAccess(actor: Actor, teamSlug: string, required: Role): Promise<TeamAccess> {
  // The team and the caller's membership in one round trip: every request of a person starts here.
  const userId = actor.kind === "user" && !actor.system && !actor.isSiteAdmin ? actor.userId : null;
  const [team] = await prisma().$queryRaw<{ id: string; slug: string; name: string; role: Role | null }[]>`
    SELECT t.id::text AS id, t.slug, t.name, m.role::text AS role
    FROM teams t LEFT JOIN memberships m ON m.team_id = t.id AND m.user_id = ${userId}::uuid
    WHERE t.slug = ${teamSlug}`;
  if (!team) throw notFound(`team "${teamSlug}"`);
  const { role, ...found } = team;
  const access = await accessTo(actor, found, required, userId ? (role ? { role } : null) : undefined);
  const ctx = currentRequest();
  if (ctx) ctx.team = team.slug;
  return access;
}

/**
 * Access to a thing found by its own id (a postmortem, an action item) in the team that owns it.
 * A caller outside that team gets "not found" for the thing, the same answer as for an unknown id,
 * never the name of the team that owns it.
 */
export async function requireAccessToOwned(actor: Actor, owner: { teamId: string; what: string }, required: Role): Promise<TeamAccess> {
  const team = await prisma().team.findUnique({ where: { id: owner.teamId }, select: { id: true, slug: true, name: true } });
  if (!team) throw notFound(owner.what);
  try {
    const access = await accessTo(actor, team, required);
    const ctx = currentRequest();
    if (ctx) ctx.team = team.slug;
    return access;
  } catch (e) {
    if (e instanceof AppError && e.status === 404) throw notFound(owner.what);
    throw e;
  }
}

/** `member`: the caller's membership when already read with the team (null: none); undefined: read here. */
async function accessTo(actor: Actor, team: { id: string; slug: string; name: string }, required: Role, member?: { role: Role } | null): Promise<TeamAccess> {
  const base = { teamId: team.id, slug: team.slug, name: team.name };
  if (actor.kind === "token") {
    // Tokens act for one team only; what they may do is decided by scope (requireScope).
    if (actor.teamId !== team.id) throw notFound(`team "${team.slug}"`);
    return { ...base, role: "token" };
  }
  if (actor.system) {
    // Ticket sync's system actor: an editor of the one team whose tracker sent the webhook.
    if (actor.system.teamId !== team.id) throw notFound(`team "${team.slug}"`);
    if (!hasRole("editor", required)) throw forbidden(`ticket sync acts as an editor of team "${team.slug}"; this needs ${required}`);
    return { ...base, role: "editor" };
  }
  if (actor.isSiteAdmin) return { ...base, role: "site-admin" };
  const m = member !== undefined ? member : await prisma().membership.findUnique({ where: { userId_teamId: { userId: actor.userId, teamId: team.id } }, select: { role: true } });
  if (!m) throw notFound(`team "${team.slug}"`);
  if (!hasRole(m.role, required)) throw forbidden(`this needs the ${required} role in team "${team.slug}"; you are ${m.role}`);
  return { ...base, role: m.role };
}

/** Machine tokens need the scope for the action; people are judged by role instead. */
export function requireScope(actor: Actor, scope: TokenScope) {
  if (actor.kind === "token" && !actor.scopes.includes(scope)) {
    throw forbidden(`this token lacks the "${scope}" scope`);
  }
}

export function requireUser(actor: Actor): Extract<Actor, { kind: "user" }> {
  if (actor.kind !== "user") throw forbidden("this action is for people signed in to the web app, not API tokens");
  return actor;
}

export function requireSiteAdmin(actor: Actor) {
  const user = requireUser(actor);
  if (!user.isSiteAdmin) throw forbidden("only site administrators can do this");
  return user;
}

/** Reading team data: viewers and up, or a token of the team with the `read` scope. */
export async function requireTeamRead(actor: Actor, team: string): Promise<TeamAccess> {
  requireScope(actor, "read");
  return requireTeamAccess(actor, team, "viewer");
}

/** Changes made by people only (members with `role` or site admins), never by machine tokens. */
export async function requirePersonInTeam(actor: Actor, team: string, role: Role): Promise<TeamAccess> {
  requireUser(actor);
  return requireTeamAccess(actor, team, role);
}

/**
 * Changing a team's definitions (services, SLIs, SLOs, exclusions, policies, channels, data
 * sources, SLO-as-code apply): a token of the team with the `definitions` scope, so a pipeline can
 * apply on merge, or a person with `role`.
 */
export async function requireDefinitionsWrite(actor: Actor, team: string, role: Role): Promise<TeamAccess> {
  requireScope(actor, "definitions");
  return requireTeamAccess(actor, team, role);
}

/**
 * Reading definitions to plan a change (nothing is written): viewers and up, and tokens of the team
 * with `read` or `definitions`. A pull request's job, which may run code from a fork, needs no
 * more than a read token to show its plan.
 */
export async function requireDefinitionsRead(actor: Actor, team: string): Promise<TeamAccess> {
  if (actor.kind === "token" && !actor.scopes.includes("read") && !actor.scopes.includes("definitions")) throw forbidden('this token lacks the "read" or "definitions" scope');
  return requireTeamAccess(actor, team, "viewer");
}
