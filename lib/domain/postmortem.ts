// Incidents and blameless postmortems (docs/domain.md "Incidents and blameless postmortems"): when a
// postmortem is required, the default template's sections, the review workflow, writing hints,
// action-item rules and the Markdown export. Pure: the caller brings the data and the time.

export const severities = ["SEV1", "SEV2", "SEV3", "SEV4"] as const;
export type Severity = (typeof severities)[number];
export const severityMeaning: Record<Severity, string> = {
  SEV1: "complete outage, data loss or breach",
  SEV2: "major feature down, significant user impact",
  SEV3: "partial degradation, limited impact",
  SEV4: "minor, workaround exists",
};

export const incidentRoles = ["commander", "communications", "technical", "scribe"] as const;
export type IncidentRole = (typeof incidentRoles)[number];
export const roleTitle: Record<IncidentRole, string> = {
  commander: "Incident commander",
  communications: "Communications lead",
  technical: "Technical lead",
  scribe: "Scribe",
};

export const timelineKinds = ["deploy", "alert", "acknowledged", "root_cause", "rollback", "restored", "closed", "note"] as const;
export type TimelineKind = (typeof timelineKinds)[number];

/** docs/domain.md (Google's example policy): one incident spending more than 20 % of an SLO's budget requires a postmortem. */
export const POSTMORTEM_BUDGET_THRESHOLD = 0.2;

export function postmortemRequired(budgetSpent: readonly (number | null)[]): boolean {
  return budgetSpent.some((b) => b !== null && b > POSTMORTEM_BUDGET_THRESHOLD);
}

/** The default blameless template: docs/domain.md's sections, in its order, each with a prompt. */
export const defaultSections: { key: string; title: string; prompt: string }[] = [
  { key: "summary", title: "Summary", prompt: "What happened, for how long, to whom, at what severity." },
  { key: "impact", title: "Impact", prompt: "Who was affected and how much; the error budget each SLO lost." },
  { key: "root_cause", title: "Root cause and trigger", prompt: "The conditions in the system that made this possible, and what set it off." },
  { key: "detection", title: "Detection", prompt: "How we found out, and how long that took." },
  { key: "resolution", title: "Resolution", prompt: "What stopped the impact, and what restored service." },
  { key: "went_well", title: "What went well", prompt: "" },
  { key: "went_poorly", title: "What went poorly", prompt: "" },
  { key: "lucky", title: "Where we got lucky", prompt: "" },
  { key: "lessons", title: "Lessons learned", prompt: "" },
];

export const postmortemStatuses = ["draft", "in_review", "published"] as const;
export type PostmortemStatus = (typeof postmortemStatuses)[number];
export const workflowActions = ["submit", "request_changes", "approve", "reopen"] as const;
export type WorkflowAction = (typeof workflowActions)[number];

/**
 * draft -> in review (submit) -> published (a reviewer approves) or back to draft (changes
 * asked); a published one goes back to draft when a team admin reopens it for corrections.
 */
export function nextStatus(from: PostmortemStatus, action: WorkflowAction): PostmortemStatus | string {
  if (action === "submit") return from === "draft" ? "in_review" : `only a draft can be submitted for review; this one is ${from.replace("_", " ")}`;
  if (action === "reopen") return from === "published" ? "draft" : `only a published postmortem can be reopened; this one is ${from.replace("_", " ")}`;
  if (from !== "in_review") return `only a postmortem in review can be ${action === "approve" ? "approved" : "sent back"}; this one is ${from.replace("_", " ")}`;
  return action === "approve" ? "published" : "draft";
}

export const actionItemTypes = ["mitigate", "prevent", "process"] as const;
export const priorities = ["P0", "P1", "P2"] as const;
export type Priority = (typeof priorities)[number];
export const actionItemStatuses = ["open", "in_progress", "done", "wont_do"] as const;
export type ActionItemStatus = (typeof actionItemStatuses)[number];

/** Open or in progress past its due date (the due date is a calendar day: overdue the day after). */
export function isOverdue(item: { status: ActionItemStatus; dueDate: string | null }, today: string): boolean {
  return (item.status === "open" || item.status === "in_progress") && item.dueDate !== null && item.dueDate < today;
}

/** Whether the gate can let feature deploys through again: the postmortem is published with at least one P0 action item. */
export function postmortemSatisfied(pm: { status: PostmortemStatus; actionItems: { priority: Priority }[] } | null): boolean {
  return pm !== null && pm.status === "published" && pm.actionItems.some((a) => a.priority === "P0");
}

