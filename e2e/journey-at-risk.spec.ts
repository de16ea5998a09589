// The on-call journey: open the overview, take the SLO most at risk (the first row), see since
// when its alert fires and why (which rule, which burn rates), read the burn-rate chart against
// each rule's threshold, zoom into a range by dragging and reset the zoom with the keyboard.
// Seeds its own team: an SLO whose last hour fails 5 % of requests against a 0.1 % budget.
import { expect, test, apiPost as post, seedTeamWithSlo, signInViaApi } from "./fixtures";

const slug = `risk-${Date.now().toString(36)}`;
const sloName = "Checkout API availability 99.9%";

test.use({ timezoneId: "Europe/Berlin", viewport: { width: 1280, height: 900 } });

test("the SLO most at risk: since when it fires, why, its burn rates against the thresholds, zoom and reset", async ({ page, baseURL }) => {
  // The alert evaluator runs once a minute: the first page needs up to one run.
  test.setTimeout(180_000);
  await signInViaApi(page);
  const r = page.request;
  const { origin, ingest } = await seedTeamWithSlo(page, baseURL!, { team: slug, teamName: "Risk E2E", service: "api", serviceName: "Checkout API", sloName, objective: "0.999" });
  // Six hours of 1,000 requests a minute; the last hour fails 50 of each 1,000: a burn rate of
  // 50 against the 0.1 % budget, above the 1-hour page threshold of 14.4.
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const items = Array.from({ length: 360 }, (_, i) => ({ sli: "api/ok", minute: new Date(now - (i + 1) * 60_000).toISOString(), good: i < 60 ? 950 : i % 7 === 0 ? 999 : 1000, total: 1000 }));
  await post(r, origin, "/api/v1/ingest", { items }, ingest);
  const statusUrl = `/api/v1/teams/${slug}/services/api/slos/availability/status`;
  await expect
    .poll(async () => ((await (await r.get(statusUrl)).json()) as { alert: { firingSince: string | null } }).alert.firingSince, { timeout: 100_000, intervals: [2_000] })
    .not.toBeNull();

  // The overview: a firing page is the most at risk, so it is the first row.
  await page.goto("/");
  const first = page.locator("table.overview tbody tr").first();
  await expect(first).toContainText(sloName, { timeout: 30_000 });
  await expect(first).toContainText("Page");
  await first.getByRole("link", { name: sloName }).click();
  // A busy machine renders the page slowly: allow it time.
  await expect(page.getByRole("heading", { name: sloName, level: 1 })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator("[data-hydrated]")).toBeVisible();

  // Since when, and why: the rule that fires and its burn rates.
  await expect(page.getByText(/^Firing since .+ \(\d+[ms]/)).toBeVisible();
  await expect(page.getByText(/^Page: the 1 hour burn rate is 50× and the 5 min 50×, both above 14\.4× \(2 % of the budget in 1 hour\)\./)).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "Page · 1 hour / 5 min" })).toContainText("Firing");

  // The burn-rate chart: a named figure with a summary, a line per window and each rule's threshold.
  const burn = page.getByRole("figure", { name: /^Burn rate of the 1-hour, 6-hour, 1-day and 3-day windows/ });
  await expect(burn.locator(".recharts-surface")).toBeVisible();
  await expect(burn.locator(".recharts-reference-line")).toHaveCount(4);
  for (const t of [/1 hour,\s*page above 14\.4×/, /6 hours,\s*page above 6×/, /1 day,\s*ticket above 3×/, /3 days,\s*ticket above 1×/]) await expect(burn.locator("figcaption")).toContainText(t);
  await expect(burn.locator("figcaption")).toContainText("Alert firing");
  await expect(burn.locator("figcaption")).toContainText("Times in Europe/Berlin");
  // The summary names the latest 1-hour burn rate: at the last step's end, so up to a few good minutes before the bad hour count.
  await expect(burn.locator("p.visually-hidden")).toContainText(/1 hour: now (4\d(\.\d+)?|50)×, highest (4\d(\.\d+)?|50)×, page threshold 14\.4×/);
  // Ticks at round values: no tick label with more decimals than its step needs.
  for (const tick of await burn.locator(".recharts-yAxis .recharts-cartesian-axis-tick-value").allInnerTexts()) expect(tick).toMatch(/^\d+(\.\d)?×$/);
  await expect(page.getByRole("figure", { name: /^Good and bad events per 5m/ })).toBeVisible();
  await expect(page.getByRole("figure", { name: /^SLI per 5m/ })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/journey-at-risk-light.png", fullPage: true });

  // Drag across the last hours of the burn-rate chart, the bad hour included: the page's range becomes that interval.
  await burn.scrollIntoViewIfNeeded();
  const box = (await burn.locator(".recharts-surface").boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.86, y);
  await page.mouse.down();
  for (let k = 1; k <= 10; k++) await page.mouse.move(box.x + box.width * (0.86 + 0.0125 * k), y);
  await expect(burn.locator(".recharts-reference-area")).not.toHaveCount(0); // the selection is drawn while dragging
  await page.mouse.up();
  await expect(page).toHaveURL(/from=.*&to=/);
  const zoomed = new URL(page.url());
  const span = Date.parse(zoomed.searchParams.get("to")!) - Date.parse(zoomed.searchParams.get("from")!);
  expect(span).toBeGreaterThan(0);
  expect(span).toBeLessThan(6 * 3_600_000);
  await expect(page.getByRole("figure", { name: /^Burn rate of the/ }).locator(".recharts-surface")).toBeVisible();
  await expect(page.getByText(/in steps of 1m\./)).toBeVisible(); // a few hours are drawn per minute
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "e2e/screenshots/journey-at-risk-zoomed-dark.png", fullPage: true });

  // Reset with the keyboard alone.
  const reset = page.getByRole("button", { name: "Reset zoom" });
  await reset.focus();
  await page.keyboard.press("Enter");
  await expect(page).not.toHaveURL(/from=/);
  await expect(reset).toHaveCount(0);
  await expect(page.getByText(/in steps of 5m\./)).toBeVisible();

  // Numbers are for people: no NaN, no long decimals anywhere on the page.
  expect(await page.locator("main").innerText()).not.toMatch(/NaN|undefined|\d\.\d{5,}/);
});
