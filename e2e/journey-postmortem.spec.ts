// A newcomer in Berlin writes and publishes a postmortem of an incident, then finds it again by a
// word in it: the result is plain text with the word marked (no Markdown syntax), the query is in
// the URL and survives a reload, and Back returns to the lists. Times read in the reader's zone.
import { expect, test, makeTeammate, signInViaApi } from "./fixtures";

test.use({ timezoneId: "Europe/Berlin" });

test("write and publish a postmortem, then find it by a word in it", async ({ page, browser, baseURL }) => {
  await signInViaApi(page);
  const reviewer = await makeTeammate(page, baseURL!, "payments");
  const title = "Checkout timeouts from a stale resolver cache";
  const startedAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
  const created = await page.request.post("/api/v1/teams/payments/incidents", {
    data: { title, severity: "SEV3", startedAt, resolvedAt: new Date(Date.now() - 3_600_000).toISOString() },
    headers: { origin: new URL(baseURL!).origin },
  });
  expect(created.status(), await created.text()).toBe(201);
  const incident = (await created.json()) as { id: string };

  // The incident page shows when it started in the reader's zone, named, and how long ago.
  await page.goto(`/teams/payments/incidents/${incident.id}`);
  const started = page.locator("p.lede time");
  await expect(started).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{2}:\d{2} CES?T \(3 h ago\)$/);
  await expect(started).toHaveAttribute("datetime", startedAt);
  await page.screenshot({ path: "e2e/screenshots/journey-incident-times.png", fullPage: true });

  await page.getByRole("button", { name: "Start the postmortem" }).click();
  await expect(page).toHaveURL(/\/postmortems\/[0-9a-f-]{36}$/);
  const summary = page.getByLabel("Summary (Markdown)");
  await summary.fill("## What happened\nThe **nightjar** resolver kept a [stale record](https://wiki.example.test/dns) for `checkout`, so _every_ call timed out.");
  await expect(page.getByText(/^Saved \(revision 2/)).toBeVisible({ timeout: 10_000 });
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("In review", { exact: true })).toBeVisible();
  const postmortemUrl = page.url();

  const other = await browser.newContext({ timezoneId: "Europe/Berlin" });
  const review = await other.newPage();
  await signInViaApi(review, reviewer.email, reviewer.password);
  await review.goto(postmortemUrl);
  review.on("dialog", (d) => void d.accept());
  await review.getByRole("button", { name: "Approve and publish" }).click();
  await expect(review.getByText("Published", { exact: true })).toBeVisible();
  await other.close();

  await page.reload();
  await expect(page.getByText("Published", { exact: true })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/journey-postmortem-published.png", fullPage: true });

  // Search: the query goes to the URL; the results take the lists' place.
  await page.goto("/postmortems");
  await expect(page.getByRole("heading", { level: 2, name: "Payments" })).toBeVisible();
  await page.getByRole("searchbox", { name: "Search postmortems" }).fill("nightjar");
  await expect(page).toHaveURL(/\/postmortems\?q=nightjar$/);
  const results = page.getByRole("list", { name: "Search results" });
  const hit = results.getByRole("listitem").filter({ hasText: title });
  await expect(hit.locator("mark")).toHaveText("nightjar");
  const snippet = await hit.locator(".snippet").innerText();
  expect(snippet).toContain("What happened · The nightjar resolver kept a stale record for checkout");
  expect(snippet).not.toMatch(/[*#`[\]()_]|https?:/);
  await expect(page.getByRole("heading", { level: 2, name: "Payments" })).toHaveCount(0);
  await expect(hit).toContainText(/Published · updated [A-Z][a-z]{2} \d{1,2}, \d{2}:\d{2} CES?T \(just now\)/);
  await page.screenshot({ path: "e2e/screenshots/journey-search-results.png", fullPage: true });

  // A reload keeps the search; Back returns to the lists.
  await page.reload();
  await expect(page.getByRole("searchbox", { name: "Search postmortems" })).toHaveValue("nightjar");
  await expect(results.getByRole("listitem").filter({ hasText: title }).locator("mark")).toHaveText("nightjar");
  await page.getByRole("searchbox", { name: "Search postmortems" }).fill("");
  await expect(page).toHaveURL(/\/postmortems$/);
  await expect(page.getByRole("heading", { level: 2, name: "Payments" })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/postmortems\?q=nightjar$/);
  await expect(page.getByRole("searchbox", { name: "Search postmortems" })).toHaveValue("nightjar");
  await expect(results).toContainText(title);
});
