// next-auth (v4) for the browser: email + password, and any OpenID Connect issuer when
// OIDC_ISSUER/OIDC_CLIENT_ID/OIDC_CLIENT_SECRET are set. The cookie is a signed JWT in an
// httpOnly, SameSite=Lax cookie (credentials sign-in works only with JWT sessions) naming a
// session held in the database (services/sessions.ts), so a session can end on the server.
import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import { signInSchema } from "../../schemas/auth";
import { getConfig } from "../config";
import { RetryLaterError } from "../errors";
import { logger } from "../logger";
import { limitSignIn } from "../rate-limit";
import { currentRequest } from "../request-context";
import { endSession, SESSION_MAX_AGE_S, startSession } from "../services/sessions";
import { upsertOidcUser, verifyCredentials } from "../services/users";
import { returnPath } from "./return-to";

type OidcProfile = {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
};

/** The error code next-auth hands the sign-in form when the sign-in limit refused the attempt. */
const RATE_LIMITED = "RateLimited";

/**
 * Counts a password check against the client address's allowance, here where the credentials are
 * checked, so no spelling of the sign-in URL gets around it. Over it, the auth route answers 429.
 */
async function limitPasswordCheck() {
  // The address the HTTP server put in the request context (server.ts), never one the client sent.
  const ctx = currentRequest();
  try {
    await limitSignIn(ctx?.client?.address ?? "unknown");
  } catch (e) {
    if (!(e instanceof RetryLaterError)) throw e;
    if (ctx) ctx.signInRetryAfterSeconds = e.retryAfterSeconds;
    throw new Error(RATE_LIMITED);
  }
}

export function authSecret(): string {
  const secret = process.env.AUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET is not set: start the app with `npm start`, which sets it up");
  return secret;
}

function oidcProvider(): OAuthConfig<OidcProfile> | null {
  const c = getConfig();
  if (!c.OIDC_ISSUER || !c.OIDC_CLIENT_ID || !c.OIDC_CLIENT_SECRET) return null;
  const issuer = c.OIDC_ISSUER.replace(/\/$/, "");
  return {
    id: "oidc",
    name: c.OIDC_NAME,
    type: "oauth",
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    issuer,
    clientId: c.OIDC_CLIENT_ID,
    clientSecret: c.OIDC_CLIENT_SECRET,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile: (p) => ({ id: p.sub, email: p.email ?? null, name: p.name ?? p.preferred_username ?? p.email ?? p.sub }),
  };
}

let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const oidc = oidcProvider();
  cached = {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/signin", error: "/signin" },
    useSecureCookies: getConfig().publicUrl.startsWith("https://"),
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          await limitPasswordCheck();
          const parsed = signInSchema.safeParse(credentials ?? {});
          if (!parsed.success) return null;
          return verifyCredentials(parsed.data);
        },
      }),
      ...(oidc ? [oidc] : []),
    ],
    callbacks: {
      async signIn({ account, profile, user }) {
        if (account?.provider !== "oidc") return true;
        const p = profile as OidcProfile | undefined;
        if (!p?.sub || !p.email) return "/signin?error=OidcNoEmail";
        const linked = await upsertOidcUser({
          issuer: getConfig().OIDC_ISSUER ?? "",
          subject: p.sub,
          email: p.email,
          emailVerified: p.email_verified === true,
          name: p.name ?? user.name ?? p.email,
        });
        if (!linked) return "/signin?error=OidcEmailUnverified";
        // Carry our own user id into the jwt callback below.
        user.id = linked.id;
        return true;
      },
      async jwt({ token, user, account }) {
        if (user) {
          // A sign-in: open the session the cookie will name.
          token.uid = user.id;
          token.sid = await startSession(user.id, account?.provider === "oidc" ? "oidc" : "password", currentRequest()?.client ?? { userAgent: "", address: "" });
        }
        return token;
      },
      // After signing in (or out): only to a path of this site (return-to.ts).
      redirect({ url, baseUrl }) {
        return `${baseUrl}${returnPath(url, baseUrl)}`;
      },
      async session({ session, token }) {
        if (session.user && typeof token.uid === "string") (session.user as { id?: string }).id = token.uid;
        return session;
      },
    },
    events: {
      // Signing out ends the session on the server: the same cookie, copied, no longer works.
      async signOut({ token }) {
        await endSession(token?.sid);
      },
    },
    logger: {
      // next-auth's own metadata can include provider responses: log the code only.
      error: (code) => logger().error({ code }, "next-auth error"),
      warn: (code) => logger().warn({ code }, "next-auth warning"),
      debug: () => {},
    },
  };
  return cached;
}
