import Link from "next/link";
import { PostmortemState } from "@/components/postmortem-state";
import { Time } from "@/components/time";
import { requirePageUser } from "@/lib/server/pages";
import { listMyIncidents } from "@/lib/server/services/incidents";

export const dynamic = "force-dynamic";
export const metadata = { title: "Incidents" };

export default async function MyIncidentsPage() {
  const { actor } = await requirePageUser();
  const incidents = await listMyIncidents(actor);
  const open = incidents.filter((i) => i.status !== "resolved").length;
  return (
    <>
      <h1>Incidents</h1>
      <p className="lede">
        Incidents of every team you are in, newest first{incidents.length ? ` · ${open} not resolved` : ""}. Record one on its team&apos;s incident page; <Link href="/postmortems">Postmortems</Link> ·{" "}
        <Link href="/action-items">My action items</Link>
      </p>
      {incidents.length === 0 ? (
        <p className="card muted">
          No incidents in your teams. <Link href="/teams">Your teams</Link>
        </p>
      ) : (
        <div className="card table-wrap">
          <table>
            <caption className="visually-hidden">Incidents across your teams, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">Team</th>
                <th scope="col">Severity</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Postmortem</th>
              </tr>
            </thead>
            <tbody>
              {incidents.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link className="slo-link" href={`/teams/${i.team.slug}/incidents/${i.id}`}>
                      {i.title}
                    </Link>
                  </td>
                  <td>
                    <Link href={`/teams/${i.team.slug}/incidents`}>{i.team.name}</Link>
                  </td>
                  <td>{i.severity}</td>
                  <td>{i.status}</td>
                  <td>
                    <Time at={i.startedAt} />
                  </td>
                  <td>
                    <PostmortemState postmortem={i.postmortem} required={i.postmortemRequired} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
