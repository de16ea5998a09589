import { authedRoute, created, parseJson, parseQuery } from "@/lib/server/http/route";
import { createExclusionScheduleSchema, listExclusionSchedulesQuerySchema } from "@/lib/schemas/exclusion-schedules";
import { createExclusionSchedule, listExclusionSchedules } from "@/lib/server/services/exclusion-schedules";

type P = { team: string };
const pattern = "/api/v1/teams/[team]/exclusion-schedules";
export const GET = authedRoute<P>(pattern, ({ req, actor, params }) => listExclusionSchedules(actor, params.team, parseQuery(req, listExclusionSchedulesQuerySchema)));
export const POST = authedRoute<P>(pattern, async ({ req, actor, params }) =>
  created(await createExclusionSchedule(actor, params.team, await parseJson(req, createExclusionScheduleSchema, 64 * 1024))),
);
