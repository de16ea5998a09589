import type { Prisma } from "../../generated/prisma/client";
import type { Actor } from "./actor";

type Tx = Prisma.TransactionClient;

export type AuditEntry = {
  teamId?: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
};

/** Records a change; call it inside the transaction that makes the change (STYLE.md rule 4). */
export async function writeAudit(tx: Tx, actor: Actor | null, entry: AuditEntry) {
  await tx.auditLog.create({
    data: {
      teamId: entry.teamId ?? null,
      actorUserId: actor?.kind === "user" ? actor.userId : null,
      actorToken: actor?.kind === "token" ? actor.tokenId : null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      before: entry.before,
      after: entry.after,
    },
  });
}
