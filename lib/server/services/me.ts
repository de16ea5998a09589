import { prisma } from "../db/client";
import type { Actor } from "./actor";
import type { SessionUser } from "./sessions";

/**
 * Who the caller is: the person (as their session resolved them, not looked up again), or the
 * token, its team and scopes.
 */
export async function describeActor(actor: Actor, user: SessionUser | null) {
  if (actor.kind === "token") {
    const t = await prisma().apiToken.findUniqueOrThrow({ where: { id: actor.tokenId }, include: { team: true } });
    return { kind: "token" as const, token: { id: t.id, name: t.name, prefix: t.prefix }, team: t.team.slug, scopes: actor.scopes };
  }
  return { kind: "user" as const, user };
}
