// Accessibility and phone layout: every page, in light and dark, at desktop and phone widths,
// with every collapsible section open, has no axe-core violation (WCAG 2.1 A/AA and best
// practice); at phone width nothing scrolls sideways. One browser context per theme and width.
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type Page } from "@playwright/test";
import { expect, test, signInViaApi } from "./fixtures";

type Target = { name: string; path: string; signedOut?: boolean; mayRedirect?: boolean };

const widths = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

/** The pages to walk, with ids found in the demo data through the API (and one postmortem made for it). */
async function discoverTargets(browser: Browser, baseURL: string): Promise<Target[]> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signInViaApi(page);
  const headers = { origin: new URL(baseURL).origin };
  const getJson = async <T,>(path: string): Promise<T> => {
    const res = await page.request.get(path);
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return (await res.json()) as T;
  };
  const me = await getJson<{ user: { id: string } }>("/api/v1/me");
  const teams = await getJson<{ slug: string }[] | { teams: { slug: string }[] }>("/api/v1/teams");
  const teamSlugs = (Array.isArray(teams) ? teams : teams.teams).map((t) => t.slug);
  expect(teamSlugs).toContain("payments");

  const incidents = await getJson<{ id: string; title: string }[]>("/api/v1/teams/payments/incidents");
  expect(incidents.length).toBeGreaterThan(0);
  const incident = incidents[0]!;
  const { decisions } = await getJson<{ decisions: { id: string }[] }>("/api/v1/teams/search/decisions?limit=5");
  expect(decisions.length).toBeGreaterThan(0);
  // The demo's failed canary analysis (its intervals, per-metric table and budget terms).
  const { analyses } = await getJson<{ analyses: { id: string; verdict: string }[] }>("/api/v1/teams/search/analyses");
  const failed = analyses.find((a) => a.verdict === "fail");
  expect(failed).toBeDefined();

  // The demo has no postmortem: this spec makes its own in a team of its own (other specs count
  // the demo teams' action items), with an action item owned by the admin (so "My action items"
  // has a row) carrying a long ticket address that must wrap.
  const own = `a11y-${Date.now().toString(36)}`;
  const team = await page.request.post("/api/v1/teams", { data: { slug: own, name: "Accessibility scan" }, headers });
  expect(team.status(), await team.text()).toBe(201);
  const pm = await page.request.post(`/api/v1/teams/${own}/postmortems`, { data: { title: "Checkout latency climbing after a cache flush in every region" }, headers });
  expect(pm.status(), await pm.text()).toBe(201);
  const { id: postmortem } = (await pm.json()) as { id: string };
  const item = await page.request.post(`/api/v1/postmortems/${postmortem}/action-items`, {
    data: {
      title: "Size-check cache flushes in the deploy pipeline before any flush reaches production",
      type: "prevent",
      priority: "P0",
      owner: me.user.id,
      dueDate: "2099-01-31",
      ticketUrl: "https://tracker.example.test/projects/payments-platform/issues/CHECKOUT-123456789?view=full&highlight=cache-flush-size-check",
    },
    headers,
  });
  expect(item.status(), await item.text()).toBe(201);
  await context.close();

  return [
    { name: "sign-in", path: "/signin", signedOut: true },
    { name: "setup", path: "/setup", signedOut: true, mayRedirect: true },
    { name: "not-found (signed out)", path: "/no-such-page", signedOut: true },
    { name: "overview", path: "/" },
    { name: "teams", path: "/teams" },
    { name: "team", path: "/teams/payments" },
    { name: "service", path: "/teams/payments/services/payments-api" },
    { name: "service (frozen)", path: "/teams/search/services/search-api" },
    { name: "SLO", path: "/teams/search/services/search-api/slos/latency-99" },
    { name: "composite SLO", path: "/teams/checkout/services/checkout-web/slos/checkout-journey" },
    { name: "grouped SLO", path: "/teams/checkout/services/cart/groups/latency-by-region" },
    { name: "gate", path: "/teams/search/gate" },
    { name: "decision", path: `/teams/search/gate/${decisions[0]!.id}` },
    { name: "canary analyses", path: "/teams/search/analyses" },
    { name: "canary analysis", path: `/teams/search/analyses/${failed!.id}` },
    { name: "incidents", path: "/teams/payments/incidents" },
    { name: "incident", path: `/teams/payments/incidents/${incident.id}` },
    { name: "postmortems", path: "/postmortems" },
    { name: "postmortem", path: `/postmortems/${postmortem}` },
    { name: "team action items", path: `/teams/${own}/action-items` },
    { name: "my action items", path: "/action-items" },
    { name: "account", path: "/account" },
    { name: "admin", path: "/admin" },
    { name: "not-found", path: "/teams/no-such-team" },
  ];
}

