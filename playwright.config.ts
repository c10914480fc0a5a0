// End-to-end tests: the BUILT app (`npm run test:e2e` builds it first when missing or stale) on a free
// port, with its in-process worker, on a fresh database: the embedded PGlite one a first run gets
// (E2E_DATABASE=embedded, the default) or PostgreSQL (E2E_DATABASE=postgres), made and seeded by
// e2e/support/prepare-database.ts just before the server starts, with the untrained demo model and
// Debian's chromium. See e2e/support/ for the shared helpers.
//
// `npm test` runs the whole suite on the embedded database (`npm run test:e2e`) and, on PostgreSQL,
// only the tests tagged @postgres (`npm run test:e2e:postgres`): those whose steps differ by database
// (an operator command beside the running app, the direct SQL of e2e/support/test-db.ts, the system
// page's database, a server of a spec's own). Everything else runs the same code on either database,
// and the Vitest suites test the app's PostgreSQL side on a real server; `E2E_DATABASE=postgres npx
// playwright test` runs the whole suite there.
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { appDatabaseEnv, e2eEnv } from "./e2e/support/e2e-env";
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from "./test/support/chromium";

const run = e2eEnv();
const tsx = "node node_modules/tsx/dist/cli.mjs --conditions=react-server";
// Both commands' output goes to the log the specs read (see webServer below).
const logged = `> >(tee -a "${run.serverLog}") 2> >(tee -a "${run.serverLog}" >&2)`;
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
  reporter: ci ? [["list"], ["json", { outputFile: `test-reports/playwright-${run.database}.json` }]] : [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: run.baseURL,
    browserName: "chromium",
    headless: true,
    viewport: { width: 1440, height: 900 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: CHROMIUM_EXECUTABLE,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    // The run's database first (it must exist before the server holds the embedded one), then the
    // app's own server (npm start): it marks each request with its socket address. Its output is also
    // kept in DATA_DIR/server.log, so specs can check what it logged (e2e/studies.spec.ts asserts that
    // no patient name or ID appears in it).
    command: `bash -c '${tsx} e2e/support/prepare-database.ts ${logged} && exec ${tsx} lib/cli/start.ts -H 127.0.0.1 ${logged}'`,
    url: `${run.baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      ...(appDatabaseEnv(run) as Record<string, string>),
      ...(run.database === "embedded"
        ? {
            // The specs' few direct reads and writes go through the server's own connection.
            E2E_SQL_SOCKET: run.sqlSocket,
            NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${path.resolve("e2e/support/embedded-sql-bridge.mjs")}`.trim(),
          }
        : {}),
      NODE_ENV: "production",
      PORT: String(run.port),
      // Share and invitation links are built on it (required in production).
      PUBLIC_URL: run.baseURL,
      MODEL_DIR: path.resolve("models/densenet121-res224-all-demo"),
      // info: the log the privacy check reads has every request and pipeline line in it.
      LOG_LEVEL: "info",
      // Production's default asks admins for a second factor (MFA_REQUIRED=admins). The specs sign the
      // seeded admin in many times a minute, which one-time codes (never accepted twice) cannot serve;
      // e2e/second-factor.spec.ts runs a server of its own with the default to test that gate.
      MFA_REQUIRED: "off",
    },
  },
});
