// CI fails on any skipped end-to-end test, as it does for vitest (lib/server/testing/no-skip-reporter.ts).
import type { FullResult, Reporter, TestCase, TestResult } from "@playwright/test/reporter";

export default class NoSkipReporter implements Reporter {
  private skipped: string[] = [];
  onTestEnd(test: TestCase, result: TestResult) {
    if (result.status === "skipped") this.skipped.push(test.titlePath().join(" › "));
  }
  async onEnd(_result: FullResult): Promise<{ status?: FullResult["status"] } | undefined> {
    if (this.skipped.length) {
      process.stderr.write(`\n${this.skipped.length} skipped test(s); skipped tests fail the run:\n  ${this.skipped.join("\n  ")}\n`);
      return { status: "failed" };
    }
    return undefined;
  }
}
