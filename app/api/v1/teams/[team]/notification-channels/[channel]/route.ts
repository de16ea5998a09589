import { authedRoute } from "@/lib/server/http/route";
import { deleteChannel } from "@/lib/server/services/notifications";

type P = { team: string; channel: string };
export const DELETE = authedRoute<P>("/api/v1/teams/[team]/notification-channels/[channel]", ({ actor, params }) =>
  deleteChannel(actor, params.team, params.channel),
);
