import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { SERVER_ENTRY } from "./lib/server/testing/app-process";

// The e2e suite runs the built app on a fresh embedded database with demo data.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
// One folder, wiped at every start: runs never share data, and no folder is left per run.
const dataDir = path.join(os.tmpdir(), `burnrate-e2e-${port}`);
export const e2eAdmin = { email: "e2e-admin@example.test", password: "e2e-admin-password-123" };

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: [["list"], ["./e2e/no-skip-reporter.ts"]],
  timeout: 60_000,
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium: Playwright cannot download its own browser here (ENVIRONMENT.md).
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: `rm -rf ${dataDir} && node ${SERVER_ENTRY}`,
    url: `${baseURL}/api/ready`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      PUBLIC_URL: baseURL,
      DATA_DIR: dataDir,
      BURNRATE_DEMO: "1",
      BURNRATE_ADMIN_EMAIL: e2eAdmin.email,
      BURNRATE_ADMIN_PASSWORD: e2eAdmin.password,
      LOG_LEVEL: "warn",
      // Every test signs in from 127.0.0.1: a higher per-address limit than production's 20 a minute.
      SIGN_IN_RATE_LIMIT_PER_MINUTE: "1000",
    },
  },
});
