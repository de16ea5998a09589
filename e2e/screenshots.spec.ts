// Screenshots of the main pages in both colour schemes, kept under e2e/screenshots to look at.
import { expect, test } from "@playwright/test";
import { signInViaApi } from "./fixtures";

for (const colorScheme of ["light", "dark"] as const) {
  test(`overview and team page render in ${colorScheme} mode`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize({ width: 1280, height: 900 });
    await signInViaApi(page);
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Payments", exact: true })).toBeVisible();
    await page.screenshot({ path: `e2e/screenshots/overview-${colorScheme}.png`, fullPage: true });
    await page.goto("/teams/payments");
    await expect(page.getByRole("heading", { name: "Members" })).toBeVisible();
    await page.screenshot({ path: `e2e/screenshots/team-${colorScheme}.png`, fullPage: true });
  });
}

test("the overview fits a phone width", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInViaApi(page);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "e2e/screenshots/overview-phone.png", fullPage: true });
});
