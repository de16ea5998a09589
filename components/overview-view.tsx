"use client";
// The overview: the SLOs of the caller's teams, most at risk first, filtered and paged by the
// server from the URL (so a filtered view and its page are a link to share), refreshed every 30 s
// without reloading the page.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { alertBadges } from "@/lib/domain/risk";
import { formatFreezeEnvironment } from "@/lib/domain/format";
import { tiers } from "@/lib/domain/tier";
import { parseOverviewFilters } from "@/lib/schemas/overview";
import type { Overview } from "@/lib/schemas/views";
import { alertBadgeLabel } from "./alert-badge";
import { api } from "./api";
import { SelectField } from "./form-kit";
import { tierLabel } from "./budget-bar";
import { SloTable, standingKey } from "./slo-table";
import { UpdatedAt } from "./updated-at";
import { Time } from "./time";

export function OverviewView({ initial, isSiteAdmin }: { initial: Overview; isSiteAdmin: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = parseOverviewFilters(new URLSearchParams(params.toString()));
  const qs = params.toString();
  // Marks the moment the page answers input (hydrated): what `npm run bench` times.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const overview = useQuery({
    // One query per view: the server renders each URL's page, which seeds its query.
    queryKey: ["overview", qs],
    queryFn: () => api<Overview>(`/api/v1/overview${qs ? `?${qs}` : ""}`),
    initialData: initial,
    initialDataUpdatedAt: Date.parse(initial.at),
    refetchInterval: 30_000,
  });
  const data = overview.data;
  const rows = data.slos;
  const services = data.teams.filter((t) => !filters.team || t.slug === filters.team).flatMap((t) => t.services);
  const standings = useMemo(() => new Map(data.teams.flatMap((t) => t.services.map((s) => [standingKey(t.slug, s.slug), s.standing] as const))), [data.teams]);

  function setFilter(name: string, value: string) {
    const next = new URLSearchParams(params.toString());
    if (value) next.set(name, value);
    else next.delete(name);
    if (name === "team") next.delete("service");
    // Another view starts at its first page.
    next.delete("page");
    const qs = next.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  }

  if (data.teams.length === 0) {
    return (
      <div className="card empty">
        <p>You are not in any team yet.</p>
        <p>{isSiteAdmin ? <Link href="/admin">Create a team</Link> : "Ask a team admin to add you to a team."}</p>
      </div>
    );
  }
  const pageHref = (n: number) => {
    const next = new URLSearchParams(qs);
    if (n > 1) next.set("page", String(n));
    else next.delete("page");
    const q = next.toString();
    return q ? `${pathname}?${q}` : pathname;
  };

  return (
    <div data-hydrated={hydrated || undefined}>
      <div className="row summary-line">
        <p className="muted" role="status">
          {data.summary.slos} SLOs · {data.summary.firing === 0 ? "no burn-rate alert firing" : `${data.summary.firing} with a burn-rate alert firing`}
          {data.summary.burning > 0 ? ` · ${data.summary.burning} running out of budget this window` : ""}
        </p>
        <span className="spacer" />
        <UpdatedAt at={data.at} fetching={overview.isFetching} error={overview.isError ? "Could not refresh; showing the last data." : null} />
      </div>
      <GateNotices gate={data.gate} teamNames={new Map(data.teams.map((t) => [t.slug, t.name]))} />
      <form className="filters" role="search" aria-label="Filter SLOs" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor="f-q">Search</label>
          <input id="f-q" type="search" placeholder="SLO, service or team" defaultValue={filters.q ?? ""} onChange={(e) => setFilter("q", e.target.value)} />
        </div>
        <Select id="f-team" label="Team" value={filters.team} onChange={(v) => setFilter("team", v)} options={data.teams.map((t) => [t.slug, t.name])} />
        <Select id="f-service" label="Service" value={filters.service} onChange={(v) => setFilter("service", v)} options={services.map((s) => [s.slug, s.name])} />
        <Select id="f-tier" label="Tier" value={filters.tier} onChange={(v) => setFilter("tier", v)} options={tiers.map((t) => [t, tierLabel(t)])} />
        <Select id="f-alert" label="Alert" value={filters.alert} onChange={(v) => setFilter("alert", v)} options={alertBadges.map((b) => [b, alertBadgeLabel(b)])} />
        <Select id="f-sort" label="Order" value={filters.sort} all={null} onChange={(v) => setFilter("sort", v === "risk" ? "" : v)} options={[["risk", "Most at risk first"], ["name", "By name"]]} />
      </form>
      {data.page.all === 0 ? (
        <div className="card empty">
          <p>No SLOs yet.</p>
          <p>
            Create a service and an SLO from your <Link href={`/teams/${data.teams[0]!.slug}`}>team page</Link>, or import OpenSLO YAML there.
          </p>
        </div>
      ) : rows.length === 0 ? (
        <div className="card empty">
          <p>No SLO matches these filters.</p>
          <p>
            <Link href={pathname}>Clear the filters</Link>
          </p>
        </div>
      ) : (
        <div className="card table-wrap">
          <SloTable rows={rows} standings={standings} caption={`SLOs, ${filters.sort === "risk" ? "most at risk first" : "by name"}`} />
          {data.page.pages > 1 ? <Pager page={data.page} href={pageHref} /> : null}
        </div>
      )}
    </div>
  );
}

