import { expect, test, e2eAdmin, signInViaApi } from "./fixtures";

test("an anonymous visitor is sent to sign-in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole("heading", { name: "Sign in to Burnrate" })).toBeVisible();
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(e2eAdmin.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("main").getByRole("alert")).toHaveText("That email and password do not match an account.");
  await expect(page).toHaveURL(/\/signin/);
});

test("signs in with the keyboard alone and sees the demo dashboard", async ({ page }) => {
  await page.goto("/signin");
  // The email field has focus on load; Tab moves to the password, Enter submits.
  await page.keyboard.type(e2eAdmin.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(e2eAdmin.password);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  // Every team's SLOs are listed, with their service and team.
  for (const team of ["Payments", "Checkout", "Search"]) {
    await expect(page.getByRole("row").filter({ hasText: `· ${team}` }).first()).toBeVisible();
  }
  // Demo SLOs with their remaining budget, and the tier in words.
  const row = page.getByRole("row").filter({ hasText: "Availability 99.5%" });
  await expect(row).toContainText("28 days rolling");
  await expect(row.getByRole("meter", { name: "Remaining error budget" })).toBeVisible();
  await expect(row).toContainText(/normal|caution|freeze|halted/);
});

test("a deep link survives signing in, and the account page signs another browser out", async ({ page, browser, baseURL }) => {
  // Signed out, a link to a team's gate page goes to sign-in, then back to that page.
  await page.goto("/teams/payments/gate");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fteams%2Fpayments%2Fgate/);
  await page.getByLabel("Email").fill(e2eAdmin.email);
  await page.getByLabel("Password").fill(e2eAdmin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/teams\/payments\/gate$/);

  // A second browser signs in too; the first ends that session from its account page.
  const other = await browser.newContext({ baseURL });
  const second = await other.newPage();
  await signInViaApi(second);
  await second.goto("/account");
  await expect(second.getByRole("heading", { name: "Your account" })).toBeVisible();

  await page.goto("/account");
  await expect(page.getByText("(this browser)")).toBeVisible();
  const endButtons = page.getByRole("button", { name: "End session" });
  const before = await endButtons.count();
  expect(before).toBeGreaterThanOrEqual(1);
  page.once("dialog", (d) => void d.accept());
  await endButtons.first().focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toHaveText("Session ended: that browser is signed out.");
  await expect(endButtons).toHaveCount(before - 1);

  // "Sign out everywhere else" ends the rest; the second browser is signed out at its next request.
  if (before > 1) {
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(endButtons).toHaveCount(0);
  }
  await second.goto("/account");
  await expect(second).toHaveURL(/\/signin\?callbackUrl=%2Faccount/);
  await expect(page.getByText("(this browser)")).toBeVisible();
  await other.close();
});
