// Issue 14, "Smaller points": an unknown or foreign id is "not found" without naming the team that
// owns it. Things addressed by their own id (postmortems, action items) are tried by a person of
// another team and by another team's token, and by anyone with an id that does not exist: the
// answers are the same 404, and none carries the owning team's slug or name.
import { describe, expect, it } from "vitest";
import { makeTeam, makeTokenActor, unique } from "../testing/factories";
import type { Actor } from "./actor";
import { createActionItem, updateActionItem } from "./action-items";
import { createPostmortem, exportPostmortem, getPostmortem, savePostmortem, transitionPostmortem } from "./postmortems";

const MISSING = "01890000-0000-7000-8000-000000000000";

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    const err = e as { status?: number; message?: string };
    return { status: err.status, message: err.message ?? "" };
  }
  throw new Error("expected a refusal");
}

describe("ids of other teams", () => {
  it("are 'not found', word for word as a missing id, and never name the owning team", async () => {
    const owner = await makeTeam(["admin", "editor"]);
    const stranger = await makeTeam(["admin", "editor"]);
    const strangerToken = await makeTokenActor(stranger.team.slug, stranger.members.admin, ["read", "ingest", "gate"]);
    const pm = await createPostmortem(owner.members.editor, owner.team.slug, { title: unique("Secret review") });
    const item = await createActionItem(owner.members.editor, pm.id, { title: "Fix", type: "prevent", priority: "P1", owner: null, dueDate: null, ticketUrl: null });

    const tries: [string, (actor: Actor, id: string) => Promise<unknown>, string][] = [
      ["read a postmortem", (a, id) => getPostmortem(a, id), pm.id],
      ["export a postmortem", (a, id) => exportPostmortem(a, id), pm.id],
      ["save a postmortem", (a, id) => savePostmortem(a, id, { revision: 1, title: "Mine now" }), pm.id],
      ["move a postmortem", (a, id) => transitionPostmortem(a, id, "submit", ""), pm.id],
      ["add an action item", (a, id) => createActionItem(a, id, { title: "x", type: "prevent", priority: "P2", owner: null, dueDate: null, ticketUrl: null }), pm.id],
      ["update an action item", (a, id) => updateActionItem(a, id, { status: "done" }), item.id],
    ];
    for (const [what, act, id] of tries) {
      for (const actor of [stranger.members.editor, strangerToken] as Actor[]) {
        const foreign = await refusal(act(actor, id));
        const missing = await refusal(act(actor, MISSING));
        if (actor.kind === "token") {
          // Tokens are not people: refused before any lookup, the same for both ids.
          expect(foreign, what).toEqual(missing);
          continue;
        }
        expect(foreign, what).toEqual({ status: 404, message: missing.message });
        expect(foreign.message, what).not.toContain(owner.team.slug);
        expect(foreign.message, what).not.toContain(owner.team.name);
      }
    }
  });
});
