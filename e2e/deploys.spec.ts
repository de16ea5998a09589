// Deploy records end to end (docs/deploys.md): a pipeline asks the gate and reports its deploys
// through the API, and the service page lists them with the budget each spent, keyboard first;
// the SLO page lists them under its chart. The spec seeds its own team.
import { expect, test, apiPost as post, seedTeamWithSlo, signInViaApi } from "./fixtures";

const slug = `deploys-${Date.now().toString(36)}`;

test("the service page lists each deploy with its gate decision and the budget it burned", async ({ page, baseURL }) => {
  await signInViaApi(page);
  const r = page.request;
  // Availability 99 % over 30 days: 1 % of 30 days = 432 minutes of budget (docs/domain.md).
  const { origin, ingest, gate } = await seedTeamWithSlo(page, baseURL!, { team: slug, teamName: "Deploys E2E", service: "shop", serviceName: "Shop", sloName: "Shop availability", objective: "0.99" });

  // 180 minutes of 1,000 events from a whole hour, 5 hours ago; minutes 60-89 have 10 bad each.
  const base = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 5 * 3_600_000;
  const at = (m: number) => new Date(base + m * 60_000).toISOString();
  await post(r, origin, "/api/v1/ingest", { items: Array.from({ length: 180 }, (_, m) => ({ sli: "shop/ok", minute: at(m), good: m >= 60 && m < 90 ? 990 : 1000, total: 1000 })) }, ingest);

  const deploy = (body: Record<string, unknown>) => r.post("/api/v1/deploys", { data: { service: "shop", environment: "production", ...body }, headers: { authorization: `Bearer ${gate}` } });
  expect((await deploy({ version: "v1.0.0", deployedAt: at(0) })).status()).toBe(201);
  // v1.1.0 asked the gate; reported hours later (backdated), it names the decision.
  const asked = await post(r, origin, "/api/v1/gate", { service: "shop", environment: "production", version: "v1.1.0", requester: "e2e" }, gate);
  const v11 = await deploy({ version: "v1.1.0", deployedAt: at(60), commit: "abcdef1234", decisionId: asked.decisionId });
  expect(v11.status()).toBe(201);
  expect(await v11.json()).toMatchObject({ decision: { id: asked.decisionId } });
  // A retried report is the same record.
  expect((await deploy({ version: "v1.1.0", deployedAt: at(60) })).status()).toBe(200);
  expect((await deploy({ version: "v1.2.0", deployedAt: at(150) })).status()).toBe(201);
  // Markup in a version is text.
  expect((await deploy({ version: "<b>bold</b>", environment: "staging", deployedAt: at(100) })).status()).toBe(201);
  // Another team's view of it: nothing (no token of this team, no membership).
  expect((await r.get(`/api/v1/teams/${slug}/deploys`, { headers: { authorization: "Bearer brt_not-a-token" } })).status()).toBe(401);

  await page.goto(`/teams/${slug}/services/shop`);
  const list = page.getByRole("region", { name: "Deploys of Shop, newest first, with the budget each spent" });
  await expect(list).toBeVisible();
  const rows = list.getByRole("row");
  // Header, then newest first: v1.2.0, the staging one, v1.1.0, v1.0.0.
  await expect(rows).toHaveCount(5);
  await expect(rows.nth(1)).toContainText("v1.2.0");
  await expect(rows.nth(2)).toContainText("<b>bold</b>");
  await expect(list.locator("b")).toHaveCount(0);
  // v1.1.0's period [60, 150) holds the 300 bad events; its window 150,000 events: 1,500
  // allowed, so 20 % of the budget, 20 % of 432 minutes = 86.4 minutes.
  const v11Row = rows.nth(3);
  await expect(v11Row).toContainText("v1.1.0");
  await expect(v11Row).toContainText("Shop availability: burned 1 h 26 min (20% of the window) (most spent)");
  await expect(rows.nth(4)).toContainText("Shop availability: burned no budget");
  await expect(rows.nth(1)).toContainText("current");

  // Keyboard: the list is a focusable region, and the decision badge is a link reached by Tab.
  await list.focus();
  await expect(list).toBeFocused();
  const decision = v11Row.getByRole("link", { name: /Gate decision for v1\.1\.0/ });
  for (let i = 0; i < 10 && !(await decision.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(decision).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/teams/${slug}/gate/${String(asked.decisionId)}$`));

  // The SLO page names the deploys under its SLI chart, each a link to its row.
  await page.goto(`/teams/${slug}/services/shop/slos/availability?range=1d`);
  const marks = page.getByRole("list", { name: /^Deploys in the range of SLI/ });
  await expect(marks).toContainText("v1.1.0 to production");
  await expect(marks.getByRole("link").first()).toHaveAttribute("href", /\/services\/shop#deploy-/);
});
