// The deploy gate as a pipeline and a team use it: allow, warn and deny for a budget in each
// tier (docs/domain.md: normal > 50 %, caution 10-50 %, freeze < 10 %, halted <= 0), an override
// granted in the browser that turns a deny into an allow, one that ends on its own, and the
// decision log. The test seeds its own team through the API.
import { expect, test, apiPost as post, seedTeamWithSlo, signInViaApi } from "./fixtures";

const slug = `gate-${Date.now().toString(36)}`;

test("a pipeline gets allow, warn and deny by tier; an override turns a deny into an allow until it ends", async ({ page, baseURL }) => {
  await signInViaApi(page);
  const r = page.request;
  const { origin, ingest, gate } = await seedTeamWithSlo(page, baseURL!, { team: slug, teamName: "Gate E2E", service: "shop", serviceName: "Shop", sloName: "Shop availability", objective: "0.99" });

  const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
  // 10,000 events at 99 %: `bad` of them bad leaves 1 - bad/100 of the budget.
  const setBad = (bad: number) => post(r, origin, "/api/v1/ingest", { items: [{ sli: "shop/ok", minute, good: 10_000 - bad, total: 10_000 }] }, ingest);
  const ask = async (changeType = "feature") => {
    const res = await r.post("/api/v1/gate?mode=strict", { data: { service: "shop", environment: "production", version: "v1", changeType, requester: "e2e" }, headers: { authorization: `Bearer ${gate}` } });
    const body = (await res.json()) as { decision: string; tier: string; reasons: string[] };
    return { status: res.status(), ...body };
  };

  for (const [bad, tier, decision, status] of [
    [20, "normal", "allow", 200],
    [70, "caution", "warn", 200],
    [95, "freeze", "deny", 423],
    [130, "halted", "deny", 423],
  ] as const) {
    await setBad(bad);
    expect(await ask()).toMatchObject({ tier, decision, status });
  }
  expect(await ask("security")).toMatchObject({ tier: "halted", decision: "allow", status: 200 });

  // Back to freeze; a team admin grants an override in the browser, by keyboard. Granting and
  // ending an override are consequential: each asks first.
  const asked: string[] = [];
  page.on("dialog", (d) => {
    asked.push(d.message());
    void d.accept();
  });
  await setBad(95);
  await page.goto(`/teams/${slug}/gate`);
  const services = page.getByRole("table").first();
  await expect(services).toContainText("Shop");
  await expect(services).toContainText("Deny");
  const grant = page.getByText("Grant an override", { exact: true });
  await grant.focus();
  await page.keyboard.press("Enter");
  const form = page.getByRole("form", { name: "Grant an override" });
  await form.getByLabel("Service").selectOption("shop");
  await form.getByLabel("Environment").fill("production");
  await form.getByLabel("Expires in (hours)").fill("48");
  await form.getByLabel("Approved by").fill("Dana (VP Engineering)");
  await form.getByLabel("Reason").fill("Launch agreed in the review");
  await form.getByRole("button", { name: "Grant override" }).click();
  // The policy's maximum is 24 hours: the field says so and nothing is granted.
  await expect(form.getByText("must be at most 24 hours from now (the policy's maximum)", { exact: true })).toBeVisible();
  await form.getByLabel("Expires in (hours)").fill("2");
  await form.getByRole("button", { name: "Grant override" }).press("Enter");
  const active = page.getByRole("list", { name: "Active overrides" });
  await expect(active).toContainText("Approved by Dana (VP Engineering)");

  const overridden = await ask();
  expect(overridden).toMatchObject({ decision: "allow", status: 200 });
  expect(overridden.reasons.at(-1)).toMatch(/^override approved by Dana \(VP Engineering\) until .*: Launch agreed in the review$/);

  // Ending it early restores the deny.
  await active.getByRole("button", { name: "End now the override of Shop" }).click();
  await expect(page.getByText("No active override")).toBeVisible();
  expect(asked.map((m) => m.split("?")[0])).toEqual(["Grant this override", "Grant this override", "End the override of Shop now"]);
  expect((await ask()).decision).toBe("deny");

  // An override ends on its own at its expiry.
  await post(r, origin, `/api/v1/teams/${slug}/overrides`, { service: "shop", reason: "short window", approvedBy: "Dana", expiresAt: new Date(Date.now() + 4000).toISOString() });
  expect((await ask()).decision).toBe("allow");
  await page.waitForTimeout(4500);
  expect((await ask()).decision).toBe("deny");

  // The decision log shows every answer; filtered to denies, each opens with its reasons.
  await page.goto(`/teams/${slug}/gate?decision=deny`);
  const log = page.getByRole("table").nth(1);
  await expect(log.locator("tbody tr").first()).toContainText("Deny");
  for (const row of await log.locator("tbody tr").all()) await expect(row).not.toContainText("Allow");
  await log.locator("tbody tr").first().getByRole("link").click();
  await expect(page.getByRole("region", { name: "Denied because" })).toContainText("Shop availability has 5% of its error budget left: tier freeze");
  await expect(page.getByRole("heading", { name: "Everything the gate said" })).toBeVisible();
});