/** A section still as the template left it: blank, or only its prompt (older drafts had it written in as _prompt_). */
export function sectionIsEmpty(s: { body: string; prompt?: string }): boolean {
  const body = s.body.trim();
  return body === "" || (Boolean(s.prompt) && body === `_${s.prompt!.trim()}_`);
}

export type PublishCheck = {
  /** What stops approval now; nothing changes until each is resolved. */
  blocking: string[];
  /** What to look at before publishing: the approver confirms past these. */
  warnings: string[];
};

/**
 * Whether `approverId` may approve and publish this postmortem now (docs/domain.md: a postmortem an
 * incident requires needs at least one P0 action item; reviewers approve; blameless writing).
 * The editor shows the same check ahead of the button.
 */
export function publishCheck(
  pm: { required: boolean; authorId: string | null; actionItems: readonly { priority: Priority }[]; sections: readonly { title: string; body: string; prompt?: string }[] },
  approverId: string | null,
  policy: { selfApproval: boolean },
  people: readonly string[] = [],
): PublishCheck {
  const blocking: string[] = [];
  if (pm.required && !pm.actionItems.some((a) => a.priority === "P0")) {
    blocking.push(
      `its incident spent more than ${POSTMORTEM_BUDGET_THRESHOLD * 100}% of an SLO's error budget, so the policy requires at least one P0 action item: add one before publishing`,
    );
  }
  if (approverId !== null && pm.authorId === approverId && !policy.selfApproval) {
    blocking.push("the author cannot approve their own postmortem: another editor of the team approves it (a team admin can allow self-approval in the policy)");
  }
  const warnings: string[] = [];
  const empty = pm.sections.filter(sectionIsEmpty).map((s) => s.title);
  if (empty.length) warnings.push(`empty sections: ${empty.join(", ")}`);
  const hinted = pm.sections.filter((s) => blamelessHints(s.body, people).length > 0).map((s) => s.title);
  if (hinted.length) warnings.push(`blameless-writing hints not yet resolved in: ${hinted.join(", ")}`);
  return { blocking, warnings };
}

export type TrackedItem = { priority: Priority; status: ActionItemStatus; dueDate: string | null; createdAt: Date; completedAt: Date | null };

export type Tracking = ReturnType<typeof trackItems>;

/** Tracking figures of a set of action items: open, overdue, completion rate and the age of open P0 items. */
export function trackItems(items: readonly TrackedItem[], now: Date) {
  const today = now.toISOString().slice(0, 10);
  const closed = items.filter((i) => i.status === "done" || i.status === "wont_do");
  const openP0 = items.filter((i) => i.priority === "P0" && (i.status === "open" || i.status === "in_progress"));
  const ages = openP0.map((i) => (now.getTime() - i.createdAt.getTime()) / 86_400_000);
  return {
    total: items.length,
    open: items.length - closed.length,
    overdue: items.filter((i) => isOverdue(i, today)).length,
    /** Done or won't-do over all; null with no items. */
    completionRate: items.length ? closed.length / items.length : null,
    openP0: openP0.length,
    oldestOpenP0Days: ages.length ? Math.max(...ages) : null,
  };
}

export type BlameHint = { sentence: string; phrase: string; suggestion: string };

