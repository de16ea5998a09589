import { db } from "../db/client";
import { listPendingMigrations } from "../db/migration-status";
import type { Readiness } from "../../schemas/responses";

/** The answer's type is its response schema's output (lib/schemas/responses.ts). */
export type { Readiness } from "../../schemas/responses";

/** A readiness probe answers within this, database or not: an orchestrator's probe times out at about a second. */
const READINESS_WAIT_MS = 1_500;

/** Ready = the database answers (within 1.5 s) and every migration in prisma/migrations is applied. */
export async function checkReadiness(): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("readiness: the database did not answer in time")), READINESS_WAIT_MS)));
    const pending = await Promise.race([listPendingMigrations(db().pool), late]);
    return { ready: pending.length === 0, database: "ok", pendingMigrations: pending };
  } catch {
    return { ready: false, database: "unreachable", pendingMigrations: [] };
  } finally {
    clearTimeout(timer);
  }
}
