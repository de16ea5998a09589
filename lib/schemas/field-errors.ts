import type { z } from "zod";

/**
 * Field path -> first problem, used by the API's 422 bodies and by forms next to their fields.
 * Messages are the schemas' own sentences ("Give the service a name"; lib/schemas/messages.ts
 * supplies one for any check without); a problem with the input as a whole is under "body".
 */
export function fieldErrors(e: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of e.issues) out[issue.path.length ? issue.path.join(".") : "body"] ??= issue.message;
  return out;
}
