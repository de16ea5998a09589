import { expect, test, signInViaApi } from "./fixtures";

// The first SLO of a new team, as a newcomer does it: the empty team says what to do, the forms
// say what they created and hand over the focus, and the SLO page shows the request that brings
// its first data, which is sent as shown.
test("a new team gets from nothing to an SLO with data by following the page", async ({ page }) => {
  await signInViaApi(page);
  const id = Date.now().toString(36);
  const teamSlug = `journey-${id}`;

  // A site admin creates the team; the form says so and offers the way in.
  await page.goto("/admin");
  const teamForm = page.getByRole("form", { name: "Create team" });
  await teamForm.getByLabel(/^Name/).fill(`Journey ${id}`);
  await teamForm.getByLabel("Short name").fill(teamSlug);
  await teamForm.getByRole("button", { name: "Create team" }).click();
  await expect(teamForm.getByRole("status")).toHaveText(`Created team Journey ${id}. Open it to add its first service.`);
  await expect(teamForm.getByRole("link", { name: `Journey ${id}` })).toBeFocused();
  await expect(teamForm.getByLabel(/^Name/)).toHaveValue("");
  await page.keyboard.press("Enter");

  // The empty team: three steps, then data.
  await expect(page.getByRole("heading", { name: `Journey ${id}`, level: 1 })).toBeVisible();
  const steps = page.getByTestId("team-onboarding");
  await expect(steps.getByRole("listitem")).toHaveText([/^Create a service/, /^Define an SLI/, /^Set an SLO/]);
  await expect(steps).toContainText("Then push data");
  await steps.screenshot({ path: "e2e/screenshots/journey-empty-team.png" });
  await page.screenshot({ path: "e2e/screenshots/journey-empty-team-page.png", fullPage: true });

  // Step 1: the service form is open on an empty team.
  const svc = page.getByRole("form", { name: "New service" });
  await svc.getByLabel(/^Name/).fill("Checkout API");
  await svc.getByLabel("Short name").fill("checkout-api");
  await svc.getByRole("button", { name: "Create service" }).click();
  await expect(svc.getByRole("status")).toHaveText("Created service Checkout API. Open it to add its SLIs and SLOs.");
  await expect(svc.getByRole("link", { name: "Checkout API" })).toBeFocused();
  await expect(svc.getByLabel(/^Name/)).toHaveValue("");
  await expect(svc.getByLabel("Short name")).toHaveValue("");
  // The team page now lists it, with its health.
  await expect(page.getByTestId("team-onboarding")).toHaveCount(0);
  await expect(page.locator(".service-health")).toContainText("No SLOs yet");
  await page.screenshot({ path: "e2e/screenshots/journey-service-created.png", fullPage: false });
  await page.keyboard.press("Enter");

  // Step 2: SLIs come first on the service page.
  await expect(page.getByRole("heading", { name: "Checkout API", level: 1 })).toBeVisible();
  const headings = await page.getByRole("heading", { level: 2 }).allTextContents();
  expect(headings.indexOf("SLIs")).toBeLessThan(headings.indexOf("SLOs"));
  await page.getByText("New SLI", { exact: true }).click();
  const sli = page.getByRole("form", { name: "New SLI" });
  await sli.getByLabel(/^Name/).fill("Successful checkouts");
  await sli.getByRole("button", { name: "Create SLI" }).click();
  await expect(sli.locator("#sli-slug-error")).toHaveText("Give the SLI a slug");
  await sli.getByLabel("Short name").fill("checkouts");
  await sli.getByRole("button", { name: "Create SLI" }).click();
  await expect(sli.getByRole("status")).toHaveText("Created SLI Successful checkouts. Next: an SLO on it.");
  await expect(sli.getByRole("link", { name: "Successful checkouts" })).toBeFocused();
  await expect(sli.getByLabel(/^Name/)).toHaveValue("");
  await expect(page.getByRole("cell", { name: /Pushed as/ })).toContainText("checkout-api/checkouts");
  await sli.screenshot({ path: "e2e/screenshots/journey-sli-created.png" });

  // Step 3: an SLO on it.
  await page.getByText("New SLO", { exact: true }).click();
  const slo = page.getByRole("form", { name: "New SLO" });
  await slo.getByLabel(/^Name/).fill("Checkouts 99.9%");
  await slo.getByLabel("Short name").fill("checkouts-999");
  await slo.getByLabel("Objective").fill("99.9");
  await slo.getByRole("button", { name: "Create SLO" }).click();
  await expect(slo.locator("#slo-objective-error")).toHaveText("The objective must be between 0 and 1 (exclusive)");
  await slo.getByLabel("Objective").fill("99.9%");
  await slo.getByRole("button", { name: "Create SLO" }).click();
  await expect(slo.getByRole("status")).toHaveText("Created SLO Checkouts 99.9%. Open it to see how to send its data.");
  await expect(slo.getByRole("link", { name: "Checkouts 99.9%" })).toBeFocused();
  await expect(slo.getByLabel(/^Name/)).toHaveValue("");
  await page.keyboard.press("Enter");

  // The SLO without data says how to send it, with this SLI's real slug.
  await expect(page.getByRole("heading", { name: "Checkouts 99.9%", level: 1 })).toBeVisible();
  const onboarding = page.getByTestId("slo-onboarding");
  await expect(onboarding).toContainText("No data yet: push the first minute");
  const request = page.getByTestId("ingest-request");
  await expect(request).toContainText('"sli":"checkout-api/checkouts"');
  await expect(request).toContainText(`http://localhost:${new URL(page.url()).port}/api/v1/ingest`);
  await onboarding.screenshot({ path: "e2e/screenshots/journey-onboarding.png" });
  await page.screenshot({ path: "e2e/screenshots/journey-onboarding-page.png", fullPage: true });
  const shown = (await request.textContent()) ?? "";
  const sloUrl = page.url();

  // A token with the ingest scope, from the link in the panel.
  await onboarding.getByRole("link", { name: "Create an API token" }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${teamSlug}#api-tokens$`));
  await page.getByRole("textbox", { name: /^Name what uses it/ }).fill("checkout-exporter");
  await page.getByRole("checkbox", { name: /ingest/ }).check();
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^brt_/);
  await expect(page.getByRole("button", { name: "Copy" })).toBeFocused();

  // The request as shown: its URL and body, with the token in place of $TOKEN.
  const url = /curl -X POST (\S+)/.exec(shown)?.[1] ?? "";
  const body = /-d '(.+)'/.exec(shown)?.[1] ?? "";
  expect(url).toMatch(/\/api\/v1\/ingest$/);
  const pushed = await page.request.post(url, { headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, data: body });
  expect(pushed.status(), await pushed.text()).toBe(200);
  expect(await pushed.json()).toEqual({ accepted: 1, rejected: [] });

  // The data arrives on the SLO page: numbers instead of the panel.
  await page.goto(sloUrl);
  await expect(page.getByTestId("slo-onboarding")).toHaveCount(0);
  await expect(page.getByText("0 bad of 1,000 events")).toBeVisible();

  // The team page: the service's health, from the gate's standing.
  await page.goto(`/teams/${teamSlug}`);
  await expect(page.locator(".service-health")).toContainText("Worst SLO: Checkouts 99.9%, 100% of its budget left");
  await page.locator(".service-health").screenshot({ path: "e2e/screenshots/journey-service-health.png" });
});

