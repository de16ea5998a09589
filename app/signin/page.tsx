import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form";
import { currentUser } from "@/lib/server/auth/actor";
import { getConfig } from "@/lib/server/config";
import { returnPath } from "@/lib/server/auth/return-to";
import { needsSetup } from "@/lib/server/services/users";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

const errors: Record<string, string> = {
  OidcNoEmail: "Your identity provider did not share an email address.",
  OidcEmailUnverified: "An account with this email exists, but your identity provider has not verified the address.",
  AccessDenied: "Access was denied.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  if (await needsSetup()) redirect("/setup");
  const { error, callbackUrl } = await searchParams;
  const c = getConfig();
  // Only paths of this site are followed after sign-in (no open redirect): see return-to.ts.
  const next = returnPath(callbackUrl, c.publicUrl);
  if (await currentUser()) redirect(next);
  const oidcName = c.OIDC_ISSUER ? c.OIDC_NAME : null;
  return (
    <div className="card narrow">
      <h1>Sign in to Burnrate</h1>
      {error ? (
        <p className="alert" role="alert">
          {errors[error] ?? "Sign-in failed. Try again."}
        </p>
      ) : null}
      <SignInForm oidcName={oidcName} callbackUrl={next} />
    </div>
  );
}
