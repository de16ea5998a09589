// A denied deploy followed to what lets it through: an incident spent more than 20 % of a
// budget (docs/domain.md), so the service page says feature deploys are denied and links to the
// incident; its postmortem cannot be published without a P0 action item (nothing changes, the
// gate still denies), and once it has one and a teammate approves it, the gate allows again.
import { expect, test, apiPost as post, makeTeammate, seedTeamWithSlo, signInViaApi } from "./fixtures";

const slug = `hold-${Date.now().toString(36)}`;

test("a required postmortem holds feature deploys until it is published with a P0 action item", async ({ page, browser, baseURL }) => {
  await signInViaApi(page);
  const r = page.request;
  const { origin, ingest, gate } = await seedTeamWithSlo(page, baseURL!, { team: slug, teamName: "Hold E2E", service: "api", serviceName: "Orders API", sloName: "Orders availability", objective: "0.99" });
  const ask = async () => {
    const res = await r.post("/api/v1/gate", { data: { service: "api", environment: "production", version: "v7", changeType: "feature", requester: "e2e" }, headers: { authorization: `Bearer ${gate}` } });
    return (await res.json()) as { decision: string; reasons: string[] };
  };

  // Three hours ago, one bad minute: 30 of the 100 bad events 10,000 allow at 99 %, all inside the incident.
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3 * 3_600_000);
  await post(r, origin, "/api/v1/ingest", { items: [{ sli: "api/ok", minute: start.toISOString(), good: 9_970, total: 10_000 }] }, ingest);
  expect((await ask()).decision).toBe("allow");
  await post(r, origin, `/api/v1/teams/${slug}/incidents`, {
    title: "Orders failing after a schema migration",
    severity: "SEV2",
    status: "resolved",
    startedAt: start.toISOString(),
    resolvedAt: new Date(start.getTime() + 60_000).toISOString(),
    slos: ["api/availability"],
  });
  const held = await ask();
  expect(held.decision).toBe("deny");

  // The service page says so, in the gate's words, and leads to the incident.
  await page.goto(`/teams/${slug}/services/api`);
  const standing = page.getByTestId("service-standing");
  await expect(standing).toContainText("Feature deploys to production are denied.");
  await expect(standing.getByRole("region", { name: "Denied because" })).toContainText(/feature deploys wait for the postmortem of "Orders failing after a schema migration"/i);
  for (const reason of held.reasons) await expect(standing).toContainText(reason);
  await standing.getByRole("link", { name: /See “Orders failing after a schema migration”/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Orders failing after a schema migration" })).toBeVisible();
  await expect(page.getByText("A postmortem is required")).toBeVisible();
  await page.getByRole("button", { name: "Start the postmortem" }).click();
  await expect(page).toHaveURL(/\/postmortems\/[0-9a-f-]{36}$/);
  const postmortemUrl = page.url();
  // Prompts are placeholders, not text.
  await expect(page.getByLabel("Detection (Markdown)")).toHaveValue("");
  await expect(page.getByLabel("Detection (Markdown)")).toHaveAttribute("placeholder", "How we found out, and how long that took.");
  await page.getByLabel("Root cause and trigger (Markdown)").fill("The migration locked the orders table; the deploy had no lock-timeout check.");
  await expect(page.getByText(/^Saved \(revision 2/)).toBeVisible({ timeout: 10_000 });
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("In review", { exact: true })).toBeVisible();

  // Without a P0 action item the reviewer cannot publish: the check says what is missing, and the gate still denies.
  const reviewer = await makeTeammate(page, baseURL!, slug);
  const other = await browser.newContext();
  const review = await other.newPage();
  await signInViaApi(review, reviewer.email, reviewer.password);
  await review.goto(postmortemUrl);
  const check = review.getByRole("status", { name: "Before publishing" });
  await expect(check).toContainText("requires at least one P0 action item: add one before publishing");
  await expect(review.getByRole("button", { name: "Approve and publish" })).toBeDisabled();
  expect((await ask()).decision).toBe("deny");

  // The author adds the P0 item; the reviewer's check clears and publishing goes through.
  await page.getByText("Add an action item").click();
  const form = page.getByRole("form", { name: "Add an action item" });
  await form.getByLabel("Action").fill("Add a lock-timeout check to the migration pipeline");
  await form.getByLabel("Priority").selectOption("P0");
  await form.getByRole("button", { name: "Add action item" }).click();
  await expect(page.getByRole("table", { name: "Action items of this postmortem" })).toContainText("Add a lock-timeout check");
  await review.reload();
  await expect(check).not.toContainText("P0 action item");
  review.once("dialog", (d) => void d.accept()); // empty sections: publishing asks first
  await review.getByRole("button", { name: "Approve and publish" }).click();
  await expect(review.getByText("Published", { exact: true })).toBeVisible();
  await other.close();

  expect((await ask()).decision).toBe("allow");
  await page.goto(`/teams/${slug}/services/api`);
  await expect(page.getByTestId("service-standing")).toContainText("Feature deploys to production are allowed.");

  // Follow-ups stay addable once published.
  await page.goto(postmortemUrl);
  await expect(page.getByText("Add an action item")).toBeVisible();
});
