// Blameless postmortems: created from a template (pre-filled from an incident), edited with
// conflict detection (a save names the revision it started from), reviewed (draft -> in review
// -> published, every transition audited), searched and exported. Drafts are the team's;
// published postmortems are readable by every signed-in person (sharing is part of the culture).
import { defaultSections, nextStatus, postmortemMarkdown, publishCheck, roleTitle, incidentRoles, type IncidentRole, type PostmortemDoc, type Priority, type Severity, type WorkflowAction } from "../../domain/postmortem";
import { accessAtLeast } from "../../domain/roles";
import { effectivePolicy } from "./policy";
import { formatDuration, formatPercent } from "../../domain/format";
import { HIGHLIGHT_START, HIGHLIGHT_STOP, highlightParts, type HighlightPart } from "../../domain/search-highlight";
import { savePostmortemSchema, type SavePostmortemInput, type TemplateInput } from "../../schemas/incidents";
import type { ActionItemView, PostmortemView, Section, TemplateView } from "../../schemas/views";
import { isUuid } from "../../schemas/common";
import type { Prisma } from "../../generated/prisma/client";
import { prisma, withTransaction } from "../db/client";
import { AppError, conflict, fieldsError, notFound, RetryLaterError } from "../errors";
import { bulkhead } from "../concurrency";
import { processGlobal } from "../process-global";
import { limitSearch } from "../rate-limit";
import type { Actor } from "./actor";
import { requirePersonInTeam, requireTeamRead, requireUser } from "./access";
import { requireUnchangedSince, writeAudit } from "./audit";
import { getIncident, incidentOf, type IncidentView } from "./incidents";
import { clockNow } from "../clock";
import type { PostmortemListItem } from "../../schemas/responses";

export type { ActionItemView, PostmortemView, Section };

export const actionItemInclude = { owner: { select: { id: true, name: true } }, postmortem: { select: { id: true, title: true } }, team: { select: { slug: true } } } as const;
export const actionItemView = (a: Prisma.ActionItemGetPayload<{ include: typeof actionItemInclude }>): ActionItemView => ({
  id: a.id,
  postmortem: a.postmortem,
  team: a.team.slug,
  title: a.title,
  type: a.type,
  priority: a.priority,
  owner: a.owner,
  dueDate: a.dueDate?.toISOString().slice(0, 10) ?? null,
  status: a.status,
  wontDoReason: a.wontDoReason,
  ticketUrl: a.ticketUrl,
  createdAt: a.createdAt.toISOString(),
  completedAt: a.completedAt?.toISOString() ?? null,
});

const include: {
  team: { select: { slug: true; name: true } };
  reviews: { include: { reviewer: { select: { name: true } } }; orderBy: { createdAt: "asc" } };
  actionItems: { include: typeof actionItemInclude; orderBy: ({ priority: "asc" } | { createdAt: "asc" })[] };
} = {
  team: { select: { slug: true, name: true } },
  reviews: { include: { reviewer: { select: { name: true } } }, orderBy: { createdAt: "asc" } },
  actionItems: { include: actionItemInclude, orderBy: [{ priority: "asc" }, { createdAt: "asc" }] },
};
type Row = Prisma.PostmortemGetPayload<{ include: typeof include }>;

/** The publish check for `approverId`: the incident's requirement, the team policy's self-approval rule, the sections. */
async function checkOf(p: Row, incident: IncidentView | null, approverId: string | null) {
  const [{ policy }, members] = await Promise.all([
    effectivePolicy(p.teamId, null),
    prisma().membership.findMany({ where: { teamId: p.teamId }, select: { user: { select: { name: true } } } }),
  ]);
  const people = [...members.map((m) => m.user.name), ...Object.values(incident?.roles ?? {}).filter((x): x is string => Boolean(x))];
  return publishCheck(
    { required: incident?.postmortemRequired ?? false, authorId: p.createdById, actionItems: p.actionItems.map((a) => ({ priority: a.priority as Priority })), sections: p.sections as Section[] },
    approverId,
    policy,
    people,
  );
}

