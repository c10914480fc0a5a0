// End-to-end tests: the BUILT app (`npm run test:e2e` builds it first when missing or stale) on a free
// port, against a fresh PostgreSQL database made by e2e/support/global-setup.ts, with the untrained demo
// model and Debian's chromium. See e2e/support/ for the shared helpers.
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { e2eEnv } from "./e2e/support/e2e-env";

const run = e2eEnv();
const ci = Boolean(process.env.CI);

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/support/global-setup.ts",
  // Files run side by side, tests within a file in order: the specs tell stories step by step.
  fullyParallel: false,
  workers: 2,
  forbidOnly: ci,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: ci ? [["list"], ["json", { outputFile: "test-reports/playwright.json" }]] : [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: run.baseURL,
    browserName: "chromium",
    headless: true,
    viewport: { width: 1440, height: 900 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    // The app's own server (npm start): it marks each request with its socket address. Its output is
    // also kept in DATA_DIR/server.log, so specs can check what it logged (e2e/studies.spec.ts asserts
    // that no patient name or ID appears in it).
    command: `bash -c 'exec node node_modules/tsx/dist/cli.mjs --conditions=react-server lib/cli/start.ts -H 127.0.0.1 > >(tee -a "${run.serverLog}") 2> >(tee -a "${run.serverLog}" >&2)'`,
    url: `${run.baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      ...(process.env as Record<string, string>),
      NODE_ENV: "production",
      PORT: String(run.port),
      DATABASE_URL: run.databaseUrl,
      DATA_DIR: run.dataDir,
      // Share and invitation links are built on it (required in production).
      PUBLIC_URL: run.baseURL,
      MODEL_DIR: path.resolve("models/densenet121-res224-all-demo"),
      // info: the log the privacy check reads has every request and pipeline line in it.
      LOG_LEVEL: "info",
    },
  },
});
