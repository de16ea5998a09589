import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { e2eAdmin } from "../playwright.config";

export { e2eAdmin };

/** Signs in through next-auth's HTTP API (no form), sharing the cookie with the page's browser context. */
export async function signInViaApi(page: Page, email = e2eAdmin.email, password = e2eAdmin.password) {
  const csrf = await page.request.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(res.status());
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name.endsWith("next-auth.session-token"))).toBe(true);
}

/**
 * A second person for the team, so a postmortem's author is not its approver: created by the
 * signed-in site admin through the API and added to `team` with `role`. Returns how to sign in.
 */
export async function makeTeammate(page: Page, baseURL: string, team: string, role: "editor" | "admin" = "editor") {
  const headers = { origin: new URL(baseURL).origin };
  const email = `reviewer-${Date.now().toString(36)}@example.test`;
  const password = "reviewer-password-123";
  const user = await page.request.post("/api/v1/users", { data: { name: "Riley Reviewer", email, password }, headers });
  expect(user.status(), await user.text()).toBeLessThan(300);
  const member = await page.request.post(`/api/v1/teams/${team}/members`, { data: { email, role }, headers });
  expect(member.status(), await member.text()).toBeLessThan(300);
  return { email, password, name: "Riley Reviewer" };
}

/** A POST to the app's API as the signed-in browser (with its origin, for the CSRF check) or with a token; fails the test on any error status. */
export async function apiPost(request: APIRequestContext, origin: string, path: string, data: unknown, token?: string) {
  const res = await request.post(path, { data, headers: token ? { authorization: `Bearer ${token}` } : { origin } });
  expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
  return res.json() as Promise<Record<string, unknown>>;
}

/**
 * A team of the spec's own with one service, a request-ratio SLI "ok" and a 30-day rolling SLO
 * "availability" on it, made through the API as the signed-in admin; returns an ingest and a
 * gate token of the team.
 */
export async function seedTeamWithSlo(page: Page, baseURL: string, t: { team: string; teamName: string; service: string; serviceName: string; sloName: string; objective: string }) {
  const origin = new URL(baseURL).origin;
  const r = page.request;
  await apiPost(r, origin, "/api/v1/teams", { slug: t.team, name: t.teamName });
  await apiPost(r, origin, `/api/v1/teams/${t.team}/services`, { slug: t.service, name: t.serviceName });
  await apiPost(r, origin, `/api/v1/teams/${t.team}/services/${t.service}/slis`, { slug: "ok", name: "Non-5xx", kind: "request_ratio" });
  await apiPost(r, origin, `/api/v1/teams/${t.team}/services/${t.service}/slos`, { slug: "availability", name: t.sloName, sli: "ok", objective: t.objective, window: { kind: "rolling", days: 30 } });
  const ingest = (await apiPost(r, origin, `/api/v1/teams/${t.team}/tokens`, { name: "ingest", scopes: ["ingest"] })).secret as string;
  const gate = (await apiPost(r, origin, `/api/v1/teams/${t.team}/tokens`, { name: "ci", scopes: ["gate"] })).secret as string;
  return { origin, ingest, gate };
}
