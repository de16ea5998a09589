"use client";
// Full-text search across postmortems: published ones of every team, drafts of the reader's.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatDateTime } from "@/lib/domain/format";
import { api } from "./api";

type Hit = { id: string; team: string; title: string; status: string; updatedAt: string; snippet?: string };

export function PostmortemSearch() {
  const [q, setQ] = useState("");
  const search = useQuery({ queryKey: ["pm-search", q], queryFn: () => api<Hit[]>(`/api/v1/postmortems/search?q=${encodeURIComponent(q)}`), enabled: q.trim().length >= 2 });
  return (
    <>
      <form role="search" aria-label="Search postmortems" className="filters card" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor="pm-q">Search postmortems</label>
          <input id="pm-q" type="search" placeholder='e.g. connection pool, "config push", -staging' value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
      </form>
      {search.data ? (
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
