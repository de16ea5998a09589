import { z } from "zod";

/** "is required" when absent, "must be text" for another type: messages a form can show as they are. */
const text = () => z.string({ error: (iss) => (iss.input === undefined || iss.input === null ? "is required" : "must be text") });

export const slugSchema = text()
  .trim()
  .min(2, "must be at least 2 characters")
  .max(48, "must be at most 48 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lowercase letters, digits and single dashes, e.g. payments-api");

export const nameSchema = text().trim().min(1, "is required").max(100, "must be at most 100 characters");

export const emailSchema = z
  .string()
  .trim()
  .max(254, "must be at most 254 characters")
  .email("must be an email address")
  .transform((e) => e.toLowerCase());

export const passwordSchema = z
  .string()
  .min(12, "must be at least 12 characters")
  .max(256, "must be at most 256 characters");

export const uuidSchema = z.string().uuid("must be an id");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for an id; references that are not ids are slugs (services, SLIs, SLOs). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A page's search params, as URLSearchParams (browser) or Next's searchParams object (server). */
export type SearchParams = URLSearchParams | Record<string, string | string[] | undefined>;

/** One search param's first value; empty counts as absent. */
export function searchParam(params: SearchParams, key: string): string | undefined {
  const v = params instanceof URLSearchParams ? params.get(key) : params[key];
  return (Array.isArray(v) ? v[0] : v) || undefined;
}
