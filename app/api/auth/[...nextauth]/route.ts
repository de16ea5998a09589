import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/server/auth/options";
import { currentRequest } from "@/lib/server/request-context";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// The sign-in limit is counted where the credentials are checked (authOptions' authorize), not
// here by matching paths: the framework's routing decides what is a sign-in, whatever its spelling.
async function handler(req: NextRequest, ctx: Ctx) {
  const c = currentRequest();
  if (c) c.route = "/api/auth/[...nextauth]";
  const res: Response = await NextAuth(req, ctx, authOptions());
  if (!c?.signInRetryAfterSeconds) return res;
  // Refused by the limit: next-auth answered 401 with error=RateLimited in its JSON (its client
  // reads that); say it with the status and header clients and proxies understand, and in the
  // API's error shape beside next-auth's own fields (scripts read `error`).
  const headers = new Headers(res.headers);
  headers.set("retry-after", String(c.signInRetryAfterSeconds));
  if (!/json/i.test(res.headers.get("content-type") ?? "")) return new Response(res.body, { status: 429, headers });
  headers.delete("content-length");
  return Response.json({ ...((await res.json()) as object), error: { code: "too_many_requests", message: `too many sign-in attempts from this address; try again in ${c.signInRetryAfterSeconds} s` } }, { status: 429, headers });
}

export { handler as GET, handler as POST };
