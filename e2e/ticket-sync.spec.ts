// Connecting Jira on the team page (docs/ticket-sync.md): validation from the shared schema, the
// webhook secret shown once, the webhook URL that then accepts only signed deliveries, removal
// asked first. Nothing here calls Jira: connecting does not, and the webhooks are sent by the test.
import { createHmac } from "node:crypto";
import { apiPost, expect, signInViaApi, test } from "./fixtures";

test("a team admin connects Jira, sees the webhook secret once, and the webhook takes only signed deliveries", async ({ page, playwright, baseURL }) => {
  await signInViaApi(page);
  const origin = new URL(baseURL!).origin;
  const team = `tickets-${Date.now().toString(36)}`;
  await apiPost(page.request, origin, "/api/v1/teams", { slug: team, name: "Tickets" });
  await page.goto(`/teams/${team}`);
  await expect(page.getByRole("heading", { name: "Jira and Linear" })).toBeVisible();
  await expect(page.getByText("No tracker connected")).toBeVisible();

  await page.locator("summary", { hasText: "Connect Jira" }).click();
  const form = page.getByRole("form", { name: "Connect Jira" });
  await form.getByRole("button", { name: "Connect Jira" }).click();
  await expect(form.getByText("must be a URL")).toBeVisible();
  await form.getByRole("textbox", { name: /^Jira site/ }).fill("https://acme.atlassian.net");
  await form.getByRole("textbox", { name: /^Account email/ }).fill("ops@example.test");
  await form.getByLabel(/^API token/).fill("ATATT-e2e-token");
  await form.getByRole("textbox", { name: /^Project key/ }).fill("ops");
  await form.getByRole("button", { name: "Connect Jira" }).click();
  await expect(form.getByText("must be the Jira project key, e.g. OPS")).toBeVisible();
  await form.getByRole("textbox", { name: /^Project key/ }).fill("OPS");
  await form.getByRole("button", { name: "Connect Jira" }).click();

  const secret = (await page.getByTestId("new-webhook-secret").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^[\w-]{43}$/);
  const hookText = await page.getByText(/Webhook URL \(event: Issue updated\)/).textContent();
  const hook = /\/api\/v1\/webhooks\/jira\/[0-9a-f-]{36}/.exec(hookText ?? "")?.[0];
  expect(hook).toBeTruthy();

  // The webhook: a signed delivery for an issue nobody linked is answered and ignored; a wrong signature is 401.
  const tracker = await playwright.request.newContext({ baseURL });
  const body = JSON.stringify({ timestamp: Date.now(), webhookEvent: "jira:issue_updated", issue: { id: "10001", key: "OPS-1", fields: { status: { statusCategory: { key: "done" } } } }, changelog: { items: [{ field: "status" }] } });
  const sign = (s: string) => `sha256=${createHmac("sha256", s).update(body).digest("hex")}`;
  const ok = await tracker.post(hook!, { data: body, headers: { "content-type": "application/json", "x-hub-signature": sign(secret) } });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toEqual({ applied: null, ignored: "OPS-1 is not linked to an action item" });
  expect((await tracker.post(hook!, { data: body, headers: { "content-type": "application/json", "x-hub-signature": sign("guessed-secret") } })).status()).toBe(401);
  await tracker.dispose();

  // Once dismissed (or reloaded), the secret is gone; the token never was on the page.
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByText(secret)).toHaveCount(0);
  await page.reload();
  await expect(page.getByText("https://acme.atlassian.net")).toBeVisible();
  await expect(page.getByText("ATATT-e2e-token")).toHaveCount(0);

  await page.getByRole("button", { name: "Remove Jira" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove Jira?" });
  await dialog.getByRole("button", { name: "Remove Jira" }).click();
  await expect(page.getByText("No tracker connected")).toBeVisible();
});
