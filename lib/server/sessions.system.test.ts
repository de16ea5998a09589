// Sign-in and sessions against two replicas of the built app on one PostgreSQL (issue 14,
// "Sign-in and sessions"): the sign-in limit is counted where credentials are checked and shared
// by the replicas, whatever the URL's spelling; sessions end on the server (a copied cookie stops
// working after signing out, a password change, disabling the account); sign-in returns only to
// this site's paths, and a deep link survives it.
import { describe, expect, it } from "vitest";
import { signInViaApi, startApp, type AppProcess } from "./testing/app-process";
import { cleanupsAfterAll } from "./testing/cleanups";
import { createScratchDatabase, defaultExternalUrl } from "./testing/global-setup";

const cleanups = cleanupsAfterAll();
const json = { "content-type": "application/json" };
const LIMIT = 6;

const jar = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

/** One password check through next-auth's API at `path` (a spelling of the credentials callback). */
async function attempt(app: AppProcess, email: string, password: string, path = "/api/auth/callback/credentials", extra: Record<string, string> = {}, from?: string) {
  const csrf = await fetch(`${app.url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${app.url}${path}`, {
    method: "POST",
    redirect: "manual",
    // Both replicas trust X-Forwarded-For here: `from` stands for a client address of its own.
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar(csrf), ...(from ? { "x-forwarded-for": from } : {}) },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", ...extra }),
  });
  const text = await res.text();
  let url: string | null = null;
  try {
    url = ((JSON.parse(text) as { url?: string }).url ?? null) || null;
  } catch {
    /* not next-auth's answer: the path was no credentials check */
  }
  return { status: res.status, url, error: url ? new URL(url).searchParams.get("error") : null, cookie: jar(res), retryAfter: res.headers.get("retry-after") };
}

async function setup() {
  const db = await createScratchDatabase(process.env.TEST_DATABASE_URL ?? defaultExternalUrl);
  cleanups.add(db.drop);
  const env = {
    DATABASE_URL: db.url,
    AUTH_SECRET: "sessions-secret-sessions-secret-0123456",
    BURNRATE_ADMIN_EMAIL: "root@example.test",
    BURNRATE_ADMIN_PASSWORD: "sessions-test-password-1",
    BURNRATE_JOBS: "0",
    TRUST_PROXY: "1",
    LOG_LEVEL: "warn",
  };
  const [a, b] = (await Promise.all([startApp(env), startApp({ ...env, SIGN_IN_RATE_LIMIT_PER_MINUTE: String(LIMIT) })])) as [AppProcess, AppProcess];
  cleanups.add(a.stop);
  cleanups.add(b.stop);
  const admin = await signInViaApi(a.url, env.BURNRATE_ADMIN_EMAIL, env.BURNRATE_ADMIN_PASSWORD);
  return { a, b, admin };
}

const me = (app: AppProcess, cookie: string) => fetch(`${app.url}/api/v1/me`, { headers: { cookie } }).then((r) => r.status);

