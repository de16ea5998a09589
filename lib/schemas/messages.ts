// What a person reads when an input is refused: a sentence about the field ("Give the service a
// name"), never a validator's wording ("Invalid input: expected string"). Schemas give their own
// sentences; this is the fallback for any check that has none, set once for zod in this bundle.
// The API's 422 still names each field by its path (error.fields), so machines lose nothing.
import { z } from "zod";

const count = (n: unknown, unit: string) => `${Number(n).toLocaleString("en-US")} ${unit}${Number(n) === 1 ? "" : "s"}`;

/** A sentence for a zod issue that came without its own message. */
export function fallbackMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined || issue.input === null) return "Fill this in";
      if (issue.expected === "number" || issue.expected === "int") return "Give a number";
      if (issue.expected === "string") return "Give this as text";
      if (issue.expected === "array") return "Give a list";
      if (issue.expected === "object") return "Give an object";
      if (issue.expected === "boolean") return "Give true or false";
      return "Give a value of the right kind";
    case "too_small":
      return issue.origin === "string" ? `Use at least ${count(issue.minimum, "character")}` : issue.origin === "array" ? `Give at least ${count(issue.minimum, "item")}` : `Give at least ${Number(issue.minimum).toLocaleString("en-US")}`;
    case "too_big":
      return issue.origin === "string" ? `Use at most ${count(issue.maximum, "character")}` : issue.origin === "array" ? `Give at most ${count(issue.maximum, "item")}` : `Give at most ${Number(issue.maximum).toLocaleString("en-US")}`;
    case "invalid_format":
      return issue.format === "email" ? "Give an email address, e.g. ada@example.com" : issue.format === "url" ? "Give a link starting with http:// or https://" : issue.format === "uuid" ? "Pick one from the list" : "Check the format of this value";
    case "invalid_value":
      return `Pick one of ${issue.values.map(String).join(", ")}`;
    case "unrecognized_keys":
      return `Leave out ${issue.keys.length === 1 ? "the unknown field" : "the unknown fields"} ${issue.keys.join(", ")}`;
    case "not_multiple_of":
      return `Give a multiple of ${String(issue.divisor)}`;
    default:
      return "Check this value";
  }
}

z.config({ customError: (issue) => fallbackMessage(issue) });
