// Editing an SLI from its service page (PATCH …/slis/{sli}): the row's Edit opens the form with
// the stored measure, a mistake is named next to its field and saves nothing, a save goes back to
// the list and says so, and the form then holds the new query. The versions a new measure starts
// are tested in lib/server/services/definition-history.test.ts.
import { expect, test, signInViaApi } from "./fixtures";

test("an SLI's query is changed from its row: checked, saved, and shown as saved", async ({ page }) => {
  await signInViaApi(page);
  await page.goto("/teams/checkout/services/checkout-web");
  const slug = `pulled-${Date.now().toString(36)}`;
  const name = `Pulled ${slug.slice(7)}`;

  // A Prometheus SLI to edit, made with the New SLI form (the server is never called: nothing runs its sync here).
  await page.getByText("New SLI").click();
  const create = page.getByRole("form", { name: "New SLI" });
  await create.getByLabel(/^Name/).fill(name);
  await create.getByLabel("Short name").fill(slug);
  await create.getByLabel(/Pulled from Prometheus/).check();
  await create.getByLabel("Base URL").fill("https://prometheus.example.test");
  await create.getByLabel(/^Total events per minute/).fill("sum(increase(http_requests_total[1m]))");
  await create.getByLabel(/^Bad events per minute/).fill('sum(increase(http_requests_total{code=~"5.."}[1m]))');
  await create.getByRole("button", { name: "Create SLI" }).click();
  await expect(create.getByRole("status")).toContainText(`Created SLI ${name}`);

  // Edit, by keyboard: the row's link, then the form with what is stored.
  const edit = page.getByRole("link", { name: `Edit SLI ${name}` });
  await edit.focus();
  await page.keyboard.press("Enter");
  const form = page.getByRole("form", { name: `Edit SLI ${name}` });
  await expect(form.getByLabel(/^Total events per minute/)).toHaveValue("sum(increase(http_requests_total[1m]))");
  await expect(form.getByLabel(/^Bad events per minute/)).toHaveValue('sum(increase(http_requests_total{code=~"5.."}[1m]))');
  await expect(form.getByText(/kind stay/)).toBeVisible();

  // A blank query is named next to its field; nothing is sent.
  await form.getByLabel(/^Total events per minute/).fill(" ");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.locator(`#sli-edit-${slug}-total-error`)).toHaveText("Give the query for total events");

  await form.getByLabel(/^Total events per minute/).fill('sum(increase(http_requests_total{job="checkout"}[1m]))');
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Saved SLI ${name}` })).toBeVisible();
  await expect(page.getByRole("form", { name: `Edit SLI ${name}` })).toHaveCount(0);

  await page.getByRole("link", { name: `Edit SLI ${name}` }).click();
  await expect(page.getByRole("form", { name: `Edit SLI ${name}` }).getByLabel(/^Total events per minute/)).toHaveValue('sum(increase(http_requests_total{job="checkout"}[1m]))');
  await page.getByRole("link", { name: "Cancel, keep it as it is" }).click();
  await expect(page.getByRole("form", { name: `Edit SLI ${name}` })).toHaveCount(0);
});
