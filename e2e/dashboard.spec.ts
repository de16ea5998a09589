// The dashboard as a newcomer uses it: find the SLO burning fastest, understand why, and set up
// a service of their own with the forms. Runs against the demo data.
import { expect, test, signInViaApi } from "./fixtures";

test("the overview lists the most at-risk SLO first and filters from the URL", async ({ page }) => {
  await signInViaApi(page);
  await page.goto("/");
  const rows = page.locator("table.overview tbody tr");
  await expect(rows.first()).toBeVisible();
  const count = await rows.count();
  expect(count).toBeGreaterThanOrEqual(8);
  // Most at risk by what happens next: checkout has burned 6x for three hours, which fires no
  // rule of its 28-day window yet, but its budget runs out in under three days, so it comes
  // first, marked Burning; the checkout journey, a composite with the checkout pages in it,
  // burns with them (out in about four days); search latency (about 8 days) next; then the
  // cart's firing ticket, whose budget lasts longer.
  await expect(rows.first()).toContainText("Checkout web");
  await expect(rows.first()).toContainText("Burning");
  await expect(rows.nth(1)).toContainText("Checkout journey");
  await expect(rows.nth(1)).toContainText("Burning");
  await expect(rows.nth(2)).toContainText("Search API");
  await expect(rows.nth(2)).toContainText("Burning");
  await expect(rows.nth(3)).toContainText("Cart service");
  await expect(rows.nth(3)).toContainText("Ticket");
  await expect(page.getByText(/running out of budget this window/)).toBeVisible();

  // Filters are in the URL: a filtered view is a link to share.
  await page.getByLabel("Team").selectOption("search");
  await expect(page).toHaveURL(/team=search/);
  await expect(rows).toHaveCount(2);
  for (const r of await rows.all()) await expect(r).toContainText("Search API");
  await page.getByLabel("Tier").selectOption("caution");
  await expect(page).toHaveURL(/tier=caution/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Latency p95 < 200 ms");

  // The same link opened fresh shows the same view.
  await page.goto("/?team=search&tier=caution");
  await expect(rows).toHaveCount(1);

  // Search by name; nothing matching says how to get back.
  await page.goto("/");
  await page.getByLabel("Search").fill("ledger monthly");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Availability 99.9% per month");
  await page.getByLabel("Search").fill("no-such-slo");
  await expect(page.getByText("No SLO matches these filters.")).toBeVisible();
  await page.getByRole("link", { name: "Clear the filters" }).click();
  await expect(rows).toHaveCount(count);
});

test("the overview is usable with the keyboard alone", async ({ page }) => {
  await signInViaApi(page);
  await page.goto("/");
  await page.getByLabel("Search").focus();
  await page.keyboard.type("checkout web");
  // The service's SLO and the checkout journey (a composite in the same service), most at risk first.
  await expect(page.locator("table.overview tbody tr")).toHaveCount(2);
  // Tab through the filters to the first SLO link and open it with Enter.
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => document.activeElement?.classList.contains("slo-link"))) break;
  }
  const focused = await page.evaluate(() => ({ text: document.activeElement?.textContent, outline: getComputedStyle(document.activeElement!).outlineStyle }));
  expect(focused.text).toBe("Availability 99.5%");
  expect(focused.outline).not.toBe("none"); // focus is visible
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Availability 99.5%", level: 1 })).toBeVisible();
});

test("an SLO page explains the burn: budget, alert rules, burndown and the SLI over a chosen range", async ({ page }) => {
  await signInViaApi(page);
  await page.goto("/");
  await page.locator("table.overview tbody tr").filter({ hasText: "Ticket" }).first().getByRole("link").click();
  // On a busy machine the page's server render can pass the default 5 s.
  await expect(page.getByRole("heading", { name: "Availability 99.9%", level: 1 })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("heading", { name: "Remaining budget" })).toBeVisible();
  // The firing rule is explained in words and marked in the table.
  await expect(page.getByText(/^Ticket: the .* burn rate is/)).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "Firing" }).first()).toBeVisible();
  await expect(page.locator(".recharts-surface")).toHaveCount(4); // burndown, burn rate, events, SLI
  await expect(page.getByText("One point per 5m.")).toBeVisible();

  // Another range: the URL says which, the chart's step follows.
  await page.getByRole("button", { name: "7 days" }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByText("One point per 1h.")).toBeVisible();
  await expect(page.getByRole("button", { name: "7 days" })).toHaveAttribute("aria-pressed", "true");

  // A custom range that ends before it starts is refused next to the fields.
  await page.getByRole("button", { name: "Custom" }).click();
  await page.getByRole("textbox", { name: "From" }).fill("2026-11-20T10:00");
  await page.getByRole("textbox", { name: "To" }).fill("2026-11-19T10:00");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.locator("main").getByRole("alert")).toHaveText("The end must be after the start.");

  // Numbers are for people: no NaN, no long decimals anywhere on the page.
  const text = await page.locator("main").innerText();
  expect(text).not.toMatch(/NaN|undefined|\d\.\d{5,}/);
});

