"use client";
// Full-text search across postmortems: published ones of every team, drafts of the reader's.
// The query lives in the URL (?q=), so a search can be shared, survives a reload and the Back
// button returns to the lists; while a query is active its results take the lists' place.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { formatPostmortemStatus } from "@/lib/domain/format";
import type { HighlightPart } from "@/lib/domain/search-highlight";
import { api, ApiError } from "./api";
import { Time } from "./time";

type Hit = { id: string; team: string; teamName?: string; title: string; status: string; updatedAt: string; snippet?: string; highlight?: HighlightPart[] };

/** Searches are limited per person (30 a minute): one request when typing pauses, not one per key. */
const TYPING_PAUSE_MS = 300;
/** The search needs this many characters (searchQuerySchema). */
const MIN_CHARS = 2;

/** What the reader is told when a search fails; a 429's message says when to try again. */
function problemOf(e: Error): string {
  if (e instanceof ApiError && e.status === 429) return `Searching is paused: ${e.message}.`;
  if (e instanceof ApiError && e.status < 500) return `This search could not run: ${e.message}.`;
  return `Search is unavailable right now (${e.message}); try again shortly.`;
}

/** The highlight: plain text, the matching words in <mark>; React renders every part as text, never as HTML. */
function Highlight({ parts }: { parts: HighlightPart[] }) {
  return (
    <p className="small snippet">
      {parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </p>
  );
}

/** The search box, and its results in place of `children` (the lists) while a query is active. */
export function PostmortemSearch({ children }: { children?: ReactNode }) {
  const urlQuery = (useSearchParams().get("q") ?? "").trim();
  const [q, setQ] = useState(urlQuery);
  // The query last written to (or read from) the URL: Back and Forward set the box from the URL.
  const inUrl = useRef(urlQuery);
  useEffect(() => {
    if (urlQuery !== inUrl.current) {
      inUrl.current = urlQuery;
      setQ(urlQuery);
    }
  }, [urlQuery]);
  useEffect(() => {
    const t = setTimeout(() => {
      const next = q.trim();
      if (next === inUrl.current) return;
      const url = new URL(window.location.href);
      if (next) url.searchParams.set("q", next);
      else url.searchParams.delete("q");
      // Starting or ending a search is a step Back undoes; refining one is not.
      if (inUrl.current === "" || next === "") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
      inUrl.current = next;
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(t);
  }, [q]);
  // No refetch on a timer or on focus and no retry of a 4xx: each would spend the reader's searches.
  const search = useQuery({
    queryKey: ["pm-search", urlQuery],
    queryFn: () => api<Hit[]>(`/api/v1/postmortems/search?q=${encodeURIComponent(urlQuery)}`),
    enabled: urlQuery.length >= MIN_CHARS,
    staleTime: 60_000,
    refetchInterval: false,
    refetchOnWindowFocus: false,
    retry: (failures, e) => !(e instanceof ApiError && e.status < 500) && failures < 2,
  });
  return (
    <>
      <form role="search" aria-label="Search postmortems" className="filters card search-only" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor="pm-q">Search postmortems</label>
          <input id="pm-q" name="q" type="search" placeholder='e.g. connection pool, "config push", -staging' value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
      </form>
      {urlQuery === "" ? (
        children
      ) : (
        <section aria-labelledby="pm-results">
          <h2 id="pm-results">Postmortems matching “{urlQuery}”</h2>
          {urlQuery.length < MIN_CHARS ? (
            <p className="card muted">Type at least {MIN_CHARS} characters.</p>
          ) : search.error ? (
            <p className="card" role="alert">
              {problemOf(search.error)}
            </p>
          ) : !search.data ? (
            <p className="card muted" role="status">
              Searching…
            </p>
          ) : search.data.length === 0 ? (
            <p className="card muted" role="status">
              No postmortem matches.
            </p>
          ) : (
            <ul className="card plain-list" aria-label="Search results">
              {search.data.map((h) => (
                <li key={h.id}>
                  <Link className="slo-link" href={`/postmortems/${h.id}`}>
                    {h.title}
                  </Link>{" "}
                  <span className="muted small">
                    {h.teamName ?? h.team} · {formatPostmortemStatus(h.status)} · updated <Time at={h.updatedAt} />
                  </span>
                  {h.highlight?.length ? <Highlight parts={h.highlight} /> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}
