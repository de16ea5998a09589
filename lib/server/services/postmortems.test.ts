// Incidents, postmortems and action items against a real database: budget impact computed
// from the SLI data (docs/domain.md: bad events / allowed bad events of the window), a postmortem
// required above 20 %, the gate waiting for it, the review workflow, the conflict rule, search,
// export and action-item tracking.
import { describe, expect, it } from "vitest";
import { POSTMORTEM_LIMITS, SAVE_POSTMORTEM_MAX_BYTES, utf8Bytes } from "../../schemas/incidents";
import { db, prisma } from "../db/client";
import { RetryLaterError } from "../errors";
import { SEARCHES_PER_MINUTE } from "../rate-limit";
import { makeTeam, makeTokenActor, makeUser } from "../testing/factories";
import { createService, createSli, createSlo } from "./catalog";
import { ingestBatch } from "./ingest";
import { createIncident, getIncident, updateIncident } from "./incidents";
import { createPostmortem, exportPostmortem, getPostmortem, HIGHLIGHT_CHARS, listTemplates, putTemplate, savePostmortem, SEARCH_BULKHEAD, SEARCH_PLAN_SETTINGS, searchPostmortems, searchStatement, transitionPostmortem } from "./postmortems";
import { createActionItem, myActionItems, teamActionItems, updateActionItem } from "./action-items";
import { askGate } from "./gate";

const MIN = 60_000;

