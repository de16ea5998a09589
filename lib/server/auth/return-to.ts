// Where the browser goes after signing in: only to a path of this site. The candidate is resolved
// as a browser would resolve it (the URL standard) against this site's origin and kept only when
// the origins are equal, so scheme-relative ("//evil.example"), backslash ("/\evil.example"),
// whitespace and control-character tricks, "javascript:" and absolute URLs all fall back to "/".
// Percent-encoded forms are decoded (a few rounds) and must stay on this origin too, since a
// later redirect may decode them again.

// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const UNSAFE = /[\\\u0000-\u001f\u007f]/;
const HOME = "/";

function sameOriginPath(candidate: string, origin: string): string | null {
  if (UNSAFE.test(candidate)) return null;
  let url: URL;
  try {
    url = new URL(candidate, origin);
  } catch {
    return null;
  }
  return url.origin === origin ? url.pathname + url.search + url.hash : null;
}

/** A path on `siteUrl`'s origin to return to, or "/" when `raw` would lead anywhere else (or back to sign-in). */
export function returnPath(raw: unknown, siteUrl: string): string {
  if (typeof raw !== "string" || raw === "" || raw.length > 2048) return HOME;
  const origin = new URL(siteUrl).origin;
  const path = sameOriginPath(raw, origin);
  if (!path || path.startsWith("//")) return HOME;
  let decoded = path;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return HOME;
    }
    if (next === decoded) break;
    if (!sameOriginPath(next, origin) || next.startsWith("//")) return HOME;
    decoded = next;
  }
  if (path === "/signin" || path.startsWith("/signin?") || path.startsWith("/api/")) return HOME;
  return path;
}
