import type { z } from "zod";

/** Field path -> first problem, used by the API's 422 bodies and by forms next to their fields. */
export function fieldErrors(e: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of e.issues) out[issue.path.length ? issue.path.join(".") : "body"] ??= issue.message;
  return out;
}
