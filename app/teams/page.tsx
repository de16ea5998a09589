import Link from "next/link";
import { requirePageUser } from "@/lib/server/pages";
import { listTeams } from "@/lib/server/services/teams";

export const dynamic = "force-dynamic";
export const metadata = { title: "Teams" };

export default async function TeamsPage() {
  const { actor } = await requirePageUser();
  const teams = await listTeams(actor);
  return (
    <>
      <h1>Teams</h1>
      <p className="lede">Teams own services. Members see everything their team owns; admins manage people and API tokens.</p>
      <div className="card">
        {teams.length === 0 ? (
          <p className="empty">You are not in any team yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Your role</th>
              </tr>
            </thead>
            <tbody>
              {teams.map((t) => (
                <tr key={t.id}>
                  <td>
                    <Link href={`/teams/${t.slug}`}>{t.name}</Link> <span className="muted mono">{t.slug}</span>
                  </td>
                  <td>{t.role}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
