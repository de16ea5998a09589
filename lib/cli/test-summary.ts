// Prints the closing line of `npm test` from the counts the runners recorded; with --reset,
// clears them at the start of a run.
import fs from "node:fs";
import { countsFile, readCounts } from "../server/testing/test-counts";

if (process.argv.includes("--reset")) {
  fs.rmSync(countsFile, { force: true });
} else {
  const c = readCounts();
  if (c.runs === 0 || c.passed === 0) {
    console.error("no tests ran");
    process.exit(1);
  }
  console.log(`\n${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ""}`);
  process.exit(c.failed || c.skipped ? 1 : 0);
}
