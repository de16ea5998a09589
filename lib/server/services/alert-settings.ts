// An SLO's alert settings (the burn-rate rows, severities, low-traffic guard, the no-data and
// budget-below alerts) and the alert backtest (docs/alerting.md). The numbers come from
// lib/domain (effectiveAlertRules, backtestAlerts); this file reads, scopes and stores.
import { backtestAlerts, backtestMinutesBefore, compareBacktests, type BacktestReport } from "../../domain/alert-backtest";
import { alertRuleReasons, effectiveAlertRules, lookbacks, shortWindowReason, type EffectiveAlertRule } from "../../domain/burn-rate";
import type { Bucket } from "../../domain/burndown";
import type { AlertingDef } from "../../domain/definitions";
import type { SloDefinition } from "../../domain/slo-definition";
import { sliceStart, countTimeSlices } from "../../domain/time-slice";
import { complianceWindow, MINUTE_MS } from "../../domain/window";
import type { AlertBacktestInput, AlertBacktestView, AlertSettingsInput, AlertSettingsView } from "../../schemas/alert-settings";
import { clockNow } from "../clock";
import { bumpGeneration } from "../data-generation";
import { prisma } from "../db/client";
import { AppError } from "../errors";
import { minuteBuckets } from "../sli-data";
import { requireDefinitionsWrite } from "./access";
import type { Actor } from "./actor";
import { requireUnchangedSince, writeAudit } from "./audit";
import { findService, readServiceSlo, findSlo, sloDefinitionOf } from "./catalog";
import { alertingOf } from "./stored-values";

const windowName = Object.fromEntries(Object.entries(lookbacks).map(([k, m]) => [m, k])) as Record<number, string>;
const windowView = (minutes: number) => ({ minutes, name: windowName[minutes] ?? `${minutes}m` });

const ruleView = (r: EffectiveAlertRule) => ({
  tier: r.tier,
  severity: r.severity,
  enabled: r.enabled,
  notifies: r.notifies,
  long: windowView(r.longMinutes),
  short: windowView(r.shortMinutes),
  factor: r.factor,
  budgetPercent: r.budgetPercent,
  workbook: { long: windowView(r.workbook.longMinutes), short: windowView(r.workbook.shortMinutes), factor: r.workbook.factor, budgetPercent: r.workbook.budgetPercent },
  reason: alertRuleReasons[r.tier] ?? "",
});

function settingsView(def: SloDefinition, periodMinutes: number, updatedAt: Date): AlertSettingsView {
  const a = def.alerting;
  return {
    periodMinutes,
    windows: Object.values(lookbacks).map(windowView),
    rules: effectiveAlertRules(a, periodMinutes).map(ruleView),
    overrides: a.rules,
    page: { enabled: a.page.enabled },
    ticket: { enabled: a.ticket.enabled },
    minEvents: def.minEvents,
    noData: a.noData,
    budgetBelow: a.budgetBelow,
    shortWindowReason,
    updatedAt: updatedAt.toISOString(),
  };
}

async function readSlo(actor: Actor, team: string, service: string, slo: string) {
  const { access, svc, row } = await readServiceSlo(actor, team, service, slo);
  return { access, svc, row, def: sloDefinitionOf(row) };
}

export async function getAlertSettings(actor: Actor, team: string, service: string, slo: string, at = clockNow()): Promise<AlertSettingsView> {
  const { row, def } = await readSlo(actor, team, service, slo);
  return settingsView(def, complianceWindow(def.window, at).periodMinutes, row.updatedAt);
}

/** Saves the settings with their audit record in one transaction (docs/architecture.md rule 4); editors. */
export async function updateAlertSettings(actor: Actor, team: string, service: string, slo: string, input: AlertSettingsInput): Promise<AlertSettingsView> {
  const access = await requireDefinitionsWrite(actor, team, "editor");
  const { row, svcId } = await prisma().$transaction(async (tx) => {
    const svc = await findService(access, service, tx);
    const found = await findSlo(svc.id, slo, tx);
    await requireUnchangedSince(tx, "slos", "slo", found.id, input.baseUpdatedAt);
    if (found.archivedAt) throw new AppError("invalid", `SLO "${found.slug}" is archived: restore it first`);
    const before = alertingOf(found);
    const after: AlertingDef = {
      ...before,
      page: { ...before.page, enabled: input.page.enabled },
      ticket: { ...before.ticket, enabled: input.ticket.enabled },
      rules: input.rules,
      noData: input.noData,
      budgetBelow: input.budgetBelow,
    };
    const updated = await tx.slo.update({ where: { id: found.id }, data: { alerting: after, minEvents: input.minEvents }, include: { sli: true } });
    await writeAudit(tx, actor, {
      teamId: access.teamId,
      action: "slo.alerting.update",
      targetType: "slo",
      targetId: found.id,
      before: { alerting: before, minEvents: found.minEvents },
      after: { alerting: after, minEvents: input.minEvents },
    });
    return { row: updated, svcId: svc.id };
  });
  bumpGeneration([svcId]);
  const def = sloDefinitionOf(row);
  return settingsView(def, complianceWindow(def.window, clockNow()).periodMinutes, row.updatedAt);
}

