// Grouped SLOs end to end (docs/grouped-slos.md): a group is created from the service page's form
// (a bad label named by the form first), pushed data for three regions makes three members, the
// group page lists them, a member's chip opens the overview filtered to the group, and the group is
// edited (asked first, with the member count), archived and restored from its page. The spec
// seeds its own team and archives what it made (healthy data: nothing burns meanwhile).
import { apiPost, expect, seedTeamWithSlo, signInViaApi, test } from "./fixtures";

const slug = `grouped-${Date.now().toString(36)}`;

test("a grouped SLO: created from the form, members appear from pushed labels, listed and filtered", async ({ page, baseURL }) => {
  await signInViaApi(page);
  const { origin, ingest } = await seedTeamWithSlo(page, baseURL!, { team: slug, teamName: "Grouped E2E", service: "shop", serviceName: "Shop", sloName: "Shop availability", objective: "0.99" });
  await page.goto(`/teams/${slug}/services/shop`);
  await expect(page.getByRole("heading", { name: "Grouped SLOs" })).toBeVisible();
  await expect(page.getByText("No grouped SLOs.")).toBeVisible();

  await page.getByText("New grouped SLO").click();
  const form = page.getByRole("form", { name: "New grouped SLO" });
  await form.getByLabel(/^Name/).fill("Shop latency by region");
  await form.getByLabel("Short name").fill("latency");
  await form.getByRole("textbox", { name: /^Label/ }).fill("re-gion");
  await form.getByLabel("Objective").fill("99%");
  // Submitted from the keyboard: Enter in a field.
  await form.getByLabel("Objective").press("Enter");
  await expect(form.getByText(/The label must be a Prometheus label name/).first()).toBeVisible();
  await form.getByRole("textbox", { name: /^Label/ }).fill("region");
  await form.getByLabel("Objective").press("Enter");
  await expect(form.getByRole("status")).toContainText("Created grouped SLO Shop latency by region");
  await expect(page.locator("#group-latency")).toContainText("Shop latency by region");

  // Three regions' minutes, pushed with the label: three members, made on first sight.
  const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
  const items = ["eu-west", "us-east", "ap-south"].map((region) => ({ sli: "shop/latency", minute, good: 100, total: 100, labels: { region } }));
  const pushed = await apiPost(page.request, origin, "/api/v1/ingest", { items }, ingest);
  expect(pushed).toEqual({ accepted: 3, rejected: [] });

  await page.goto(`/teams/${slug}/services/shop/groups/latency`);
  await expect(page.getByRole("heading", { name: "Members (3)" })).toBeVisible();
  const rows = page.locator("table.overview tbody tr");
  await expect(rows).toHaveCount(3);
  for (const region of ["eu-west", "us-east", "ap-south"]) await expect(page.getByRole("link", { name: `region=${region}`, exact: true })).toBeVisible();

  // The service page shows the group with its member count; the chip opens the overview on the group.
  await page.goto(`/teams/${slug}/services/shop`);
  await expect(page.locator("#group-latency")).toContainText("3");
  await page.goto(`/teams/${slug}/services/shop/groups/latency`);
  await page.getByRole("link", { name: "region=eu-west", exact: true }).click();
  await expect(page).toHaveURL(/group=latency/);
  await expect(page.locator("table.overview tbody tr")).toHaveCount(3);

  // Edit the group: a bad value is named by its field; a template change says how many members it
  // changes and asks first (Cancel changes nothing), then applies.
  await page.goto(`/teams/${slug}/services/shop/groups/latency`);
  await page.getByText("Edit the group").click();
  const edit = page.getByRole("form", { name: "Edit grouped SLO" });
  await expect(edit).toContainText("apply to all 3 members of the group");
  await edit.getByLabel(/^Archive idle members after/).fill("0");
  await edit.getByLabel("Objective").press("Enter");
  await expect(edit.getByText("Members age out after at least 1 idle day")).toBeVisible();
  await edit.getByLabel(/^Archive idle members after/).fill("14");
  await edit.getByLabel("Objective").fill("99.5%");
  await edit.getByLabel("Objective").press("Enter");
  const ask = page.getByRole("dialog", { name: "Change 3 members?" });
  await expect(ask).toContainText("3 live and 0 aged out");
  await page.keyboard.press("Escape");
  await expect(ask).toBeHidden();
  await expect(page.locator(".lede")).toContainText("99%");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await ask.getByRole("button", { name: "Change 3 members" }).click();
  await expect(edit.getByRole("status")).toContainText("Saved.");
  await expect(page.locator(".lede")).toContainText("99.5%");
  await expect(page.locator(".lede")).toContainText("no data for 14 days");

  // Archive from the page (asked first, saying the members go with it), then restore.
  await page.getByRole("button", { name: "Archive group…" }).click();
  const archiveAsk = page.getByRole("dialog", { name: "Archive Shop latency by region?" });
  await expect(archiveAsk).toContainText("Its 3 live members are archived with it");
  await archiveAsk.getByRole("button", { name: "Archive group" }).click();
  await expect(page.getByRole("status").filter({ hasText: "archived." })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Members (0)" })).toBeVisible();
  // The service page names its archived groups, linking to the page where they are restored.
  await page.goto(`/teams/${slug}/services/shop`);
  await expect(page.getByText("No grouped SLOs.")).toBeVisible();
  await page.locator("#archived-groups").getByRole("link", { name: "Shop latency by region" }).click();
  await page.getByRole("button", { name: "Restore group…" }).click();
  const restoreAsk = page.getByRole("dialog", { name: "Restore Shop latency by region?" });
  await expect(restoreAsk).toContainText("The members archived with the group come back at once");
  await restoreAsk.getByRole("button", { name: "Restore group" }).click();
  await expect(page.getByRole("heading", { name: "Members (3)" })).toBeVisible();
  await expect(page.locator("table.overview tbody tr")).toHaveCount(3);

  // Archive what the spec made.
  const archived = await page.request.delete(`/api/v1/teams/${slug}/services/shop/groups/latency`, { headers: { origin } });
  expect(archived.status(), await archived.text()).toBe(200);
  expect(((await archived.json()) as { memberCount: unknown }).memberCount).toEqual({ live: 0, archived: 3 });
  await apiPost(page.request, origin, `/api/v1/teams/${slug}/services/shop/archive`, {});
});

test("the demo's grouped SLO: cart latency by region, four members, ap-south worst", async ({ page }) => {
  await signInViaApi(page);
  await page.goto("/teams/checkout/services/cart");
  const group = page.locator("#group-latency-by-region");
  await expect(group).toContainText("Cart latency by region");
  await expect(group).toContainText("region=ap-south");
  await group.getByRole("link", { name: "Cart latency by region" }).click();
  await expect(page.getByRole("heading", { name: "Members (4)" })).toBeVisible();
  // Worst first: ap-south spent over half its budget (caution).
  await expect(page.locator("table.overview tbody tr").first()).toContainText("region=ap-south");
});
