// The error-budget review (docs/reviews.md): the demo's last month for the Identity team in the
// browser, its Markdown, CSV and PDF links, and the minutes saved and marked held (asked first)
// in a team of this spec's own.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test, signInViaApi } from "./fixtures";

/** No axe-core violation (WCAG 2.1 A/AA and best practice, as e2e/a11y.spec.ts checks every page). */
async function expectAccessible(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("the demo's last month is reviewed in the browser, as Markdown, CSV and PDF", async ({ page }) => {
  await signInViaApi(page);
  await page.goto("/teams/identity");
  await page.getByRole("link", { name: "Error-budget reviews" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Error-budget review: \w+ \d{4}$/ })).toBeVisible();
  await expect(page.locator(".lede")).toContainText("calendar periods in Europe/Berlin");

  const slos = page.getByRole("table", { name: "Each SLO's compliance and budget spent over the period" });
  const availability = slos.getByRole("row", { name: /Sign-in availability 99\.9%/ });
  await expect(availability).toContainText("met");
  await expect(page.getByRole("table", { name: "Incidents of the period with the budget each spent" }).getByRole("row").nth(1)).toContainText("Sign-ins failing: the token signing key rotated early");
  await expect(page.getByRole("figure").first()).toBeVisible(); // a burndown
  await expect(page.getByRole("table", { name: "Deploy gate decisions by outcome" }).getByRole("row", { name: /^deny/ })).toContainText("2");
  await expect(page.getByText("Oldest open P0 at the end:")).toContainText("Queue reset mails instead of sending inline");
  await expectAccessible(page);

  // The exports, from the page's own links.
  const md = await page.request.get((await page.getByRole("link", { name: "Markdown" }).getAttribute("href"))!);
  expect(md.status()).toBe(200);
  expect(md.headers()["content-type"]).toContain("text/markdown");
  const text = await md.text();
  expect(text).toMatch(/^# Error-budget review: Identity, \w+ \d{4}/);
  expect(text).toContain("| Sign-in API | Sign-in availability 99.9% | 99.9% |");
  const csv = await page.request.get((await page.getByRole("link", { name: "SLOs", exact: true }).getAttribute("href"))!);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).split("\r\n");
  expect(lines[0]).toBe("service,slo,objective,good_events,valid_events,sli,met,budget_spent,previous_sli,previous_met,previous_budget_spent,budget_spent_change");
  expect(lines.find((l) => l.startsWith("auth-api,availability-999,0.999,"))).toContain(",true,");
  const pdf = await page.request.get((await page.getByRole("link", { name: "PDF" }).getAttribute("href"))!);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

  // The previous period is one link away.
  await page.getByRole("link", { name: /^← / }).click();
  await expect(page).toHaveURL(/\/teams\/identity\/reviews\/\d{4}-\d{2}$/);
  await expect(page.getByRole("table", { name: "Incidents of the period with the budget each spent" })).toContainText("Password resets timing out");

  // Closing the loop: the team's action items by budget spent, and one item's budget impact.
  await page.goto("/teams/identity/action-items");
  await page.getByRole("link", { name: "by budget spent, most first" }).click();
  const items = page.getByRole("table", { name: "The team's action items, the costliest incidents' first" });
  await expect(items.getByRole("row").nth(1)).toContainText("Sign-ins failing");
  await items.getByRole("link", { name: "Alert when the signing key rotates outside its window" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Alert when the signing key rotates outside its window" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Budget each affected SLO lost in the incident" })).toContainText("Sign-in availability 99.9%");
  await expectAccessible(page);
});

test("the team's minutes: notes and decisions saved, held after asking, shown sanitised", async ({ page, baseURL }) => {
  await signInViaApi(page);
  const headers = { origin: new URL(baseURL!).origin };
  const team = `review-${Date.now().toString(36)}`;
  const made = await page.request.post("/api/v1/teams", { data: { slug: team, name: "Review minutes" }, headers });
  expect(made.status(), await made.text()).toBe(201);
  await page.goto(`/teams/${team}/reviews/2026-10`);
  await expect(page.getByRole("heading", { level: 1, name: "Error-budget review: October 2026" })).toBeVisible();

  const form = page.getByRole("form", { name: "Review minutes" });
  await form.getByLabel(/^Decisions/).fill("Keep the freeze threshold at 20 %\nRehearse key rotation quarterly");
  await form.getByLabel(/^Notes/).fill("We met **every** SLO.<script>alert(1)</script>");
  await form.getByRole("button", { name: "Save the minutes" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved as a draft.");

  // Marking it held asks first; Cancel keeps it a draft.
  await form.getByLabel(/^Status/).selectOption("held");
  await form.getByRole("button", { name: "Save the minutes" }).click();
  const dialog = page.getByRole("dialog", { name: "Mark this review held?" });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(form.getByRole("button", { name: "Save the minutes" })).toBeFocused();
  await page.keyboard.press("Enter");
  await page.getByRole("dialog", { name: "Mark this review held?" }).getByRole("button", { name: "Mark held" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved: the review is marked held.");

  await page.reload();
  await expect(page.locator(".lede")).toContainText("Status: held");
  await page.getByText("The notes as saved").click();
  const notes = page.locator("details .markdown");
  await expect(notes.locator("strong")).toHaveText("every");
  expect(await notes.innerHTML()).not.toContain("<script");
  const md = await (await page.request.get(`/api/v1/teams/${team}/reviews/markdown?period=2026-10`)).text();
  expect(md).toContain("- Rehearse key rotation quarterly");
});