/** Previous and next pages as links (keyboard and middle-click work, the filters stay in the URL). */
function Pager({ page, href }: { page: Overview["page"]; href: (n: number) => string }) {
  const first = (page.number - 1) * page.size + 1;
  const last = Math.min(page.total, page.number * page.size);
  return (
    <nav className="table-more pager" aria-label="Pages of SLOs">
      {page.number > 1 ? <Link href={href(page.number - 1)} rel="prev">← Previous</Link> : null}
      <span className="muted" aria-current="page">
        SLOs {first}–{last} of {page.total} · page {page.number} of {page.pages}
      </span>
      {page.number < page.pages ? <Link href={href(page.number + 1)} rel="next">Next →</Link> : null}
    </nav>
  );
}

/** A filter: one of `options`, or `all` (an empty value) unless `all` is null. */
function Select({ id, label, value, options, onChange, all = "All" }: { id: string; label: string; value: string | undefined; options: [string, string][]; onChange: (v: string) => void; all?: string | null }) {
  return (
    <SelectField id={id} label={label} value={value ?? ""} onChange={(e) => onChange(e.target.value)}>
      {all === null ? null : <option value="">{all}</option>}
      {options.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </SelectField>
  );
}

/** Active overrides and freezes change what the deploy gate answers: shown while they last. */
function GateNotices({ gate, teamNames }: { gate: Overview["gate"]; teamNames: Map<string, string> }) {
  if (gate.overrides.length === 0 && gate.freezes.length === 0) return null;
  return (
    <section className="card gate-notices" aria-label="Deploy gate exceptions in force">
      <ul className="plain-list">
        {gate.freezes.map((f) => (
          <li key={f.id}>
            <strong>Freeze</strong> · {f.service?.name ?? "every service"} (team <Link href={`/teams/${f.team}/gate`}>{teamNames.get(f.team ?? "") ?? f.team}</Link>) · {formatFreezeEnvironment(f.environment)} until <Time at={f.endsAt} />: {f.reason}
          </li>
        ))}
        {gate.overrides.map((o) => (
          <li key={o.id}>
            <strong>Override</strong> · {o.service.name} (team <Link href={`/teams/${o.team}/gate`}>{teamNames.get(o.team ?? "") ?? o.team}</Link>) · {o.environment ?? "every environment"} until <Time at={o.expiresAt} />, approved by {o.approvedBy}: {o.reason}
          </li>
        ))}
      </ul>
    </section>
  );
}
