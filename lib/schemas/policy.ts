// The error-budget policy as teams edit it (PUT) and as stored in each version. One schema for
// both, so a stored policy is always one the editor could have saved.
import { z } from "zod";
import { changeTypes, defaultPolicy, gateDecisions, MAX_OVERDUE_P0_DAYS, MAX_OVERRIDE_HOURS_LIMIT, overdueP0Actions, type Policy } from "../domain/policy";

const fraction = (name: string) =>
  z.number({ error: `${name} must be a fraction between 0 and 1, e.g. 0.5 for 50%` }).gt(0, "must be above 0 (0%)").lt(1, "must be below 1 (100%)");
const changeList = z
  .array(z.enum(changeTypes, { error: `must be one of ${changeTypes.join(", ")}` }))
  .max(changeTypes.length)
  .transform((a) => [...new Set(a)]);
const decision = z.enum(gateDecisions, { error: `must be one of ${gateDecisions.join(", ")}` });
const environmentName = z
  .string()
  .trim()
  .min(1, "is required")
  .max(64, "must be at most 64 characters")
  .regex(/^[\w.\-/ ]+$/, "may hold letters, digits, spaces and . - _ / only");
const environmentList = z.array(environmentName).max(50, "at most 50 environments");

export const policySchema = z
  .strictObject({
    thresholds: z.strictObject({ caution: fraction("caution"), freeze: fraction("freeze") }),
    allowed: z.strictObject({ freeze: changeList, halted: changeList }),
    cautionFeatures: z.enum(["warn", "deny"], { error: "must be warn or deny" }),
    noData: decision,
    unknownService: decision,
    unknownEnvironment: decision,
    environments: z.strictObject({ gated: environmentList.min(1, "gate at least one environment"), ungated: environmentList }),
    missingPostmortemBlocksFeatures: z.boolean({ error: "must be true or false" }),
    maxOverrideHours: z
      .number({ error: "must be a number of hours" })
      .int("must be whole hours")
      .min(1, "must be at least 1 hour")
      .max(MAX_OVERRIDE_HOURS_LIMIT, `must be at most ${MAX_OVERRIDE_HOURS_LIMIT} hours (30 days)`),
    selfApproval: z.boolean({ error: "must be true or false" }),
    /** Optional (policies saved before it existed, and clients that do not know it, keep "off"). */
    overdueP0: z
      .strictObject({
        action: z.enum(overdueP0Actions, { error: `must be one of ${overdueP0Actions.join(", ")}` }),
        afterDays: z
          .number({ error: "must be a number of days" })
          .int("must be whole days")
          .min(0, "must be 0 days or more")
          .max(MAX_OVERDUE_P0_DAYS, `must be at most ${MAX_OVERDUE_P0_DAYS} days`),
      })
      .default(defaultPolicy.overdueP0),
  })
  .refine((p) => !(typeof p.thresholds?.freeze === "number" && typeof p.thresholds?.caution === "number") || p.thresholds.freeze < p.thresholds.caution, {
    path: ["thresholds", "freeze"],
    message: "must be below the caution threshold",
  })
  .refine((p) => !p.allowed?.halted || !p.allowed?.freeze || p.allowed.halted.every((c) => p.allowed.freeze.includes(c)), {
    path: ["allowed", "halted"],
    message: "halted may only allow change types that freeze allows too",
  })
  .refine(
    (p) => !p.environments?.gated || !p.environments?.ungated || !p.environments.gated.some((g) => p.environments.ungated.some((u) => u.toLowerCase() === g.toLowerCase())),
    { path: ["environments", "ungated"], message: "an environment cannot be both gated and ungated" },
  ) satisfies z.ZodType<Policy>;
export type PolicyInput = z.infer<typeof policySchema>;

/**
 * PUT body: the whole policy, and the version of its scope the edit started from (the view's
 * `editVersion`; 0 before the first save): a save from an older version is a 409. Without it
 * the save applies to whatever is current. A service's policy can also go back to the team's (DELETE).
 */
export const putPolicySchema = z.strictObject({ policy: policySchema, baseVersion: z.number({ error: "must be the version number the edit started from" }).int().min(0).optional() });
export const resetPolicyQuerySchema = z.object({ baseVersion: z.coerce.number({ error: "must be the version number the edit started from" }).int().min(0).optional() });

export const policyHistoryQuerySchema = z.object({ service: z.string().trim().min(1).max(100).optional() });
