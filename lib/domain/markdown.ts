// Markdown as people write it in postmortems, rendered to HTML that is safe to show: marked
// parses (GitHub-flavoured), sanitize-html keeps an allow-list of tags and attributes, so no
// script, no event handler, no style, and links only to http(s) and mailto. Server and browser
// (the live preview) run this same function, so the preview is what readers will see.
import { marked } from "marked";
import sanitizeHtml from "sanitize-html";

const allowed: sanitizeHtml.IOptions = {
  allowedTags: ["h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "em", "strong", "del", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "input"],
  allowedAttributes: { a: ["href", "title", "rel"], th: ["align"], td: ["align"], input: ["type", "checked", "disabled"], ol: ["start"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  // Links open as plain links; rel keeps a postmortem from handing the opener to another site.
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow" }) },
  exclusiveFilter: (frame) => frame.tag === "input" && frame.attribs.type !== "checkbox",
};

export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true, breaks: false });
  return sanitizeHtml(html, allowed);
}
