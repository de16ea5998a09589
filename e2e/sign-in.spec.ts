import { expect, test } from "@playwright/test";
import { e2eAdmin } from "./fixtures";

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
