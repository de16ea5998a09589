// The catalog a benchmark needs: one team, one service per SLO (one SLI each), an ingest+read token and a gate token.
import { randomBytes } from "node:crypto";
import { prisma } from "../server/db/client";
import { hashPassword } from "../server/auth/password";
import { createToken, authenticateToken } from "../server/services/tokens";

export async function seedBenchCatalog(slos: number) {
  const db = prisma();
  const password = randomBytes(18).toString("base64url");
  const user = await db.user.create({ data: { email: "bench@example.test", name: "Bench", isSiteAdmin: false, passwordHash: await hashPassword(password) } });
  const team = await db.team.create({ data: { slug: "bench", name: "Bench" } });
  await db.membership.create({ data: { teamId: team.id, userId: user.id, role: "admin" } });
  const sliIds: string[] = [];
  for (let i = 0; i < slos; i++) {
    const svc = await db.service.create({ data: { teamId: team.id, slug: `svc-${i}`, name: `Service ${i}` } });
    const sli = await db.sli.create({ data: { serviceId: svc.id, slug: "availability", name: "Availability", kind: "request_ratio" } });
    await db.slo.create({ data: { serviceId: svc.id, sliId: sli.id, slug: `slo-${i}`, name: `SLO ${i}`, objective: "0.999", windowKind: "rolling", windowDays: 30 } });
    sliIds.push(sli.id);
  }
  const { secret } = await createToken({ kind: "user", userId: user.id, isSiteAdmin: false }, team.slug, { name: "bench", scopes: ["ingest", "read"], expiresAt: null });
  const token = (await authenticateToken(secret))!;
  const gate = await createToken({ kind: "user", userId: user.id, isSiteAdmin: false }, team.slug, { name: "bench-gate", scopes: ["gate"], expiresAt: null });
  return { teamSlug: team.slug, sliIds, token, gateSecret: gate.secret, email: user.email, password };
}
