// Composite SLOs (docs/composite-slos.md): one made through the API shows its members with weights,
// shares and links, and the late-member rule, on its SLO page; the service page's "New composite
// SLO" form names the field of a wrong member (on its row, past an empty one) and creates one with a
// calendar window; "Edit members" on the SLO page removes and adds rows and saves after asking. Seeds its own team; archives its
// service at the end (the overview is shared by the specs).
import { expect, test, apiPost as post, seedTeamWithSlo, signInViaApi } from "./fixtures";

const slug = `composite-${Date.now().toString(36)}`;

test.use({ viewport: { width: 1280, height: 900 } });

test("a composite SLO shows its members and late rule, and the service page creates one", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await signInViaApi(page);
  const r = page.request;
  const { origin, ingest } = await seedTeamWithSlo(page, baseURL!, { team: slug, teamName: "Composite E2E", service: "shop", serviceName: "Shop", sloName: "Pages 99%", objective: "0.99" });
  await post(r, origin, `/api/v1/teams/${slug}/services/shop/slis`, { slug: "cart-ok", name: "Cart non-5xx", kind: "request_ratio" });
  await post(r, origin, `/api/v1/teams/${slug}/services/shop/slos`, { slug: "cart", name: "Cart 99.9%", sli: "cart-ok", objective: "0.999", window: { kind: "rolling", days: 30 } });
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const minute = (i: number) => new Date(now - (i + 1) * 60_000).toISOString();
  const items = Array.from({ length: 60 }, (_, i) => [
    { sli: "shop/ok", minute: minute(i), good: 1000, total: 1000 },
    { sli: "shop/cart-ok", minute: minute(i), good: 1000, total: 1000 },
  ]).flat();
  await post(r, origin, "/api/v1/ingest", { items }, ingest);
  await post(r, origin, `/api/v1/teams/${slug}/services/shop/composites`, {
    slug: "journey",
    name: "Shop journey",
    objective: "99.5%",
    window: { kind: "rolling", days: 28 },
    members: [
      { slo: "availability", weight: 2 },
      { slo: "cart", weight: 1 },
    ],
    maxDelayMinutes: 10,
    whenDelayed: "count_as_bad",
  });

  await page.goto(`/teams/${slug}/services/shop/slos/journey`);
  await expect(page.getByRole("heading", { name: "Shop journey", level: 1 })).toBeVisible({ timeout: 30_000 });
  const members = page.getByRole("region", { name: "Members of this composite SLO" });
  await expect(members.getByRole("row").filter({ hasText: "shop/availability" })).toContainText("66.7%");
  await expect(members.getByRole("row").filter({ hasText: "shop/cart" })).toContainText("33.3%");
  await expect(page.getByText("after that a member still without data is counted as bad for that minute")).toBeVisible();
  await expect(members.getByRole("link", { name: "shop/cart" })).toHaveAttribute("href", `/teams/${slug}/services/shop/slos/cart`);

  // Edit members: the rows hold the current members; remove the cart, add it back with weight 3, save after the question.
  await page.getByText("Edit members", { exact: true }).click();
  const edit = page.getByRole("form", { name: "Edit members" });
  await expect(edit.locator("#composite-edit-member-0")).toHaveValue("shop/availability");
  await expect(edit.locator("#composite-edit-member-1")).toHaveValue("shop/cart");
  await edit.getByRole("button", { name: "Remove member 2" }).click();
  await expect(edit.locator("#composite-edit-member-1")).toHaveCount(0);
  await edit.getByRole("button", { name: "Add a member" }).click();
  // The new row is the second (its id keeps its own key, 2, so a removed row's values never move onto it).
  await edit.getByRole("combobox", { name: /^Member 2 / }).fill("shop/cart");
  await edit.getByRole("textbox", { name: /^Weight of member 2 / }).fill("3");
  let question = "";
  page.once("dialog", (d) => ((question = d.message()), void d.accept()));
  await edit.getByRole("button", { name: "Save members" }).click();
  // Weights 2 and 3: shares 40 % and 60 %.
  await expect(members.getByRole("row").filter({ hasText: "shop/cart" })).toContainText("60%", { timeout: 30_000 });
  await expect(members.getByRole("row").filter({ hasText: "shop/availability" })).toContainText("40%");
  expect(question).toContain("applies from now on");

  // The service page's form: a member that does not exist is named on its row, then a good one is created.
  await page.goto(`/teams/${slug}/services/shop`);
  await expect(page.getByRole("heading", { name: "Shop", level: 1 })).toBeVisible({ timeout: 30_000 });
  await page.getByText("New composite SLO", { exact: true }).click();
  const form = page.getByRole("form", { name: "New composite SLO" });
  await page.locator("#composite-name").fill("Cart and pages");
  await page.locator("#composite-slug").fill("cart-and-pages");
  await page.locator("#composite-member-0").fill("shop/availability");
  // Row 2 left empty: the wrong member on row 3 is the body's second, and its error shows on row 3.
  await page.locator("#composite-member-2").fill("shop/nope");
  await page.locator("#composite-objective").fill("99%");
  await form.getByLabel("Calendar").check();
  await form.getByLabel("Period").selectOption("month");
  await page.getByRole("button", { name: "Create composite SLO" }).click();
  await expect(page.locator("#composite-member-2-error")).toContainText("no such SLO in that service");
  await expect(page.locator("#composite-member-1-error")).toHaveCount(0);
  await page.locator("#composite-member-2").fill("shop/cart");
  await page.locator("#composite-weight-2").fill("3");
  await page.getByRole("button", { name: "Create composite SLO" }).click();
  await expect(form.getByRole("status")).toHaveText("Created composite SLO Cart and pages.");
  await expect(form.getByRole("link", { name: "Cart and pages" })).toBeFocused();
  await page.screenshot({ path: "e2e/screenshots/composite-slos.png", fullPage: true });

  await post(r, origin, `/api/v1/teams/${slug}/services/shop/archive`, {});
});
