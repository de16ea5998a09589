// Postmortem Markdown is shown to everyone in the organisation once published: what it may
// contain after rendering is an allow-list (the postmortems issue: no script, no event
// handlers, no javascript: links).
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown";

describe("renderMarkdown", () => {
  it("renders the Markdown people write: headings, lists, code, tables, task lists, links", () => {
    const html = renderMarkdown("## Trigger\n\n- a *config* push\n- `pool_size=4`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] rolled back\n\n[runbook](https://wiki.example/runbook)");
    expect(html).toContain("<h2>Trigger</h2>");
    expect(html).toContain("<em>config</em>");
    expect(html).toContain("<code>pool_size=4</code>");
    expect(html).toContain("<td>1</td>");
    expect(html).toContain('<input checked disabled type="checkbox" />');
    expect(html).toContain('<a href="https://wiki.example/runbook" rel="noopener noreferrer nofollow">runbook</a>');
  });

  it.each([
    ["<script>alert(1)</script>", /<script/i],
    ['<img src=x onerror="alert(1)">', /onerror|<img/i],
    ["[click](javascript:alert(1))", /javascript:/i],
    ["[click](JaVaScRiPt:alert(1))", /javascript:/i],
    ['<a href="javascript&#58;alert(1)">x</a>', /javascript/i],
    ["[x](data:text/html;base64,PHNjcmlwdD4=)", /data:/i],
    ['<svg onload="alert(1)"><circle/></svg>', /<svg|onload/i],
    ['<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ['<p style="background:url(javascript:alert(1))">x</p>', /style=/i],
    ['<div onclick="steal()">click</div>', /onclick/i],
    ['<form action="https://evil.example"><input name=p></form>', /<form|name=/i],
    ["<a href='//evil.example'>protocol-relative</a>", /href="\/\/evil/i],
  ])("removes %s", (input, forbidden) => {
    expect(renderMarkdown(input)).not.toMatch(forbidden);
  });
});
