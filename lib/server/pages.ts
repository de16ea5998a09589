// Helpers for server-rendered pages: who is signed in, or where to send them.
import { redirect } from "next/navigation";
import { actorOf, currentUser } from "./auth/actor";
import { needsSetup } from "./services/users";

/** The signed-in person and their actor; redirects to /setup or /signin otherwise. */
export async function requirePageUser() {
  const user = await currentUser();
  if (!user) redirect((await needsSetup()) ? "/setup" : "/signin");
  return { user, actor: actorOf(user) };
}
