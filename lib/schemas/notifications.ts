import { z } from "zod";
import { nameFor } from "./common";

export const channelKinds = ["slack", "pagerduty"] as const;

export const createChannelSchema = z
  .strictObject({
    name: nameFor("the channel"),
    kind: z.enum(channelKinds, { error: `must be one of ${channelKinds.join(", ")}` }),
    /** Slack: the incoming-webhook URL. PagerDuty: the Events API v2 endpoint (default https://events.pagerduty.com/v2/enqueue). */
    url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2000).optional(),
    /** PagerDuty: the integration's routing key. */
    routingKey: z.string().trim().min(1).max(200).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "slack" && !v.url) ctx.addIssue({ code: "custom", path: ["url"], message: "is required for Slack: the incoming-webhook URL" });
    if (v.kind === "pagerduty" && !v.routingKey) ctx.addIssue({ code: "custom", path: ["routingKey"], message: "is required for PagerDuty" });
  })
  .transform((v) => ({ ...v, url: v.url ?? "https://events.pagerduty.com/v2/enqueue" }));
export type CreateChannelInput = z.output<typeof createChannelSchema>;
