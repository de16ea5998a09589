// Screenshots of every page in both colour schemes, kept under e2e/screenshots to look at.
import { expect, test, signInViaApi } from "./fixtures";

const pages = [
  { name: "overview", path: "/", ready: { role: "heading" as const, name: "Overview" } },
  { name: "slo-detail", path: "/teams/search/services/search-api/slos/latency-99?range=7d", ready: { role: "heading" as const, name: "Latency p95 < 200 ms" } },
  { name: "service", path: "/teams/payments/services/payments-api", ready: { role: "heading" as const, name: "Payments API" } },
  { name: "service-frozen", path: "/teams/search/services/search-api", ready: { role: "heading" as const, name: "Search API" } },
  { name: "team", path: "/teams/payments", ready: { role: "heading" as const, name: "Members" } },
  { name: "gate", path: "/teams/search/gate", ready: { role: "heading" as const, name: "Decision log" } },
  { name: "incidents", path: "/teams/payments/incidents", ready: { role: "heading" as const, name: "Incidents" } },
  { name: "postmortems", path: "/postmortems", ready: { role: "heading" as const, name: "Postmortems" } },
  { name: "account", path: "/account", ready: { role: "heading" as const, name: "Your account" } },
  { name: "admin", path: "/admin", ready: { role: "heading" as const, name: "People" } },
];

for (const colorScheme of ["light", "dark"] as const) {
  test(`every page renders in ${colorScheme} mode`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize({ width: 1280, height: 900 });
    await signInViaApi(page);
    for (const p of pages) {
      await page.goto(p.path);
      await expect(page.getByRole(p.ready.role, { name: p.ready.name })).toBeVisible();
      // Charts draw after hydration; wait for them where there are any.
      if (p.name === "slo-detail") await expect(page.locator(".recharts-surface").nth(1)).toBeVisible();
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg).toBe(colorScheme === "dark" ? "rgb(15, 17, 21)" : "rgb(247, 247, 248)");
      await page.screenshot({ path: `e2e/screenshots/${p.name}-${colorScheme}.png`, fullPage: true });
    }
  });
}

test("the overview and an SLO page fit a phone width", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInViaApi(page);
  for (const [name, path] of [["overview", "/"], ["slo-detail", "/teams/search/services/search-api/slos/latency-99"]] as const) {
    await page.goto(path);
    await expect(page.locator("h1")).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `e2e/screenshots/${name}-phone.png`, fullPage: true });
  }
});
