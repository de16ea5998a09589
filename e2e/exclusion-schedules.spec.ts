// Recurring exclusions end to end (docs/exclusions.md): a maintenance window is previewed in its
// own zone, confirmed and saved from the service page, listed with its next occurrence, and its
// stored occurrences are the exclusions the SLO page shows under its chart. The spec seeds its own team.
import { expect, test, seedTeamWithSlo, signInViaApi } from "./fixtures";

const slug = `schedules-${Date.now().toString(36)}`;

test("a daily maintenance window: refused with the part named, previewed, confirmed, listed, shaded", async ({ page, baseURL }) => {
  await signInViaApi(page);
  await seedTeamWithSlo(page, baseURL!, { team: slug, teamName: "Schedules E2E", service: "shop", serviceName: "Shop", sloName: "Shop availability", objective: "0.99" });
  await page.goto(`/teams/${slug}/services/shop`);
  await page.getByText("New recurring exclusion").click();
  const form = page.getByRole("form", { name: "New recurring exclusion" });
  // Three days ago (UTC date), 02:00 in UTC: two or three occurrences have already started.
  const start = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
  await form.getByLabel("Repeats").fill("FREQ=DAILY;COUNT=99999");
  await form.getByLabel("First start").fill(`${start}T02:00`);
  await form.getByLabel("Time zone").fill("UTC");
  await form.getByLabel("Length in minutes").fill("30");
  await form.getByLabel("Reason").fill("nightly backup");
  await form.getByRole("button", { name: "Preview" }).click();
  await expect(form.getByText("COUNT must be a whole number from 1 to 10,000")).toBeVisible();

  await form.getByLabel("Repeats").fill("FREQ=DAILY;COUNT=10");
  await form.getByRole("button", { name: "Preview" }).click();
  const preview = form.getByRole("status", { name: "Preview" });
  await expect(preview).toContainText("Every day for 10 times, at 02:00 for 30 min (UTC)");
  await expect(preview).toContainText("10 occurrences up to 90 days ahead, of which");
  await expect(preview).toContainText("Applies to every SLI of shop");

  let question = "";
  page.once("dialog", (d) => {
    question = d.message();
    void d.accept();
  });
  await form.getByRole("button", { name: "Save…" }).click();
  const list = page.getByRole("list", { name: "Recurring exclusions" });
  await expect(list).toContainText("Every day for 10 times, at 02:00 for 30 min (UTC)");
  await expect(list).toContainText("Next:");
  expect(question).toMatch(/^Exclude 10 occurrences \(\d already past\) from 1 SLI scope\?/);

  // An edit: previewed from now on, confirmed; the list shows the new rule.
  await list.getByRole("button", { name: "Edit" }).click();
  const editForm = page.getByRole("form", { name: "Edit recurring exclusion" });
  await editForm.getByLabel("Repeats").fill("FREQ=DAILY;COUNT=12");
  await editForm.getByRole("button", { name: "Preview" }).click();
  await expect(editForm.getByRole("status", { name: "Preview" })).toContainText("Every day for 12 times, at 02:00 for 30 min (UTC)");
  page.once("dialog", (d) => {
    question = d.message();
    void d.accept();
  });
  await editForm.getByRole("button", { name: "Save…" }).click();
  await expect(list).toContainText("Every day for 12 times, at 02:00 for 30 min (UTC)");
  expect(question).toMatch(/^Save the new rule\? Occurrences that have started stay as recorded/);

  // Skipping the next occurrence asks first, then lists the skipped start and moves "Next" on.
  const nextText = (await list.getByText("Next:").textContent()) ?? "";
  await list.getByRole("button", { name: /^Skip the occurrence of / }).click();
  const ask = page.getByRole("dialog", { name: /^Skip the maintenance window of / });
  await expect(ask).toContainText("count against the budget");
  await ask.getByRole("button", { name: "Skip it" }).click();
  await expect(ask).toBeHidden();
  await expect(list).toContainText("Skipped:");
  await expect(list).toContainText(", except ");
  await expect.poll(async () => (await list.getByText("Next:").textContent()) ?? "").not.toBe(nextText);

  // The SLO page lists the occurrences in its range among its exclusions.
  await page.goto(`/teams/${slug}/services/shop/slos/availability?range=7d`);
  await expect(page.locator("ul.exclusions").filter({ hasText: "nightly backup" }).first()).toBeVisible();
});
