// Every minute: evaluate each SLO's burn-rate alert state and, when it changed, write one
// message per channel of its team (or per channel its alert settings name) to the outbox (outbox.ts). The state swap (a compare-and-set)
// and the outbox rows are written in one transaction: overlapping evaluations (two replicas, a slow run) send one message per
// change, and a crash in between sends none rather than losing the state change.
import { alertChannels, alertDetailsOf, notifiedAlertState } from "../../domain/alert-routing";
import { budgetCrossing, dataChange, type AlertEvent, type AlertEventState, type DataState } from "../../domain/alert-kinds";
import { formatPercent } from "../../domain/format";
import { alertChangeLine, isFiring, isNotifiable, MESSAGE_CHANNEL_KINDS, overdueMessage, takesMessages, tierChangeMessage, type AlertChange, type ChatMessage } from "../../domain/notification";
import { dispositionOf, type Disposition } from "../../domain/silence";
import { alertSuppressions } from "../services/silences";
import { labelsOf } from "../services/definition-rows";
import type { SloStatus } from "../../domain/slo-status";
import type { Tier } from "../../domain/tier";
import type { AlertState } from "../../domain/burn-rate";
import { prisma, withTransaction } from "../db/client";
import { getConfig } from "../config";
import { serviceStandingsOf, statusesWithDaysOf } from "../services/slo-status";
import { writeSnapshots } from "../services/status-snapshots";
import { SLO_STATUS_SELECT } from "../services/catalog";
import { alertingOf } from "../services/stored-values";
import type { AlertingDef } from "../../domain/definitions";
import { writeOutbox } from "./outbox";
import { clockNow } from "../clock";

/** One message for one channel: an alert-state change (Slack or PagerDuty) or a chat message (Slack-compatible only). */
export type AlertDelivery = { channelId: string; change: AlertChange };
/** A no-data or budget-below alert (alert-kinds.ts) for one channel. */
export type EventDelivery = { channelId: string; event: AlertEvent };
export type Delivery = AlertDelivery | EventDelivery | { channelId: string; message: ChatMessage };

/** Each minute: the SLOs' statuses, computed once, decide both alert states and service tiers, and are stored as snapshots. */
export async function evaluateAll(now = clockNow(), only?: readonly string[]): Promise<{ alerts: AlertDelivery[]; events: EventDelivery[]; tiers: TierDelivery[]; overdue: OverdueDelivery[] }> {
  const slos = await loadSlos(only);
  const computed = await statusesWithDaysOf(slos, now);
  const statuses = computed.map((c) => c.status);
  // Stored for the views that list every SLO (status-snapshots.ts): this minute's answer, computed once.
  await writeSnapshots(slos, computed, now);
  return {
    alerts: await evaluateAlertStates(now, slos, statuses),
    events: await evaluateAlertEvents(now, slos, statuses),
    tiers: await evaluateServiceTiers(now, slos, statuses),
    // Overdue reminders are per team, not per SLO: not part of evaluating `only` some SLOs.
    overdue: only ? [] : await notifyOverdueItems(now),
  };
}

/** Every live SLO, or only these (a test evaluating its own SLOs in a database others share). */
const loadSlos = (only?: readonly string[]) =>
  prisma().slo.findMany({ where: { archivedAt: null, ...(only ? { id: { in: [...only] } } : {}) }, include: { sli: SLO_STATUS_SELECT.sli, alertState: true, service: { include: { tierState: true, team: { include: { channels: true } } } } }, orderBy: [{ serviceId: "asc" }, { slug: "asc" }] });
type Loaded = Awaited<ReturnType<typeof loadSlos>>;

/**
 * What a message of an SLO becomes at `now` (lib/domain/silence.ts): sent, silenced or folded. The
 * silences in force and open incidents are read once per evaluation, and only when asked (most
 * minutes nothing changes).
 */
function dispositions(now: Date): (slo: Loaded[number]) => Promise<Disposition> {
  let suppressions: ReturnType<typeof alertSuppressions> | null = null;
  return async (slo) => {
    const { silences, incidents } = await (suppressions ??= alertSuppressions(now));
    const target = { teamId: slo.service.team.id, sloId: slo.id, serviceId: slo.serviceId, sloLabels: labelsOf(slo.labels), serviceLabels: labelsOf(slo.service.labels) };
    return dispositionOf(target, now, silences, incidents);
  };
}

