"use client";
import { useEffect, useState } from "react";

/** "Updated 12 s ago", ticking, with the refresh and error state announced politely. */
export function UpdatedAt({ at, fetching, error }: { at: string; fetching: boolean; error: string | null }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(t);
  }, []);
  const seconds = now === null ? 0 : Math.max(0, Math.round((now - Date.parse(at)) / 1000));
  return (
    <p className="muted small" aria-live="polite">
      {error ? <span className="tone-danger">{error} </span> : null}
      {fetching ? "Refreshing…" : <time dateTime={at}>Updated {seconds < 5 ? "just now" : seconds < 120 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`}</time>}
    </p>
  );
}
