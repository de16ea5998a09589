import { describe, expect, it } from "vitest";
import { HIGHLIGHT_START as S, HIGHLIGHT_STOP as E, highlightParts, stripMarkdown } from "./search-highlight";

const marked = (t: string) => ({ text: t, match: true });
const plain = (t: string) => ({ text: t, match: false });

describe("stripMarkdown: the words of a Markdown fragment", () => {
  it.each([
    ["## Root cause\nThe pool was **too small**.", "Root cause · The pool was too small."],
    ["A [runbook](https://wiki.example/run) and ![graph](https://img.example/g.png)", "A runbook and graph"],
    ["cut link](https://wiki.example/run) then words", "cut link then words"],
    ["see <https://status.example/incident>", "see https://status.example/incident"],
    ["> quoted\n> twice\n\nafter", "quoted twice · after"],
    ["- [x] drain the queue\n- [ ] page the owner\n1. first", "drain the queue · page the owner · first"],
    ["```sql\nSELECT 1;\n```", "SELECT 1;"],
    ["`max_connections` stayed at _4_ and ~~8~~", "max_connections stayed at 4 and 8"],
    ["connection_pool and __init__ stay", "connection_pool and init stay"],
    ["| service | errors |\n|---|---:|\n| cart | 12 |", "service · errors · cart · 12"],
    ["Above\n\n---\n\nbelow", "Above · below"],
    ["Title\n\nSummary\n\nThe pool\nwas small.", "Title · Summary · The pool was small."],
    ["escaped \\*stars\\* and \\_underscores\\_", "escaped *stars* and _underscores_"],
    ["[ref link][1]\n\n[1]: https://x.example", "ref link"],
  ])("%j -> %j", (md, text) => expect(stripMarkdown(md)).toBe(text));

  it.each([
    ["<script>alert(1)</script>", "alert(1)"],
    ['<img src=x onerror="alert(1)">pool', "pool"],
    ["<!-- hidden --> seen", "seen"],
    ["[click](javascript:alert(1))", "click"],
    ["<a href='javascript:alert(1)'>pool</a>", "pool"],
    ["&lt;b&gt; stays as written", "&lt;b&gt; stays as written"],
    ["5 < 6 > 4", "5 < 6 > 4"],
  ])("hostile %j stays text: %j", (md, text) => expect(stripMarkdown(md)).toBe(text));
});

describe("highlightParts: a ts_headline fragment as parts of plain text", () => {
  it.each([
    [`The **${S}pool${E}** limit`, [plain("The "), marked("pool"), plain(" limit")]],
    [`${S}config${E} ${S}push${E} failed`, [marked("config"), plain(" "), marked("push"), plain(" failed")]],
    [`_${S}drain${E}_ it`, [marked("drain"), plain(" it")]],
    [`[${S}runbook${E}](https://x.example) link`, [marked("runbook"), plain(" link")]],
    ["no match in the first words", [plain("no match in the first words")]],
    [`# ${S}outage${E}\n\n\nthen`, [marked("outage"), plain(" · then")]],
    [`<b>${S}pool${E}</b>`, [marked("pool")]],
    [`${S} ${E}x`, [plain("x")]],
    [`stray ${E}stop and ${S}open`, [plain("stray stop and "), marked("open")]],
    ["", []],
  ])("%j", (headline, parts) => expect(highlightParts(headline)).toEqual(parts));

  it("a hostile fragment gives strings only: nothing becomes markup", () => {
    const parts = highlightParts(`<img src=x onerror=alert(1)> ${S}<script>pool</script>${E} "><svg onload=alert(1)>`);
    for (const p of parts) expect(typeof p.text).toBe("string");
    expect(parts).toEqual([marked("pool"), plain(' ">')]);
  });
});
