// The dashboard part of `npm run bench` (called by slo-engine.bench.ts on its seeded database).
import { performance } from "node:perf_hooks";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The dashboard on the same data, through the built app (`next build` first): the overview's
 * server response (JSON API and server-rendered page) next to a trivial route of the same app,
 * and the time until the overview and an SLO's page (`sloPage`, with its charts) answer input in
 * headless Chromium. Both pages mark themselves with [data-hydrated] once hydrated.
 */
export async function benchDashboard(databaseUrl: string, email: string, password: string, slos: number, sloPage = "/teams/bench/services/svc-0/slos/slo-0") {
  const { startApp, signInViaApi } = await import("../server/testing/app-process");
  // BENCH_PORT pins the app's port on a machine shared with others (default: any free port).
  const app = await startApp({ DATABASE_URL: databaseUrl, AUTH_SECRET: process.env.AUTH_SECRET!, BURNRATE_JOBS: "0", LOG_LEVEL: "warn", ...(process.env.BENCH_PORT ? { PORT: process.env.BENCH_PORT } : {}) });
  try {
    const cookie = await signInViaApi(app.url, email, password);
    const time = async (path: string, runs = 11) => {
      const out: number[] = [];
      for (let i = 0; i < runs + 2; i++) {
        const t = performance.now();
        const res = await fetch(`${app.url}${path}`, { headers: { cookie } });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
        if (i >= 2) out.push(performance.now() - t); // two warm-up requests
      }
      return median(out);
    };
    const trivial = await time("/api/health");
    const api = await time("/api/v1/overview");
    const page = await time("/");
    console.log(`Overview, ${slos} SLOs: API median ${api.toFixed(0)} ms, server-rendered page median ${page.toFixed(0)} ms (target < 300 ms); trivial route ${trivial.toFixed(1)} ms`);
    const sloApi = await time(`/api/v1${sloPage}/series`);
    const sloHtml = await time(sloPage);
    console.log(`SLO page: series API (its window) median ${sloApi.toFixed(0)} ms, server-rendered page median ${sloHtml.toFixed(0)} ms`);

    const { chromium } = await import("@playwright/test");
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const [name, value] = cookie.split(/=(.*)/s) as [string, string];
      await context.addCookies([{ name, value, url: app.url }]);
      const page = await context.newPage();
      /** Time from navigation to [data-hydrated] (and `ready`, if given), over five loads after one that fills the cache. */
      const interactive = async (path: string, ready?: string) => {
        const runs: number[] = [];
        for (let i = 0; i < 6; i++) {
          const t = performance.now();
          await page.goto(`${app.url}${path}`, { waitUntil: "commit" });
          await page.locator("[data-hydrated]").waitFor();
          if (ready) await page.locator(ready).first().waitFor();
          if (i > 0) runs.push(performance.now() - t); // the first load fills the browser cache
        }
        return runs;
      };
      const overview = await interactive("/");
      console.log(`Overview interactive in Chromium: median ${median(overview).toFixed(0)} ms over ${overview.length} loads (target < 1500 ms)`);
      // The SLO page with its charts drawn (recharts lays them out after hydration).
      const slo = await interactive(sloPage, ".recharts-surface");
      console.log(`SLO page interactive in Chromium, charts drawn: median ${median(slo).toFixed(0)} ms over ${slo.length} loads (target < 1500 ms)`);
    } finally {
      await browser.close();
    }
  } finally {
    await app.stop();
  }
}

