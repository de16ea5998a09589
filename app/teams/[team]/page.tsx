import { notFound } from "next/navigation";
import { MemberManager } from "@/components/member-manager";
import { TokenManager } from "@/components/token-manager";
import { AppError } from "@/lib/server/errors";
import { requirePageUser } from "@/lib/server/pages";
import { getTeam, listMembers } from "@/lib/server/services/teams";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ team: string }> }) {
  return { title: (await params).team };
}

export default async function TeamPage({ params }: { params: Promise<{ team: string }> }) {
  const { actor } = await requirePageUser();
  const { team: slug } = await params;
  const team = await getTeam(actor, slug).catch((e: unknown) => {
    if (e instanceof AppError && e.status === 404) notFound();
    throw e;
  });
  const members = await listMembers(actor, slug);
  const isAdmin = team.role === "admin" || team.role === "site-admin";
  return (
    <>
      <h1>{team.name}</h1>
      <p className="lede">
        Team <span className="mono">{team.slug}</span> · your role: {team.role}
      </p>
      <h2>Members</h2>
      <MemberManager team={team.slug} initial={members} canManage={isAdmin} />
      <h2>API tokens</h2>
      {isAdmin ? (
        <TokenManager team={team.slug} />
      ) : (
        <p className="card muted">Only team admins can see and create API tokens.</p>
      )}
    </>
  );
}
