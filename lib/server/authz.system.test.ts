// The authorisation matrix: every operation of the OpenAPI document x every kind of caller
// (site admin; admin, editor and viewer of the team; a member of another team; tokens of each
// scope, of this team and of another; expired and revoked tokens; no credentials), against the
// built app. What each operation requires is read from its documentation: "(team admins)",
// "(editors)", "(site admins)", its `auth` (session, session-or-read, ingest, gate) and whether
// a `definitions` token may call it (definitionsScopeOps), so the documentation and the
// behaviour cannot drift apart.
import fs from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { definitionsScopeOps, operations } from "./openapi";
import { signInViaApi, startApp, type AppProcess, tempDataDir } from "./testing/app-process";
import { concretePath, isRaw, sampleBodies as bodies, seedWorld, type WorldIds } from "./testing/api-world";

let app: AppProcess;
let dataDir: string;
const json = { "content-type": "application/json" };

type Caller = { name: string; cookie?: string; token?: string };
type Level = "any" | "self" | "read" | "edit" | "admin" | "site" | "ingest" | "gate";
const callers: Record<string, Caller> = {};
let ids: WorldIds & { decision?: string };

async function call(method: string, p: string, c: Caller, body?: unknown) {
  const headers: Record<string, string> = body === undefined ? {} : isRaw(body) ? { "content-type": body.type } : { ...json };
  if (c.cookie) Object.assign(headers, { cookie: c.cookie, origin: app.url });
  if (c.token) headers.authorization = `Bearer ${c.token}`;
  const res = await fetch(`${app.url}${p}`, { method, headers, body: body === undefined ? undefined : isRaw(body) ? body.raw : JSON.stringify(body) });
  const text = await res.text();
  let message = "";
  try {
    message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? "";
  } catch {
    // not JSON (YAML, Markdown, metrics): fine
  }
  return { status: res.status, message, text };
}

async function ok(method: string, p: string, c: Caller, body?: unknown) {
  const r = await call(method, p, c, body);
  expect(r.status, `${method} ${p}: ${r.text}`).toBeLessThan(300);
  return JSON.parse(r.text) as Record<string, unknown>;
}

beforeAll(async () => {
  dataDir = await tempDataDir("burnrate-authz-");
  app = await startApp({ DATA_DIR: dataDir, BURNRATE_ADMIN_EMAIL: "root@example.test", BURNRATE_ADMIN_PASSWORD: "authz-test-password-1", BURNRATE_JOBS: "0" });
  const site: Caller = { name: "site admin", cookie: await signInViaApi(app.url, "root@example.test", "authz-test-password-1") };
  callers.site = site;
  for (const slug of ["alpha", "beta"]) await ok("POST", "/api/v1/teams", site, { slug, name: slug });
  for (const [key, team, role] of [["admin", "alpha", "admin"], ["editor", "alpha", "editor"], ["viewer", "alpha", "viewer"], ["other", "beta", "admin"]] as const) {
    const email = `${key}@example.test`;
    await ok("POST", "/api/v1/users", site, { name: key, email, password: "authz-user-password-1" });
    await ok("POST", `/api/v1/teams/${team}/members`, site, { email, role });
    callers[key] = { name: key === "other" ? "admin of another team" : `team ${role}`, cookie: await signInViaApi(app.url, email, "authz-user-password-1") };
  }
  const token = async (team: string, scopes: string[], expiresAt: string | null = null) =>
    (await ok("POST", `/api/v1/teams/${team}/tokens`, site, { name: `${team}-${scopes.join("-")}-${Math.random()}`, scopes, expiresAt })).secret as string;
  callers.read = { name: "read token", token: await token("alpha", ["read"]) };
  callers.ingest = { name: "ingest token", token: await token("alpha", ["ingest"]) };
  callers.gate = { name: "gate token", token: await token("alpha", ["gate"]) };
  callers.definitions = { name: "definitions token", token: await token("alpha", ["definitions"]) };
  callers.otherRead = { name: "another team's read+ingest+gate+definitions token", token: await token("beta", ["read", "ingest", "gate", "definitions"]) };
  const expiresAt = new Date(Date.now() + 2_000).toISOString();
  callers.expired = { name: "expired token", token: await token("alpha", ["read", "ingest", "gate"], expiresAt) };
  const revoked = await ok("POST", "/api/v1/teams/alpha/tokens", site, { name: "revoked", scopes: ["read", "ingest", "gate"] });
  await ok("DELETE", `/api/v1/teams/alpha/tokens/${String((revoked.token as { id: string }).id)}`, site);
  callers.revoked = { name: "revoked token", token: revoked.secret as string };
  callers.none = { name: "no credentials" };

  ids = await seedWorld((method, p, body) => ok(method, p, site, body));
  ids.decision = String((await ok("POST", "/api/v1/gate", callers.gate, { service: "svc", environment: "production", version: "1", requester: "ci" })).decisionId);
  // Let the expired token expire.
  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(expiresAt) - Date.now() + 200)));
}, 180_000);
afterAll(async () => {
  await app?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});



