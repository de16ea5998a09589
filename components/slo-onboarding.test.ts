import { describe, expect, it } from "vitest";
import { ingestEnvelopeSchema, ingestItemSchema } from "@/lib/schemas/ingest";
import { exampleIngestBody } from "./slo-onboarding";

describe("the onboarding's example push", () => {
  it("is a body the ingest API accepts, for the minute before the status's instant, with this SLI's slugs", () => {
    const body = exampleIngestBody("checkout-api", "checkouts", "2026-12-04T00:21:37.512Z");
    expect(body).toEqual({ items: [{ sli: "checkout-api/checkouts", minute: "2026-12-04T00:20:00Z", good: 1000, total: 1000 }] });
    expect(ingestEnvelopeSchema.safeParse(body).success).toBe(true);
    expect(ingestItemSchema.safeParse(body.items[0]).success).toBe(true);
  });
});
