// Test-run policy for vitest: a skipped test fails the run (a skipped test is a claim nobody
// checks; vitest has no such switch), and the counts are recorded for the closing summary
// printed by lib/cli/test-summary.ts.
import type { Reporter, TestModule } from "vitest/node";
import { recordCounts } from "./test-counts";

export default class NoSkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const skipped: string[] = [];
    let passed = 0;
    let failed = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped.push(`${m.moduleId} › ${t.fullName}`);
      }
    }
    recordCounts("vitest", { passed, failed, skipped: skipped.length });
    if (skipped.length) {
      process.stderr.write(`\n${skipped.length} skipped test(s); skipped tests fail the run:\n  ${skipped.join("\n  ")}\n`);
      process.exitCode = 1;
    }
  }
}
