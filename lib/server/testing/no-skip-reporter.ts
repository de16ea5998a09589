// CI fails on any skipped test (a skipped test is a claim nobody checks). Vitest has no such
// switch, so this reporter counts skipped tests at the end of the run and fails it.
import type { Reporter, TestModule } from "vitest/node";

export default class NoSkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const skipped: string[] = [];
    for (const m of modules) for (const t of m.children.allTests("skipped")) skipped.push(`${m.moduleId} › ${t.fullName}`);
    if (skipped.length) {
      process.stderr.write(`\n${skipped.length} skipped test(s); skipped tests fail the run:\n  ${skipped.join("\n  ")}\n`);
      process.exitCode = 1;
    }
  }
}
