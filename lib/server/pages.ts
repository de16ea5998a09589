// Helpers for server-rendered pages: who is signed in, or where to send them.
import { notFound, redirect } from "next/navigation";
import { AppError } from "./errors";
import { actorOf, currentUser } from "./auth/actor";
import { needsSetup } from "./services/users";

/** The signed-in person and their actor; redirects to /setup or /signin otherwise. */
export async function requirePageUser() {
  const user = await currentUser();
  if (!user) redirect((await needsSetup()) ? "/setup" : "/signin");
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
