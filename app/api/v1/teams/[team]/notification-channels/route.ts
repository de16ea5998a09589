import { authedRoute, created, parseJson } from "@/lib/server/http/route";
import { createChannelSchema } from "@/lib/schemas/notifications";
import { createChannel, listChannels } from "@/lib/server/services/notifications";

type P = { team: string };
const pattern = "/api/v1/teams/[team]/notification-channels";
export const GET = authedRoute<P>(pattern, ({ actor, params }) => listChannels(actor, params.team));
export const POST = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  created(await createChannel(actor, params.team, await parseJson(req, createChannelSchema, 16 * 1024))),
);
