import { z } from "zod";
import { tokenScopes } from "../domain/roles";
import { nameSchema } from "./common";

export const tokenScopeSchema = z.enum(tokenScopes, { error: `must be one of ${tokenScopes.join(", ")}` });

export const createTokenSchema = z.strictObject({
  name: nameSchema,
  scopes: z
    .array(tokenScopeSchema)
    .min(1, "choose at least one scope")
    .max(tokenScopes.length)
    .transform((s) => [...new Set(s)]),
  /** ISO 8601 instant; omitted or null means the token does not expire. */
  expiresAt: z.iso
    .datetime({ offset: true, error: "must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z" })
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
