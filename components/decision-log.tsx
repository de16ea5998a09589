"use client";
// The gate's decision log: newest first, filtered by service, environment, decision and change
// type (kept in the address, so a filtered log can be shared), more pages on request.
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { changeTypes, gateDecisions } from "@/lib/domain/policy";
import type { GateDecisionView } from "@/lib/schemas/views";
import { api } from "./api";
import { DecisionBadge, TierBadge } from "./gate-badges";
import { Alert, SelectField } from "./form-kit";
import { Time } from "./time";

export type DecisionFilters = { service?: string; environment?: string; decision?: string; changeType?: string };
type Page = { decisions: GateDecisionView[]; next: string | null };

export function DecisionLog({ team, services, initial, fixedService, limit = 50 }: { team: string; services: { slug: string; name: string }[]; initial: DecisionFilters; fixedService?: string; limit?: number }) {
  const router = useRouter();
  const pathname = usePathname();
  const [filters, setFilters] = useState<DecisionFilters>(fixedService ? { ...initial, service: fixedService } : initial);
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]);
  const log = useInfiniteQuery({
    queryKey: ["decisions", team, query.toString(), limit],
    queryFn: ({ pageParam }) => api<Page>(`/api/v1/teams/${team}/decisions?${query.toString()}&limit=${limit}${pageParam ? `&before=${pageParam}` : ""}`),
    initialPageParam: "",
    getNextPageParam: (last) => last.next ?? undefined,
    refetchInterval: 30_000,
  });
  const set = (key: keyof DecisionFilters, value: string) => {
    const next = { ...filters, [key]: value || undefined };
    setFilters(next);
    if (!fixedService) {
      const q = new URLSearchParams(Object.entries(next).filter(([, v]) => v) as [string, string][]).toString();
      router.replace(q ? `${pathname}?${q}` : pathname, { scroll: false });
    }
  };
  const rows = log.data?.pages.flatMap((p) => p.decisions) ?? [];
  return (
    <>
      <form className="filters card" aria-label="Filter decisions" onSubmit={(e) => e.preventDefault()}>
        {fixedService ? null : (
          <SelectField id="dl-service" label="Service" value={filters.service ?? ""} onChange={(e) => set("service", e.target.value)}>
            <option value="">All services</option>
            {services.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </SelectField>
        )}
        <div>
          <label htmlFor="dl-env">Environment</label>
          <input id="dl-env" defaultValue={filters.environment ?? ""} placeholder="any" onBlur={(e) => set("environment", e.target.value.trim())} onKeyDown={(e) => e.key === "Enter" && set("environment", e.currentTarget.value.trim())} />
        </div>
        <SelectField id="dl-decision" label="Decision" value={filters.decision ?? ""} onChange={(e) => set("decision", e.target.value)}>
          <option value="">Any</option>
          {gateDecisions.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </SelectField>
        <SelectField id="dl-change" label="Change type" value={filters.changeType ?? ""} onChange={(e) => set("changeType", e.target.value)}>
          <option value="">Any</option>
          {changeTypes.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
      </form>
      {log.isError ? <Alert>{log.error.message}</Alert> : null}
      {log.isSuccess && rows.length === 0 ? (
        <p className="card muted">No decisions{query.toString() ? " match these filters" : " yet: pipelines call POST /api/v1/gate before each deploy"}.</p>
      ) : null}
      {rows.length > 0 ? (
        <div className="card table-wrap">
          <table>
            <caption className="visually-hidden">Gate decisions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                {fixedService ? null : <th scope="col">Service</th>}
                <th scope="col">Environment</th>
                <th scope="col">Version</th>
                <th scope="col">Change</th>
                <th scope="col">Decision</th>
                <th scope="col">Tier</th>
                <th scope="col">Asked by</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.decisionId}>
                  <td>
                    <Link className="slo-link" href={`/teams/${team}/gate/${d.decisionId}`}>
                      <Time at={d.decidedAt} />
                    </Link>
                  </td>
                  {fixedService ? null : <td>{d.service ? d.service.name : <span className="muted">{d.serviceName} (unknown)</span>}</td>}
                  <td>{d.environment}</td>
                  <td className="mono small">{d.version}</td>
                  <td>{d.changeType}</td>
                  <td>
                    <DecisionBadge decision={d.decision} />
                    {d.numbers.override ? <div className="small muted">by override</div> : null}
                  </td>
                  <td>
                    <TierBadge tier={d.tier} />
                  </td>
                  <td>
                    {d.requester}
                    <div className="small muted">{d.source === "github" ? "GitHub" : "API"}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {log.hasNextPage ? (
            <p className="table-more">
              <button type="button" className="secondary" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
                {log.isFetchingNextPage ? "Loading…" : "Show older decisions"}
              </button>
            </p>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
