// Postmortem rules from docs/domain.md: required above 20 % of an SLO's budget spent by one incident,
// the draft -> in review -> published workflow, blameless writing hints, action items.
import { describe, expect, it } from "vitest";
import { blamelessHints, templateSectionsFromLines, defaultSections, isOverdue, localDateOf, pastDueQuestion, nextStatus, postmortemMarkdown, postmortemRequired, postmortemSatisfied, publishCheck, sectionIsEmpty, trackItems } from "./postmortem";

describe("postmortemRequired (docs/domain.md: an incident spending more than 20 % of the budget)", () => {
  it.each([
    [[0.2], false], // exactly 20 %: not more than 20 %
    [[0.2001], true],
    [[0.05, 0.35], true], // any affected SLO counts
    [[null], false], // no data: nothing known to be spent
    [[], false],
  ] as const)("%j -> %s", (spent, required) => expect(postmortemRequired(spent)).toBe(required));
});

describe("the review workflow", () => {
  it.each([
    ["draft", "submit", "in_review"],
    ["in_review", "approve", "published"],
    ["in_review", "request_changes", "draft"],
  ] as const)("%s + %s -> %s", (from, action, to) => expect(nextStatus(from, action)).toBe(to));
  it.each([
    ["published", "submit"],
    ["draft", "approve"],
    ["published", "request_changes"],
    ["in_review", "submit"],
    ["draft", "reopen"],
    ["in_review", "reopen"],
  ] as const)("%s + %s is refused with a reason", (from, action) => expect(nextStatus(from, action)).toMatch(/^only /));
  it("a published postmortem reopens to draft", () => expect(nextStatus("published", "reopen")).toBe("draft"));
});

describe("the default template has docs/domain.md's sections", () => {
  it("in order, without the timeline and action items (they are structured, not prose)", () => {
    expect(defaultSections.map((s) => s.title)).toEqual(["Summary", "Impact", "Root cause and trigger", "Detection", "Resolution", "What went well", "What went poorly", "Where we got lucky", "Lessons learned"]);
  });
});

describe("blamelessHints", () => {
  it("flags blaming phrases and people as the subject of a failure, with a suggestion", () => {
    const hints = blamelessHints("The pool shrank to 4. Human error during the push. Li should have checked the diff. @jdoe pushed bad config. Dana deployed the fix at 10:42. The pipeline did not catch the regression.", ["Dana Smith"]);
    expect(hints.map((h) => [h.sentence, h.phrase])).toEqual([
      ["Human error during the push.", "Human error"],
      ["Li should have checked the diff.", "should have"],
      ["@jdoe pushed bad config.", "@jdoe"],
      ["Dana deployed the fix at 10:42.", "Dana"],
    ]);
    expect(hints[0]!.suggestion).toContain("system");
  });
  it("leaves system-focused writing alone", () => {
    expect(blamelessHints("The pipeline did not catch the regression. The alert fired 7 minutes after the deploy.", ["Dana Smith"])).toEqual([]);
  });
});

describe("action items", () => {
  const day = (d: string) => new Date(`${d}T12:00:00Z`);
  it("are overdue the day after their due date, while open or in progress", () => {
    expect(isOverdue({ status: "open", dueDate: "2026-11-21" }, "2026-11-22")).toBe(true);
    expect(isOverdue({ status: "in_progress", dueDate: "2026-11-22" }, "2026-11-22")).toBe(false);
    expect(isOverdue({ status: "done", dueDate: "2026-11-01" }, "2026-11-22")).toBe(false);
    expect(isOverdue({ status: "open", dueDate: null }, "2026-11-22")).toBe(false);
  });
  it("track open, overdue, completion rate and the age of the oldest open P0", () => {
    const t = trackItems(
      [
        { priority: "P0", status: "open", dueDate: "2026-11-20", createdAt: day("2026-11-12"), completedAt: null },
        { priority: "P0", status: "done", dueDate: "2026-11-20", createdAt: day("2026-11-10"), completedAt: day("2026-11-15") },
        { priority: "P1", status: "wont_do", dueDate: null, createdAt: day("2026-11-10"), completedAt: day("2026-11-11") },
        { priority: "P2", status: "in_progress", dueDate: "2026-12-01", createdAt: day("2026-11-20"), completedAt: null },
      ],
      day("2026-11-22"),
    );
    expect(t).toEqual({ total: 4, open: 2, overdue: 1, completionRate: 0.5, openP0: 1, oldestOpenP0Days: 10 });
    expect(trackItems([], day("2026-11-22")).completionRate).toBeNull();
  });
  it("a published postmortem with a P0 item satisfies the policy; a draft or no P0 does not", () => {
    expect(postmortemSatisfied({ status: "published", actionItems: [{ priority: "P1" }, { priority: "P0" }] })).toBe(true);
    expect(postmortemSatisfied({ status: "published", actionItems: [{ priority: "P1" }] })).toBe(false);
    expect(postmortemSatisfied({ status: "in_review", actionItems: [{ priority: "P0" }] })).toBe(false);
    expect(postmortemSatisfied(null)).toBe(false);
  });
});

