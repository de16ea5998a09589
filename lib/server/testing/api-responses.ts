// Every answer the test suites get from the app, held to the OpenAPI document.
//
// The system tests (fetch, wrapped by record-responses.ts) and the e2e specs (e2e/fixtures.ts:
// the `request` clients and the pages' own API calls) append each response of the app's API to
// .api-responses/<runner>-<pid>.jsonl: method, path, status, media type and the JSON body. At
// the end of `npm test`, lib/cli/test-summary.ts checks every recorded answer against the
// document's schema for its operation and status (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses),
// errors against the one error shape, and lists the operations no test exercised.
// Recording costs one line per answer, and at most MAX_PER_KEY answers per operation and status
// per process are kept (a load test sends thousands of the same).
import fs from "node:fs";
import path from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { openApiDocument, operations, successStatus } from "../openapi";

// Not under test-results/: Playwright empties that folder when it starts (as for .test-counts.jsonl).
export const responsesDir = path.resolve(import.meta.dirname, "../../../.api-responses");
const MAX_PER_KEY = 25;

export type RecordedResponse = {
  method: string;
  /** The path without the query string, as requested. */
  path: string;
  status: number;
  /** The media type without parameters ("application/json"), or "" with none. */
  type: string;
  /** The parsed JSON body; for other media types, null (only the type is checked). */
  body: unknown;
  /** Which suite and file made the request, for the report. */
  source: string;
};

type Op = (typeof operations)[number];
type Matcher = { op: Op; regex: RegExp; params: number };
let matchers: Matcher[] | undefined;

/** The operation a concrete path belongs to; literal segments win over parameters (/postmortems/search over /postmortems/{postmortem}). */
export function matchOperation(method: string, urlPath: string): Op | undefined {
  matchers ??= operations
    .map((op) => ({
      op,
      regex: new RegExp(`^${op.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, "[^/]+")}/?$`),
      params: (op.path.match(/\{/g) ?? []).length,
    }))
    .sort((a, b) => a.params - b.params);
  const m = method.toLowerCase();
  return matchers.find((x) => x.op.method === m && x.regex.test(urlPath))?.op;
}

/** Whether a response of the app is one the document describes: the API (not next-auth's own routes) and /metrics. */
export function isDocumentedPath(urlPath: string): boolean {
  return (urlPath.startsWith("/api/") && !urlPath.startsWith("/api/auth/") && urlPath !== "/api/v1/openapi.json") || urlPath === "/metrics";
}

const kept = new Map<string, number>();
let file: string | undefined;

/** True when this answer should be recorded (decided before its body is read, so a skipped one costs nothing). */
export function wantsRecording(method: string, urlPath: string, status: number): boolean {
  // A redirect (Next.js normalising a path's spelling, e.g. "//") is not an operation's answer.
  if (!isDocumentedPath(urlPath) || (status >= 300 && status < 400)) return false;
  // Paths no operation has (a fuzzer's) share one key per method and status.
  const key = `${method.toLowerCase()} ${matchOperation(method, urlPath)?.path ?? "(no operation)"} ${status}`;
  const n = kept.get(key) ?? 0;
  if (n >= MAX_PER_KEY) return false;
  kept.set(key, n + 1);
  return true;
}

export function recordResponse(runner: string, r: RecordedResponse) {
  if (!file) {
    fs.mkdirSync(responsesDir, { recursive: true });
    file = path.join(responsesDir, `${runner}-${process.pid}.jsonl`);
  }
  fs.appendFileSync(file, JSON.stringify(r) + "\n");
}

/** The media type of a Content-Type header, lower case, without parameters. */
export const mediaType = (header: string | null | undefined) => (header ?? "").split(";")[0]!.trim().toLowerCase();

type Doc = ReturnType<typeof openApiDocument>;
type DocResponse = { content?: Record<string, { schema: object }> };
let ajv: Ajv2020 | undefined;
let doc: Doc | undefined;
const compiled = new Map<string, ValidateFunction>();

function validatorFor(key: string, schema: object): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: "openapi.json", components: (doc ??= openApiDocument()).components });
  }
  let v = compiled.get(key);
  if (!v) {
    v = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')) as object);
    compiled.set(key, v);
  }
  return v;
}

const errorSchema = { $ref: "#/components/schemas/Error" };

/** What is wrong with one answer against the document (empty: it conforms), and the operation it belongs to. */
export function checkResponse(r: RecordedResponse): { op: Op | undefined; problems: string[] } {
  const op = matchOperation(r.method, r.path);
  const where = `${r.method.toUpperCase()} ${r.path} -> ${r.status} (${r.source})`;
  const problems: string[] = [];
  const validate = (key: string, schema: object) => {
    const v = validatorFor(key, schema);
    if (!v(r.body)) problems.push(`${where}: ${(v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "(body)"} ${e.message ?? ""}${e.params && "additionalProperty" in e.params ? ` '${String(e.params.additionalProperty)}'` : ""}`).join("; ")}`);
  };
  if (r.status >= 400 || !op) {
    const own = op && (openApiDocument().paths[op.path]![op.method] as { responses: Record<string, DocResponse> }).responses[String(r.status)];
    const ownSchema = own?.content?.["application/json"]?.schema;
    if (!op && r.status < 400) problems.push(`${where}: no operation in the document answers this path and method`);
    else if (r.type !== "application/json") problems.push(`${where}: an error must be JSON in the one error shape, got '${r.type || "no content type"}'`);
    else if (ownSchema && JSON.stringify(ownSchema) !== JSON.stringify(errorSchema)) validate(`${op!.method} ${op!.path} ${r.status}`, ownSchema);
    else if (op && !own) problems.push(`${where}: status ${r.status} is not documented for this operation`);
    else validate("error", errorSchema);
    return { op, problems };
  }
  const responses = (openApiDocument().paths[op.path]![op.method] as { responses: Record<string, DocResponse> }).responses;
  const documented = responses[String(r.status)];
  if (!documented) {
    problems.push(`${where}: status ${r.status} is not documented (the document says ${successStatus(op)})`);
    return { op, problems };
  }
  if (!documented.content) {
    if (r.type || (r.body !== null && r.body !== undefined && r.body !== "")) problems.push(`${where}: documented without a body, got '${r.type}'`);
    return { op, problems };
  }
  const media = documented.content[r.type];
  if (!media) {
    problems.push(`${where}: media type '${r.type}' is not documented (${Object.keys(documented.content).join(", ")})`);
    return { op, problems };
  }
  if (r.type === "application/json") validate(`${op.method} ${op.path} ${r.status}`, media.schema);
  return { op, problems };
}

export function readRecorded(dir = responsesDir): RecordedResponse[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .flatMap((f) => fs.readFileSync(path.join(dir, f), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as RecordedResponse));
}

export type ResponseReport = { checked: number; problems: string[]; exercised: string[]; never: string[] };

/** Checks every recorded answer; `exercised`: operations with a checked success, `never`: the others. */
export function checkRecorded(recorded = readRecorded()): ResponseReport {
  const problems = new Set<string>();
  const exercised = new Set<string>();
  for (const r of recorded) {
    const { op, problems: p } = checkResponse(r);
    for (const x of p) problems.add(x);
    if (op && r.status < 400 && !p.length) exercised.add(`${op.method.toUpperCase()} ${op.path}`);
  }
  const never = operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).filter((k) => !exercised.has(k));
  return { checked: recorded.length, problems: [...problems], exercised: [...exercised], never };
}
