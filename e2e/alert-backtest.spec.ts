// Alert settings on the SLO page: the effective table beside the workbook's defaults, "Try alert
// settings" (the backtest of current against proposed settings on the SLO's own minutes, with a
// linked incident), then saving the proposal through the confirm step.
// Seeds its own team: six hours of 1,000 requests a minute with a 30-minute burst at 50 % errors
// three hours ago, recorded as an incident of the SLO.
import { expect, test, apiPost as post, seedTeamWithSlo, signInViaApi } from "./fixtures";

const slug = `alerts-${Date.now().toString(36)}`;
const sloName = "Checkout availability 99%";

test.use({ viewport: { width: 1280, height: 900 } });

test("the SLO page shows the effective alert rules, backtests a proposal against the current settings and saves it", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await signInViaApi(page);
  const r = page.request;
  const { origin, ingest } = await seedTeamWithSlo(page, baseURL!, { team: slug, teamName: "Alerts E2E", service: "api", serviceName: "Checkout API", sloName, objective: "0.99" });
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const burst = (i: number) => i >= 150 && i < 180; // minutes before now
  const items = Array.from({ length: 360 }, (_, i) => ({ sli: "api/ok", minute: new Date(now - (i + 1) * 60_000).toISOString(), good: burst(i + 1) ? 500 : 1000, total: 1000 }));
  await post(r, origin, "/api/v1/ingest", { items }, ingest);
  await post(r, origin, `/api/v1/teams/${slug}/incidents`, {
    title: "Checkout down",
    severity: "SEV2",
    status: "resolved",
    startedAt: new Date(now - 180 * 60_000).toISOString(),
    resolvedAt: new Date(now - 150 * 60_000).toISOString(),
    slos: ["api/availability"],
  });

  await page.goto(`/teams/${slug}/services/api/slos/availability`);
  await expect(page.getByRole("heading", { name: sloName, level: 1 })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator("[data-hydrated]")).toBeVisible();

  // The effective table: each value beside the workbook's, with why.
  const table = page.getByRole("region", { name: "Effective alert rules" });
  const page1 = table.getByRole("row").filter({ hasText: "Page 1" });
  await expect(page1).toContainText("14.4×");
  await expect(page1).toContainText("(default 14.4×)");
  await expect(page1).toContainText("2 % of the budget gone in an hour");

  // Propose a much higher factor for the 1-hour page and replay the last day.
  await page.getByText("Change alert settings").click();
  await page.locator("#ar-0-factor").fill("60");
  await page.locator("#bt-days").fill("1");
  await page.getByRole("button", { name: "Run backtest" }).click();
  const result = page.getByRole("region", { name: "Backtest: current against proposed" });
  await expect(result).toBeVisible({ timeout: 30_000 });
  await expect(result.getByRole("row").filter({ hasText: "Firings" })).toBeVisible();
  await expect(result.getByRole("row").filter({ hasText: "Noise" })).toBeVisible();
  await expect(result.getByRole("row").filter({ hasText: "Budget burned with no alert firing" })).toBeVisible();
  // The current 1-hour page (14.4x) finds the 50x burst within minutes: 50t / 60 > 14.4 -> t = 18.
  const incident = result.getByRole("row").filter({ hasText: "First alert after the start of “Checkout down”" });
  await expect(incident).toBeVisible();
  await expect(incident.getByRole("cell").first()).not.toHaveText("missed");

  // An invalid proposal names its field and saves nothing.
  await page.locator("#ar-1-long").selectOption("2h");
  await page.getByRole("button", { name: "Save alert settings…" }).click();
  await expect(page.locator("#ar-1-short-error")).toContainText("2 h / 12 = 10 min is not a window Burnrate counts");
  await page.locator("#ar-1-long").selectOption("");

  // Saving asks first, then the table shows the new factor beside the default.
  await page.getByRole("button", { name: "Save alert settings…" }).click();
  await page.getByRole("button", { name: "Confirm save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Alert settings saved." })).toBeVisible();
  await expect(page1).toContainText("60×");
  await expect(page1).toContainText("(default 14.4×)");
  await page.screenshot({ path: "e2e/screenshots/alert-backtest.png", fullPage: true });
  // Its burning SLO would head the shared overview the other specs read: archived once done.
  await post(r, origin, `/api/v1/teams/${slug}/services/api/archive`, {});
});
