// A search result's highlight as plain text with its matches marked. PostgreSQL's ts_headline
// cuts a fragment out of the postmortem's Markdown and wraps each match in StartSel/StopSel;
// here the Markdown syntax around the words is dropped (a fragment starts and ends anywhere, so
// this is a best effort on pieces, not a parser) and the fragment is split into parts, each
// plain text, that the page renders as text and <mark> elements: never as HTML, so whatever a
// postmortem holds stays text.

/**
 * The markers ts_headline puts around a match: characters of Unicode's private use area, which
 * text does not carry; the search removes them from the postmortem's text before highlighting,
 * so a postmortem cannot fake a match.
 */
export const HIGHLIGHT_START = "\uE000";
export const HIGHLIGHT_STOP = "\uE001";
/** Stands for an escaped character (`\*`) while the syntax around it is removed. */
const ESCAPED = "\uE002";

export type HighlightPart = { text: string; match: boolean };

/** Markdown syntax out of a piece of Markdown, keeping the words (and the match markers). */
export function stripMarkdown(source: string): string {
  const escaped: string[] = [];
  let s = source.replace(/[\uE002]/g, "").replace(/\\([\\`*_{}[\]()#+\-.!|>~<])/g, (_, c: string) => (escaped.push(c), ESCAPED));
  s = s
    .replace(/<!--[\s\S]*?(-->|$)/g, " ")
    .replace(/<((?:https?|mailto):[^>\s]+)>/gi, "$1") // autolinks keep their address
    .replace(/<\/?[A-Za-z][^>]*(>|$)/g, " ") // HTML tags go, their text stays
    .replace(/!\[([^\]\n]*)\]\((?:[^()\n]|\([^()\n]*\))*\)?/g, "$1") // images: the alt text
    .replace(/\[([^\]\n]*)\]\((?:[^()\n]|\([^()\n]*\))*\)?/g, "$1") // links: the text
    .replace(/\[([^\]\n]*)\]\[[^\]\n]*\]/g, "$1") // reference links
    .replace(/^\[[^\]\n]*\]:[ \t]*\S+.*$/gm, "") // link definitions
    .replace(/\]\([^)\s]*\)?/g, " ") // the tail of a link cut at the fragment's start
    .replace(/^[ \t]*(```|~~~).*$/gm, "") // code fences
    .replace(/^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$/gm, "") // horizontal rules
    .replace(/^[ \t]*\|?([ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(:?-{3,}:?)?[ \t]*$/gm, "") // table separator rows
    .replace(/^[ \t]{0,3}#{1,6}(?:[ \t]+(.*))?$/gm, (_, t?: string) => `${t ?? ""}\n\n`) // headings end a paragraph
    .replace(/^[ \t]*(>[ \t]?)+/gm, "") // quotes
    .replace(/^[ \t]*([-*+]|\d{1,9}[.)])[ \t]+(\[[ xX]\][ \t]+)?/gm, "\n\n") // list items (each its own) and task boxes
    .replace(/[ \t]*\|[ \t]*/g, " · ") // table cells
    .replace(/`+/g, "")
    .replace(/~~/g, "")
    .replace(/\*+/g, "")
    // Underscores as emphasis (at a word's edge), not inside words (connection_pool).
    .replace(/(^|[^\p{L}\p{N}_])_+(?=[^\s_])/gu, "$1")
    .replace(/([^\s_])_+(?=[^\p{L}\p{N}_]|$)/gu, "$1");
  let i = 0;
  s = s.replace(/\uE002/g, () => escaped[i++] ?? "");
  // Paragraphs (and the title and sections the search joins) are told apart by a middle dot.
  return s
    .replace(/^[ \t]*(·[ \t]*)+|([ \t]*·)+[ \t]*$/gm, "")
    .replace(/\s*\n[ \t]*\n\s*/g, " · ")
    .replace(/\s+/g, " ")
    .replace(/^( ?· ?)+|( ?· ?)+$/g, "")
    .trim();
}

/**
 * A ts_headline fragment (with HIGHLIGHT_START/STOP around each match) as parts of plain text,
 * the matches marked; neighbouring parts of one kind merged, empty ones dropped.
 */
export function highlightParts(headline: string): HighlightPart[] {
  const plain = stripMarkdown(headline);
  const parts: HighlightPart[] = [];
  let match = false;
  let text = "";
  const flush = () => {
    if (text === "") return;
    const last = parts[parts.length - 1];
    if (last && last.match === match) last.text += text;
    else parts.push({ text, match });
    text = "";
  };
  for (const c of plain) {
    if (c === HIGHLIGHT_START || c === HIGHLIGHT_STOP) {
      flush();
      match = c === HIGHLIGHT_START;
    } else text += c;
  }
  flush();
  // Blanks are never marked (a mark of blanks only reads as nothing); they go to the text beside.
  const spread = parts.flatMap((p): HighlightPart[] => {
    if (!p.match) return [p];
    const [, before = "", word = "", after = ""] = /^(\s*)([\s\S]*?)(\s*)$/.exec(p.text) ?? [];
    return [{ text: before, match: false }, { text: word, match: word !== "" }, { text: after, match: false }];
  });
  const merged = spread.reduce<HighlightPart[]>((all, p) => {
    if (p.text === "") return all;
    const last = all[all.length - 1];
    if (last && last.match === p.match) last.text += p.text;
    else all.push({ ...p });
    return all;
  }, []);
  if (merged[0]) merged[0].text = merged[0].text.trimStart();
  if (merged.length) merged[merged.length - 1]!.text = merged[merged.length - 1]!.text.trimEnd();
  return merged.filter((p) => p.text !== "").map((p) => ({ ...p, text: p.text.replace(/\s+/g, " ") }));
}
