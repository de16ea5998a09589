// Checks every API answer the test suites recorded (lib/server/testing/api-responses.ts) against
// the OpenAPI document and reports the operations no test exercised. Run by test-summary.ts at
// the end of `npm test`; by itself after any system or e2e run: `tsx lib/cli/check-api-responses.ts`.
import { pathToFileURL } from "node:url";
import { checkRecorded, responsesDir } from "../server/testing/api-responses";

/** Prints the report; false when an answer does not match its documented schema. */
export function reportApiResponses(): boolean {
  const r = checkRecorded();
  if (r.checked === 0) {
    console.log(`\nAPI responses: none recorded in ${responsesDir}`);
    return true;
  }
  console.log(`\nAPI responses: ${r.checked} checked against the OpenAPI document; ${r.exercised.length} operations exercised, ${r.never.length} never:`);
  for (const k of r.never) console.log(`  never exercised: ${k}`);
  if (r.problems.length) {
    console.error(`\n${r.problems.length} response(s) do not match the document:`);
    for (const p of r.problems) console.error(`  ${p}`);
  }
  return r.problems.length === 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) process.exit(reportApiResponses() ? 0 : 1);