/** What an operation requires, from its documentation. */
function level(op: (typeof operations)[number]): Level {
  if (op.auth === "ingest" || op.auth === "gate") return op.auth;
  if (op.path === "/api/v1/me") return "any"; // "who is calling": every valid token or session
  if (op.summary.includes("(site admins)")) return "site";
  if (op.summary.includes("team admins)")) return "admin";
  if (op.summary.includes("(editors")) return "edit";
  const teamScoped = op.path.includes("{team}") || op.path.includes("{postmortem}") || op.path.includes("{item}");
  return teamScoped ? "read" : "self";
}

const rank = { viewer: 1, editor: 2, admin: 3 } as const;
/** Whether `caller` may make a call at `need` (on team alpha's resources). */
function allowed(caller: string, need: Level, op: (typeof operations)[number]): boolean {
  const auth = op.auth;
  if (caller === "none" || caller === "expired" || caller === "revoked") return false;
  if (need === "any") return true;
  if (caller === "definitions") return definitionsScopeOps.has(`${op.method} ${op.path}`);
  // Recording a deploy: a gate token of the team, or editors (another team's token does not know the service).
  if (auth === "session-or-gate" && caller === "gate") return true;
  if (["read", "ingest", "gate", "otherRead"].includes(caller)) {
    if (need === "ingest" || need === "gate") return caller === need || caller === "otherRead";
    // Canary analyses and regression checks: a gate token starts them; gate and read tokens read them.
    if (auth === "session-or-gate") return caller === "gate";
    if (auth === "session-or-gate-or-read") return caller === "gate" || caller === "read";
    if (auth !== "session-or-read") return false;
    return caller === "read" || (caller === "otherRead" && need === "self");
  }
  if (need === "ingest" || need === "gate") return false;
  if (caller === "site") return true;
  if (need === "self") return true;
  if (need === "site" || caller === "other") return false;
  const role = caller as keyof typeof rank;
  return rank[role] >= { read: 1, edit: 2, admin: 3 }[need];
}

const matrixOps = operations
  .filter((op) => op.auth !== "none" && op.auth !== "github-signature")
  // Writes that remove things last, so the resources the others use are there for them.
  .sort((a, b) => Number(a.method === "delete") - Number(b.method === "delete"));

describe("authorisation matrix: every operation x every kind of caller", () => {
  it("covers every operation that needs a caller", () => {
    expect(matrixOps.length).toBe(operations.filter((o) => o.auth !== "none" && o.auth !== "github-signature").length);
    for (const op of matrixOps) if (op.body) expect(bodies, `${op.method} ${op.path} needs a sample body`).toHaveProperty([`${op.method} ${op.path}`]);
  });

  for (const key of ["none", "expired", "revoked", "viewer", "editor", "admin", "other", "site", "read", "ingest", "gate", "definitions", "otherRead"]) {
    it(`as ${key}`, async () => {
      const caller = callers[key]!;
      const wrong: string[] = [];
      for (const op of matrixOps) {
        const need = level(op);
        const p = concretePath(op, ids);
        const r = await call(op.method.toUpperCase(), p, caller, bodies[`${op.method} ${op.path}`]);
        const may = allowed(key, need, op);
        const hiddenTeam = r.status === 404 && /^team .* not found|team not found/.test(r.message);
        const refused = r.status === 401 || r.status === 403 || hiddenTeam || (r.status === 404 && !may);
        const expected = key === "none" || key === "expired" || key === "revoked" ? r.status === 401 : may ? !refused && r.status < 500 : refused;
        if (!expected || r.status >= 500) wrong.push(`${op.method.toUpperCase()} ${p} (needs ${need}): ${r.status} ${r.message}, expected ${may ? "allowed" : "refused"}`);
      }
      expect(wrong).toEqual([]);
    });
  }
});
