"use client";
// What to do next for an SLO without data: for a pushed SLI, the exact request to send (this SLI's
// slug filled in) and where to get a token; for a Prometheus SLI, how far its sync has come.
import Link from "next/link";
import { useSyncExternalStore } from "react";
import { formatSyncProgress } from "@/lib/domain/format";
import type { SliView } from "@/lib/schemas/views";
import { useReaderTime } from "./time";

type Props = {
  team: string;
  service: string;
  sli: SliView;
  /** The caller's access to the team: only admins create tokens. */
  role: string;
  /** The status's instant (server time): the example minute is the one before it, so it is never "in the future". */
  at: string;
};

/**
 * The body of one push (the shape lib/schemas/ingest.ts accepts): a minute of this SLI with every
 * event good, so a request copied as it is spends none of the budget of the SLO it lands in.
 */
export function exampleIngestBody(service: string, sli: string, at: string) {
  const minute = new Date(Math.floor(Date.parse(at) / 60_000) * 60_000 - 60_000).toISOString().replace(".000Z", "Z");
  return { items: [{ sli: `${service}/${sli}`, minute, good: 1000, total: 1000 }] };
}

const noChanges = () => () => {};

export function SloOnboarding({ team, service, sli, role, at }: Props) {
  // The server does not know the address people browse it at: the browser fills it in.
  const { timeZone } = useReaderTime();
  const origin = useSyncExternalStore(noChanges, () => window.location.origin, () => "$BURNRATE");

  if (sli.prometheus) {
    return (
      <section className="card onboarding" aria-labelledby="onboarding-title" data-testid="slo-onboarding">
        <h2 id="onboarding-title">Waiting for data from Prometheus</h2>
        <p>
          This SLO reads SLI <span className="mono">{sli.slug}</span> from{" "}
          <a href={sli.prometheus.url ?? undefined} rel="noreferrer" target="_blank" className="mono">
            {sli.prometheus.url}
          </a>
          , every minute.
        </p>
        <p role="status">{formatSyncProgress(sli.prometheus.sync, timeZone)}.</p>
        <p className="small muted">
          The first sync backfills the SLO&apos;s window. Check the queries and the source on <Link href={`/teams/${team}/services/${service}#slis`}>the service&apos;s SLIs</Link>.
        </p>
      </section>
    );
  }

  const body = JSON.stringify(exampleIngestBody(service, sli.slug, at));
  const request = `curl -X POST ${origin}/api/v1/ingest \\\n  -H "authorization: Bearer $TOKEN" \\\n  -H 'content-type: application/json' \\\n  -d '${body}'`;
  return (
    <section className="card onboarding" aria-labelledby="onboarding-title" data-testid="slo-onboarding">
      <h2 id="onboarding-title">No data yet: push the first minute</h2>
      <ol className="steps">
        <li>
          {role === "admin" || role === "site-admin" ? (
            <>
              <Link href={`/teams/${team}#api-tokens`}>Create an API token</Link> with the <strong>ingest</strong> scope and put it in <span className="mono">$TOKEN</span>.
            </>
          ) : (
            <>
              Ask a team admin for an API token with the <strong>ingest</strong> scope (<Link href={`/teams/${team}#api-tokens`}>API tokens</Link>) and put it in <span className="mono">$TOKEN</span>.
            </>
          )}
        </li>
        <li>
          Send good and total events of each minute for SLI <span className="mono">{`${service}/${sli.slug}`}</span>:
          <pre className="code" data-testid="ingest-request">
            <code>{request}</code>
          </pre>
          <span className="small muted">
            The answer is <span className="mono">{'{"accepted":1,"rejected":[]}'}</span>. Send <span className="mono">bad</span> instead of <span className="mono">good</span> if that is what you count; re-sending a minute replaces it.
          </span>
        </li>
        <li>This page shows the budget as soon as the first minute arrives (it refreshes every 30 s).</li>
      </ol>
    </section>
  );
}