test("a newcomer creates a service, an SLI and an SLO with the forms", async ({ page }) => {
  await signInViaApi(page);
  const slug = `e2e-${Date.now().toString(36)}`;
  await page.goto("/teams/checkout");
  await page.getByText("New service").click();
  // The form checks with the API's schema, next to the field, before sending anything.
  const svc = page.getByRole("form", { name: "New service" });
  await svc.getByLabel(/^Name/).fill("E2E service");
  await svc.getByLabel("Short name").fill("Not A Slug");
  await svc.getByRole("button", { name: "Create service" }).click();
  await expect(page.locator("#svc-slug-error")).toHaveText("Use lowercase letters, digits and single dashes for the slug, e.g. payments-api");
  await expect(page.locator("#svc-slug")).toHaveAttribute("aria-invalid", "true");
  await svc.getByLabel("Short name").fill(slug);
  await svc.getByRole("button", { name: "Create service" }).click();
  // The form says what it created and hands the focus to a link to it.
  await expect(svc.getByRole("status")).toHaveText("Created service E2E service. Open it to add its SLIs and SLOs.");
  await expect(svc.getByRole("link", { name: "E2E service" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "E2E service", level: 1 })).toBeVisible();
  await expect(page.getByText("No SLOs yet.")).toBeVisible();

  // An SLI pulled from Prometheus: the test query says why a source cannot be used (this machine
  // is not a place the server calls unless OUTBOUND_ALLOW says so).
  await page.getByText("New SLI").click();
  const sli = page.getByRole("form", { name: "New SLI" });
  await sli.getByLabel(/^Name/).fill("Availability");
  await sli.getByLabel("Short name").fill("availability");
  await sli.getByLabel(/Pulled from Prometheus/).check();
  await sli.getByLabel("Base URL").fill("http://127.0.0.1:9");
  await sli.getByLabel(/Total events per minute/).fill("sum(increase(http_requests_total[1m]))");
  await sli.getByLabel(/Bad events per minute/).fill('sum(increase(http_requests_total{code=~"5.."}[1m]))');
  await sli.getByRole("button", { name: "Test query" }).click();
  await expect(sli.getByText(/127\.0\.0\.1 is a loopback address; allow it with OUTBOUND_ALLOW/).first()).toBeVisible();
  // Pushed instead.
  await sli.getByLabel("Pushed to the ingest API").check();
  await sli.getByRole("button", { name: "Create SLI" }).click();
  await expect(page.getByRole("cell", { name: /Pushed as/ })).toContainText(`${slug}/availability`);

  // An SLO on it; a bad objective is explained first.
  await page.getByText("New SLO").click();
  const slo = page.getByRole("form", { name: "New SLO" });
  await slo.getByLabel(/^Name/).fill("Availability 99.9%");
  await slo.getByLabel("Short name").fill("availability-999");
  await slo.getByLabel("Objective").fill("150%");
  await slo.getByRole("button", { name: "Create SLO" }).click();
  await expect(slo.locator("#slo-objective-error")).toBeVisible();
  await slo.getByLabel("Objective").fill("99.9%");
  await slo.getByLabel("Days").fill("28");
  await slo.getByRole("button", { name: "Create SLO" }).click();
  await slo.getByRole("link", { name: "Availability 99.9%" }).click();
  await expect(page.getByRole("heading", { name: "Availability 99.9%", level: 1 })).toBeVisible();
  await expect(page.locator(".lede")).toContainText("99.9% of events good over 28 days rolling");
  // The burndown, the events and the SLI charts each say there is nothing to draw yet.
  await expect(page.getByText("No data in this window yet.", { exact: true }).or(page.getByText("No events in this range.", { exact: true }))).toHaveCount(3);

  // Editing it: the new objective is what the page says.
  await page.getByText("Edit this SLO").click();
  const edit = page.getByRole("form", { name: "Edit SLO" });
  await edit.getByLabel("Objective").fill("99.5%");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(page.locator(".lede")).toContainText("99.5% of events good over 28 days rolling");
});

test("a team admin adds and removes a notification channel; the secret URL is never shown", async ({ page }) => {
  await signInViaApi(page);
  await page.goto("/teams/search");
  const form = page.getByRole("form", { name: "New notification channel" });
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(form.locator("#ch-name-error")).toHaveText("Give the channel a name");
  await form.getByLabel("Channel name").fill("#search-oncall");
  await form.getByLabel("Webhook URL").fill("https://hooks.example.test/services/T000/B000/very-secret");
  await form.getByRole("button", { name: "Add channel" }).click();
  const item = page.getByRole("listitem").filter({ hasText: "#search-oncall" });
  await expect(item).toContainText("hooks.example.test");
  await expect(page.locator("main")).not.toContainText("very-secret");
  page.once("dialog", (d) => void d.accept());
  await item.getByRole("button", { name: "Remove channel #search-oncall" }).click();
  await expect(item).toHaveCount(0);
});
