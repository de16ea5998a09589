// Lets a web request (an override granted) queue chat messages for a team's Slack-compatible
// channels. The job runner registers itself here when it starts; the queue then retries each
// delivery with backoff. Queued after the change commits: a crash in between loses the message,
// never the change. In a process that runs no jobs the message is logged as not sent.
import type { ChatMessage } from "../../domain/notification";
import { prisma } from "../db/client";
import { logger } from "../logger";
import type { Delivery } from "./alert-evaluator";
import { processGlobal } from "../process-global";

type Enqueuer = (d: Delivery) => Promise<void>;
// Registered by the job runner in the launcher, used from Next's bundles: one per process.
const hook = processGlobal("notificationEnqueuer", () => ({ fn: null as Enqueuer | null }));

export function setNotificationEnqueuer(fn: Enqueuer | null) {
  hook.fn = fn;
}

/** Queues one message per Slack-compatible channel of the team (PagerDuty is for alerts); returns how many. */
export async function queueTeamMessage(teamId: string, message: ChatMessage): Promise<number> {
  const channels = await prisma().notificationChannel.findMany({ where: { teamId, kind: "slack" }, select: { id: true } });
  if (channels.length === 0) return 0;
  if (!hook.fn) {
    logger().warn({ team_id: teamId }, "this process runs no jobs: a team notification was not queued");
    return 0;
  }
  let queued = 0;
  for (const c of channels) {
    try {
      await hook.fn({ channelId: c.id, message });
      queued++;
    } catch (err) {
      logger().warn({ err, channel_id: c.id }, "could not queue a team notification");
    }
  }
  return queued;
}
