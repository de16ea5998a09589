// The SLI form's histogram source (docs/histograms.md): mistakes are named next to their field
// before anything is sent, and "Check buckets" and "Create SLI" go to the server, which refuses
// to call this machine (not in OUTBOUND_ALLOW here) and says so on the URL. The bounds found on
// a real Prometheus are tested in lib/server/services/histograms*.test.ts.
import { expect, test, signInViaApi } from "./fixtures";

test("a latency SLI from a histogram: fields checked, then the buckets asked from the server", async ({ page }) => {
  await signInViaApi(page);
  await page.goto("/teams/checkout/services/checkout-web");
  await page.getByText("New SLI").click();
  const sli = page.getByRole("form", { name: "New SLI" });
  await sli.getByLabel(/^Name/).fill("Fast checkout");
  await sli.getByLabel("Short name").fill(`fast-${Date.now().toString(36)}`);
  await sli.getByLabel(/A latency histogram in Prometheus/).check();
  // A histogram makes a latency SLI: the kind follows, and the millisecond threshold gives way to the histogram's.
  await expect(sli.getByLabel("Kind")).toHaveValue("latency");
  await expect(sli.getByLabel("Threshold (ms)")).toHaveCount(0);

  await sli.getByLabel("Base URL").fill("http://127.0.0.1:9");
  await sli.getByLabel(/^Metric name/).fill("http_request_duration_seconds_bucket");
  await sli.getByLabel(/^Label matchers/).fill('job="checkout"} or vector(1)');
  await sli.getByLabel(/^Threshold \(seconds\)/).fill("0.3");
  await sli.getByRole("button", { name: "Check buckets" }).click();
  await expect(sli.locator("#sli-h-metric-error")).toHaveText("Give the histogram's name without _bucket: http_request_duration_seconds (its _bucket and _count series are read)");
  await expect(sli.locator("#sli-h-matchers-error")).toHaveText('The matchers are not valid: expected a comma after job="…", found "}"');

  await sli.getByLabel(/^Metric name/).fill("http_request_duration_seconds");
  await sli.getByLabel(/^Label matchers/).fill('job="checkout"');
  await sli.getByRole("button", { name: "Check buckets" }).click();
  await expect(sli.getByText(/127\.0\.0\.1 is a loopback address; allow it with OUTBOUND_ALLOW/).first()).toBeVisible();

  // Creating asks the server too: refused on the URL, nothing created.
  await sli.getByRole("button", { name: "Create SLI" }).click();
  await expect(sli.locator("#sli-h-url-error")).toContainText("127.0.0.1 is a loopback address");
  await expect(page.getByRole("cell", { name: "Fast checkout" })).toHaveCount(0);
});