export async function evaluateAlertStates(now: Date, slos: Loaded, statuses: SloStatus[]): Promise<AlertDelivery[]> {
  const sent: AlertDelivery[] = [];
  const dispositionOfSlo = dispositions(now);
  for (const [i, slo] of slos.entries()) {
    const status = statuses[i]!;
    // An SLO that could not be evaluated keeps its last state (its page shows the error) and
    // never stops the others: each SLO's swap is its own transaction.
    if (status.error) continue;
    // The alert settings decide the state that is notified and stored (alert-routing.ts): a
    // disabled severity never fires. They parsed already: a row whose settings do not parse
    // is a status error above (catalog.ts sloDefinitionOf).
    const alerting = alertingOf(slo);
    const to = notifiedAlertState(status.alerts, alerting);
    const from = (slo.alertState?.state ?? "ok") as AlertState;
    // A firing state reached while silenced or folded is told once neither holds any more (a silence
    // that ends while the SLO still burns pages then, as Alertmanager does).
    const untold = from === to && slo.alertState?.unsent === true && isFiring(to);
    if (from === to && !untold) continue;
    const team = slo.service.team;
    const change: AlertChange = {
      team: team.slug,
      service: slo.service.slug,
      slo: slo.slug,
      sloName: slo.name,
      sloId: slo.id,
      from,
      to,
      at: now.toISOString(),
      remaining: status.budget.state === "ok" ? status.budget.remaining : null,
      burnRate1h: status.burnRates["1h"],
      // The SLO itself: the page that says what burns, since when, and what would let deploys through.
      url: `${getConfig().publicUrl}/teams/${team.slug}/services/${slo.service.slug}/slos/${slo.slug}`,
      alert: alertDetailsOf(alerting, from, to),
    };
    // Sent, silenced, or folded into an open incident that names the SLO (lib/domain/silence.ts).
    const disposition: Disposition = isNotifiable(from, to) || untold ? await dispositionOfSlo(slo) : { kind: "send" };
    if (untold) {
      if (disposition.kind !== "send") continue;
      await withTransaction(async (client) => {
        // Compare-and-set, like the swap below: one evaluation tells it.
        const told = await client.query("UPDATE slo_alert_states SET unsent = false WHERE slo_id = $1 AND state = $2 AND unsent", [slo.id, to]);
        if (told.rowCount !== 1) return;
        const ds = alertChannels(team.channels, alerting).map((ch) => ({ channelId: ch.id, change }));
        await writeOutbox(client, ds);
        sent.push(...ds);
      });
      continue;
    }
    const unsent = isNotifiable(from, to) && disposition.kind !== "send";
    await withTransaction(async (client) => {
      const swap = await client.query(
        `INSERT INTO slo_alert_states (slo_id, state, changed_at, unsent) VALUES ($1, $2, $3, $5)
         ON CONFLICT (slo_id) DO UPDATE SET state = EXCLUDED.state, changed_at = EXCLUDED.changed_at, unsent = EXCLUDED.unsent
         WHERE slo_alert_states.state = $4`,
        [slo.id, to, now, from, unsent],
      );
      // rowCount 0: another evaluation moved this SLO first; it records the change and sends the message.
      if (swap.rowCount !== 1) return;
      await client.query(
        "INSERT INTO slo_alert_changes (id, slo_id, from_state, to_state, at, burn_rates, remaining, silence_id, folded_incident_id) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8)",
        [slo.id, from, to, now, JSON.stringify(status.burnRates), change.remaining, disposition.kind === "silenced" ? disposition.silenceId : null, disposition.kind === "folded" ? disposition.incidentId : null],
      );
      // A change an open incident takes goes on its timeline: the people on it see it there, nobody is paged again.
      if (disposition.kind === "folded") {
        await client.query("INSERT INTO timeline_entries (id, incident_id, at, kind, text) VALUES (gen_random_uuid(), $1, $2, 'alert', $3)", [disposition.incidentId, now, alertChangeLine(change)]);
      }
      if (isNotifiable(from, to) && disposition.kind === "send") {
        const ds = alertChannels(team.channels, alerting).map((ch) => ({ channelId: ch.id, change }));
        await writeOutbox(client, ds);
        sent.push(...ds);
      }
    });
  }
  return sent;
}

/**
 * The no-data and budget-below alerts (alert-kinds.ts), each opt-in per SLO. The last seen data
 * state and "below" flag are swapped with a compare-and-set (slo_alert_states), recorded in the
 * alert history and queued to the SLO's channels in one transaction, so two replicas notify once.
 * Only SLOs that opted in are looked at (no rows for the others); the "below" flag is cleared
 * when the alert is turned off, so turning it on with the budget already low notifies once. An SLO
 * that could not be evaluated keeps its last states, as for burn-rate alerts.
 */
