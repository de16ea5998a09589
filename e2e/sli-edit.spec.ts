// Editing an SLI from its service page (PATCH …/slis/{sli}): the row's Edit opens the form with
// the stored measure, a mistake is named next to its field and saves nothing, a save goes back to
// the list and says so, and the form then holds the new query. The versions a new measure starts
// are tested in lib/server/services/definition-history.test.ts.
import { apiPost, expect, test, signInViaApi } from "./fixtures";

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

test("an SLI reads from a team's data source: offered first in the form, named on its row, and moved to a URL of its own by an edit", async ({ page, baseURL }) => {
  await signInViaApi(page);
  const origin = new URL(baseURL!).origin;
  const team = `ds-${Date.now().toString(36)}`;
  await apiPost(page.request, origin, "/api/v1/teams", { slug: team, name: "Data source E2E" });
  await apiPost(page.request, origin, `/api/v1/teams/${team}/services`, { slug: "web", name: "Web" });
  await apiPost(page.request, origin, `/api/v1/teams/${team}/data-sources`, { name: "prom-main", url: "https://prometheus.example.test", authHeader: "Bearer shared" });
  await page.goto(`/teams/${team}/services/web`);

  await page.getByText("New SLI").click();
  const create = page.getByRole("form", { name: "New SLI" });
  await create.getByLabel(/^Name/).fill("Availability");
  await create.getByLabel("Short name").fill("avail");
  await create.getByLabel(/Pulled from Prometheus/).check();
  // The team's data source is the server picked: no URL or header to type.
  await expect(create.getByLabel("Server")).toHaveValue("prom-main");
  await expect(create.getByLabel("Base URL")).toHaveCount(0);
  await create.getByLabel(/^Total events per minute/).fill("sum(increase(http_requests_total[1m]))");
  await create.getByLabel(/^Bad events per minute/).fill('sum(increase(http_requests_total{code=~"5.."}[1m]))');
  await create.getByRole("button", { name: "Create SLI" }).click();
  await expect(create.getByRole("status")).toContainText("Created SLI Availability");
  const row = page.locator("#sli-avail");
  await expect(row).toContainText("from data source prom-main");

  await page.getByRole("link", { name: "Edit SLI Availability" }).click();
  const form = page.getByRole("form", { name: "Edit SLI Availability" });
  await expect(form.getByLabel("Server")).toHaveValue("prom-main");
  await form.getByLabel("Server").selectOption({ label: "another server: type its URL" });
  await form.getByLabel("Base URL").fill("https://thanos.example.test");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved SLI Availability" })).toBeVisible();
  await expect(row).toContainText("https://thanos.example.test");
  const sli = (await (await page.request.get(`/api/v1/teams/${team}/services/web/slis/avail`)).json()) as { prometheus: { url: string | null; dataSourceId: string | null; hasAuthHeader: boolean } };
  // The data source's header is not carried over to the SLI's own URL.
  expect(sli.prometheus).toMatchObject({ url: "https://thanos.example.test", dataSourceId: null, hasAuthHeader: false });
});
