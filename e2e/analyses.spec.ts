// Canary analyses as a pipeline and a team see them (issue 16): cohort minutes pushed through
// ingest, three analyses started through the API with one-minute intervals, the job (every
// minute in the app) judging them, and the pages: the verdict and why, the per-metric table, the
// score chart's table for screen readers, and a running analysis cancelled in the browser.
import { expect, test, apiPost as post, seedTeamWithSlo, signInViaApi } from "./fixtures";

const slug = `canary-${Date.now().toString(36)}`;
const MIN = 60_000;

test("a healthy canary passes, a broken one fails with its reasons, and a running one is cancelled in the browser", async ({ page, baseURL }) => {
  // The job runs at each minute's start and the shortest interval is a minute: up to ~3 minutes of waiting.
  test.setTimeout(300_000);
  await signInViaApi(page);
  const r = page.request;
  const { origin, ingest, gate } = await seedTeamWithSlo(page, baseURL!, { team: slug, teamName: "Canary E2E", service: "shop", serviceName: "Shop", sloName: "Shop availability", objective: "0.99" });

  // The service's own minute (all good), so its SLO has a whole budget to speak of; then four
  // minutes of each cohort from this minute on (ingest takes minutes up to 5 minutes ahead), so
  // whichever minute an analysis's first interval starts at, it has data.
  const m0 = Math.floor(Date.now() / MIN) * MIN;
  const minutes = [0, 1, 2, 3].map((i) => new Date(m0 + i * MIN).toISOString());
  const cohort = (name: string, bad: number) => minutes.map((minute) => ({ sli: "shop/ok", cohort: name, minute, good: 1000 - bad, total: 1000 }));
  const pushed = await post(r, origin, "/api/v1/ingest", { items: [{ sli: "shop/ok", minute: new Date(m0 - MIN).toISOString(), good: 1000, total: 1000 }, ...cohort("baseline", 0), ...cohort("healthy", 0), ...cohort("broken", 300)] }, ingest);
  expect(pushed).toEqual({ accepted: 13, rejected: [] });

  const quick = { count: 1, intervalMinutes: 1, initialDelayMinutes: 0, failureLimit: 0, inconclusiveLimit: 0 };
  const start = (body: Record<string, unknown>) => post(r, origin, `/api/v1/teams/${slug}/analyses`, { service: "shop", baseline: "baseline", ...body }, gate);
  const healthy = await start({ version: "v1.1", canary: "healthy", schedule: quick });
  // 30 % errors against a 99 % objective: the judge says High, and at that ratio the month's budget lasts a day.
  const broken = await start({ version: "v1.2", canary: "broken", schedule: { ...quick, count: 2 }, budget: { failIfExhaustsWithinMinutes: 7 * 1440 } });
  const long = await start({ version: "v1.3", canary: "healthy", schedule: { ...quick, count: 3, intervalMinutes: 60 } });
  expect(healthy).toMatchObject({ status: "running", verdict: "running", intervals: [] });

  // The running one, cancelled by keyboard after the browser asks.
  const asked: string[] = [];
  page.on("dialog", (d) => {
    asked.push(d.message());
    void d.accept();
  });
  await page.goto(`/teams/${slug}/analyses/${long.id as string}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Canary analysis of Shop v1.3");
  await expect(page.getByTestId("verdict")).toContainText("is being judged against the baseline");
  await expect(page.getByText("No interval has been judged yet.").first()).toBeVisible();
  const cancel = page.getByRole("button", { name: "Cancel analysis" });
  // Until the page has hydrated the button has no handler yet: press again until the browser asks.
  await expect(async () => {
    await cancel.focus();
    await page.keyboard.press("Enter");
    expect(asked).toHaveLength(1);
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("verdict")).toContainText("was cancelled before it reached a verdict", { timeout: 15_000 });
  await expect(page.getByTestId("verdict")).toContainText("Cancelled before its last interval.");
  await expect(page.getByRole("button", { name: "Cancel analysis" })).toHaveCount(0);
  expect(asked).toHaveLength(1);
  expect(asked[0]).toMatch(/^Cancel the analysis of Shop v1\.3\?/);
  const cancelled = await r.get(`/api/v1/teams/${slug}/analyses/${long.id as string}`);
  expect(((await cancelled.json()) as { status: string }).status).toBe("cancelled");

  // Wait for the job to judge the other two (it runs once a minute).
  const statusOf = async (id: unknown) => ((await (await r.get(`/api/v1/teams/${slug}/analyses/${id as string}`)).json()) as { status: string }).status;
  await expect.poll(() => statusOf(broken.id), { timeout: 200_000, intervals: [5_000] }).toBe("failed");
  await expect.poll(() => statusOf(healthy.id), { timeout: 120_000, intervals: [5_000] }).toBe("passed");

  await page.goto(`/teams/${slug}/analyses/${broken.id as string}`);
  const verdict = page.getByTestId("verdict");
  await expect(verdict).toContainText("The canary (v1.2) failed: roll it back.");
  await expect(verdict).toContainText("Interval 1 of 2 was failed");
  await expect(page.getByRole("button", { name: "Cancel analysis" })).toHaveCount(0);
  // What is compared: the cohorts and the metric.
  await expect(page.getByText("broken (canary) vs baseline (baseline)")).toBeVisible();
  // The per-metric table of interval 1: the medians as error ratios, the canary's 30 % against 0 %.
  const metrics = page.getByRole("table", { name: "Per-metric results of interval 1" });
  const row = metrics.getByRole("row").filter({ hasText: "ok" });
  await expect(row).toContainText("30% vs 0%");
  await expect(row).toContainText("1 / 1");
  // In budget terms: 30 % errors is 30x the burn of a 99 % objective; the 30-day budget lasts a day.
  const interval = page.locator("#interval-1");
  await expect(interval).toContainText("burn rate 30×");
  // A day, give or take float rounding of 0.3 / 0.01.
  await expect(interval).toContainText(/the budget would run out in (1d|23h 59m)/);
  await expect(interval).toContainText("Fails the budget rule");
  // The chart's values for screen readers.
  const scores = page.getByRole("table", { name: /each interval's score/ });
  await expect(scores.getByRole("row")).toHaveCount(2);
  await expect(scores.getByRole("row").nth(1)).toContainText("fail");
  await expect(page.getByRole("figure", { name: /Summary score of the canary analysis of Shop v1.2/ })).toBeVisible();

  await page.goto(`/teams/${slug}/analyses/${healthy.id as string}`);
  await expect(page.getByTestId("verdict")).toContainText("The canary (v1.1) passed");
  await expect(page.getByTestId("verdict")).toContainText("All 1 interval ran and the last one passed.");
  await expect(page.getByRole("table", { name: /each interval's score/ }).getByRole("row").nth(1)).toContainText("100");

  // The list: newest first, filtered by status through the query string (a form, no script needed).
  await page.goto(`/teams/${slug}/analyses`);
  const list = page.getByRole("table", { name: /Canary analyses of Canary E2E/ });
  await expect(list.getByRole("row")).toHaveCount(4);
  await expect(list.getByRole("row").nth(1)).toContainText("v1.3");
  await expect(list.getByRole("row").nth(1)).toContainText("Cancelled");
  await page.getByLabel("Status").selectOption("failed");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(list.getByRole("row")).toHaveCount(2);
  await expect(list.getByRole("row").nth(1)).toContainText("v1.2");
  await expect(list.getByRole("row").nth(1)).toContainText("1 of 2 done");

  // Hostile and unknown addresses: a status the schema refuses is said and ignored; an id that is
  // not an analysis of this team is the 404 page.
  await page.goto(`/teams/${slug}/analyses?status=%3Cscript%3Ealert(1)%3C/script%3E`);
  await expect(page.getByRole("alert").filter({ hasText: "Filter ignored" })).toContainText("Filter ignored: status must be running, passed, failed, inconclusive or cancelled");
  await expect(list.getByRole("row")).toHaveCount(4);
  for (const id of ["not-an-id", "00000000-0000-4000-8000-000000000000"]) {
    const res = await page.goto(`/teams/${slug}/analyses/${id}`);
    expect(res?.status()).toBe(404);
  }
  // The team and service pages link here.
  await page.goto(`/teams/${slug}/services/shop`);
  await expect(page.getByRole("link", { name: "Canary analyses of this service" })).toHaveAttribute("href", `/teams/${slug}/analyses?service=shop`);
  await page.goto(`/teams/${slug}/analyses?service=shop`);
  await expect(page.getByLabel("Service")).toHaveValue("shop");
  await expect(list.getByRole("row")).toHaveCount(4);
  await page.goto(`/teams/${slug}`);
  await expect(page.getByRole("link", { name: "Canary analyses" })).toHaveAttribute("href", `/teams/${slug}/analyses`);
});

test("a person who is not a member sees no analysis of the team", async ({ page, browser, baseURL }) => {
  await signInViaApi(page);
  const origin = new URL(baseURL!).origin;
  const other = `${slug}-x`;
  await post(page.request, origin, "/api/v1/teams", { slug: other, name: "Other team" });
  const email = `outsider-${Date.now().toString(36)}@example.test`;
  await post(page.request, origin, "/api/v1/users", { name: "Outsider", email, password: "outsider-password-123" });
  const ctx = await browser.newContext({ baseURL });
  const outsider = await ctx.newPage();
  await signInViaApi(outsider, email, "outsider-password-123");
  for (const path of [`/teams/${other}/analyses`, `/teams/${other}/analyses/00000000-0000-4000-8000-000000000000`]) {
    const res = await outsider.goto(path);
    expect(res?.status()).toBe(404);
  }
  await ctx.close();
});
