import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/server/auth/options";
import { getConfig } from "@/lib/server/config";
import { RetryLaterError } from "@/lib/server/errors";
import { CLIENT_ADDRESS_HEADER, limitSignIn } from "@/lib/server/rate-limit";
import { currentRequest } from "@/lib/server/request-context";

type Ctx = { params: Promise<{ nextauth: string[] }> };

async function handler(req: NextRequest, ctx: Ctx) {
  const c = currentRequest();
  if (c) c.route = "/api/auth/[...nextauth]";
  if (req.method === "POST" && req.nextUrl.pathname.startsWith("/api/auth/callback/")) {
    try {
      await limitSignIn(req.headers.get(CLIENT_ADDRESS_HEADER) ?? "unknown");
    } catch (e) {
      if (!(e instanceof RetryLaterError)) throw e;
      // next-auth's client reads the error code from `url`; the body also says it in words.
      const url = `${getConfig().publicUrl}/signin?error=RateLimited`;
      return Response.json({ url, error: { code: e.code, message: e.message } }, { status: 429, headers: { "retry-after": String(e.retryAfterSeconds) } });
    }
  }
  return NextAuth(req, ctx, authOptions());
}

export { handler as GET, handler as POST };
