import { z } from "zod";
import { tokenScopes } from "../domain/roles";
import { nameFor } from "./common";

export const tokenScopeSchema = z.enum(tokenScopes, { error: `Pick a scope: ${tokenScopes.join(", ")}` });

export const createTokenSchema = z.strictObject({
  name: nameFor("the token"),
  scopes: z
    .array(tokenScopeSchema)
    .min(1, "Pick at least one scope")
    .max(tokenScopes.length, "Pick each scope once")
    .transform((s) => [...new Set(s)]),
  /** ISO 8601 instant; omitted or null means the token does not expire. */
  expiresAt: z.iso
    .datetime({ offset: true, error: "Pick the day it expires, or leave it empty" })
    .nullish()
    .transform((v) => (v ? new Date(v) : null)),
});
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(tokenScopeSchema),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
export type TokenView = z.infer<typeof tokenSchema>;

export const createdTokenSchema = z.object({ token: tokenSchema, secret: z.string() });
export type CreatedToken = z.infer<typeof createdTokenSchema>;