async function view(p: Row, actor: Actor, editable: boolean, role: string | null = null): Promise<PostmortemView> {
  // Whoever may read the postmortem reads its incident too (a published one: everyone signed in).
  const incident = p.incidentId ? await incidentOf(p.teamId, p.incidentId) : null;
  const updatedBy = p.updatedById ? await prisma().user.findUnique({ where: { id: p.updatedById }, select: { name: true } }) : null;
  const check = editable ? await checkOf(p, incident, actor.kind === "user" ? actor.userId : null) : { blocking: [], warnings: [] };
  return {
    id: p.id,
    team: p.team.slug,
    teamName: p.team.name,
    title: p.title,
    status: p.status,
    sections: p.sections as Section[],
    revision: p.revision,
    incident,
    reviews: p.reviews.map((r) => ({ reviewer: r.reviewer?.name ?? null, decision: r.decision, comment: r.comment, at: r.createdAt.toISOString() })),
    actionItems: p.actionItems.map(actionItemView),
    updatedAt: p.updatedAt.toISOString(),
    updatedBy: updatedBy?.name ?? null,
    publishedAt: p.publishedAt?.toISOString() ?? null,
    canEdit: editable && p.status !== "published",
    teamEditor: editable,
    canReopen: p.status === "published" && role !== null && accessAtLeast(role, "admin"),
    publishCheck: check,
  };
}

const duration = (from: string, to: string | null) => (to ? formatDuration((new Date(to).getTime() - new Date(from).getTime()) / 60_000) : "ongoing");

/** The sections of a new postmortem, with the incident's figures written into the summary and impact. */
function prefill(template: { key: string; title: string; prompt: string }[], incident: IncidentView | null): Section[] {
  return template.map((s) => {
    // Prompts are placeholders the editor shows, never text that gets published.
    const blank = { key: s.key, title: s.title, body: "", ...(s.prompt ? { prompt: s.prompt } : {}) };
    if (!incident) return blank;
    if (s.key === "summary") {
      const roles = incidentRoles.filter((r) => incident.roles[r]).map((r) => `${roleTitle[r]}: ${incident.roles[r]}`);
      return {
        ...blank,
        body: [
          `**${incident.title}** (${incident.severity}), ${duration(incident.startedAt, incident.resolvedAt ?? incident.mitigatedAt)} from ${incident.startedAt} to ${incident.resolvedAt ?? incident.mitigatedAt ?? "now"}.`,
          incident.detectedAt ? `Detected after ${duration(incident.startedAt, incident.detectedAt)}.` : "",
          incident.summary,
          roles.length ? `\n${roles.map((r) => `- ${r}`).join("\n")}` : "",
        ]
          .filter(Boolean)
          .join("\n\n"),
      };
    }
    if (s.key === "impact" && incident.impact.length) {
      const rows = incident.impact.map((x) => `| ${x.slo.name} | ${x.service.name} | ${x.budgetSpent === null ? "no data" : formatPercent(x.budgetSpent, 1)} | ${x.badEvents.toLocaleString("en-US")} of ${x.totalEvents.toLocaleString("en-US")} |`);
      return { ...blank, body: `Error budget spent during the incident (computed from the SLI data):\n\n| SLO | Service | Budget spent | Bad events |\n| --- | --- | --- | --- |\n${rows.join("\n")}\n` };
    }
    return blank;
  });
}

export async function createPostmortem(actor: Actor, team: string, input: { incident?: string | null; template?: string | null; title?: string }): Promise<PostmortemView> {
  const user = requireUser(actor);
  const access = await requirePersonInTeam(actor, team, "editor");
  const incident = input.incident ? await getIncident(actor, team, input.incident) : null;
  if (incident?.postmortem) throw conflict("this incident already has a postmortem", { incident: "already has a postmortem" });
  let template = defaultSections;
  if (input.template) {
    const t = await prisma().postmortemTemplate.findFirst({ where: { id: input.template, teamId: access.teamId } });
    if (!t) throw new AppError("invalid", "template: no such template in this team", { template: "no such template in this team" });
    template = t.sections as typeof defaultSections;
  }
  const title = input.title ?? incident?.title;
  if (!title) throw new AppError("invalid", "title: is required without an incident", { title: "is required without an incident" });
  // Relations are read after the commit: Prisma loads them with parallel queries, which one
  // transaction's connection would have to queue.
  const id = await prisma().$transaction(async (tx) => {
    const row = await tx.postmortem.create({ data: { teamId: access.teamId, incidentId: incident?.id ?? null, title, sections: prefill(template, incident), createdById: user.userId, updatedById: user.userId } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "postmortem.create", targetType: "postmortem", targetId: row.id, after: { title, status: row.status, incident: incident?.id ?? null } });
    return row.id;
  });
  return view(await prisma().postmortem.findUniqueOrThrow({ where: { id }, include }), actor, true, access.role);
}