export async function evaluateAlertEvents(now: Date, slos: Loaded, statuses: SloStatus[]): Promise<EventDelivery[]> {
  const sent: EventDelivery[] = [];
  // Silences and open incidents hold these messages too (docs/silences.md); they are recorded all the same.
  const dispositionOfSlo = dispositions(now);
  const held = async (slo: Loaded[number]) => (await dispositionOfSlo(slo)).kind !== "send";
  for (const [i, slo] of slos.entries()) {
    const status = statuses[i]!;
    if (status.error) continue;
    let alerting: AlertingDef;
    try {
      alerting = alertingOf(slo);
    } catch {
      continue; // unreadable settings: the SLO shows its error, as for burn-rate alerts
    }
    const team = slo.service.team;
    const base = { team: team.slug, service: slo.service.slug, slo: slo.slug, sloName: slo.name, sloId: slo.id, at: now.toISOString(), remaining: status.budget.state === "ok" ? status.budget.remaining : null, url: `${getConfig().publicUrl}/teams/${team.slug}/services/${slo.service.slug}/slos/${slo.slug}`, alert: alertDetailsOf(alerting, "ok", "ok") };
    const channels = alertChannels(team.channels, alerting);
    const deliver = async (event: AlertEvent | null) => (event && !(await held(slo)) ? channels.map((ch) => ({ channelId: ch.id, event })) : null);

    const lastData = (slo.alertState?.dataState ?? null) as DataState | null;
    const nowData = status.freshness.state;
    const change = alerting.noData.enabled ? dataChange(lastData, nowData) : null;
    if (change) {
      const notify = change === "stopped" || change === "back";
      const event: AlertEvent | null = notify
        ? { ...base, kind: "no_data", action: change === "stopped" ? "firing" : "resolved", detail: change === "stopped" ? (status.freshness.reason ?? "no current data") : "data is current again" }
        : null;
      sent.push(
        ...(await swapAndQueue(now, slo.id, status, { column: "data_state", from: lastData, to: nowData }, await deliver(event), notify ? (change === "stopped" ? ["data_back", "data_stopped"] : ["data_stopped", "data_back"]) : null)),
      );
    }

    const wasBelow = slo.alertState?.budgetBelow ?? false;
    const level = alerting.budgetBelow.percent;
    const crossing = alerting.budgetBelow.enabled ? budgetCrossing(wasBelow, status.budget, level) : wasBelow ? "rearmed" : null;
    if (crossing) {
      const below = crossing === "below";
      const event: AlertEvent | null = below ? { ...base, kind: "budget_below", action: "firing", detail: `the remaining budget fell below ${formatPercent(level / 100, 0)}` } : null;
      const history: [AlertEventState, AlertEventState] | null = alerting.budgetBelow.enabled ? (below ? ["budget_rearmed", "budget_below"] : ["budget_below", "budget_rearmed"]) : null;
      sent.push(...(await swapAndQueue(now, slo.id, status, { column: "budget_below", from: wasBelow, to: below }, await deliver(event), history)));
    }
  }
  return sent;
}

/** One compare-and-set of a column of slo_alert_states, with its history row and messages, in one transaction. */
async function swapAndQueue(
  now: Date,
  sloId: string,
  status: SloStatus,
  swap: { column: "data_state" | "budget_below"; from: string | boolean | null; to: string | boolean },
  deliveries: EventDelivery[] | null,
  history: [AlertEventState, AlertEventState] | null,
): Promise<EventDelivery[]> {
  let sent: EventDelivery[] = [];
  await withTransaction(async (client) => {
    // A missing row is the burn-rate state "ok" (as evaluateAlertStates reads it) with nothing seen yet.
    const r = await client.query(
      `INSERT INTO slo_alert_states (slo_id, state, changed_at, ${swap.column}) VALUES ($1, 'ok', $2, $3)
       ON CONFLICT (slo_id) DO UPDATE SET ${swap.column} = EXCLUDED.${swap.column}
       WHERE slo_alert_states.${swap.column} IS NOT DISTINCT FROM $4`,
      [sloId, now, swap.to, swap.from ?? (swap.column === "budget_below" ? false : null)],
    );
    if (r.rowCount !== 1) return; // another evaluation recorded this change first
    if (history) {
      await client.query("INSERT INTO slo_alert_changes (id, slo_id, from_state, to_state, at, burn_rates, remaining) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)", [
        sloId,
        history[0],
        history[1],
        now,
        JSON.stringify(status.burnRates),
        status.budget.state === "ok" ? status.budget.remaining : null,
      ]);
    }
    if (deliveries?.length) {
      await writeOutbox(client, deliveries);
      sent = deliveries;
    }
  });
  return sent;
}

export type TierDelivery = { channelId: string; message: ChatMessage; service: string; from: Tier; to: Tier };