/** Waits until client-rendered parts have their data: no skeletons, no "Loading", charts drawn. */
async function settle(page: Page) {
  await page.waitForLoadState("load");
  await expect(page.locator("h1").first()).toBeVisible();
  await expect(page.locator(".skeleton")).toHaveCount(0, { timeout: 15_000 });
  await expect(page.locator("[aria-busy='true']")).toHaveCount(0, { timeout: 15_000 });
  if (await page.locator(".chart").count()) await expect(page.locator(".recharts-surface").first()).toBeVisible();
}

async function openEveryDetails(page: Page) {
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
}

function describeViolations(violations: Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 6)
        .map((n) => `    - ${n.target.join(" ")}\n      ${n.failureSummary?.replace(/\n/g, "\n      ") ?? ""}`)
        .join("\n");
      return `  [${v.impact ?? "?"}] ${v.id}: ${v.help} (${v.nodes.length} node(s))\n${nodes}`;
    })
    .join("\n");
}

let targets: Target[] = [];

test.beforeAll(async ({ browser, baseURL }) => {
  targets = await discoverTargets(browser, baseURL!);
});

for (const colorScheme of ["light", "dark"] as const) {
  for (const [widthName, viewport] of Object.entries(widths)) {
    test(`every page passes axe in ${colorScheme} at ${widthName} width${widthName === "phone" ? " and fits it" : ""}`, async ({ browser, baseURL }) => {
      test.setTimeout(240_000);
      const context = await browser.newContext({ baseURL, colorScheme, viewport, reducedMotion: "reduce" });
      const page = await context.newPage();
      const failures: string[] = [];
      let signedIn = false;
      for (const target of targets) {
        if (!target.signedOut && !signedIn) {
          await signInViaApi(page);
          signedIn = true;
        }
        const started = performance.now();
        await page.goto(target.path);
        if (target.mayRedirect && new URL(page.url()).pathname !== target.path) continue; // e.g. setup, once done
        await settle(page);
        // Phone screenshots to look at, as a reader first sees the page (sections still closed).
        if (widthName === "phone" && ["overview", "SLO", "gate", "postmortem", "decision", "incident", "my action items"].includes(target.name)) {
          await page.screenshot({ path: `e2e/screenshots/phone-${target.name.replace(/\W+/g, "-")}-${colorScheme}.png`, fullPage: true });
        }
        await openEveryDetails(page);
        const result = await new AxeBuilder({ page })
          // Experimental in axe, so off unless named: a visible label must be in the name (WCAG 2.5.3).
          // (options() replaces all options: it comes before withTags.)
          .options({ rules: { "label-content-name-mismatch": { enabled: true } } })
          .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
          .analyze();
        if (process.env.A11Y_TIMING) console.log(`${colorScheme} ${widthName} ${target.name}: ${Math.round(performance.now() - started)} ms`);
        if (result.violations.length) failures.push(`${target.name} (${target.path}):\n${describeViolations(result.violations)}`);
        if (widthName === "phone") {
          const sideways = await page.evaluate(() => {
            const wide = [...document.querySelectorAll<HTMLElement>("main *, header *")]
              .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
              .filter((el) => !el.closest(".table-wrap, .chart"))
              .slice(0, 5)
              .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} "${(el.textContent ?? "").slice(0, 40)}"`);
            return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth, wide };
          });
          if (sideways.scrollWidth > sideways.innerWidth) {
            failures.push(`${target.name} (${target.path}): scrolls sideways, ${sideways.scrollWidth} px > ${sideways.innerWidth} px; too wide: ${sideways.wide.join("; ")}`);
          }
        }
      }
      await context.close();
      expect(failures, `\n${failures.join("\n\n")}\n`).toEqual([]);
    });
  }
}

test("at phone width the navigation is a menu: a button opens it, Escape closes it", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, viewport: widths.phone });
  const page = await context.newPage();
  await signInViaApi(page);
  await page.goto("/");
  const toggle = page.getByRole("button", { name: "Menu" });
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(nav.getByRole("link", { name: "Teams" })).toBeHidden();
  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  const controls = await toggle.getAttribute("aria-controls");
  expect(await page.locator(`#${controls}`).count()).toBe(1);
  await expect(nav.getByRole("link", { name: "Teams" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
  await page.screenshot({ path: "e2e/screenshots/phone-menu-open.png" });
  await page.keyboard.press("Tab");
  await page.keyboard.press("Escape");
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(toggle).toBeFocused();
  await expect(nav.getByRole("link", { name: "Teams" })).toBeHidden();
  // A link in the open menu navigates and the menu closes behind it.
  await toggle.click();
  await nav.getByRole("link", { name: "Teams" }).click();
  await expect(page).toHaveURL(/\/teams$/);
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await context.close();
});