/** Team members read every postmortem of their team; everyone signed in reads published ones. */
async function readable(actor: Actor, id: string): Promise<{ row: Row; editable: boolean; role: string | null }> {
  const row = isUuid(id) ? await prisma().postmortem.findUnique({ where: { id }, include }) : null;
  if (!row) throw notFound("postmortem");
  try {
    const access = await requireTeamRead(actor, row.team.slug);
    return { row, editable: access.role !== "viewer" && access.role !== "token", role: access.role };
  } catch (e) {
    if (row.status === "published" && actor.kind === "user") return { row, editable: false, role: null };
    if (e instanceof AppError && e.status === 404) throw notFound("postmortem");
    throw e;
  }
}

export async function getPostmortem(actor: Actor, id: string): Promise<PostmortemView> {
  const { row, editable, role } = await readable(actor, id);
  return view(row, actor, editable, role);
}

/**
 * PostgreSQL's tsvector holds at most 1 MB, and the search-vector trigger fails the write beyond
 * that: a text of many distinct tokens (pasted request ids: 740 KB of UUIDs make a 1.5 MB vector)
 * can reach it under the document limit. The write is rolled back; the editor gets a 422.
 */
const VECTOR_TOO_LONG = "hold too many distinct words to index for search; link long logs or id lists instead of pasting them";
function isSearchVectorTooLong(e: unknown, depth = 0): boolean {
  if (typeof e !== "object" || e === null || depth > 5) return false;
  const x = e as { message?: unknown; originalMessage?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
  const text = `${typeof x.message === "string" ? x.message : ""} ${typeof x.originalMessage === "string" ? x.originalMessage : ""}`;
  return /too long for tsvector/.test(text) || isSearchVectorTooLong(x.cause, depth + 1) || isSearchVectorTooLong(x.meta?.driverAdapterError, depth + 1);
}

/**
 * Saves an edit made from `revision`. If someone saved since, nothing is written and the
 * answer is 409 with the current revision, so the editor can show both versions.
 */
export async function savePostmortem(actor: Actor, id: string, edit: SavePostmortemInput): Promise<PostmortemView> {
  // The size limits hold for every caller, not only the route that parsed the body: 422 naming
  // the field (e.g. sections.3.body) before anything is read or written.
  const parsed = savePostmortemSchema.safeParse(edit);
  if (!parsed.success) throw fieldsError("invalid", parsed.error);
  const input = parsed.data;
  const user = requireUser(actor);
  const { row } = await readable(actor, id);
  const access = await requirePersonInTeam(actor, row.team.slug, "editor");
  if (row.status === "published") throw conflict("a published postmortem is read-only (its action items stay editable); a team admin can reopen it for corrections");
  await prisma()
    .$transaction(async (tx) => {
      const changed = await tx.postmortem.updateMany({
        where: { id: row.id, revision: input.revision, status: { not: "published" } },
        data: { ...(input.title ? { title: input.title } : {}), ...(input.sections ? { sections: input.sections } : {}), revision: { increment: 1 }, updatedById: user.userId },
      });
      if (changed.count === 0) {
        const current = await tx.postmortem.findUniqueOrThrow({ where: { id: row.id }, select: { revision: true } });
        throw conflict(`someone saved this postmortem since you opened it (revision ${current.revision}, yours started from ${input.revision}); nothing was overwritten`, { revision: `is ${current.revision} now` });
      }
      await writeAudit(tx, actor, { teamId: access.teamId, action: "postmortem.save", targetType: "postmortem", targetId: row.id, after: { revision: input.revision + 1 } });
    })
    .catch((e: unknown) => {
      if (isSearchVectorTooLong(e)) throw new AppError("invalid", `sections: ${VECTOR_TOO_LONG}`, { sections: VECTOR_TOO_LONG });
      throw e;
    });
  return view(await prisma().postmortem.findUniqueOrThrow({ where: { id: row.id }, include }), actor, true, access.role);
}

/**
 * Submit, approve or send back, or (team admins) reopen a published one; each transition is
 * audited, a review keeps the reviewer's comment. Approval first passes the publish check
 * (a required P0 action item, an approver other than the author): nothing changes otherwise.
 */
export async function transitionPostmortem(actor: Actor, id: string, action: WorkflowAction, comment: string): Promise<PostmortemView> {
  const user = requireUser(actor);
  const { row } = await readable(actor, id);
  const access = await requirePersonInTeam(actor, row.team.slug, action === "reopen" ? "admin" : "editor");
  const to = nextStatus(row.status, action);
  if (!["draft", "in_review", "published"].includes(to)) throw conflict(to);
  if (action === "approve") {
    const incident = row.incidentId ? await incidentOf(row.teamId, row.incidentId) : null;
    const { blocking } = await checkOf(row, incident, user.userId);
    if (blocking.length) throw conflict(`not published: ${blocking.join("; ")}`, { action: blocking[0]! });
  }
  await prisma().$transaction(async (tx) => {
    const moved = await tx.postmortem.updateMany({ where: { id: row.id, status: row.status }, data: { status: to as Row["status"], ...(to === "published" ? { publishedAt: clockNow() } : {}) } });
    if (moved.count === 0) throw conflict("the postmortem changed status at the same moment; reload");
    if (action === "approve" || action === "request_changes") await tx.postmortemReview.create({ data: { postmortemId: row.id, reviewerId: user.userId, decision: action, comment } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: `postmortem.${action}`, targetType: "postmortem", targetId: row.id, before: { status: row.status }, after: { status: to, comment } });
  });
  return view(await prisma().postmortem.findUniqueOrThrow({ where: { id: row.id }, include }), actor, true, access.role);
}

/** The answer's type is its response schema's output (lib/schemas/responses.ts). */
export type { PostmortemListItem } from "../../schemas/responses";

/** A team's postmortems (drafts included), newest first. */
export async function listPostmortems(actor: Actor, team: string): Promise<PostmortemListItem[]> {
  const access = await requireTeamRead(actor, team);
  const rows = await prisma().postmortem.findMany({ where: { teamId: access.teamId }, orderBy: { updatedAt: "desc" }, take: 200, include: { incident: { select: { id: true, severity: true } } } });
  return rows.map((r) => ({ id: r.id, team: access.slug, title: r.title, status: r.status, updatedAt: r.updatedAt.toISOString(), incident: r.incident }));
}

/** Results of one search, best first; the highlight runs over these only. */
export const SEARCH_RESULTS = 50;
/**
 * Characters of a postmortem a highlight reads: the title, then each section's title and body
 * in order, each cut to this and all of it cut to this. ts_headline parses all of its input
 * (about 10 MB/s here), so without the cap 50 results at the size limit (1 MB) cost seconds per
 * search. A match further in is still found and ranked (by the stored vector); its snippet
 * then shows the start of the text without a marker. Measured on 50 MB of postmortems
 * (lib/bench/search.ts's corpus, a loaded 2-core machine), per search: matching and ranking
 * 9 ms; the highlight of 50 results adds 32 ms at 4 KB, 60 ms at 8 KB, 118 ms at 16 KB, 146 ms
 * at 32 KB. 8 KB is the summary and impact of a typical write-up.
 */
export const HIGHLIGHT_CHARS = 8 * 1024;
/** Matches are wrapped in markers no text carries (removed from the text first), turned into parts by highlightParts. */
const HEADLINE_OPTIONS = `MaxFragments=1, MaxWords=24, MinWords=8, StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_STOP}`;

/**
 * Set in the search's transaction. The planner does not count the reading of each row's
 * search_vector, which any postmortem of a few KB keeps out of line (TOAST), in a sequential
 * scan's cost: on a table of few heap pages it then prefers scanning every vector to the index
 * (measured: 3,000 postmortems of 35 KB, the scan estimated at 90 against 1,300 for the index,
 * took 17.9 ms against 0.5 ms). Off, it reads the index for any size of table.
 */
export const SEARCH_PLAN_SETTINGS = "SET LOCAL enable_seqscan = off";
/** A search that runs longer than this is cancelled by PostgreSQL (a 503), so none holds a core for long. */
const SEARCH_STATEMENT_TIMEOUT = "SET LOCAL statement_timeout = '5s'";

/**
 * Searches running at once in this replica, and how many may wait. On a small machine the deploy
 * gate shares the database's cores with every search: one search at a time keeps a core for the
 * gate however many people search (see `npm run bench`, "gate beside searches"); a short queue
 * absorbs bursts, and beyond it the answer is 503 with Retry-After instead of a growing backlog.
 */
export const SEARCH_BULKHEAD = { limit: 1, queue: 16, waitMs: 5_000 };
const searches = () =>
  processGlobal("search-bulkhead", () =>
    bulkhead({ ...SEARCH_BULKHEAD, full: () => new RetryLaterError("unavailable", "search is busy right now (other searches are running); try again in a second", 1) }),
  );

/**
 * The search statement. Matching and ranking read postmortems.search_vector (kept by a trigger,
 * GIN-indexed as postmortems_search_vector_idx), never the texts; visibility is applied before
 * the LIMIT (published ones of every team, drafts of the caller's teams, all for site admins);
 * only the rows left after the LIMIT are highlighted. Exported so that a test can EXPLAIN
 * exactly this text.
 */
export function searchStatement(q: string, userId: string, isSiteAdmin: boolean): { text: string; values: unknown[] } {
  return {
    text: `WITH hits AS (
       SELECT p.id, p.team_id, p.title, p.status, p.updated_at, p.sections,
              ts_rank(p.search_vector, websearch_to_tsquery('english', $1)) AS rank
       FROM postmortems p
       WHERE p.search_vector @@ websearch_to_tsquery('english', $1)
         AND (p.status = 'published' OR $3 OR p.team_id IN (SELECT team_id FROM memberships WHERE user_id = $2))
       ORDER BY rank DESC, p.updated_at DESC, p.id
       LIMIT ${SEARCH_RESULTS})
     SELECT h.id, t.slug, t.name AS team_name, h.title, h.status::text AS status, h.updated_at,
            ts_headline('english',
              translate(left(h.title || coalesce((SELECT string_agg(E'\\n\\n' || left(s.value->>'title', $4) || E'\\n\\n' || left(s.value->>'body', $4), '' ORDER BY s.ord)
                                        FROM jsonb_array_elements(h.sections) WITH ORDINALITY AS s(value, ord)), ''), $4), '${HIGHLIGHT_START}${HIGHLIGHT_STOP}', ''),
              websearch_to_tsquery('english', $1), '${HEADLINE_OPTIONS}') AS snippet
     FROM hits h JOIN teams t ON t.id = h.team_id
     ORDER BY h.rank DESC, h.updated_at DESC, h.id`,
    values: [q, userId, isSiteAdmin, HIGHLIGHT_CHARS],
  };
}

/**
 * Full-text search (PostgreSQL's English text search) over titles and sections: published
 * postmortems of every team and drafts of the caller's teams, best matches first. Each person
 * may search SEARCHES_PER_MINUTE times a minute (429 with Retry-After beyond), and searches
 * take turns in this replica (SEARCH_BULKHEAD: 503 with Retry-After when too many wait).
 */
export async function searchPostmortems(actor: Actor, q: string): Promise<PostmortemListItem[]> {
  const user = requireUser(actor);
  await limitSearch(user.userId);
  const { rows } = await searches()
    .run(() =>
      withTransaction(async (c) => {
        await c.query(SEARCH_PLAN_SETTINGS);
        await c.query(SEARCH_STATEMENT_TIMEOUT);
        return c.query<{ id: string; slug: string; team_name: string; title: string; status: string; updated_at: Date; snippet: string }>(searchStatement(q, user.userId, user.isSiteAdmin));
      }),
    )
    .catch((e: unknown) => {
      // 57014: cancelled by statement_timeout.
      if ((e as { code?: unknown }).code === "57014") throw new RetryLaterError("unavailable", "the search took too long and was stopped; try again, or with more specific words", 5);
      throw e;
    });
  return rows.map((r) => ({ id: r.id, team: r.slug, teamName: r.team_name, title: r.title, status: r.status, updatedAt: r.updated_at.toISOString(), incident: null, ...highlightOf(r.snippet) }));
}

/** The highlight as parts (matches marked) and as plain text, Markdown syntax and markers left out. */
function highlightOf(headline: string): { snippet: string; highlight: HighlightPart[] } {
  const highlight = highlightParts(headline);
  return { snippet: highlight.map((p) => p.text).join(""), highlight };
}

/** The postmortem as one Markdown document. */
export async function exportPostmortem(actor: Actor, id: string): Promise<{ filename: string; markdown: string }> {
  const p = await getPostmortem(actor, id);
  const i = p.incident;
  const doc: PostmortemDoc = {
    title: p.title,
    status: p.status,
    incident: i ? { title: i.title, severity: i.severity as Severity, startedAt: i.startedAt, detectedAt: i.detectedAt, mitigatedAt: i.mitigatedAt, resolvedAt: i.resolvedAt } : null,
    roles: (i?.roles ?? {}) as Partial<Record<IncidentRole, string>>,
    impact: i?.impact.map((x) => ({ slo: x.slo.name, service: x.service.name, budgetSpent: x.budgetSpent })) ?? [],
    sections: p.sections,
    timeline: i?.timeline ?? [],
    actionItems: p.actionItems.map((a) => ({ title: a.title, type: a.type, priority: a.priority, owner: a.owner?.name ?? null, dueDate: a.dueDate, status: a.status, ticketUrl: a.ticketUrl })),
  };
  return { filename: `${p.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "postmortem"}.md`, markdown: postmortemMarkdown(doc) };
}


/** The default blameless template first (id null), then the team's own. */
export async function listTemplates(actor: Actor, team: string): Promise<TemplateView[]> {
  const access = await requireTeamRead(actor, team);
  const rows = await prisma().postmortemTemplate.findMany({ where: { teamId: access.teamId }, orderBy: { name: "asc" } });
  return [{ id: null, name: "Blameless (default)", sections: defaultSections, updatedAt: null }, ...rows.map((t) => ({ id: t.id, name: t.name, sections: t.sections as TemplateView["sections"], updatedAt: t.updatedAt.toISOString() }))];
}

/** Team admins create or replace a template by name; audited with before and after. */
export async function putTemplate(actor: Actor, team: string, input: TemplateInput): Promise<TemplateView> {
  const access = await requirePersonInTeam(actor, team, "admin");
  return prisma().$transaction(async (tx) => {
    const found = await tx.postmortemTemplate.findUnique({ where: { teamId_name: { teamId: access.teamId, name: input.name } }, select: { id: true } });
    if (found) await requireUnchangedSince(tx, "postmortem_templates", "postmortem_template", found.id, input.baseUpdatedAt);
    const before = await tx.postmortemTemplate.findUnique({ where: { teamId_name: { teamId: access.teamId, name: input.name } } });
    const t = await tx.postmortemTemplate.upsert({ where: { teamId_name: { teamId: access.teamId, name: input.name } }, create: { teamId: access.teamId, name: input.name, sections: input.sections }, update: { sections: input.sections } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: before ? "template.update" : "template.create", targetType: "postmortem_template", targetId: t.id, before: before ? { name: before.name, sections: before.sections as Prisma.InputJsonValue } : undefined, after: { name: t.name, sections: input.sections } });
    return { id: t.id, name: t.name, sections: input.sections, updatedAt: t.updatedAt.toISOString() };
  });
}

export async function deleteTemplate(actor: Actor, team: string, id: string) {
  const access = await requirePersonInTeam(actor, team, "admin");
  await prisma().$transaction(async (tx) => {
    const t = isUuid(id) ? await tx.postmortemTemplate.findFirst({ where: { id, teamId: access.teamId } }) : null;
    if (!t) throw notFound("template");
    await tx.postmortemTemplate.delete({ where: { id: t.id } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "template.delete", targetType: "postmortem_template", targetId: t.id, before: { name: t.name } });
  });
}
