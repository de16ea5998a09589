import { z } from "zod";
import { nameFor } from "./common";

export const channelKinds = ["slack", "pagerduty", "email"] as const;
/** Recipients of one email channel: a list, not a mailing service. */
export const MAX_EMAIL_RECIPIENTS = 20;

const email = (what: string) => z.email({ error: `Give ${what} as an email address, e.g. oncall@example.com` }).max(254, `Use at most 254 characters for ${what}`);

export const createChannelSchema = z
  .strictObject({
    name: nameFor("the channel"),
    kind: z.enum(channelKinds, { error: `Pick the kind: ${channelKinds.join(", ")}` }),
    /**
     * Slack: the incoming-webhook URL. PagerDuty: the Events API v2 endpoint (default
     * https://events.pagerduty.com/v2/enqueue). Email: the SMTP server, smtp://host:587 (STARTTLS)
     * or smtps://host:465, with credentials as smtp://user:password@host when it wants them.
     */
    url: z.url({ protocol: /^(https?|smtps?)$/, error: "Give the URL, starting with https:// (or smtp:// or smtps:// for email)" }).max(2000, "Use at most 2,000 characters for the URL").optional(),
    /** PagerDuty: the integration's routing key. */
    routingKey: z.string().trim().min(1, "Give the routing key").max(200, "Use at most 200 characters for the routing key").optional(),
    /** Email: the sender's address. */
    from: email("the sender").optional(),
    /** Email: the recipients' addresses. */
    to: z
      .array(email("each recipient"), { error: "Give the recipients as a list of email addresses" })
      .min(1, "Give at least one recipient")
      .max(MAX_EMAIL_RECIPIENTS, `Give at most ${MAX_EMAIL_RECIPIENTS} recipients; use a mailing list for more`)
      .optional(),
  })
  .superRefine((v, ctx) => {
    // Refinements run even when a field failed (zod reports every problem at once): an unparsable URL has no scheme.
    const scheme = v.url === undefined || !URL.canParse(v.url) ? null : new URL(v.url).protocol;
    if (v.kind === "slack" && !v.url) ctx.addIssue({ code: "custom", path: ["url"], message: "Give the Slack incoming-webhook URL" });
    if (v.kind === "pagerduty" && !v.routingKey) ctx.addIssue({ code: "custom", path: ["routingKey"], message: "Give the PagerDuty routing key" });
    if (v.kind !== "email" && scheme !== null && !scheme.startsWith("http")) ctx.addIssue({ code: "custom", path: ["url"], message: "Give the webhook URL, starting with https://" });
    if (v.kind === "email") {
      if (!v.url) ctx.addIssue({ code: "custom", path: ["url"], message: "Give the SMTP server, e.g. smtp://mail.example.com:587" });
      else if (scheme !== null && !scheme.startsWith("smtp")) ctx.addIssue({ code: "custom", path: ["url"], message: "Give the SMTP server as smtp://host:port (STARTTLS) or smtps://host:port" });
      if (!v.from) ctx.addIssue({ code: "custom", path: ["from"], message: "Give the sender's address" });
      if (!v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "Give at least one recipient" });
    } else if (v.from !== undefined || v.to !== undefined) {
      ctx.addIssue({ code: "custom", path: [v.from !== undefined ? "from" : "to"], message: "Only email channels have a sender and recipients" });
    }
  })
  .transform((v) => ({ ...v, url: v.url ?? "https://events.pagerduty.com/v2/enqueue" }));
export type CreateChannelInput = z.output<typeof createChannelSchema>;
