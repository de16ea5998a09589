// Each test runner appends its counts here; `npm test` ends by printing their sum as one
// "N passed, N failed" line, so a reader (or CI) sees the whole run's result in one place.
import fs from "node:fs";
import path from "node:path";

export type Counts = { passed: number; failed: number; skipped: number };

// Not under test-results/: Playwright empties that folder when it starts.
export const countsFile = path.resolve(import.meta.dirname, "../../../.test-counts.jsonl");

export function recordCounts(runner: string, counts: Counts) {
  fs.mkdirSync(path.dirname(countsFile), { recursive: true });
  fs.appendFileSync(countsFile, JSON.stringify({ runner, ...counts }) + "\n");
}

export function readCounts(): Counts & { runs: number } {
  const lines = fs.existsSync(countsFile) ? fs.readFileSync(countsFile, "utf8").trim().split("\n").filter(Boolean) : [];
  const total = { passed: 0, failed: 0, skipped: 0, runs: lines.length };
  for (const c of lines.map((l) => JSON.parse(l) as Counts)) {
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
  }
  return total;
}
