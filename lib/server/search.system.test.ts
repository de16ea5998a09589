// Postmortem sizes and search limits over HTTP, against the built app (`bash lib/cli/prepare.sh
// --build` first): a document at the schema's limits fits the PATCH route's byte cap and is
// stored; a field over its limit is a 422 naming it; a body over the cap is a 413; neither
// changes what is stored. The 31st search of a person in a minute is a 429 with Retry-After,
// while another person still searches.
import fs from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POSTMORTEM_LIMITS, SAVE_POSTMORTEM_MAX_BYTES, utf8Bytes } from "../schemas/incidents";
import { SEARCHES_PER_MINUTE } from "./rate-limit";
import { signInViaApi, startApp, type AppProcess, tempDataDir } from "./testing/app-process";

let app: AppProcess;
let dataDir: string;
let admin: string;

beforeAll(async () => {
  dataDir = await tempDataDir("burnrate-search-");
  app = await startApp({ DATA_DIR: dataDir, BURNRATE_ADMIN_EMAIL: "root@example.test", BURNRATE_ADMIN_PASSWORD: "search-test-password-1", BURNRATE_JOBS: "0", LOG_LEVEL: "warn" });
  admin = await signInViaApi(app.url, "root@example.test", "search-test-password-1");
  expect((await call("POST", "/api/v1/teams", admin, { slug: "alpha", name: "Alpha" })).status).toBe(201);
});
afterAll(async () => {
  await app?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function call(method: string, p: string, cookie: string, body?: unknown, raw?: string) {
  const res = await fetch(`${app.url}${p}`, { method, headers: { cookie, origin: app.url, ...(body !== undefined || raw !== undefined ? { "content-type": "application/json" } : {}) }, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (text ? JSON.parse(text) : null) as { error?: { message: string; fields?: Record<string, string> } } & Record<string, unknown> };
}

const filler = (n: number) => "the pool drained while the retries piled up on the primary. ".repeat(Math.ceil(n / 60)).slice(0, n);

describe("postmortem sizes over HTTP", () => {
  it("a document at the limits is stored; over a field's limit is a 422 naming it; over the route's cap is a 413; neither changes anything", async () => {
    const pm = await call("POST", "/api/v1/teams/alpha/postmortems", admin, { title: "Sized" });
    expect(pm.status).toBe(201);
    const id = pm.body.id as string;
    const path = `/api/v1/postmortems/${id}`;

    // POSTMORTEM_LIMITS: 10 bodies near 100,000 characters, 1,000,000 bytes of sections in all, a 200-character title.
    const sections = Array.from({ length: 10 }, (_, i) => ({ key: `s${i}`, title: `Section ${i}`, body: filler(POSTMORTEM_LIMITS.bodyChars) }));
    sections[9]!.body = sections[9]!.body.slice(0, -(utf8Bytes(JSON.stringify(sections)) - POSTMORTEM_LIMITS.documentBytes));
    const atLimit = JSON.stringify({ revision: 1, title: "T".repeat(200), sections });
    expect(utf8Bytes(JSON.stringify(sections))).toBe(1_000_000);
    expect(Buffer.byteLength(atLimit)).toBeLessThanOrEqual(SAVE_POSTMORTEM_MAX_BYTES);
    const saved = await call("PATCH", path, admin, undefined, atLimit);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ revision: 2 });

    const before = (await call("GET", path, admin)).body;
    const tooLong = [...sections.slice(0, 3), { key: "s3", title: "Long", body: "x".repeat(100_001) }];
    const refused = await call("PATCH", path, admin, { revision: 2, sections: tooLong });
    expect(refused.status).toBe(422);
    expect(refused.body.error!.fields).toEqual({ "sections.3.body": "Use at most 100,000 characters in a section" });
    expect(refused.body.error!.message).toBe("sections.3.body: Use at most 100,000 characters in a section");

    const overDocument = await call("PATCH", path, admin, { revision: 2, sections: [...sections.slice(0, 9), { key: "s9", title: "More", body: filler(POSTMORTEM_LIMITS.bodyChars) }] });
    expect(overDocument.status).toBe(422);
    expect(overDocument.body.error!.fields!.sections).toMatch(/^Keep it to 1,000,000 bytes in all/);

    const overCap = JSON.stringify({ revision: 2, sections: [{ key: "s0", title: "Huge", body: "x".repeat(SAVE_POSTMORTEM_MAX_BYTES) }] });
    const tooLarge = await call("PATCH", path, admin, undefined, overCap);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error!.message).toBe(`the body is larger than ${SAVE_POSTMORTEM_MAX_BYTES} bytes`);

    expect((await call("GET", path, admin)).body).toEqual(before);
  });
});

describe("search over HTTP", () => {
  it(`the ${SEARCHES_PER_MINUTE + 1}st search of a person in a minute is a 429 with Retry-After; another person still searches`, async () => {
    expect((await call("POST", "/api/v1/users", admin, { name: "Searcher", email: "searcher@example.test", password: "searcher-password-1" })).status).toBe(201);
    const other = await signInViaApi(app.url, "searcher@example.test", "searcher-password-1");
    for (let i = 0; i < SEARCHES_PER_MINUTE; i++) expect((await call("GET", `/api/v1/postmortems/search?q=pool${i}`, admin)).status).toBe(200);
    const limited = await call("GET", "/api/v1/postmortems/search?q=pool", admin);
    expect(limited.status).toBe(429);
    expect(limited.body.error!.message).toMatch(/^too many searches \(30 a minute\); try again in \d+ s$/);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60);
    const found = await call("GET", "/api/v1/postmortems/search?q=drained%20retries", other);
    expect(found.status).toBe(200);
  });
});
