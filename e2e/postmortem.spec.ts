// A newcomer turns the demo incident into a published postmortem with two action items, sees
// the budget it spent (computed from the SLI data), marks an item done and sees the tracking
// views change.
import { expect, test, makeTeammate, signInViaApi } from "./fixtures";

test("the demo incident becomes a published postmortem with tracked action items", async ({ page, browser, baseURL }) => {
  await signInViaApi(page);
  const reviewer = await makeTeammate(page, baseURL!, "payments");
  await page.goto("/teams/payments/incidents");
  await page.getByRole("link", { name: "Card authorisations failing after a config push" }).click();

  // Budget impact: 20 % of 900 requests a minute failed for 50 minutes of a 30-day window.
  const impact = page.getByRole("table", { name: "Budget each affected SLO lost during the incident" });
  const availability = impact.getByRole("row", { name: /Availability 99\.9%/ });
  const spent = Number((await availability.getByRole("cell").nth(2).innerText()).replace("%", ""));
  expect(spent).toBeGreaterThan(20); // docs/domain.md: more than 20 % requires a postmortem
  await expect(page.getByText("A postmortem is required")).toBeVisible();

  await page.getByRole("button", { name: "Start the postmortem" }).click();
  await expect(page).toHaveURL(/\/postmortems\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: "Card authorisations failing after a config push" })).toBeVisible();
  // Pre-filled: the impact table and the roles come from the incident.
  await expect(page.getByLabel("Impact preview")).toContainText("Availability 99.9%");
  await expect(page.getByLabel("Summary preview")).toContainText("Incident commander: Amara Okafor");

  // Blameless hints while writing; system-focused text clears them. Autosave keeps it.
  const rootCause = page.getByLabel("Root cause and trigger (Markdown)");
  await rootCause.fill("Human error: the pool limit was typed wrong.");
  await expect(page.getByRole("list", { name: "Writing hints for Root cause and trigger" })).toContainText("Human error");
  await rootCause.fill("The config pipeline accepted a pool limit of 4 without a range check. <script>alert(1)</script>");
  await expect(page.getByRole("list", { name: "Writing hints for Root cause and trigger" })).toHaveCount(0);
  await expect(page.getByLabel("Root cause and trigger preview")).toContainText("without a range check");
  expect(await page.getByLabel("Root cause and trigger preview").innerHTML()).not.toContain("<script");
  await expect(page.getByText(/^Saved \(revision 2/)).toBeVisible({ timeout: 10_000 });

  // Two action items, the first a P0 owned by the newcomer.
  await page.getByText("Add an action item").click();
  for (const [title, priority] of [
    ["Range-check pool limits in the config pipeline", "P0"],
    ["Alert on card-network pool saturation", "P1"],
  ] as const) {
    const form = page.getByRole("form", { name: "Add an action item" });
    await form.getByLabel("Action").fill(title);
    await form.getByLabel("Priority").selectOption(priority);
    await form.getByLabel("Owner").selectOption({ label: "Administrator" });
    await form.getByLabel("Due").fill("2099-01-31");
    await form.getByRole("button", { name: "Add action item" }).click();
    await expect(page.getByRole("table", { name: "Action items of this postmortem" })).toContainText(title);
  }

  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("In review", { exact: true })).toBeVisible();
  // The author cannot approve their own postmortem: the check says so ahead of the button.
  await expect(page.getByRole("status", { name: "Before publishing" })).toContainText("the author cannot approve their own postmortem");
  await expect(page.getByRole("button", { name: "Approve and publish" })).toBeDisabled();

  // A teammate reviews; the sections left empty are named, and publishing asks first.
  const other = await browser.newContext();
  const review = await other.newPage();
  await signInViaApi(review, reviewer.email, reviewer.password);
  await review.goto(page.url());
  await expect(review.getByRole("status", { name: "Before publishing" })).toContainText("empty sections:");
  await review.getByLabel("Review comment").fill("Clear and blameless.");
  let asked = "";
  review.once("dialog", (d) => {
    asked = d.message();
    void d.accept();
  });
  await review.getByRole("button", { name: "Approve and publish" }).click();
  await expect(review.getByText("Published", { exact: true })).toBeVisible();
  expect(asked).toMatch(/^Publish with these open points\?/);
  await other.close();
  await page.reload();
  await expect(page.getByText("Published", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Root cause and trigger (Markdown)")).toHaveCount(0); // read-only now

  // Tracking before and after an item is done.
  await page.goto("/teams/payments/action-items");
  await expect(page.getByRole("term").filter({ hasText: "Completion rate" }).locator("xpath=following-sibling::dd")).toHaveText("0%");
  await page.goBack();
  await page.getByLabel("Status of Range-check pool limits in the config pipeline").selectOption("done");
  await expect(page.getByLabel("Status of Range-check pool limits in the config pipeline")).toHaveValue("done");
  await page.goto("/teams/payments/action-items");
  await expect(page.getByRole("term").filter({ hasText: "Completion rate" }).locator("xpath=following-sibling::dd")).toHaveText("50%");
  await page.goto("/action-items");
  await expect(page.getByRole("table", { name: "My action items" })).toContainText("Alert on card-network pool saturation");

  // Published postmortems are found by full-text search.
  await page.goto("/postmortems");
  await page.getByRole("searchbox", { name: "Search postmortems" }).fill("range check");
  await expect(page.getByRole("list", { name: "Search results" })).toContainText("Card authorisations failing after a config push");
});
