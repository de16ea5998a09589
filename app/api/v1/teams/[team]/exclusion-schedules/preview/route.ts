import { authedRoute, parseJson } from "@/lib/server/http/route";
import { previewExclusionScheduleSchema } from "@/lib/schemas/exclusion-schedules";
import { previewExclusionSchedule } from "@/lib/server/services/exclusion-schedules";

type P = { team: string };
export const POST = authedRoute<P>("/api/v1/teams/[team]/exclusion-schedules/preview", async ({ req, actor, params }) =>
  previewExclusionSchedule(actor, params.team, await parseJson(req, previewExclusionScheduleSchema, 64 * 1024)),
);
