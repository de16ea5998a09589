import Link from "next/link";
import { BudgetBar } from "@/components/budget-bar";
import { formatCount, formatObjective, formatWindow } from "@/lib/domain/format";
import { requirePageUser } from "@/lib/server/pages";
import { getOverview } from "@/lib/server/services/overview";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const { user, actor } = await requirePageUser();
  const teams = await getOverview(actor);
  return (
    <>
      <h1>Overview</h1>
      <p className="lede">Remaining error budget of every SLO in your teams, over each SLO&apos;s window.</p>
      {teams.length === 0 ? (
        <div className="card empty">
          <p>You are not in any team yet.</p>
          <p>{user.isSiteAdmin ? <Link href="/admin">Create a team</Link> : "Ask a team admin to add you."}</p>
        </div>
      ) : null}
      {teams.map((team) => (
        <section key={team.slug} aria-labelledby={`team-${team.slug}`}>
          <div className="team-head">
            <h2 id={`team-${team.slug}`}>{team.name}</h2>
            <Link href={`/teams/${team.slug}`}>Members and tokens</Link>
          </div>
          {team.services.length === 0 ? (
            <div className="card empty">No services yet.</div>
          ) : (
            <div className="card table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Service</th>
                    <th scope="col">SLO</th>
                    <th scope="col" className="num hide-narrow">Objective</th>
                    <th scope="col" className="hide-narrow">Window</th>
                    <th scope="col" className="num hide-narrow">Events</th>
                    <th scope="col">Remaining budget</th>
                  </tr>
                </thead>
                <tbody>
                  {team.services.flatMap((s) =>
                    s.slos.map((slo, i) => (
                      <tr key={slo.id}>
                        <td>{i === 0 ? s.name : <span className="muted" aria-hidden="true" />}</td>
                        <td>{slo.name}</td>
                        <td className="num hide-narrow">{formatObjective(slo.objective)}</td>
                        <td className="hide-narrow">{formatWindow(slo.window)}</td>
                        <td className="num hide-narrow">{formatCount(slo.status.total)}</td>
                        <td>
                          <BudgetBar budget={slo.status.budget} tier={slo.status.tier} />
                        </td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
    </>
  );
}
