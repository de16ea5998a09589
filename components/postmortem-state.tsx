import Link from "next/link";
import { formatPostmortemStatus } from "@/lib/domain/format";

/** An incident's postmortem in a table cell: its status (a link), or whether one is required. */
export function PostmortemState({ postmortem, required }: { postmortem: { id: string; status: string } | null; required: boolean }) {
  if (postmortem) return <Link href={`/postmortems/${postmortem.id}`}>{formatPostmortemStatus(postmortem.status)}</Link>;
  return required ? <strong className="tone-danger">required</strong> : <>not required</>;
}
