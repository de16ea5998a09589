// Test-run policy for Playwright, as for vitest (lib/server/testing/no-skip-reporter.ts): a
// skipped test fails the run, and the counts are recorded for the closing summary.
import type { FullResult, Reporter, TestCase, TestResult } from "@playwright/test/reporter";
import { recordCounts } from "../lib/server/testing/test-counts";

export default class NoSkipReporter implements Reporter {
  private skipped: string[] = [];
  private passed = 0;
  private failed = 0;
  onTestEnd(test: TestCase, result: TestResult) {
    if (result.status === "skipped") this.skipped.push(test.titlePath().join(" › "));
    else if (test.outcome() === "expected") this.passed++;
    else if (test.outcome() === "unexpected") this.failed++;
  }
  async onEnd(_result: FullResult): Promise<{ status?: FullResult["status"] } | undefined> {
    recordCounts("playwright", { passed: this.passed, failed: this.failed, skipped: this.skipped.length });
    if (this.skipped.length) {
      process.stderr.write(`\n${this.skipped.length} skipped test(s); skipped tests fail the run:\n  ${this.skipped.join("\n  ")}\n`);
      return { status: "failed" };
    }
    return undefined;
  }
}
