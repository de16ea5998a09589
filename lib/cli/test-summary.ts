// Prints the closing line of `npm test` from the counts the runners recorded, after checking
// every API answer the suites recorded against the OpenAPI document (check-api-responses.ts);
// with --reset, clears both at the start of a run.
import fs from "node:fs";
import { countsFile, readCounts } from "../server/testing/test-counts";
import { responsesDir } from "../server/testing/api-responses";
import { reportApiResponses } from "./check-api-responses";

if (process.argv.includes("--reset")) {
  fs.rmSync(countsFile, { force: true });
  fs.rmSync(responsesDir, { recursive: true, force: true });
} else {
  const responsesMatch = reportApiResponses();
  const c = readCounts();
  if (c.runs === 0 || c.passed === 0) {
    console.error("no tests ran");
    process.exit(1);
  }
  console.log(`\n${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ""}`);
  if (!responsesMatch) console.error("API responses that do not match the OpenAPI document fail the run (listed above)");
  process.exit(c.failed || c.skipped || !responsesMatch ? 1 : 0);
}
