import path from "node:path";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };
const serverTests = ["lib/server/**/*.test.ts"];
const systemTests = ["lib/server/**/*.system.test.ts"];
/** Server code that needs no database (address rules, redirects): *.unit.test.ts, run once with the unit tests. */
const serverUnitTests = ["lib/server/**/*.unit.test.ts"];

/** Service tests against a fresh migrated database (lib/server/testing/global-setup.ts picks it by name). */
function dbProject(name: "db-embedded" | "db-postgres"): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: {
      name,
      include: serverTests,
      exclude: [...systemTests, ...serverUnitTests],
      globalSetup: ["lib/server/testing/global-setup.ts"],
      setupFiles: ["lib/server/testing/setup-file.ts"],
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  };
}

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ["default", "./lib/server/testing/no-skip-reporter.ts"],
    // Service tests run twice: against the embedded PostgreSQL and against an external one
    // (TEST_DATABASE_URL). Each test file creates its own teams, so files may run in parallel.
    projects: [
      { extends: true, test: { name: "unit", include: ["lib/domain/**/*.test.ts", "lib/schemas/**/*.test.ts", "components/**/*.test.ts", "lib/cli/**/*.test.ts", ...serverUnitTests] } },
      dbProject("db-embedded"),
      dbProject("db-postgres"),
      // Start the real app (needs `next build` first): durability under kill -9, start-up errors.
      {
        extends: true,
        // record-responses.ts records the app's answers for the schema check at the end of `npm test`.
        test: { name: "system", include: systemTests, setupFiles: ["lib/server/testing/record-responses.ts"], testTimeout: 180_000, hookTimeout: 180_000, fileParallelism: false },
      },
    ],
  },
});
