"use client";
// What a page shows when the server could not render it: most often the database is away for a
// moment (the HTTP status is then 503 with Retry-After). Nothing is lost by trying again.
import Link from "next/link";

export default function PageError({ error }: { error: Error & { digest?: string } }) {
  return (
    <div className="card narrow" role="alert">
      <h1>This page could not be loaded</h1>
      <p>
        The server could not finish this page, most often because it cannot reach its database for a moment. Try again in a few
        seconds. If it keeps happening, tell whoever runs Burnrate{error.digest ? <> and quote <code>{error.digest}</code></> : null}.
      </p>
      <p>
        {/* A reload asks the server again; the error came from the server's render, not this browser. */}
        <button type="button" onClick={() => window.location.reload()}>
          Try again
        </button>{" "}
        <Link href="/">Back to the overview</Link>
      </p>
    </div>
  );
}