const blamePhrases: [RegExp, string][] = [
  [/\bhuman error\b/i, "Name the gap in the system that let a normal mistake cause harm, e.g. \"the deploy had no validation step\"."],
  [/\bshould have\b/i, "Say what the system did not do, e.g. \"the runbook did not cover this case\", instead of what a person should have done."],
  [/\bcareless(ly|ness)?\b/i, "Describe the conditions (time pressure, missing checks) rather than a person's care."],
  [/\b(negligen(t|ce)|incompeten(t|ce)|sloppy)\b/i, "Describe what the system allowed, not a person's qualities."],
  [/\b(forgot|failed to|neglected to|didn't bother)\b/i, "Describe the missing safeguard, e.g. \"no check caught the missing flag\"."],
];

/**
 * Sentences that blame a person (docs/domain.md "Blameless: describe systems, not people"): a known
 * name or an @handle as the subject of a failure, or phrases like "human error" and "should
 * have". Hints for the writer, never a block.
 */
export function blamelessHints(text: string, people: readonly string[] = []): BlameHint[] {
  const sentences = text.split(/(?<=[.!?])\s+|\n+/).map((s) => s.trim()).filter(Boolean);
  const names = people.flatMap((p) => [p, p.split(/\s+/)[0]!]).filter((n) => n.length >= 2);
  const out: BlameHint[] = [];
  for (const sentence of sentences) {
    const phrase = blamePhrases.find(([re]) => re.test(sentence));
    if (phrase) {
      out.push({ sentence, phrase: sentence.match(phrase[0])![0], suggestion: phrase[1] });
      continue;
    }
    const handle = sentence.match(/(^|\s)(@[\w.-]+)\s+(broke|pushed|deployed|caused|missed|ignored|deleted|dropped|merged)\b/i);
    const named = names.find((n) => new RegExp(`(^|\\s)${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s+(broke|pushed|deployed|caused|missed|ignored|deleted|dropped|merged)\\b`, "i").test(sentence));
    if (handle || named) {
      out.push({ sentence, phrase: handle ? handle[2]! : named!, suggestion: "Make the system the subject, e.g. \"the pipeline deployed a build that had not passed review\"." });
    }
  }
  return out;
}

export type PostmortemDoc = {
  title: string;
  status: PostmortemStatus;
  incident: { title: string; severity: Severity; startedAt: string; detectedAt: string | null; mitigatedAt: string | null; resolvedAt: string | null } | null;
  roles: Partial<Record<IncidentRole, string>>;
  impact: { slo: string; service: string; budgetSpent: number | null }[];
  sections: { title: string; body: string }[];
  timeline: { at: string; kind: string; text: string }[];
  actionItems: { title: string; type: string; priority: string; owner: string | null; dueDate: string | null; status: string; ticketUrl: string | null }[];
};

const pct = (f: number | null) => (f === null ? "no data" : `${(Math.round(f * 1000) / 10).toString()}%`);
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The whole postmortem as one Markdown document (the export). */
export function postmortemMarkdown(pm: PostmortemDoc): string {
  const lines = [`# ${pm.title}`, "", `Status: ${pm.status.replace("_", " ")}`];
  if (pm.incident) {
    const i = pm.incident;
    lines.push(`Incident: ${i.title} (${i.severity}), started ${i.startedAt}${i.detectedAt ? `, detected ${i.detectedAt}` : ""}${i.mitigatedAt ? `, mitigated ${i.mitigatedAt}` : ""}${i.resolvedAt ? `, resolved ${i.resolvedAt}` : ""}`);
  }
  const roles = incidentRoles.filter((r) => pm.roles[r]).map((r) => `${roleTitle[r]}: ${pm.roles[r]}`);
  if (roles.length) lines.push(`Roles: ${roles.join("; ")}`);
  if (pm.impact.length) {
    lines.push("", "## Error budget spent", "", "| SLO | Service | Budget spent |", "| --- | --- | --- |");
    for (const x of pm.impact) lines.push(`| ${cell(x.slo)} | ${cell(x.service)} | ${pct(x.budgetSpent)} |`);
  }
  for (const s of pm.sections) lines.push("", `## ${s.title}`, "", s.body.trim() || "_(empty)_");
  if (pm.timeline.length) {
    lines.push("", "## Timeline", "", "| Time (UTC) | Event | What happened |", "| --- | --- | --- |");
    for (const t of pm.timeline) lines.push(`| ${t.at} | ${t.kind.replace("_", " ")} | ${cell(t.text)} |`);
  }
  if (pm.actionItems.length) {
    lines.push("", "## Action items", "", "| Priority | Action | Type | Owner | Due | Status | Ticket |", "| --- | --- | --- | --- | --- | --- | --- |");
    for (const a of pm.actionItems) lines.push(`| ${a.priority} | ${cell(a.title)} | ${a.type} | ${cell(a.owner ?? "")} | ${a.dueDate ?? ""} | ${a.status.replace("_", " ")} | ${a.ticketUrl ?? ""} |`);
  }
  return `${lines.join("\n")}\n`;
}

/** "Title: prompt" lines to sections, with keys made from the titles. */
export function templateSectionsFromLines(lines: string) {
  return lines
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [title, ...rest] = l.split(":");
      const t = (title ?? "").trim();
      return { key: t.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "").slice(0, 40) || "section", title: t, prompt: rest.join(":").trim() };
    });
}

/** The calendar date (YYYY-MM-DD) of an instant in the zone of whoever runs this: "today" for a person's own due dates. */
export function localDateOf(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The question asked before saving a new item due in the past (it would be overdue at once): null when the date is fine. */
export function pastDueQuestion(dueDate: string | null, today: string): string | null {
  return isOverdue({ status: "open", dueDate }, today) ? `The due date ${dueDate} is in the past, so the item is overdue at once. Save it anyway?` : null;
}
