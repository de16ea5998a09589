import { PasswordForm } from "@/components/password-form";
import { SessionManager } from "@/components/session-manager";
import { requirePageUser } from "@/lib/server/pages";
import { listSessions } from "@/lib/server/services/sessions";
import { accountOf } from "@/lib/server/services/users";
import { Time } from "@/components/time";

export const dynamic = "force-dynamic";
export const metadata = { title: "Your account" };

export default async function AccountPage() {
  const { user, actor } = await requirePageUser();
  const [sessions, account] = await Promise.all([listSessions(actor, user.id), accountOf(actor)]);
  return (
    <>
      <h1>Your account</h1>
      <p className="lede">
        {user.name} · {user.email}
      </p>
      {account.lastLock ? (
        <div className="card notice" role="status">
          <p>
            After repeated failed sign-ins your account was locked from <Time at={account.lastLock.from} /> {account.lastLock.endedAlready ? "until" : "and stays locked until"}{" "}
            <Time at={account.lastLock.until} />. If that was not you, change your password and sign out your other sessions.
          </p>
        </div>
      ) : null}
      <h2>Sessions</h2>
      <p>Every browser signed in to your account. Ending a session signs that browser out at once.</p>
      <SessionManager base="/api/v1/me/sessions" initial={sessions} own />
      {account.hasPassword ? (
        <>
          <h2>Password</h2>
          <PasswordForm />
        </>
      ) : null}
    </>
  );
}
