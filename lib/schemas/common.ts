import { z } from "zod";
import "./messages";

// Messages are sentences about the field, shown as they are next to it (lib/schemas/messages.ts).

/** Text that is required: `missing` when absent or blank (a form sends blank as absent), `missing` too for another type. */
export const requiredText = (missing: string) => z.string({ error: (iss) => (iss.input === undefined || iss.input === null ? missing : `${missing}, as text`) });

/** A slug for `what` ("the service"): the part of URLs and the API that names it. */
export const slugFor = (what: string) =>
  requiredText(`Give ${what} a slug`)
    .trim()
    .min(2, "Use at least 2 characters for the slug")
    .max(48, "Use at most 48 characters for the slug")
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lowercase letters, digits and single dashes for the slug, e.g. payments-api");

/** A display name for `what` ("the service"). */
export const nameFor = (what: string) => requiredText(`Give ${what} a name`).trim().min(1, `Give ${what} a name`).max(100, "Use at most 100 characters for the name");

export const slugSchema = slugFor("it");
export const nameSchema = nameFor("it");

export const emailSchema = requiredText("Give an email address")
  .trim()
  .max(254, "Use at most 254 characters for the email address")
  .email("Give an email address, e.g. ada@example.com")
  .transform((e) => e.toLowerCase());

export const passwordSchema = requiredText("Give a password")
  .min(12, "Use at least 12 characters for the password")
  .max(256, "Use at most 256 characters for the password");

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
