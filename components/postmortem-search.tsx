"use client";
// Full-text search across postmortems: published ones of every team, drafts of the reader's.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { formatDateTime } from "@/lib/domain/format";
import { api, ApiError } from "./api";

type Hit = { id: string; team: string; title: string; status: string; updatedAt: string; snippet?: string };

/** Searches are limited per person (30 a minute): one request when typing pauses, not one per key. */
const TYPING_PAUSE_MS = 300;

/** What the reader is told when a search fails; a 429's message says when to try again. */
function problemOf(e: Error): string {
  if (e instanceof ApiError && e.status === 429) return `Searching is paused: ${e.message}.`;
  if (e instanceof ApiError && e.status < 500) return `This search could not run: ${e.message}.`;
  return `Search is unavailable right now (${e.message}); try again shortly.`;
}

export function PostmortemSearch() {
  const [q, setQ] = useState("");
  const [query, setQuery] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setQuery(q.trim()), TYPING_PAUSE_MS);
    return () => clearTimeout(t);
  }, [q]);
  // No refetch on a timer or on focus and no retry of a 4xx: each would spend the reader's searches.
  const search = useQuery({
    queryKey: ["pm-search", query],
    queryFn: () => api<Hit[]>(`/api/v1/postmortems/search?q=${encodeURIComponent(query)}`),
    enabled: query.length >= 2,
    staleTime: 60_000,
    refetchInterval: false,
    refetchOnWindowFocus: false,
    retry: (failures, e) => !(e instanceof ApiError && e.status < 500) && failures < 2,
  });
  return (
    <>
      <form role="search" aria-label="Search postmortems" className="filters card" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor="pm-q">Search postmortems</label>
          <input id="pm-q" type="search" placeholder='e.g. connection pool, "config push", -staging' value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
      </form>
      {search.error ? (
        <p className="card" role="alert">
          {problemOf(search.error)}
        </p>
      ) : search.data ? (
        search.data.length === 0 ? (
          <p className="card muted">No postmortem matches.</p>
        ) : (
          <ul className="card plain-list" aria-label="Search results">
            {search.data.map((h) => (
              <li key={h.id}>
                <Link className="slo-link" href={`/postmortems/${h.id}`}>
                  {h.title}
                </Link>{" "}
                <span className="muted small">
                  {h.team} · {h.status.replace("_", " ")} · {formatDateTime(h.updatedAt)}
                </span>
                {h.snippet ? <div className="small">{h.snippet}</div> : null}
              </li>
            ))}
          </ul>
        )
      ) : null}
    </>
  );
}
