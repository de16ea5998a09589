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
