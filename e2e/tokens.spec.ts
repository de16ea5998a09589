import { expect, test, signInViaApi } from "./fixtures";

test("a team admin creates a token, sees it once, uses it, and revokes it", async ({ page, playwright, baseURL }) => {
  await signInViaApi(page);
  await page.goto("/teams/payments");
  await expect(page.getByRole("heading", { name: "Payments" })).toBeVisible();

  // Validation from the shared schema, next to the field.
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText("Give the token a name")).toBeVisible();
  await expect(page.getByText("Pick at least one scope")).toBeVisible();

  const name = `pipeline-${Date.now()}`;
  await page.getByRole("textbox", { name: /^Name what uses it/ }).fill(name);
  await page.getByRole("checkbox", { name: /gate/ }).check();
  await page.getByRole("checkbox", { name: /read/ }).check();
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^brt_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("gate, read");

  // The token works for machines, for its own team only.
  const machine = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const me = await machine.get("/api/v1/me");
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ kind: "token", team: "payments", scopes: ["gate", "read"] });
  expect((await machine.get("/api/v1/teams/payments")).status()).toBe(200);
  expect((await machine.get("/api/v1/teams/search")).status()).toBe(404);

  // Once dismissed, the secret is gone from the page.
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByText(secret)).toHaveCount(0);

  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: `Revoke token ${name}` }).click();
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("revoked");
  expect((await machine.get("/api/v1/me")).status()).toBe(401);
  await machine.dispose();
});
