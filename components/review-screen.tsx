// The review page's frame, shared by /teams/[team]/reviews (last month) and /reviews/[period]:
// which period and service, the way to another period, the exports, the report and the minutes.
import Link from "next/link";
import { accessAtLeast } from "@/lib/domain/roles";
import type { ReviewView } from "@/lib/schemas/reviews";
import { ReviewMinutes } from "./review-minutes";
import { ReviewReport } from "./review-report";
import { ReviewTimeZone } from "./review-time-zone";
import { Time } from "./time";

type OnRecord = { period: string; service: string | null; status: string; heldAt: string | null; updatedAt: string };

export function ReviewScreen({ r, services, onRecord, problem }: { r: ReviewView; services: { slug: string; name: string }[]; onRecord: OnRecord[]; problem?: string }) {
  const team = r.team.slug;
  const q = new URLSearchParams({ period: r.period.key, ...(r.service ? { service: r.service.slug } : {}) }).toString();
  const api = `/api/v1/teams/${team}/reviews`;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link href="/">Overview</Link> <span aria-hidden="true">/</span> <Link href={`/teams/${team}`}>{r.team.name}</Link> <span aria-hidden="true">/</span> <Link href={`/teams/${team}/reviews`}>Reviews</Link>
      </nav>
      <h1>
        Error-budget review: {r.service ? `${r.service.name}, ` : ""}
        {r.period.label}
      </h1>
      <p className="lede">
        {r.service ? `Service ${r.service.name} of ${r.team.name}` : `Every service of ${r.team.name}`}, calendar periods in {r.team.timeZone}, compared with {r.previous.label}. Status: <strong>{r.record.status}</strong>.
      </p>
      {problem ? (
        <p className="alert" role="alert">
          {problem} Showing {r.period.label} instead.
        </p>
      ) : null}
      <form className="row card" method="get" action={`/teams/${team}/reviews`} aria-label="Another period">
        <label htmlFor="review-period">Period</label>
        <input id="review-period" name="period" defaultValue={r.period.kind === "custom" ? "" : r.period.key} placeholder="2026-11, 2026-Q4 or 2026-W47" size={16} />
        <label htmlFor="review-service">Service</label>
        <select id="review-service" name="service" defaultValue={r.service?.slug ?? ""}>
          <option value="">All services</option>
          {services.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.name}
            </option>
          ))}
        </select>
        <label htmlFor="review-from">or from</label>
        <input id="review-from" name="from" type="date" defaultValue={r.period.kind === "custom" ? r.period.key.split("_")[0] : ""} />
        <label htmlFor="review-to">up to (not included)</label>
        <input id="review-to" name="to" type="date" defaultValue={r.period.kind === "custom" ? r.period.key.split("_")[1] : ""} />
        <button type="submit" className="secondary">
          Show
        </button>
        <span className="spacer" />
        <Link href={`/teams/${team}/reviews/${r.previous.key}${r.service ? `?service=${r.service.slug}` : ""}`}>← {r.previous.label}</Link>
      </form>
      <p className="small">
        Download: <a href={`${api}/markdown?${q}`}>Markdown</a> · <a href={`${api}/pdf?${q}`}>PDF</a> · CSV: <a href={`${api}/csv?${q}&table=slos`}>SLOs</a>, <a href={`${api}/csv?${q}&table=incidents`}>incidents</a>,{" "}
        <a href={`${api}/csv?${q}&table=decisions`}>decisions</a>, <a href={`${api}/csv?${q}&table=action-items`}>action items</a>
      </p>
      <ReviewReport r={r} />
      <h2 id="minutes">Minutes</h2>
      <ReviewMinutes team={team} period={r.period.key} service={r.service?.slug ?? null} record={r.record} canEdit={accessAtLeast(r.team.role, "editor")} />
      {accessAtLeast(r.team.role, "admin") ? (
        <>
          <h2 id="settings">Settings</h2>
          <ReviewTimeZone team={team} timeZone={r.team.timeZone} />
        </>
      ) : null}
      {onRecord.length ? (
        <>
          <h2 id="on-record">Reviews on record</h2>
          <ul className="card">
            {onRecord.map((x) => (
              <li key={`${x.period}/${x.service ?? ""}`}>
                <Link href={`/teams/${team}/reviews/${x.period}${x.service ? `?service=${x.service}` : ""}`}>
                  {x.period}
                  {x.service ? ` (${x.service})` : ""}
                </Link>{" "}
                — {x.status}
                {x.heldAt ? (
                  <>
                    {" "}
                    <Time at={x.heldAt} relative={false} />
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
