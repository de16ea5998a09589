// Journey: a pipeline's deploy is denied; the engineer follows it to what would let it through.
// The gate's JSON carries the same "Denied because" and "To get through" the pages show
// (docs/deploy-gate.md); the decision page links to the SLO and to the overrides, where a team
// admin grants one (asked first), and the same deploy then passes. The test seeds its own team.
import { expect, test, apiPost as post, seedTeamWithSlo, signInViaApi } from "./fixtures";

const slug = `deny-${Date.now().toString(36)}`;

type Way = { decision: string; because: { kind: string; text: string }[]; steps: { kind: string; text: string; changeTypes?: string[] }[] };

test("a denied deploy, followed to what would let it through, passes after an override", async ({ page, baseURL }) => {
  await signInViaApi(page);
  const r = page.request;
  const { origin, ingest, gate } = await seedTeamWithSlo(page, baseURL!, { team: slug, teamName: "Denied deploy E2E", service: "shop", serviceName: "Shop", sloName: "Shop availability", objective: "0.99" });
  // 10,000 events at 99 % with 95 bad: 5 % of the budget left, tier freeze (docs/domain.md: < 10 %).
  const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
  await post(r, origin, "/api/v1/ingest", { items: [{ sli: "shop/ok", minute, good: 9_905, total: 10_000 }] }, ingest);

  const ask = async () => {
    const res = await r.post("/api/v1/gate", { data: { service: "shop", environment: "production", version: "v2.0.0", changeType: "feature", requester: "ci-bot" }, headers: { authorization: `Bearer ${gate}` } });
    expect(res.status()).toBe(200);
    return (await res.json()) as { decision: string; url: string; toGetThrough: Way | null };
  };

  // The pipeline's answer: why, as data, and every way through, for its log.
  const denied = await ask();
  expect(denied.decision).toBe("deny");
  expect(denied.toGetThrough!.because.map((b) => b.kind)).toEqual(["budget"]);
  expect(denied.toGetThrough!.steps.map((s) => s.kind)).toEqual(["change_types", "budget", "override"]);
  expect(denied.toGetThrough!.steps[0]!.changeTypes).toEqual(["reliability", "p0-fix", "security"]);

  // The engineer opens the decision from the CI log.
  await page.goto(new URL(denied.url).pathname);
  const because = page.getByRole("region", { name: "Denied because" });
  await expect(because).toContainText("Shop availability has 5% of its error budget left: tier freeze");
  const through = page.getByRole("region", { name: "To get through" });
  await expect(through).toContainText("Reliability fixes, P0 fixes and security fixes to production pass now.");
  await expect(through).toContainText("Shop availability needs 5% of its budget back (5% left; 10% or more is tier caution)");
  await expect(through).toContainText("can grant an override of at most 24 hours");
  await page.screenshot({ path: "e2e/screenshots/journey-denied-decision.png", fullPage: true });

  // The SLO it names is one link away, and back.
  await because.getByRole("link", { name: "See Shop availability" }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${slug}/services/shop/slos/availability$`));
  await page.goBack();

  // The service page says the same, and its overrides are where the way through points.
  await through.getByRole("link", { name: "Overrides" }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${slug}/services/shop#overrides$`));
  await expect(page.getByTestId("service-standing").getByRole("region", { name: "Denied because" })).toContainText("Shop availability has 5% of its error budget left");

  // A team admin grants an override: consequential, so it asks first.
  const asked: string[] = [];
  page.on("dialog", (d) => {
    asked.push(d.message());
    void d.accept();
  });
  await page.getByText("Grant an override", { exact: true }).click();
  const form = page.getByRole("form", { name: "Grant an override" });
  await form.getByLabel("Environment").fill("production");
  await form.getByLabel("Expires in (hours)").fill("2");
  await form.getByLabel("Approved by").fill("Dana (VP Engineering)");
  await form.getByLabel("Reason").fill("Launch agreed in the review");
  await form.getByRole("button", { name: "Grant override" }).click();
  await expect(page.getByRole("list", { name: "Active overrides" })).toContainText("Approved by Dana (VP Engineering)");
  expect(asked.some((m) => m.startsWith("Grant this override?"))).toBe(true);

  // The same deploy passes now, and the decision page says so.
  expect((await ask()).decision).toBe("allow");
  await page.goto(new URL(denied.url).pathname);
  await expect(page.getByRole("region", { name: "To get through" })).toContainText("The gate would let this deploy through now");
});
