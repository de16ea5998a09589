import { expect, type Page } from "@playwright/test";
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
