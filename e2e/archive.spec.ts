import { expect, test, signInViaApi } from "./fixtures";

test("a service is archived after a dialog that says what happens, restored from the team page, and deleted once typed out", async ({ page, baseURL }) => {
  await signInViaApi(page);
  const headers = { origin: new URL(baseURL!).origin };
  const slug = `retire-${Date.now().toString(36)}`;
  const S = `/api/v1/teams/payments/services/${slug}`;
  for (const [path, data] of [
    ["/api/v1/teams/payments/services", { slug, name: "Retiring API" }],
    [`${S}/slis`, { slug: "ok", name: "OK", kind: "request_ratio" }],
    [`${S}/slos`, { slug: "main", name: "Main", sli: "ok", objective: "99.9%", window: { kind: "rolling", days: 28 } }],
  ] as const) {
    const r = await page.request.post(path, { data, headers });
    expect(r.status(), await r.text()).toBe(201);
  }

  // An SLO, from its own page: archived, then listed on its service's page, where Restore brings it back.
  await page.goto(`/teams/payments/services/${slug}/slos/main`);
  await page.getByRole("button", { name: "Archive this SLO…" }).click();
  await expect(page.getByRole("dialog", { name: "Archive SLO Main?" })).toContainText("It no longer gates Retiring API");
  await page.getByRole("button", { name: "Archive SLO", exact: true }).click();
  await expect(page.getByRole("note")).toContainText("Archived");
  await page.goto(`/teams/payments/services/${slug}`);
  await expect(page.getByRole("heading", { name: "Archived" })).toBeVisible();
  await page.getByRole("button", { name: "Restore SLO Main" }).click();
  await expect(page.getByRole("status").filter({ hasText: "restored" })).toContainText("SLO Main restored");
  await expect(page.getByRole("heading", { name: "Archived" })).toHaveCount(0);

  await page.goto(`/teams/payments/services/${slug}`);
  const opener = page.getByRole("button", { name: "Archive this service…" });
  await opener.click();
  const dialog = page.getByRole("dialog", { name: "Archive service Retiring API?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("its 1 SLI and 1 SLO leave the overview");
  await expect(dialog).toContainText("unknown service");
  // Focus starts inside the dialog; Escape cancels and gives focus back to the opener.
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.screenshot({ path: "e2e/screenshots/archive-confirm.png" });
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();

  await opener.click();
  await page.getByRole("button", { name: "Archive service", exact: true }).click();
  await expect(page.getByRole("note")).toContainText("Archived");
  expect((await page.request.get("/api/v1/teams/payments/services")).ok()).toBe(true);
  const listed = (await (await page.request.get("/api/v1/teams/payments/services")).json()) as { slug: string }[];
  expect(listed.map((s) => s.slug)).not.toContain(slug);

  // The team page lists it as archived, with Restore.
  await page.goto("/teams/payments");
  await page.getByRole("button", { name: "Restore service Retiring API" }).click();
  await expect(page.getByRole("status").filter({ hasText: "restored" })).toHaveText("service Retiring API restored.");
  await expect(page.getByRole("link", { name: "Retiring API" }).first()).toBeVisible();

  // Archive again through the API, then delete: the button waits for the slug.
  expect((await page.request.post(`${S}/archive`, { data: {}, headers })).ok()).toBe(true);
  await page.goto("/teams/payments");
  await page.getByRole("button", { name: "Delete service Retiring API for good" }).click();
  const del = page.getByRole("dialog", { name: "Delete service Retiring API for good?" });
  await expect(del).toContainText("minute");
  await expect(del).toContainText("gate decisions");
  const go = del.getByRole("button", { name: "Delete service for good" });
  await expect(go).toBeDisabled();
  await del.getByRole("textbox").fill(slug);
  await page.screenshot({ path: "e2e/screenshots/archive-delete.png" });
  await go.click();
  await expect(page.getByRole("status").filter({ hasText: "deleted" })).toContainText("deleted");
  expect((await page.request.get(S)).status()).toBe(404);
});
