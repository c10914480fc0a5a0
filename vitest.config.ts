import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { TEST_FORKS } from "./test/support/test-forks";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@/": root,
      "server-only": fileURLToPath(new URL("./test/support/server-only-stub.ts", import.meta.url)),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/support/global-setup.ts"],
    setupFiles: ["test/support/fork-environment.ts"],
    pool: "forks",
    poolOptions: { forks: { minForks: 1, maxForks: TEST_FORKS } },
    // In CI a JSON report is added so .ci/summarize.mjs can print one closing line for all runners.
    reporters: process.env.CI ? ["default", ["json", { outputFile: "test-reports/vitest.json" }]] : ["default"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