describe("postmortemMarkdown", () => {
  it("exports every part as one document, escaping table cells", () => {
    const md = postmortemMarkdown({
      title: "Card authorisations failing",
      status: "published",
      incident: { title: "Card authorisations failing", severity: "SEV2", startedAt: "2026-11-16T09:00:00Z", detectedAt: "2026-11-16T09:07:00Z", mitigatedAt: null, resolvedAt: "2026-11-16T09:50:00Z" },
      roles: { commander: "Amara Okafor", scribe: "Li Wei" },
      impact: [{ slo: "Availability 99.9%", service: "Payments API", budgetSpent: 0.4123 }],
      sections: [{ title: "Summary", body: "Pool | limit lowered." }],
      timeline: [{ at: "2026-11-16T09:00:00Z", kind: "deploy", text: "config push" }],
      actionItems: [{ title: "Validate pool | limits", type: "prevent", priority: "P0", owner: "Li Wei", dueDate: "2026-12-01", status: "open", ticketUrl: "https://jira.example/OPS-1" }],
    });
    expect(md).toContain("# Card authorisations failing\n\nStatus: published\nIncident: Card authorisations failing (SEV2), started 2026-11-16T09:00:00Z, detected 2026-11-16T09:07:00Z, resolved 2026-11-16T09:50:00Z\nRoles: Incident commander: Amara Okafor; Scribe: Li Wei");
    expect(md).toContain("| Availability 99.9% | Payments API | 41.2% |");
    expect(md).toContain("## Summary\n\nPool | limit lowered.");
    expect(md).toContain("| P0 | Validate pool \\| limits | prevent | Li Wei | 2026-12-01 | open | https://jira.example/OPS-1 |");
  });
});

describe("templateSectionsFromLines", () => {
  it("reads one section per line as Title: prompt, with keys from the titles", () => {
    expect(templateSectionsFromLines("Summary: what happened\n\n  Customer impact: who noticed: and how \nLessons")).toEqual([
      { key: "summary", title: "Summary", prompt: "what happened" },
      { key: "customer_impact", title: "Customer impact", prompt: "who noticed: and how" },
      { key: "lessons", title: "Lessons", prompt: "" },
    ]);
  });
});

describe("publishCheck: what must hold before a postmortem is published", () => {
  const sections = [
    { title: "Summary", body: "The pool ran out after a config change." },
    { title: "Detection", body: "", prompt: "How we found out" },
    { title: "Resolution", body: "_What stopped the impact_", prompt: "What stopped the impact" }, // an older draft's prompt written in
    { title: "Root cause", body: "Human error: Sam should have checked." },
  ];
  const pm = { required: true, authorId: "u1", actionItems: [{ priority: "P1" as const }], sections };
  it("a required postmortem needs a P0 action item (docs/domain.md: more than 20 % of a budget)", () => {
    expect(publishCheck(pm, "u2", { selfApproval: false }).blocking).toEqual([
      "its incident spent more than 20% of an SLO's error budget, so the policy requires at least one P0 action item: add one before publishing",
    ]);
    expect(publishCheck({ ...pm, actionItems: [{ priority: "P0" }] }, "u2", { selfApproval: false }).blocking).toEqual([]);
    expect(publishCheck({ ...pm, required: false }, "u2", { selfApproval: false }).blocking).toEqual([]);
  });
  it("the approver differs from the author unless the policy allows self-approval", () => {
    const ok = { ...pm, actionItems: [{ priority: "P0" as const }] };
    expect(publishCheck(ok, "u1", { selfApproval: false }).blocking).toEqual([expect.stringMatching(/^the author cannot approve their own postmortem/)]);
    expect(publishCheck(ok, "u1", { selfApproval: true }).blocking).toEqual([]);
  });
  it("warns of empty sections (prompts are not text) and of blameless hints left unresolved", () => {
    expect(publishCheck(pm, "u2", { selfApproval: false }).warnings).toEqual(["empty sections: Detection, Resolution", "blameless-writing hints not yet resolved in: Root cause"]);
    expect(sectionIsEmpty({ body: "  \n" })).toBe(true);
    expect(sectionIsEmpty({ body: "_How we found out_", prompt: "How we found out" })).toBe(true);
    expect(sectionIsEmpty({ body: "_How we found out_ by paging" , prompt: "How we found out" })).toBe(false);
  });
});

describe("a new action item due in the past is questioned, not refused", () => {
  it.each([
    ["2026-11-21", "2026-11-22", "The due date 2026-11-21 is in the past, so the item is overdue at once. Save it anyway?"],
    ["2026-11-22", "2026-11-22", null],
    ["2026-12-01", "2026-11-22", null],
    [null, "2026-11-22", null],
  ])("due %s, today %s", (due, today, question) => {
    expect(pastDueQuestion(due, today)).toBe(question);
  });
  it("today is the local calendar date", () => {
    expect(localDateOf(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
  });
});
