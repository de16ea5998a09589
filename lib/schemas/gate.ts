// Inputs of the deploy gate: the request pipelines send, overrides, freezes, the decision
// log's filters and the GitHub integration.
import { z } from "zod";
import { changeTypes, gateDecisions } from "../domain/policy";
import { requiredText, slugSchema } from "./common";
import { bothDates } from "./catalog";

const shortText = (max: number) => z.string({ error: (i) => (i.input == null ? "is required" : "must be text") }).trim().min(1, "is required").max(max, `must be at most ${max} characters`);
const instant = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time, e.g. 2026-12-24T00:00:00Z" }).transform((v) => new Date(v));
const httpUrl = z
  .string()
  .trim()
  .max(2000, "must be at most 2,000 characters")
  .url("must be a URL")
  .refine((u) => /^https?:\/\//i.test(u), "must be an http or https URL");
const changeType = z.enum(changeTypes, { error: `must be one of ${changeTypes.join(", ")}` });
export const environmentSchema = shortText(64).regex(/^[\w.\-/ ]+$/, "may hold letters, digits, spaces and . - _ / only");

/** A gate request is a few hundred bytes; anything near this is not one. */
export const MAX_GATE_BYTES = 8 * 1024;

/** What a pipeline sends before a deploy. */
export const gateRequestSchema = z
  .strictObject({
    /** The token's team; optional, but a mismatch is refused rather than answered for another team. */
    team: slugSchema.optional(),
    service: shortText(100),
    environment: environmentSchema,
    version: shortText(200).optional(),
    commit: z.string().trim().regex(/^[0-9a-f]{7,64}$/i, "must be a git commit hash (7 to 64 hex digits)").optional(),
    changeType: changeType.default("feature"),
    /** Who or what triggered the deploy, e.g. $GITHUB_ACTOR. */
    requester: shortText(200),
    link: httpUrl.optional(),
    /** A canary analysis of this release: its verdict joins the answer, and a failed one denies. */
    analysis: z.string().uuid("must be an analysis id").optional(),
  })
  .refine((r) => r.version !== undefined || r.commit !== undefined, { path: ["version"], message: "give a version or a commit" });
export type GateRequest = z.infer<typeof gateRequestSchema>;

/** ?mode=strict answers a deny with 423 Locked, for `curl --fail`; the default always answers 200. */
export const gateQuerySchema = z.object({ mode: z.enum(["json", "strict"], { error: "must be json or strict" }).default("json") });

// The forms' inputs (overrides, freezes) say what to give in a sentence; the pipeline's request keeps its terse API wording.
const formText = (max: number, missing: string) => requiredText(missing).trim().min(1, missing).max(max, `Use at most ${max} characters`);
const reason = requiredText("Give a reason").trim().min(3, "Give a reason, in a few words").max(2000, "Use at most 2,000 characters for the reason");
const instantOf = (when: string) => z.iso.datetime({ offset: true, error: when }).transform((v) => new Date(v));

export const createOverrideSchema = z.strictObject({
  service: formText(100, "Pick the service"),
  /** Omitted or null: every environment. */
  environment: environmentSchema.nullish().transform((v) => v ?? null),
  reason,
  approvedBy: formText(200, "Say who approved it"),
  escalatedTo: formText(200, "Say who it was escalated to, or leave it empty").nullish().transform((v) => v ?? null),
  expiresAt: instantOf("Pick when it expires"),
});
export type CreateOverrideInput = z.infer<typeof createOverrideSchema>;

export const createFreezeSchema = z
  .strictObject({
    /** Omitted or null: every service of the team. */
    service: shortText(100).nullish().transform((v) => v ?? null),
    environment: environmentSchema.nullish().transform((v) => v ?? null),
    reason,
    startsAt: instantOf("Pick when it starts"),
    endsAt: instantOf("Pick when it ends"),
  })
  .refine((v) => { const d = bothDates(v.startsAt, v.endsAt); return !d || d[1] > d[0]; }, { path: ["endsAt"], message: "The end must be after the start" })
  .refine((v) => { const d = bothDates(v.startsAt, v.endsAt); return !d || d[1].getTime() - d[0].getTime() <= 90 * 86_400_000; }, { path: ["endsAt"], message: "A freeze lasts at most 90 days" });
export type CreateFreezeInput = z.infer<typeof createFreezeSchema>;

export const overrideQuerySchema = z.object({
  service: z.string().trim().max(100).optional(),
  activeOnly: z.enum(["true", "false"], { error: "must be true or false" }).optional().transform((v) => v === "true"),
});

export const decisionQuerySchema = z.object({
  service: z.string().trim().max(100).optional(),
  environment: z.string().trim().max(64).optional(),
  decision: z.enum(gateDecisions, { error: `must be one of ${gateDecisions.join(", ")}` }).optional(),
  changeType: changeType.optional(),
  from: instant.optional(),
  to: instant.optional(),
  /** The id of the last decision of the previous page. */
  before: z.string().uuid("must be a decision id").optional(),
  limit: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(200, "must be at most 200").default(50),
});
export type DecisionQuery = z.infer<typeof decisionQuerySchema>;

const pem = z
  .string()
  .trim()
  .max(10_000, "must be at most 10,000 characters")
  .regex(/^-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----$/, "must be the GitHub App's private key in PEM form");

export const putGithubSchema = z.strictObject({
  appId: z.string().trim().regex(/^\d{1,20}$/, "must be the GitHub App's numeric id"),
  privateKey: pem,
  webhookSecret: z.string().min(16, "must be at least 16 characters").max(256, "must be at most 256 characters"),
  /** GitHub Enterprise Server: https://HOST/api/v3. */
  apiUrl: httpUrl.default("https://api.github.com"),
  defaultChangeType: changeType.default("feature"),
});
export type PutGithubInput = z.infer<typeof putGithubSchema>;

/**
 * The parts of GitHub's `deployment_protection_rule` webhook the gate reads (GitHub docs,
 * "Webhook events and payloads"); other fields are ignored.
 */
export const githubDeploymentRuleSchema = z.object({
  action: z.string(),
  environment: environmentSchema,
  event: z.string().optional(),
  sha: z.string().max(64).optional(),
  ref: z.string().max(500).optional(),
  deployment_callback_url: httpUrl,
  deployment: z.object({
    sha: z.string().max(64).optional(),
    payload: z.unknown().optional(),
    creator: z.object({ login: z.string().max(100) }).partial().optional(),
    /** When GitHub created the deployment: signed with the body, so it bounds how old a delivery may be. */
    created_at: z.iso.datetime({ offset: true, error: "must be the deployment's creation time (ISO 8601)" }),
  }),
  repository: z.object({ full_name: z.string().max(200) }),
  installation: z.object({ id: z.number().int() }),
  sender: z.object({ login: z.string().max(100) }).partial().optional(),
});
export type GithubDeploymentRule = z.infer<typeof githubDeploymentRuleSchema>;
