import Link from "next/link";
import { PostmortemEditor } from "@/components/postmortem-editor";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { getPostmortem } from "@/lib/server/services/postmortems";
import { listMembers } from "@/lib/server/services/teams";

export const dynamic = "force-dynamic";
export const metadata = { title: "Postmortem" };

export default async function PostmortemPage({ params }: { params: Promise<{ postmortem: string }> }) {
  const { actor } = await requirePageUser();
  const { postmortem } = await params;
  const pm = await orNotFound(getPostmortem(actor, postmortem));
  // Editors of the team write, review and track action items; everyone else reads a published postmortem.
  const members = pm.teamEditor ? await listMembers(actor, pm.team) : [];
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <Link href="/postmortems">Postmortems</Link> <span aria-hidden="true">/</span> <Link href={`/teams/${pm.team}`}>{pm.teamName}</Link>
        {pm.incident ? (
          <>
            {" "}
            <span aria-hidden="true">/</span> <Link href={`/teams/${pm.team}/incidents/${pm.incident.id}`}>{pm.incident.title}</Link>
          </>
        ) : null}
      </nav>
      <h1>{pm.title}</h1>
      <PostmortemEditor initial={pm} members={members.map((m) => ({ userId: m.userId, name: m.name }))} />
    </>
  );
}
