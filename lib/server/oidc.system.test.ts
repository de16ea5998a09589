// OpenID Connect sign-in end to end over HTTP, against a stand-in issuer (oidc-issuer.ts).
import fs from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInViaApi, startApp, type AppProcess, tempDataDir } from "./testing/app-process";
import { startOidcIssuer, type OidcClaims } from "./testing/oidc-issuer";

const client = { id: "burnrate-test", secret: "oidc-client-secret" };
let idp: Awaited<ReturnType<typeof startOidcIssuer>>;
let app: AppProcess;
let dataDir: string;

beforeAll(async () => {
  idp = await startOidcIssuer(client);
  dataDir = await tempDataDir("burnrate-oidc-");
  app = await startApp({
    DATA_DIR: dataDir,
    BURNRATE_ADMIN_EMAIL: "admin@example.test",
    BURNRATE_ADMIN_PASSWORD: "oidc-test-admin-password",
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: client.id,
    OIDC_CLIENT_SECRET: client.secret,
    OIDC_NAME: "Test IdP",
  });
});
afterAll(async () => {
  await app?.stop();
  await idp?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** Follows the browser's redirects by hand, keeping the app's cookies. Returns the final location and cookies. */
async function signInWithOidc(claims: OidcClaims) {
  idp.setUser(claims);
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [name, ...value] = pair!.split("=");
      jar.set(name!, value.join("="));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${app.url}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const start = await fetch(`${app.url}/api/auth/signin/oidc`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${app.url}/` }),
  });
  keep(start);
  const authorize = start.headers.get("location") ?? "";
  expect(authorize.startsWith(`${idp.issuer}/authorize`)).toBe(true);
  expect(new URL(authorize).searchParams.get("code_challenge_method")).toBe("S256");
  const atIdp = await fetch(authorize, { redirect: "manual" });
  const callback = atIdp.headers.get("location") ?? "";
  expect(callback.startsWith(`${app.url}/api/auth/callback/oidc`)).toBe(true);
  const done = await fetch(callback, { redirect: "manual", headers: { cookie: cookie() } });
  keep(done);
  return { location: done.headers.get("location") ?? "", cookie: cookie() };
}

async function me(cookie: string) {
  const r = await fetch(`${app.url}/api/v1/me`, { headers: { cookie } });
  return { status: r.status, body: (await r.json()) as { user?: { id: string; email: string; name: string; isSiteAdmin: boolean } } };
}

describe("OpenID Connect sign-in", () => {
  it("offers the provider on the sign-in page", async () => {
    const html = await (await fetch(`${app.url}/signin`)).text();
    expect(html).toContain("Continue with <!-- -->Test IdP");
  });

  it("creates a person with no team and no admin rights on first sign-in, and finds them again", async () => {
    const first = await signInWithOidc({ sub: "okta|42", email: "New.Person@Example.test", email_verified: true, name: "New Person" });
    expect(first.location).toBe(`${app.url}/`);
    const a = await me(first.cookie);
    expect(a.status).toBe(200);
    expect(a.body.user).toMatchObject({ email: "new.person@example.test", name: "New Person", isSiteAdmin: false });
    const teams = await fetch(`${app.url}/api/v1/teams`, { headers: { cookie: first.cookie } });
    expect(await teams.json()).toEqual([]);

    const second = await signInWithOidc({ sub: "okta|42", email: "renamed@example.test", email_verified: true, name: "New Person" });
    expect((await me(second.cookie)).body.user?.id).toBe(a.body.user?.id);
  });

  it("links a verified email to the existing password account", async () => {
    const session = await signInWithOidc({ sub: "google|admin", email: "admin@example.test", email_verified: true, name: "Admin" });
    const viaOidc = await me(session.cookie);
    const viaPassword = await me(await signInViaApi(app.url, "admin@example.test", "oidc-test-admin-password"));
    expect(viaOidc.body.user?.id).toBe(viaPassword.body.user?.id);
    expect(viaOidc.body.user?.isSiteAdmin).toBe(true);
  });

  it("refuses an unverified email that belongs to an existing account", async () => {
    const r = await signInWithOidc({ sub: "evil|1", email: "admin@example.test", email_verified: false, name: "Mallory" });
    expect(r.location).toContain("/signin?error=OidcEmailUnverified");
    expect((await me(r.cookie)).status).toBe(401);
  });
});