/**
 * Replays the SLO's stored minutes (exclusions left out, one query) against its effective rules
 * and, if given, proposed ones; changes nothing, so viewers may run it.
 */
export async function runAlertBacktest(actor: Actor, team: string, service: string, slo: string, input: AlertBacktestInput): Promise<AlertBacktestView> {
  const { row, def } = await readSlo(actor, team, service, slo);
  const exact = clockNow();
  const now = new Date(Math.floor(exact.getTime() / MINUTE_MS) * MINUTE_MS);
  const to = input.to ?? now;
  const period = complianceWindow(def.window, to).periodMinutes;
  const from = input.from ?? new Date(to.getTime() - period * MINUTE_MS);
  const longest = Math.max(...Object.values(lookbacks));
  if (from >= to) throw new AppError("invalid", "from must be before to", { from: "must be before to" });
  if (to > exact) throw new AppError("invalid", "to cannot be in the future", { to: "cannot be in the future" });
  if (to.getTime() - from.getTime() > (period + longest) * MINUTE_MS) {
    const most = `${Math.round(((period + longest) / 1440) * 10) / 10} days`;
    throw new AppError("invalid", `the range is at most the compliance window plus the longest lookback (3 d): ${most}`, { from: `must be at most ${most} before to` });
  }
  const current = effectiveAlertRules(def.alerting, period);
  const proposed = input.proposed ? effectiveAlertRules({ rules: input.proposed.rules, page: input.proposed.page, ticket: input.proposed.ticket }, period) : null;
  const rangeMinutes = Math.floor((to.getTime() - from.getTime()) / MINUTE_MS);
  const before = Math.max(backtestMinutesBefore(current, period, rangeMinutes), proposed ? backtestMinutesBefore(proposed, period, rangeMinutes) : 0);
  const [buckets, links] = await Promise.all([
    minuteBuckets({ id: def.sli.id, serviceId: def.serviceId }, new Date(from.getTime() - before * MINUTE_MS), to),
    prisma().incidentSlo.findMany({
      where: { sloId: row.id, incident: { startedAt: { lt: to }, OR: [{ resolvedAt: null }, { resolvedAt: { gt: from } }] } },
      include: { incident: { select: { id: true, title: true, startedAt: true, resolvedAt: true } } },
      orderBy: { incident: { startedAt: "asc" } },
    }),
  ]);
  const minutes = def.sli.timeSlice ? slicesAsMinutes(buckets, def.sli.timeSlice.minutes, def.sli.timeSlice.target) : buckets;
  const incidents = links.map((l) => l.incident);
  const run = (rules: EffectiveAlertRule[], minEvents: number) =>
    backtestAlerts({ objective: def.objective, periodMinutes: period, rules, minEvents, from, to, minutes, incidents, noiseMarginMinutes: input.noiseMarginMinutes });
  const cur = run(current, def.minEvents);
  const prop = proposed ? run(proposed, input.proposed!.minEvents) : null;
  return {
    from: cur.from.toISOString(),
    to: cur.to.toISOString(),
    minutes: cur.minutes,
    noiseMarginMinutes: input.noiseMarginMinutes,
    current: reportView(cur, current),
    proposed: prop && proposed ? reportView(prop, proposed) : null,
    comparison: prop ? compareBacktests(cur, prop) : null,
  };
}

/**
 * Time-slice SLIs: each slice becomes one event (good when it met its target) at its first
 * minute, so the replay counts slices as the evaluator does; a window's edge slice counts whole
 * (the evaluator counts the part inside), a difference of at most one slice per window.
 */
function slicesAsMinutes(buckets: readonly Bucket[], sliceMinutes: number, target: Parameters<typeof countTimeSlices>[2]): Bucket[] {
  const bySlice = new Map<number, Bucket[]>();
  for (const b of buckets) {
    const k = sliceStart(b.start, sliceMinutes);
    bySlice.set(k, [...(bySlice.get(k) ?? []), b]);
  }
  return [...bySlice.entries()].map(([k, bs]) => ({ start: new Date(k), ...countTimeSlices(bs, sliceMinutes, target) }));
}

function reportView(r: BacktestReport, rules: EffectiveAlertRule[]): AlertBacktestView["current"] {
  return {
    rules: rules.map(ruleView),
    firings: r.firings.map((f) => ({ ...f, start: f.start.toISOString(), end: f.end?.toISOString() ?? null })),
    incidents: r.incidents.map((i) => ({ ...i, startedAt: i.startedAt.toISOString(), endedAt: i.endedAt.toISOString() })),
    unalerted: r.unalerted,
    badEvents: r.badEvents,
    noise: r.noise,
  };
}