/** A team with service "api", a 99 % / 30-day SLO with 100 minutes of 1,000 events, `bad` of them bad in minutes 40-49. */
async function setup(badPerMinute: number) {
  const { team, members } = await makeTeam(["admin", "editor", "viewer"]);
  await createService(members.editor, team.slug, { slug: "api", name: "API", description: "" });
  await createSli(members.editor, team.slug, "api", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
  await createSlo(members.editor, team.slug, "api", { slug: "availability", name: "API availability", description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
  const ingest = await makeTokenActor(team.slug, members.admin, ["ingest"]);
  const end = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;
  const start = end - 100 * MIN;
  const items = Array.from({ length: 100 }, (_, i) => ({ sli: "api/ok", minute: new Date(start + i * MIN).toISOString(), good: i >= 40 && i < 50 ? 1000 - badPerMinute : 1000, total: 1000 }));
  await ingestBatch(ingest, { items });
  const incidentInput = {
    title: "Checkout errors",
    severity: "SEV2" as const,
    status: "resolved" as const,
    summary: "Errors after a deploy.",
    startedAt: new Date(start + 40 * MIN),
    detectedAt: new Date(start + 42 * MIN),
    mitigatedAt: null,
    resolvedAt: new Date(start + 50 * MIN),
    slos: ["api/availability"],
    roles: { commander: "Amara Okafor", scribe: "Li Wei" },
  };
  return { team, members, incidentInput };
}

describe("incidents", () => {
  it("compute the budget each SLO lost from the SLI data, and require a postmortem above 20 % (docs/domain.md)", async () => {
    // The 30-day window that contains the incident, up to its end: 50 minutes of 1,000 events at
    // 99 %, so 500 bad allowed; 10 minutes x 30 bad = 300 bad = 60 % of the budget.
    const { team, members, incidentInput } = await setup(30);
    const i = await createIncident(members.editor, team.slug, incidentInput);
    expect(i.impact).toEqual([{ service: { slug: "api", name: "API" }, slo: { slug: "availability", name: "API availability" }, budgetSpent: 0.6, badEvents: 300, totalEvents: 10_000 }]);
    expect(i.postmortemRequired).toBe(true);
    expect((await prisma().incident.findUniqueOrThrow({ where: { id: i.id } })).postmortemRequired).toBe(true);
    // Narrowed to 2 of the 10 bad minutes: 60 bad of 420 allowed (42,000 events) = 14.3 %, no longer required.
    const narrowed = await updateIncident(members.editor, team.slug, i.id, { resolvedAt: new Date(incidentInput.startedAt.getTime() + 2 * MIN) });
    expect(narrowed.impact[0]!.budgetSpent).toBeCloseTo(60 / 420, 10);
    expect(narrowed.postmortemRequired).toBe(false);
  });

  it("name a bad field, refuse times before the start and SLOs of other teams", async () => {
    const { team, members, incidentInput } = await setup(0);
    const other = await setup(0);
    await expect(createIncident(members.editor, team.slug, { ...incidentInput, slos: ["api/nope"] })).rejects.toMatchObject({ status: 422, fields: { "slos.0": 'no SLO "api/nope" in this team' } });
    const i = await createIncident(members.editor, team.slug, incidentInput);
    await expect(updateIncident(members.editor, team.slug, i.id, { detectedAt: new Date(incidentInput.startedAt.getTime() - MIN) })).rejects.toMatchObject({ status: 422, fields: { detectedAt: "It cannot be detected before it started" } });
    await expect(createIncident(members.viewer, team.slug, incidentInput)).rejects.toMatchObject({ status: 403 });
    await expect(getIncident(other.members.admin, team.slug, i.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe("postmortems", () => {
  it("start pre-filled from the incident, go draft -> in review -> published, each step audited; published ones are read-only", async () => {
    const { team, members, incidentInput } = await setup(30);
    const i = await createIncident(members.editor, team.slug, incidentInput);
    const pm = await createPostmortem(members.editor, team.slug, { incident: i.id });
    expect(pm).toMatchObject({ title: "Checkout errors", status: "draft", revision: 1, incident: { id: i.id, postmortemRequired: true } });
    expect(pm.sections.map((s) => s.title)[0]).toBe("Summary");
    expect(pm.sections[0]!.body).toContain("**Checkout errors** (SEV2), 10m from");
    expect(pm.sections[0]!.body).toContain("- Incident commander: Amara Okafor");
    expect(pm.sections[1]!.body).toContain("| API availability | API | 60% | 300 of 10,000 |");
    await expect(createPostmortem(members.editor, team.slug, { incident: i.id })).rejects.toMatchObject({ status: 409 });

    await transitionPostmortem(members.editor, pm.id, "submit", "");
    const back = await transitionPostmortem(members.admin, pm.id, "request_changes", "Say more about detection");
    expect(back.status).toBe("draft");
    await transitionPostmortem(members.editor, pm.id, "submit", "");
    await expect(transitionPostmortem(members.editor, pm.id, "submit", "")).rejects.toMatchObject({ status: 409, message: "only a draft can be submitted for review; this one is in review" });
    // Required (60 % of the budget, docs/domain.md's 20 % rule): no P0 action item yet, so approval is refused and nothing changes.
    await expect(transitionPostmortem(members.admin, pm.id, "approve", "Good")).rejects.toMatchObject({ status: 409, message: expect.stringContaining("requires at least one P0 action item") });
    expect((await getPostmortem(members.viewer, pm.id)).status).toBe("in_review");
    await createActionItem(members.editor, pm.id, { title: "Canary stage for the pool change", type: "prevent", priority: "P0", owner: null, dueDate: null, ticketUrl: null });
    // The author may not approve their own postmortem (the policy's selfApproval is off by default).
    await expect(transitionPostmortem(members.editor, pm.id, "approve", "")).rejects.toMatchObject({ status: 409, message: expect.stringContaining("the author cannot approve their own postmortem") });
    const published = await transitionPostmortem(members.admin, pm.id, "approve", "Good");
    expect(published).toMatchObject({ status: "published", canEdit: false, canReopen: true, reviews: [{ decision: "request_changes", comment: "Say more about detection" }, { decision: "approve", comment: "Good" }] });
    await expect(savePostmortem(members.editor, pm.id, { revision: published.revision, title: "Changed" })).rejects.toMatchObject({ status: 409 });
    // Reopening is for team admins, audited, and makes it a draft again.
    await expect(transitionPostmortem(members.editor, pm.id, "reopen", "")).rejects.toMatchObject({ status: 403 });
    expect((await transitionPostmortem(members.admin, pm.id, "reopen", "Fix the timeline")).status).toBe("draft");
    const audit = await prisma().auditLog.findMany({ where: { targetId: pm.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["postmortem.create", "postmortem.submit", "postmortem.request_changes", "postmortem.submit", "postmortem.approve", "postmortem.reopen"]);
  });

  it("the editor sees the publish check ahead of the button: what blocks, and what to look at", async () => {
    const { team, members, incidentInput } = await setup(30);
    const i = await createIncident(members.editor, team.slug, incidentInput);
    const pm = await createPostmortem(members.editor, team.slug, { incident: i.id });
    // Template prompts are placeholders, not text: an untouched section is empty.
    expect(pm.sections.find((s) => s.key === "detection")).toEqual({ key: "detection", title: "Detection", body: "", prompt: "How we found out, and how long that took." });
    const asAdmin = await getPostmortem(members.admin, pm.id);
    expect(asAdmin.publishCheck.blocking).toEqual([expect.stringContaining("requires at least one P0 action item")]);
    expect(asAdmin.publishCheck.warnings[0]).toMatch(/^empty sections: Root cause and trigger, Detection, Resolution/);
    expect(pm.publishCheck.blocking).toHaveLength(2); // the author also may not approve
  });

  it("a team of one may approve its own postmortems once its policy allows self-approval", async () => {
    const { team, members } = await setup(0);
    const pm = await createPostmortem(members.admin, team.slug, { title: "Solo" });
    await transitionPostmortem(members.admin, pm.id, "submit", "");
    await expect(transitionPostmortem(members.admin, pm.id, "approve", "")).rejects.toMatchObject({ status: 409 });
    const { putTeamPolicy, getTeamPolicy } = await import("./policy");
    const current = await getTeamPolicy(members.admin, team.slug);
    await putTeamPolicy(members.admin, team.slug, { ...current.policy, selfApproval: true }, current.version);
    expect((await transitionPostmortem(members.admin, pm.id, "approve", "")).status).toBe("published");
  });

  it("never overwrite silently: a save from an older revision is a conflict and changes nothing", async () => {
    const { team, members } = await setup(0);
    const pm = await createPostmortem(members.editor, team.slug, { title: "Pool exhaustion" });
    const a = await savePostmortem(members.editor, pm.id, { revision: 1, sections: [{ key: "summary", title: "Summary", body: "Alice's text" }] });
    expect(a.revision).toBe(2);
    // Bob opened revision 1 too, and saves after Alice.
    await expect(savePostmortem(members.admin, pm.id, { revision: 1, sections: [{ key: "summary", title: "Summary", body: "Bob's text" }] })).rejects.toMatchObject({ status: 409, fields: { revision: "is 2 now" } });
    expect((await getPostmortem(members.viewer, pm.id)).sections[0]!.body).toBe("Alice's text");
  });

  it("drafts are the team's; published ones are readable by every signed-in person; search finds both as allowed", async () => {
    const { team, members } = await setup(0);
    const word = `zebrafish${Date.now()}`;
    const pm = await createPostmortem(members.editor, team.slug, { title: `The ${word} outage` });
    const { actor: outsider } = await makeUser();
    await expect(getPostmortem(outsider, pm.id)).rejects.toMatchObject({ status: 404 });
    expect((await searchPostmortems(members.viewer, word)).map((r) => r.id)).toEqual([pm.id]);
    expect(await searchPostmortems(outsider, word)).toEqual([]);
    await transitionPostmortem(members.editor, pm.id, "submit", "");
    await transitionPostmortem(members.admin, pm.id, "approve", "");
    expect((await getPostmortem(outsider, pm.id))).toMatchObject({ canEdit: false, canReopen: false });
    expect((await searchPostmortems(outsider, word))[0]).toMatchObject({ id: pm.id, snippet: expect.stringContaining(`${word} outage`), highlight: expect.arrayContaining([{ text: word, match: true }]) });
  });

  it("a highlight is plain text: Markdown syntax, HTML and marker characters in a postmortem stay out of it, the match is marked", async () => {
    const { team, members } = await setup(0);
    const word = `axolotl${Date.now()}`;
    const pm = await createPostmortem(members.editor, team.slug, { title: "Markdown in a highlight" });
    const body = `## Cause\nThe **${word}** pool \uE000fake\uE001 <script>alert(1)</script> was [set](https://x.test/a) too low.`;
    await savePostmortem(members.editor, pm.id, { revision: 1, sections: [{ key: "summary", title: "Summary", body }] });
    const [hit] = await searchPostmortems(members.viewer, word);
    expect(hit!.highlight!.filter((p) => p.match)).toEqual([{ text: word, match: true }]);
    expect(hit!.snippet).toContain(`The ${word} pool fake`);
    expect(hit!.snippet).toContain("alert(1) was set");
    expect(hit!.snippet).not.toMatch(/[*#<>[\]\uE000\uE001]/);
  });

  it("export as Markdown with impact, timeline and action items", async () => {
    const { team, members, incidentInput } = await setup(30);
    const i = await createIncident(members.editor, team.slug, incidentInput);
    const pm = await createPostmortem(members.editor, team.slug, { incident: i.id });
    await createActionItem(members.editor, pm.id, { title: "Validate pool limits in CI", type: "prevent", priority: "P0", owner: null, dueDate: "2026-12-01", ticketUrl: null });
    const { filename, markdown } = await exportPostmortem(members.viewer, pm.id);
    expect(filename).toBe("checkout-errors.md");
    expect(markdown).toContain("| API availability | API | 60% |");
    expect(markdown).toContain("| P0 | Validate pool limits in CI | prevent |  | 2026-12-01 | open |  |");
  });
});

/** `n` characters of prose that no search below looks for. */
const filler = (n: number) => "the pool drained while the retries piled up on the primary. ".repeat(Math.ceil(n / 60)).slice(0, n);

/** Every node of an EXPLAIN (FORMAT JSON) plan. */
type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Output?: string[]; Plans?: PlanNode[] };
const nodesOf = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodesOf)];

describe("postmortem search reads the stored vector; highlights and sizes are bounded", () => {
  it("the search statement finds matches through postmortems_search_vector_idx, not by reading every text", async () => {
    // 4,000 postmortems (inserted and analysed inside a transaction that is rolled back, so
    // other tests never see them), 4 of them with the word: the plan, on real statistics and
    // with the settings searchPostmortems sets, must match through the GIN index. The statement
    // is exactly the one searchPostmortems runs; one that computed to_tsvector per row could not
    // use the index, whatever the settings.
    const { team, members } = await setup(0);
    const word = `quokka${Date.now()}`;
    const client = await db().pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO postmortems (id, team_id, title, status, sections, published_at)
         SELECT gen_random_uuid(), $1, 'Outage ' || g, 'published',
                jsonb_build_array(jsonb_build_object('key', 'summary', 'title', 'Summary', 'body', 'replica lag ' || md5(g::text) || CASE WHEN g % 1000 = 0 THEN ' ' || $2 ELSE '' END)), now()
         FROM generate_series(1, 4000) g`,
        [team.id, word],
      );
      await client.query("ANALYZE postmortems");
      const actor = members.viewer;
      if (actor.kind !== "user") throw new Error("a person");
      await client.query(SEARCH_PLAN_SETTINGS);
      const statement = searchStatement(word, actor.userId, false);
      const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON, VERBOSE) ${statement.text}`, statement.values);
      const nodes = nodesOf(rows[0]!["QUERY PLAN"][0].Plan);
      expect(nodes.filter((n) => n["Index Name"] === "postmortems_search_vector_idx").length).toBeGreaterThan(0);
      expect(nodes.filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "postmortems")).toEqual([]);
      // The highlight is computed above the LIMIT (on at most SEARCH_RESULTS rows), never below it.
      const limits = nodes.filter((n) => n["Node Type"] === "Limit");
      expect(limits).toHaveLength(1);
      expect(nodes.some((n) => n.Output?.some((o) => o.includes("ts_headline")))).toBe(true);
      expect(nodesOf(limits[0]!).filter((n) => n.Output?.some((o) => o.includes("ts_headline")))).toEqual([]);
      expect((await client.query(statement.text, statement.values)).rows).toHaveLength(4);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });

  it(`a highlight reads at most ${HIGHLIGHT_CHARS.toLocaleString("en-US")} characters: a match deeper in a 100,000-character body is found, with a short unmarked snippet`, async () => {
    const { team, members } = await setup(0);
    const word = `narwhal${Date.now()}`;
    const deep = await createPostmortem(members.editor, team.slug, { title: "Deep match" });
    // The body is at the limit (POSTMORTEM_LIMITS.bodyChars = 100,000) and holds the word at 90,000, past the highlight's cap.
    const body = `${filler(90_000)} ${word} ${filler(POSTMORTEM_LIMITS.bodyChars)}`.slice(0, POSTMORTEM_LIMITS.bodyChars);
    expect(body.length).toBe(100_000);
    await savePostmortem(members.editor, deep.id, { revision: 1, sections: [{ key: "summary", title: "Summary", body }] });
    const early = await createPostmortem(members.editor, team.slug, { title: "Early match" });
    await savePostmortem(members.editor, early.id, { revision: 1, sections: [{ key: "summary", title: "Summary", body: `The ${word} alarm fired first. ${filler(50_000)}` }] });

    const hits = await searchPostmortems(members.viewer, word);
    expect(hits.map((h) => h.id).sort()).toEqual([deep.id, early.id].sort());
    const deepHit = hits.find((h) => h.id === deep.id)!;
    expect(deepHit.highlight!.filter((p) => p.match)).toEqual([]);
    expect(deepHit.snippet!.length).toBeLessThan(400);
    expect(hits.find((h) => h.id === early.id)!.highlight).toContainEqual({ text: word, match: true });
  });

  it("a save over the size limits is refused naming the field, and the stored postmortem is unchanged", async () => {
    const { team, members } = await setup(0);
    const pm = await createPostmortem(members.editor, team.slug, { title: "Sized" });
    const before = await prisma().postmortem.findUniqueOrThrow({ where: { id: pm.id } });
    const section = (i: number, body: string) => ({ key: `s${i}`, title: `Section ${i}`, body });
    const save = (edit: Record<string, unknown>) => savePostmortem(members.editor, pm.id, { revision: 1, ...edit } as Parameters<typeof savePostmortem>[2]);
    // POSTMORTEM_LIMITS: title 200 characters, 40 sections, section titles 120, bodies 100,000, the sections 1,000,000 bytes as JSON.
    await expect(save({ sections: [0, 1, 2, 3].map((i) => section(i, i === 3 ? "x".repeat(100_001) : "ok")) })).rejects.toMatchObject({ status: 422, fields: { "sections.3.body": "Use at most 100,000 characters in a section" } });
    await expect(save({ title: "t".repeat(201) })).rejects.toMatchObject({ status: 422, fields: { title: "Use at most 200 characters" } });
    await expect(save({ sections: Array.from({ length: 41 }, (_, i) => section(i, "")) })).rejects.toMatchObject({ status: 422, fields: { sections: "Use at most 40 sections" } });
    await expect(save({ sections: [section(0, "ok"), { key: "s1", title: "T".repeat(121), body: "" }] })).rejects.toMatchObject({ status: 422, fields: { "sections.1.title": "Use at most 120 characters" } });
    // Eleven bodies of 95,000 characters: each within its limit, 1,045,000+ bytes together.
    await expect(save({ sections: Array.from({ length: 11 }, (_, i) => section(i, filler(95_000))) })).rejects.toMatchObject({
      status: 422,
      fields: { sections: expect.stringMatching(/^Keep it to 1,000,000 bytes in all \(these are 1,045,\d{3}\)/) },
    });
    // 760 KB of request ids: under the document limit, but more distinct words than
    // PostgreSQL's 1 MB tsvector holds; the trigger's failure is rolled back and named.
    const ids = Array.from({ length: 20_000 }, () => crypto.randomUUID()).join("\n");
    await expect(save({ sections: [section(0, ids.slice(0, 100_000)), ...Array.from({ length: 7 }, (_, i) => section(i + 1, ids.slice((i + 1) * 100_000, (i + 2) * 100_000)))] })).rejects.toMatchObject({
      status: 422,
      fields: { sections: expect.stringContaining("too many distinct words to index") },
    });
    const after = await prisma().postmortem.findUniqueOrThrow({ where: { id: pm.id } });
    expect(after).toEqual(before);
    expect(await prisma().auditLog.count({ where: { targetId: pm.id, action: "postmortem.save" } })).toBe(0);

    // A document at the limits is stored, and its PATCH body fits the route's cap (SAVE_POSTMORTEM_MAX_BYTES).
    const atLimit = Array.from({ length: 10 }, (_, i) => section(i, filler(POSTMORTEM_LIMITS.bodyChars)));
    const over = utf8Bytes(JSON.stringify(atLimit)) - POSTMORTEM_LIMITS.documentBytes;
    atLimit[9]!.body = atLimit[9]!.body.slice(0, -over);
    expect(utf8Bytes(JSON.stringify(atLimit))).toBe(1_000_000);
    const title = "T".repeat(200);
    expect(utf8Bytes(JSON.stringify({ revision: 1, title, sections: atLimit }))).toBeLessThanOrEqual(SAVE_POSTMORTEM_MAX_BYTES);
    const saved = await save({ title, sections: atLimit });
    expect(saved).toMatchObject({ revision: 2, title });
    expect(saved.sections.map((s) => s.body.length)).toEqual(atLimit.map((s) => s.body.length));
  });

  it(`the ${SEARCHES_PER_MINUTE + 1}st search in a minute by one person is a 429 with Retry-After; another person still searches`, async () => {
    const { members } = await setup(0);
    const { actor: other } = await makeUser();
    expect(SEARCHES_PER_MINUTE).toBe(30);
    for (let i = 0; i < SEARCHES_PER_MINUTE; i++) await searchPostmortems(members.viewer, `limit${i}`);
    const refused = await searchPostmortems(members.viewer, "limit").then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(RetryLaterError);
    expect(refused).toMatchObject({ status: 429, code: "too_many_requests", message: expect.stringMatching(/^too many searches \(30 a minute\); try again in \d+ s$/) });
    expect((refused as RetryLaterError).retryAfterSeconds).toBeGreaterThan(0);
    expect((refused as RetryLaterError).retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await searchPostmortems(other, "limit")).toEqual([]);
  });

  it(`searches take turns: ${SEARCH_BULKHEAD.limit} at a time, ${SEARCH_BULKHEAD.queue} waiting, and a 503 with Retry-After beyond (the gate keeps a core)`, async () => {
    const { members } = await setup(0);
    const people = await Promise.all(Array.from({ length: 4 }, () => makeUser()));
    const n = SEARCH_BULKHEAD.limit + SEARCH_BULKHEAD.queue + 3;
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => searchPostmortems(i % 5 === 0 ? members.viewer : people[i % 4]!.actor, `turns${i}`).then(() => null, (e: unknown) => e)));
    const refused = answers.filter((a) => a !== null);
    expect(refused).toHaveLength(3);
    for (const e of refused) expect(e).toMatchObject({ status: 503, code: "unavailable", retryAfterSeconds: 1, message: expect.stringContaining("search is busy") });
    // Once they are done, searching works again at once.
    expect(await searchPostmortems(members.viewer, "turns")).toEqual([]);
  });
});

describe("the gate and a required postmortem (docs/domain.md policy)", () => {
  it("denies feature deploys of the service until the postmortem is published with a P0 action item", async () => {
    const { team, members, incidentInput } = await setup(30);
    const gate = await makeTokenActor(team.slug, members.admin, ["gate"]);
    const ask = (changeType: "feature" | "security" = "feature") => askGate(gate, { service: "api", environment: "production", version: "v2", changeType, requester: "ci" });
    // 300 bad of 100,000 at 99 %: 70 % left, normal; nothing but the postmortem can deny.
    // (The incident's own window, up to its end, lost 60 %: a postmortem is required.)
    expect((await ask()).decision).toBe("allow");
    const i = await createIncident(members.editor, team.slug, incidentInput);
    const denied = await ask();
    expect(denied.decision).toBe("deny");
    expect(denied.reasons.at(-1)).toBe('feature deploys wait for the postmortem of "Checkout errors" (published with a P0 action item)');
    expect((await ask("security")).decision).toBe("allow");

    const pm = await createPostmortem(members.editor, team.slug, { incident: i.id });
    const p1 = await createActionItem(members.editor, pm.id, { title: "Alert on pool saturation", type: "mitigate", priority: "P1", owner: null, dueDate: null, ticketUrl: null });
    await transitionPostmortem(members.editor, pm.id, "submit", "");
    // Publishing without a P0 item is refused before anything changes, so the team is never stuck with a published postmortem that cannot satisfy the gate.
    await expect(transitionPostmortem(members.admin, pm.id, "approve", "")).rejects.toMatchObject({ status: 409 });
    expect((await ask()).decision).toBe("deny");
    await updateActionItem(members.editor, p1.id, { priority: "P0" });
    await transitionPostmortem(members.admin, pm.id, "approve", "");
    expect((await ask()).decision).toBe("allow");
    // Follow-ups stay addable and editable once published.
    const late = await createActionItem(members.editor, pm.id, { title: "Load test the pool", type: "prevent", priority: "P1", owner: null, dueDate: null, ticketUrl: null });
    expect((await updateActionItem(members.editor, late.id, { title: "Load test the pool weekly", status: "in_progress" })).title).toBe("Load test the pool weekly");
    // Lowering the only P0 brings the hold back: the gate and the rule stay one.
    await updateActionItem(members.editor, p1.id, { priority: "P1" });
    expect((await ask()).decision).toBe("deny");
  });
});

describe("action items", () => {
  it("are tracked per team, per owner and for the owner themselves; won't do needs a reason", async () => {
    const { team, members } = await setup(0);
    const pm = await createPostmortem(members.editor, team.slug, { title: "Tracking" });
    const owner = await prisma().user.findUniqueOrThrow({ where: { id: members.editor.userId } });
    const late = await createActionItem(members.editor, pm.id, { title: "Add a canary stage", type: "prevent", priority: "P0", owner: owner.id, dueDate: "2020-01-01", ticketUrl: "https://jira.example/OPS-7" });
    await createActionItem(members.editor, pm.id, { title: "Write the runbook", type: "process", priority: "P2", owner: null, dueDate: "2099-01-01", ticketUrl: null });
    const before = await teamActionItems(members.viewer, team.slug);
    expect(before.tracking).toMatchObject({ total: 2, open: 2, overdue: 1, completionRate: 0, openP0: 1 });
    expect(before.items.find((i) => i.id === late.id)!.overdue).toBe(true);
    expect(before.byOwner[0]).toMatchObject({ owner: { id: owner.id }, tracking: { overdue: 1 } });
    expect((await myActionItems(members.editor)).items.map((i) => i.title)).toEqual(["Add a canary stage"]);

    await expect(updateActionItem(members.editor, late.id, { status: "wont_do" })).rejects.toMatchObject({ status: 422 });
    const done = await updateActionItem(members.editor, late.id, { status: "done" });
    expect(done.completedAt).not.toBeNull();
    const after = await teamActionItems(members.viewer, team.slug);
    expect(after.tracking).toMatchObject({ open: 1, overdue: 0, completionRate: 0.5, openP0: 0 });
    const { actor: stranger } = await makeUser();
    await expect(createActionItem(members.editor, pm.id, { title: "x", type: "prevent", priority: "P1", owner: stranger.kind === "user" ? stranger.userId : null, dueDate: null, ticketUrl: null })).rejects.toMatchObject({ status: 422, fields: { owner: "must be a member of the team" } });
  });
});

describe("templates", () => {
  it("team admins keep their own templates; a postmortem can start from one", async () => {
    const { team, members } = await setup(0);
    const sections = [{ key: "what", title: "What happened", prompt: "In two lines" }, { key: "next", title: "Next steps", prompt: "" }];
    const t = await putTemplate(members.admin, team.slug, { name: "Short", sections });
    expect((await listTemplates(members.viewer, team.slug)).map((x) => x.name)).toEqual(["Blameless (default)", "Short"]);
    const pm = await createPostmortem(members.editor, team.slug, { title: "Quick one", template: t.id });
    expect(pm.sections).toEqual([{ key: "what", title: "What happened", body: "", prompt: "In two lines" }, { key: "next", title: "Next steps", body: "" }]);
    await expect(putTemplate(members.editor, team.slug, { name: "Mine", sections })).rejects.toMatchObject({ status: 403 });
    // Search indexes what people wrote (titles, section titles and bodies), not a template's prompts or keys:
    // a prompt's word would otherwise match every postmortem made from the template.
    const prompted = await putTemplate(members.admin, team.slug, { name: "Prompted", sections: [{ key: `k${Date.now()}`, title: "Timeline", prompt: `Describe the quokka${Date.now()} here` }] });
    const fromIt = await createPostmortem(members.editor, team.slug, { title: "Prompted one", template: prompted.id });
    const promptWord = /quokka\d+/.exec(fromIt.sections[0]!.prompt ?? "")![0];
    expect(await searchPostmortems(members.viewer, promptWord)).toEqual([]);
    expect(await searchPostmortems(members.viewer, fromIt.sections[0]!.key)).toEqual([]);
    expect((await searchPostmortems(members.viewer, "Prompted one")).map((r) => r.id)).toContain(fromIt.id);
    const other = await setup(0);
    await expect(createPostmortem(other.members.editor, other.team.slug, { title: "x", template: t.id })).rejects.toMatchObject({ status: 422, fields: { template: "no such template in this team" } });
  });
});
