import Link from "next/link";

export default function NotFound() {
  return (
    <div className="card narrow">
      <h1>Not found</h1>
      <p>This page does not exist, or it belongs to a team you are not in.</p>
      <Link href="/">Back to the overview</Link>
    </div>
  );
}
