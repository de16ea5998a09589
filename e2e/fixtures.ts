import { test as base, expect, type APIRequestContext, type APIResponse, type Page, type Response } from "@playwright/test";
import { e2eAdmin } from "../playwright.config";
import { mediaType, recordResponse, wantsRecording } from "../lib/server/testing/api-responses";

export { e2eAdmin, expect };

const recording = new WeakSet<APIRequestContext>();

/** Records an answer of the app's API for the schema check at the end of `npm test` (lib/server/testing/api-responses.ts). */
async function record(method: string, url: string, status: number, headers: Record<string, string>, body: () => Promise<string>, source: string) {
  const path = new URL(url).pathname;
  if (method === "HEAD" || !wantsRecording(method, path, status)) return;
  const type = mediaType(headers["content-type"]);
  let parsed: unknown = null;
  if (type === "application/json") {
    const text = await body().catch(() => undefined);
    if (text === undefined) return; // the page went away before the body came: nothing whole to check
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  recordResponse("e2e", { method, path, status, type, body: parsed, source });
}

/** Wraps a request client's methods so each answer is recorded; the spec sees the same answers. */
function recordRequests(request: APIRequestContext, source: () => string) {
  if (recording.has(request)) return;
  recording.add(request);
  for (const name of ["get", "post", "put", "patch", "delete", "fetch"] as const) {
    const original = request[name].bind(request) as (url: string, options?: { method?: string }) => Promise<APIResponse>;
    (request as unknown as Record<string, unknown>)[name] = async (url: string, options?: { method?: string }) => {
      const res = await original(url, options);
      const method = name === "fetch" ? (options?.method ?? "GET").toUpperCase() : name.toUpperCase();
      await record(method, res.url(), res.status(), res.headers(), () => res.text(), source());
      return res;
    };
  }
}

/**
 * Every spec's `test`: as Playwright's, and every answer of the app's API it gets (through
 * `request`, `page.request` or the pages' own calls) is recorded for the schema check.
 */
export const test = base.extend<{ recordApiResponses: void }>({
  recordApiResponses: [
    async ({ page, request }, use, testInfo) => {
      const source = () => `e2e ${testInfo.file.split("/").pop()} › ${testInfo.title}`;
      recordRequests(request, source);
      recordRequests(page.request, source);
      const pending: Promise<void>[] = [];
      const onResponse = (res: Response) => {
        const req = res.request();
        if (req.resourceType() !== "fetch" && req.resourceType() !== "xhr") return;
        pending.push(record(req.method(), res.url(), res.status(), res.headers(), () => res.text(), `${source()} (page)`).catch(() => undefined));
      };
      page.context().on("response", onResponse);
      await use();
      page.context().off("response", onResponse);
      await Promise.all(pending);
    },
    { auto: true },
  ],
});

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
