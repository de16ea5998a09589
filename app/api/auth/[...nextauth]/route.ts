import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/server/auth/options";
import { currentRequest } from "@/lib/server/request-context";

type Ctx = { params: Promise<{ nextauth: string[] }> };

async function handler(req: NextRequest, ctx: Ctx) {
  const c = currentRequest();
  if (c) c.route = "/api/auth/[...nextauth]";
  return NextAuth(req, ctx, authOptions());
}

export { handler as GET, handler as POST };
