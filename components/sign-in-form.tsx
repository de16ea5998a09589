"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { Field } from "./field";
import { Alert } from "./form-kit";

/**
 * The words for next-auth's error code of a failed sign-in. A locked or disabled account reads as a
 * wrong password, on purpose: the answer must not tell a stranger which accounts exist or are locked.
 */
function signInProblem(code: string | null | undefined) {
  if (code === "RateLimited") return "Too many sign-in attempts from here. Wait a minute and try again.";
  return "That email and password do not match an account.";
}

export function SignInForm({ oidcName, callbackUrl }: { oidcName: string | null; callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const form = new FormData(e.currentTarget);
    const result = await signIn("credentials", {
      redirect: false,
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    });
    setBusy(false);
    if (result?.ok && !result.error) window.location.assign(callbackUrl);
    else setError(signInProblem(result?.error));
  }

  return (
    <>
      <form className="stack" onSubmit={onSubmit} noValidate>
        <Field id="email" name="email" type="email" label="Email" autoComplete="username" required autoFocus />
        <Field id="password" name="password" type="password" label="Password" autoComplete="current-password" required />
        {error ? <Alert>{error}</Alert> : null}
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {oidcName ? (
        <>
          <p className="divider">or</p>
          <button type="button" className="secondary" style={{ width: "100%" }} onClick={() => void signIn("oidc", { callbackUrl })}>
            Continue with {oidcName}
          </button>
        </>
      ) : null}
    </>
  );
}
