import { prisma } from "../db/client";
import type { Actor } from "./actor";
import { getSessionUser } from "./users";

/** Who the caller is: the person and their teams, or the token, its team and scopes. */
export async function describeActor(actor: Actor) {
  if (actor.kind === "token") {
    const t = await prisma().apiToken.findUniqueOrThrow({ where: { id: actor.tokenId }, include: { team: true } });
    return { kind: "token" as const, token: { id: t.id, name: t.name, prefix: t.prefix }, team: t.team.slug, scopes: actor.scopes };
  }
  const user = await getSessionUser(actor.userId);
  return { kind: "user" as const, user };
}
