import { authedRoute, parseJson } from "@/lib/server/http/route";
import { updateExclusionScheduleSchema } from "@/lib/schemas/exclusion-schedules";
import { deleteExclusionSchedule, updateExclusionSchedule } from "@/lib/server/services/exclusion-schedules";

type P = { team: string; schedule: string };
const pattern = "/api/v1/teams/[team]/exclusion-schedules/[schedule]";
export const PATCH = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  updateExclusionSchedule(actor, params.team, params.schedule, await parseJson(req, updateExclusionScheduleSchema, 64 * 1024)),
);
export const DELETE = authedRoute<P>(pattern, ({ actor, params }) => deleteExclusionSchedule(actor, params.team, params.schedule));
