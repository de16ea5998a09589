// Helpers for server-rendered pages: who is signed in, or where to send them.
import { notFound, redirect } from "next/navigation";
import { AppError } from "./errors";
import { actorOf, currentUser } from "./auth/actor";
import { currentRequest } from "./request-context";
import { needsSetup } from "./services/users";

/** The page asked for, as a path to come back to (Next's own `_rsc` navigation marker dropped). */
function pageAskedFor(): string | null {
  const raw = currentRequest()?.path;
  if (!raw) return null;
  const url = new URL(raw, "http://x");
  url.searchParams.delete("_rsc");
  return url.pathname === "/" && !url.search ? null : url.pathname + url.search;
}

/**
 * The signed-in person and their actor; redirects to /setup, or to /signin with the page asked for
 * as `callbackUrl` (a deep link survives signing in; sign-in checks it is a path of this site).
 */
export async function requirePageUser() {
  const user = await currentUser();
  if (!user) {
    if (await needsSetup()) redirect("/setup");
    const back = pageAskedFor();
    redirect(back ? `/signin?${new URLSearchParams({ callbackUrl: back })}` : "/signin");
  }
  return { user, actor: actorOf(user) };
}

/** A page's data, or the 404 page when the service says "not found" (no such thing, or another team's). */
export async function orNotFound<T>(data: Promise<T>): Promise<T> {
  try {
    return await data;
  } catch (e) {
    if (e instanceof AppError && e.status === 404) notFound();
    throw e;
  }
}
