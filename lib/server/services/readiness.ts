import { db } from "../db/client";
import { listPendingMigrations } from "../db/migration-status";

export type Readiness = { ready: boolean; database: "ok" | "unreachable"; pendingMigrations: string[] };

/** Ready = the database answers and every migration in prisma/migrations is applied. */
export async function checkReadiness(): Promise<Readiness> {
  try {
    const pending = await listPendingMigrations(db().pool);
    return { ready: pending.length === 0, database: "ok", pendingMigrations: pending };
  } catch {
    return { ready: false, database: "unreachable", pendingMigrations: [] };
  }
}
