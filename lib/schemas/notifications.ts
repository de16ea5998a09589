import { z } from "zod";
import { nameFor } from "./common";

export const channelKinds = ["slack", "pagerduty"] as const;

export const createChannelSchema = z
  .strictObject({
    name: nameFor("the channel"),
    kind: z.enum(channelKinds, { error: `Pick the kind: ${channelKinds.join(", ")}` }),
    /** Slack: the incoming-webhook URL. PagerDuty: the Events API v2 endpoint (default https://events.pagerduty.com/v2/enqueue). */
    url: z.url({ protocol: /^https?$/, error: "Give the webhook URL, starting with https://" }).max(2000, "Use at most 2,000 characters for the URL").optional(),
    /** PagerDuty: the integration's routing key. */
    routingKey: z.string().trim().min(1, "Give the routing key").max(200, "Use at most 200 characters for the routing key").optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "slack" && !v.url) ctx.addIssue({ code: "custom", path: ["url"], message: "Give the Slack incoming-webhook URL" });
    if (v.kind === "pagerduty" && !v.routingKey) ctx.addIssue({ code: "custom", path: ["routingKey"], message: "Give the PagerDuty routing key" });
  })
  .transform((v) => ({ ...v, url: v.url ?? "https://events.pagerduty.com/v2/enqueue" }));
export type CreateChannelInput = z.output<typeof createChannelSchema>;
