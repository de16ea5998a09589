import Link from "next/link";
import { PostmortemSearch } from "@/components/postmortem-search";
import { requirePageUser } from "@/lib/server/pages";
import { listPostmortems } from "@/lib/server/services/postmortems";
import { listTeams } from "@/lib/server/services/teams";
import { Time } from "@/components/time";
import { formatPostmortemStatus } from "@/lib/domain/format";

export const dynamic = "force-dynamic";
export const metadata = { title: "Postmortems" };

export default async function PostmortemsPage() {
  const { actor } = await requirePageUser();
  const teams = await listTeams(actor);
  const lists = await Promise.all(teams.map(async (t) => ({ team: t, postmortems: await listPostmortems(actor, t.slug) })));
  return (
    <>
      <h1>Postmortems</h1>
      <p className="lede">Blameless write-ups of incidents. Published ones are open to everyone here: search them to learn from other teams.</p>
      <PostmortemSearch>
      {lists.map(({ team, postmortems }) => (
        <section key={team.slug} aria-labelledby={`pm-team-${team.slug}`}>
          <h2 id={`pm-team-${team.slug}`}>{team.name}</h2>
          {postmortems.length === 0 ? (
            <p className="card muted">
              None yet. Start one from an <Link href={`/teams/${team.slug}/incidents`}>incident</Link>.
            </p>
          ) : (
            <ul className="card plain-list">
              {postmortems.map((p) => (
                <li key={p.id}>
                  <Link className="slo-link" href={`/postmortems/${p.id}`}>
                    {p.title}
                  </Link>{" "}
                  <span className="muted small">
                    {formatPostmortemStatus(p.status)} · updated <Time at={p.updatedAt} />
                    {p.incident ? ` · ${p.incident.severity}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
      </PostmortemSearch>
    </>
  );
}