/**
 * A service's tier is its worst SLO's under the service's policy. The first time a service is
 * seen its tier is recorded without a message; after that each change is swapped in with a
 * compare-and-set and queued to the team's channels that take messages (chat, email) in the same transaction.
 */
export async function evaluateServiceTiers(now: Date, slos: Loaded, statuses: SloStatus[]): Promise<TierDelivery[]> {
  // Node 20 has no Map.groupBy.
  const byService = new Map<string, { slo: Loaded[number]; status: SloStatus }[]>();
  for (const [i, slo] of slos.entries()) byService.set(slo.serviceId, [...(byService.get(slo.serviceId) ?? []), { slo, status: statuses[i]! }]);
  const groups = [...byService.values()];
  // The tier is the service's standing, the same evaluation as the gate's (manual freezes included).
  const standings = await serviceStandingsOf(
    groups.map((g) => ({ id: g[0]!.slo.serviceId, slos: g.map((x) => x.slo) })),
    now,
    groups.flatMap((g) => g.map((x) => x.status)),
  );
  const sent: TierDelivery[] = [];
  for (const group of groups) {
    const service = group[0]!.slo.service;
    const found = standings.get(service.id);
    if (!found) continue;
    const { standing } = found;
    const to = standing.tier;
    const from = (service.tierState?.tier ?? null) as Tier | null;
    if (from === to) continue;
    const worst = standing.decidingSlo;
    const team = service.team;
    const message = tierChangeMessage({
      team: team.slug,
      service: service.slug,
      serviceName: service.name,
      from: from ?? to,
      to,
      slo: worst?.name ?? null,
      remaining: worst?.budget.state === "ok" && !worst.error ? worst.budget.remaining : null,
      effect: standing.headline,
      url: `${getConfig().publicUrl}/teams/${team.slug}/services/${service.slug}`,
    });
    await withTransaction(async (client) => {
      const swap = await client.query(
        `INSERT INTO service_tier_states (service_id, tier, changed_at) VALUES ($1, $2, $3)
         ON CONFLICT (service_id) DO UPDATE SET tier = EXCLUDED.tier, changed_at = EXCLUDED.changed_at
         WHERE service_tier_states.tier = $4`,
        [service.id, to, now, from],
      );
      if (swap.rowCount !== 1 || from === null) return;
      const ds = team.channels.filter((c) => takesMessages(c.kind)).map((ch) => ({ channelId: ch.id, message }));
      await writeOutbox(client, ds);
      sent.push(...ds.map((d) => ({ ...d, service: service.slug, from, to })));
    });
  }
  return sent;
}

export type OverdueDelivery = { channelId: string; message: ChatMessage; itemId: string };

/**
 * Action items past their due date: each is claimed for today with a compare-and-set on
 * `overdue_notified_on`, and its message queued in the same transaction, so an item is announced
 * once per day however many evaluators run.
 */
export async function notifyOverdueItems(now = clockNow()): Promise<OverdueDelivery[]> {
  const today = now.toISOString().slice(0, 10);
  const sent: OverdueDelivery[] = [];
  await withTransaction(async (client) => {
    const { rows } = await client.query<{ id: string; title: string; priority: string; due: string; team_id: string; team: string; owner: string | null; pm_id: string; pm: string }>(
      `UPDATE action_items a SET overdue_notified_on = $1::date
       FROM teams t, postmortems p
       WHERE t.id = a.team_id AND p.id = a.postmortem_id
         AND a.status IN ('open', 'in_progress') AND a.due_date < $1::date
         AND (a.overdue_notified_on IS NULL OR a.overdue_notified_on < $1::date)
       RETURNING a.id, a.title, a.priority, to_char(a.due_date, 'YYYY-MM-DD') AS due, a.team_id, t.slug AS team,
                 (SELECT name FROM users WHERE id = a.owner_id) AS owner, p.id AS pm_id, p.title AS pm`,
      [today],
    );
    for (const r of rows) {
      const message = overdueMessage({ team: r.team, title: r.title, priority: r.priority, dueDate: r.due, owner: r.owner, postmortem: r.pm, url: `${getConfig().publicUrl}/postmortems/${r.pm_id}` });
      const channels = await client.query<{ id: string }>("SELECT id FROM notification_channels WHERE team_id = $1 AND kind::text = ANY($2)", [r.team_id, [...MESSAGE_CHANNEL_KINDS]]);
      const ds = channels.rows.map((ch) => ({ channelId: ch.id, message }));
      await writeOutbox(client, ds);
      sent.push(...ds.map((d) => ({ ...d, itemId: r.id })));
    }
  });
  return sent;
}
