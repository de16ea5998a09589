import type { Prisma } from "../../generated/prisma/client";
import type { Actor } from "./actor";
import { conflict } from "../errors";

type Tx = Prisma.TransactionClient;

export type AuditEntry = {
  teamId?: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
  /** Where the change came from, e.g. the commit an SLO-as-code apply ran for. */
  sourceRef?: string | null;
};

/** Records a change; call it inside the transaction that makes the change (docs/architecture.md rule 4). */
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
      // A change made by ticket sync says which tracker's webhook caused it (e.g. "jira:OPS-12").
      sourceRef: entry.sourceRef ?? (actor?.kind === "user" ? actor.system?.source : undefined) ?? null,
    },
  });
}

/** The person's name for messages (a token has none). */
export async function actorName(tx: Tx, actor: Actor): Promise<string | null> {
  return actor.kind === "user" ? ((await tx.user.findUnique({ where: { id: actor.userId }, select: { name: true } }))?.name ?? null) : null;
}

/** Tables whose edits name the version (updated_at) they started from. */
type Versioned = "services" | "slis" | "slos" | "incidents" | "postmortem_templates" | "exclusion_schedules" | "slo_groups";

/**
 * Optimistic concurrency for an edit based on the row as it was at `base` (its `updatedAt`):
 * locks the row for the rest of the transaction and, if it changed since, throws a 409 that says
 * who changed which fields (from the audit log), before anything is written. No `base`: no check.
 */
export async function requireUnchangedSince(tx: Tx, table: Versioned, targetType: string, id: string, base: Date | undefined) {
  if (!base) return;
  const rows = await tx.$queryRawUnsafe<{ updated_at: Date }[]>(`SELECT updated_at FROM ${table} WHERE id = $1::uuid FOR UPDATE`, id);
  const current = rows[0]?.updated_at;
  if (!current || current.getTime() === base.getTime()) return;
  const since = await tx.auditLog.findMany({ where: { targetType, targetId: id, createdAt: { gt: base } }, orderBy: { createdAt: "asc" }, include: { actor: { select: { name: true } } } });
  const who = [...new Set(since.map((a) => a.actor?.name ?? "an API token"))];
  // Edits only (a creation, written a moment after the row's first updatedAt, has no "before").
  const fields = [...new Set(since.filter((a) => a.before !== null).flatMap((a) => changedKeys(a.before, a.after)))];
  const what = fields.length ? `: ${fields.join(", ")} changed` : "";
  throw conflict(`someone saved this since you opened it (${who.length ? `by ${who.join(", ")}, ` : ""}at ${current.toISOString()})${what}. Reload to see the latest; nothing was saved`, {
    baseUpdatedAt: `is ${current.toISOString()} now`,
  });
}

function changedKeys(before: Prisma.JsonValue, after: Prisma.JsonValue): string[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => k !== "updatedAt" && JSON.stringify(b[k]) !== JSON.stringify(a[k]));
}
