// The status table of ticket sync (docs/ticket-sync.md), both ways. Words from the trackers'
// documentation: Jira Cloud REST v3 status categories `new`, `indeterminate`, `done`
// (developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues); Linear workflow state
// types `triage`, `backlog`, `unstarted`, `started`, `completed`, `canceled` (linear.app/developers/graphql).
import { describe, expect, it } from "vitest";
import type { ActionItemStatus } from "./postmortem";
import {
  chooseJiraTransition, chooseLinearState, formatRemoteStatus, inStep, isRemoteStatus, itemStatusFor, linearTimestampProblem, retryDelaySeconds, STATUS_TABLE, wontDoReasonFrom,
  type JiraTransition, type LinearState, type RemoteStatus, type TicketProvider,
} from "./ticket-sync";

describe("itemStatusFor: a tracker's status change, applied to the item", () => {
  it.each([
    // provider, remote, current item status, expected (null: nothing to change)
    ["jira", "new", "done", "open"],
    ["jira", "indeterminate", "open", "in_progress"],
    ["jira", "done", "open", "done"],
    ["jira", "done", "in_progress", "done"],
    ["jira", "done", "done", null], // echo of our own push, or a replay
    ["jira", "done", "wont_do", null], // Jira's done also covers "Won't Do": the reason stays
    ["jira", "new", "open", null],
    ["jira", "new", "wont_do", "open"], // reopened in Jira
    ["linear", "triage", "done", "open"],
    ["linear", "backlog", "in_progress", "open"],
    ["linear", "unstarted", "open", null],
    ["linear", "backlog", "open", null],
    ["linear", "started", "open", "in_progress"],
    ["linear", "completed", "in_progress", "done"],
    ["linear", "completed", "done", null],
    ["linear", "canceled", "open", "wont_do"],
    ["linear", "canceled", "wont_do", null],
    ["linear", "completed", "wont_do", "done"],
  ] as const)("%s %s while the item is %s -> %s", (provider, remote, current, expected) => {
    expect(itemStatusFor(provider, remote, current)).toBe(expected);
  });
});

describe("the table both ways", () => {
  const statuses: ActionItemStatus[] = ["open", "in_progress", "done", "wont_do"];
  it.each(statuses.flatMap((s) => (["jira", "linear"] as const).map((p) => [s, p] as const)))("%s pushed to %s comes back as no change", (status, provider) => {
    // Whatever we move the issue to, its webhook (the echo) must leave the item as it is.
    const pushed = STATUS_TABLE[status][provider][0] as RemoteStatus;
    expect(inStep(provider, status, pushed)).toBe(true);
    expect(itemStatusFor(provider, pushed, status)).toBeNull();
  });

  it.each([
    ["jira", "done", true],
    ["jira", "completed", false],
    ["linear", "canceled", true],
    ["linear", "indeterminate", false],
    ["linear", "", false],
  ] as const)("isRemoteStatus(%s, %s) = %s", (p: TicketProvider, s, ok) => expect(isRemoteStatus(p, s)).toBe(ok));
});

describe("chooseJiraTransition: from the transitions the issue offers now", () => {
  // The transitions of Jira's default software workflow, as GET .../transitions lists them.
  const offered: JiraTransition[] = [
    { id: "11", name: "To Do", category: "new" },
    { id: "21", name: "In Progress", category: "indeterminate" },
    { id: "41", name: "Won't Do", category: "done" },
    { id: "31", name: "Done", category: "done" },
  ];
  it.each([
    ["open", "11"],
    ["in_progress", "21"],
    ["done", "31"], // not "Won't Do", although listed first
    ["wont_do", "41"],
  ] as const)("%s -> transition %s", (status, id) => expect(chooseJiraTransition(status, offered)?.id).toBe(id));

  it("a won't-do item takes any transition into done when none is named so", () => {
    expect(chooseJiraTransition("wont_do", offered.filter((t) => t.id !== "41"))?.id).toBe("31");
  });
  it("none into the category: null (the workflow forbids it from here)", () => {
    expect(chooseJiraTransition("done", offered.filter((t) => t.category !== "done"))).toBeNull();
  });
});

describe("chooseLinearState: of the team's workflow states", () => {
  const states: LinearState[] = [
    { id: "s-triage", name: "Triage", type: "triage", position: 0 },
    { id: "s-backlog", name: "Backlog", type: "backlog", position: 1 },
    { id: "s-todo2", name: "Ready", type: "unstarted", position: 3 },
    { id: "s-todo", name: "Todo", type: "unstarted", position: 2 },
    { id: "s-doing", name: "In Progress", type: "started", position: 4 },
    { id: "s-done", name: "Done", type: "completed", position: 5 },
    { id: "s-canceled", name: "Canceled", type: "canceled", position: 6 },
  ];
  it.each([
    ["open", "s-todo"], // unstarted first, lowest position
    ["in_progress", "s-doing"],
    ["done", "s-done"],
    ["wont_do", "s-canceled"],
  ] as const)("%s -> %s", (status, id) => expect(chooseLinearState(status, states)?.id).toBe(id));

  it("open falls back to backlog when the team has no unstarted state", () => {
    expect(chooseLinearState("open", states.filter((s) => s.type !== "unstarted"))?.id).toBe("s-backlog");
  });
  it("no state of the type: null", () => {
    expect(chooseLinearState("wont_do", states.filter((s) => s.type !== "canceled"))).toBeNull();
  });
});

describe("linearTimestampProblem: Linear's advice, within a minute", () => {
  const now = new Date("2026-12-04T12:00:00Z");
  it.each([
    [0, null],
    [59_000, null],
    [-59_000, null],
    [61_000, "refused as a replay"],
    [-61_000, "refused as a replay"],
    [3_600_000, "refused as a replay"],
  ] as const)("%i ms old -> %s", (age, problem) => {
    const p = linearTimestampProblem(now.getTime() - age, now);
    if (problem === null) expect(p).toBeNull();
    else expect(p).toContain(problem);
  });
  it("a missing timestamp is a problem", () => expect(linearTimestampProblem(Number.NaN, now)).toBe("webhookTimestamp is missing"));
});

describe("retries and reasons", () => {
  it.each([
    [1, 30],
    [2, 60],
    [3, 120],
    [8, 3_600],
    [30, 3_600],
  ] as const)("attempt %i waits %i s", (n, s) => expect(retryDelaySeconds(n)).toBe(s));
  it("names the tracker and the issue", () => {
    expect(wontDoReasonFrom("linear", "ENG-12")).toBe("Canceled in Linear (ENG-12)");
    expect(wontDoReasonFrom("jira", "OPS-7")).toBe("Canceled in Jira (OPS-7)");
  });
});

describe("labels", () => {
  it.each([
    ["jira", "indeterminate", "In Progress"],
    ["jira", "new", "To Do"],
    ["linear", "canceled", "Canceled"],
    ["linear", "odd", "odd"],
  ] as const)("%s %s -> %s", (p, s, label) => expect(formatRemoteStatus(p, s)).toBe(label));
});