describe("sign-in and sessions across two replicas", () => {
  it("hold together: limits shared, sessions ended on the server, redirects kept on this site", async () => {
    const { a, b, admin } = await setup();
    const call = (app: AppProcess, method: string, p: string, cookie: string, body?: unknown) =>
      fetch(`${app.url}${p}`, { method, headers: { ...json, cookie, origin: app.url }, body: body === undefined ? undefined : JSON.stringify(body) });

    // --- Sessions end on the server.
    const email = "dana@example.test";
    const password = "dana-password-0001";
    const created = await call(a, "POST", "/api/v1/users", admin, { name: "Dana", email, password });
    expect(created.status).toBe(201);
    const dana = ((await created.json()) as { id: string }).id;
    const laptop = await signInViaApi(a.url, email, password);
    const phone = await signInViaApi(a.url, email, password);
    expect(await me(b, laptop)).toBe(200);
    const listed = (await (await call(b, "GET", "/api/v1/me/sessions", laptop)).json()) as { id: string; current: boolean; address: string }[];
    expect(listed).toHaveLength(2);
    expect(listed.filter((s) => s.current)).toHaveLength(1);
    expect(listed[0]!.address).toBe("127.0.0.1");

    // Signing out (next-auth's own sign-out) ends the session: the same cookie, copied, no longer works on either replica.
    const csrf = await fetch(`${a.url}/api/auth/csrf`, { headers: { cookie: laptop } });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const out = await fetch(`${a.url}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: `${laptop}; ${jar(csrf)}` },
      body: new URLSearchParams({ csrfToken, json: "true" }),
    });
    expect(out.status).toBeLessThan(400);
    expect(await me(a, laptop)).toBe(401);
    expect(await me(b, laptop)).toBe(401);
    expect((await fetch(`${b.url}/account`, { headers: { cookie: laptop }, redirect: "manual" })).headers.get("location")).toContain("/signin");
    expect(await me(b, phone)).toBe(200);

    // A password change ends every other session; the one it came from stays.
    const tablet = await signInViaApi(b.url, email, password);
    const changed = await call(a, "PUT", "/api/v1/me/password", phone, { currentPassword: password, newPassword: "dana-password-0002" });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ sessionsEnded: 1 });
    expect(await me(a, tablet)).toBe(401);
    expect(await me(a, phone)).toBe(200);

    // A site admin sees them and disables the account: every session ends, and sign-in answers as for a wrong password.
    expect(((await (await call(b, "GET", `/api/v1/users/${dana}/sessions`, admin)).json()) as unknown[]).length).toBe(1);
    const root = ((await (await call(a, "GET", "/api/v1/me", admin)).json()) as { user: { id: string } }).user.id;
    expect((await call(b, "GET", `/api/v1/users/${root}/sessions`, phone)).status).toBe(404); // not an admin: another's sessions are "not found"
    expect((await call(b, "PATCH", `/api/v1/users/${dana}`, admin, { disabled: true })).status).toBe(200);
    expect(await me(a, phone)).toBe(401);
    const disabled = await attempt(a, email, "dana-password-0002");
    const unknown = await attempt(a, "nobody@example.test", "dana-password-0002");
    expect(disabled).toMatchObject({ status: unknown.status, error: "CredentialsSignin", cookie: expect.not.stringContaining("session-token") });
    expect(unknown.error).toBe("CredentialsSignin");
    expect((await call(b, "PATCH", `/api/v1/users/${dana}`, admin, { disabled: "yes" })).status).toBe(422);
    expect((await call(b, "PATCH", `/api/v1/users/not-a-uuid`, admin, { disabled: true })).status).toBe(404);

    // --- Deep links survive sign-in; sign-in returns only to this site.
    const deep = await fetch(`${a.url}/teams/alpha/gate?env=production`, { redirect: "manual" });
    expect([303, 307]).toContain(deep.status);
    const signinUrl = new URL(deep.headers.get("location")!, a.url);
    expect(signinUrl.pathname).toBe("/signin");
    expect(signinUrl.searchParams.get("callbackUrl")).toBe("/teams/alpha/gate?env=production");
    // Signed in, the sign-in page sends the browser on: to the path asked for, or home for anything off the site.
    const back = async (callbackUrl: string) => {
      const r = await fetch(`${a.url}/signin?${new URLSearchParams({ callbackUrl })}`, { headers: { cookie: admin }, redirect: "manual" });
      return new URL(r.headers.get("location") ?? "", a.url).href;
    };
    expect(await back("/teams/alpha/gate?env=production")).toBe(`${a.url}/teams/alpha/gate?env=production`);
    for (const evil of ["//evil.example/x", "/\\evil.example", "https://evil.example/", "/%2F%2Fevil.example", "javascript:alert(1)"]) expect(await back(evil)).toBe(`${a.url}/`);
    // next-auth's own answer after a sign-in names only this site, whatever callbackUrl said.
    const signedIn = await attempt(a, "root@example.test", "sessions-test-password-1", undefined, { callbackUrl: "https://evil.example/phish" });
    expect(new URL(signedIn.url!).origin).toBe(a.url);

    // --- The sign-in limit (6 a minute on replica b, counted in PostgreSQL) holds whatever the URL's
    // spelling. Replica a has a high limit but shares the counter: the checks it makes count on b too.
    const guesser = "203.0.113.9";
    const spellings = [
      "/api/auth/callback/credentials",
      "/api/auth/callback/credentials/",
      "/api/auth/callback/credentials?x=1",
      "/api/auth/callback/%63redentials",
      "/api/auth/./callback/credentials",
      "/api/auth/callback/../callback/credentials",
      "/api//auth/callback/credentials",
      "/API/auth/callback/credentials",
      "/api/auth/callback/Credentials",
    ];
    // Fill the address's allowance on b, whatever spelling, then every spelling that checks credentials is refused.
    let checked = 0;
    const seen: string[] = [];
    for (let round = 0; checked < LIMIT && round < 4; round++) {
      for (const p of spellings) {
        if (checked >= LIMIT) break;
        const r = await attempt(checked % 2 ? a : b, "nobody@example.test", "wrong-password-000", p, {}, guesser);
        seen.push(`${p} -> ${r.status} ${r.error ?? ""}`);
        if (r.error === "CredentialsSignin") checked++;
        expect(r.status, seen.join("\n")).not.toBe(429);
      }
    }
    expect(checked).toBe(LIMIT);
    for (const p of spellings) {
      const r = await attempt(b, "root@example.test", "sessions-test-password-1", p, {}, guesser);
      // Either this spelling is no credentials check at all (no session, no answer from next-auth), or it is refused.
      expect(r.cookie, `${p}: signed in past the limit`).not.toContain("session-token");
      if (r.error) expect(r, p).toMatchObject({ status: 429, error: "RateLimited" });
    }
    const refused = await attempt(b, "root@example.test", "sessions-test-password-1", undefined, {}, guesser);
    expect(refused).toMatchObject({ status: 429, error: "RateLimited" });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    // Another address is not affected.
    expect((await attempt(b, "root@example.test", "sessions-test-password-1", undefined, {}, "198.51.100.4")).cookie).toContain("session-token");
  });
});