test("an action item due in the past is questioned before saving, and saved when confirmed", async ({ page, baseURL }) => {
  await signInViaApi(page);
  const headers = { origin: new URL(baseURL!).origin };
  // A team of its own: other specs count the demo teams' action items.
  const team = `late-${Date.now().toString(36)}`;
  const made = await page.request.post("/api/v1/teams", { data: { slug: team, name: "Late write-ups" }, headers });
  expect(made.status(), await made.text()).toBe(201);
  const incident = await page.request.post(`/api/v1/teams/${team}/incidents`, { data: { title: `Late write-up ${Date.now().toString(36)}`, severity: "SEV3", startedAt: "2026-11-01T10:00:00Z", resolvedAt: "2026-11-01T11:00:00Z" }, headers });
  expect(incident.status(), await incident.text()).toBe(201);
  const pm = await page.request.post(`/api/v1/teams/${team}/postmortems`, { data: { incident: ((await incident.json()) as { id: string }).id }, headers });
  expect(pm.status(), await pm.text()).toBe(201);
  await page.goto(`/postmortems/${((await pm.json()) as { id: string }).id}`);

  await page.getByText("Add an action item", { exact: true }).click();
  const form = page.getByRole("form", { name: "Add an action item" });
  await form.getByLabel("Action").fill("Backfill the runbook");
  await form.getByLabel("Due").fill("2020-01-31");
  // Declined: nothing is sent, the form keeps what was typed.
  let asked = "";
  page.once("dialog", (d) => ((asked = d.message()), void d.dismiss()));
  await form.getByRole("button", { name: "Add action item" }).click();
  await expect.poll(() => asked).toBe("The due date 2020-01-31 is in the past, so the item is overdue at once. Save it anyway?");
  await expect(form.getByLabel("Action")).toHaveValue("Backfill the runbook");
  await expect(page.getByText("No action items yet.")).toBeVisible();
  // Confirmed: saved, announced, and the form is empty again.
  page.once("dialog", (d) => void d.accept());
  await form.getByRole("button", { name: "Add action item" }).click();
  await expect(form.getByRole("status")).toHaveText("Created action item Backfill the runbook.");
  await expect(form.getByRole("link", { name: "Backfill the runbook" })).toBeFocused();
  await expect(form.getByLabel("Action")).toHaveValue("");
  await expect(page.getByRole("table", { name: "Action items of this postmortem" })).toContainText("2020-01-31");
});

test("incidents: roles are picked from the team's members, and one list spans my teams", async ({ page }) => {
  await signInViaApi(page);
  const title = `Card declines ${Date.now().toString(36)}`;
  await page.goto("/teams/payments/incidents");
  await page.getByText("Record an incident", { exact: true }).click();
  const form = page.getByRole("form", { name: "New incident" });
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Started").fill("2026-11-20T09:00");
  await form.getByLabel("Incident commander").selectOption({ label: "Administrator (e2e-admin@example.test)" });
  await form.getByRole("button", { name: "Record incident" }).click();
  await expect(form.getByRole("status")).toHaveText(`Created incident ${title}. Open it to add its timeline.`);
  await expect(form.getByRole("link", { name: title })).toBeFocused();
  await expect(form.getByLabel("Title")).toHaveValue("");
  await expect(form.getByLabel("Incident commander")).toHaveValue("");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Incidents" }).click();
  await expect(page.getByRole("heading", { name: "Incidents", level: 1 })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: title });
  await expect(row).toContainText("Payments");
  await row.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await expect(page.getByText("Administrator").first()).toBeVisible();
});
