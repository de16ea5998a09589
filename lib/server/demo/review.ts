// The demo's error-budget review (docs/reviews.md): a fourth team, Identity (Europe/Berlin), whose
// last calendar month and the month before hold what a review reads: minutes of SLI data for both
// months, incidents with their timelines' times, postmortems and action items, gate decisions, an
// override, a freeze and a policy change. A team of its own, so the other demo teams' figures (which
// the e2e specs count) stay as they were, and placed by the calendar, not by "days ago".
import type { PoolClient } from "pg";
import { v7 as uuidv7 } from "uuid";
import { defaultPolicy } from "../../domain/policy";
import { lastMonth, previousPeriod } from "../../domain/review-period";
import { rebuildRollups } from "../sli-data";
import { prng } from "./generate";

export const REVIEW_DEMO_TEAM = { slug: "identity", name: "Identity", timeZone: "Europe/Berlin" };
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Where the review demo's minutes begin: the month before last, in the team's zone. */
export function reviewDemoHistoryStart(now: Date): Date {
  return previousPeriod(lastMonth(now, REVIEW_DEMO_TEAM.timeZone)).from;
}

type Sli = { slug: string; name: string; kind: "request_ratio" | "latency"; perMinute: number; baseErrorRate: number };
const slis: Sli[] = [
  { slug: "availability", name: "Sign-ins without a server error", kind: "request_ratio", perMinute: 400, baseErrorRate: 0.0003 },
  { slug: "latency", name: "Sign-ins under 500 ms", kind: "latency", perMinute: 400, baseErrorRate: 0.004 },
];

/**
 * Seeds the review demo into `teamId` (the team exists): the service, its SLIs and SLOs with minutes
 * from the month before last up to now, and the period's records. `people`: who owns and approves.
 * Returns the incidents' ids by key.
 */
export async function seedReviewDemo(client: PoolClient, teamId: string, now: Date, people: { adminId: string; ownerId: string | null }) {
  const last = lastMonth(now, REVIEW_DEMO_TEAM.timeZone);
  const before = previousPeriod(last);
  const L = (days: number, hours = 0, minutes = 0) => new Date(last.from.getTime() + days * DAY + hours * HOUR + minutes * MIN);
  const B = (days: number, hours = 0, minutes = 0) => new Date(before.from.getTime() + days * DAY + hours * HOUR + minutes * MIN);
  const incidents = {
    key: { title: "Sign-ins failing: the token signing key rotated early", severity: "SEV1", start: L(9, 9), detect: 6, mitigate: 25, resolve: 40, sli: "availability", boost: 0.3 },
    cache: { title: "Slow sign-ins after a session-cache eviction", severity: "SEV3", start: L(19, 14), detect: 20, mitigate: null, resolve: 90, sli: "latency", boost: 0.05 },
    resets: { title: "Password resets timing out", severity: "SEV2", start: B(12, 10), detect: 12, mitigate: 20, resolve: 30, sli: "availability", boost: 0.1 },
  } as const;

  const svc = await client.query<{ id: string }>("INSERT INTO services (id, team_id, slug, name, description) VALUES (gen_random_uuid(), $1, 'auth-api', 'Sign-in API', 'Password and SSO sign-in, tokens and password resets.') RETURNING id", [teamId]);
  const serviceId = svc.rows[0]!.id;
  const start = before.from.getTime();
  const end = Math.floor(now.getTime() / MIN) * MIN;
  const sloIds = new Map<string, string>();
  for (const [i, sli] of slis.entries()) {
    const r = await client.query<{ id: string }>("INSERT INTO slis (id, service_id, slug, name, kind) VALUES (gen_random_uuid(), $1, $2, $3, $4) RETURNING id", [serviceId, sli.slug, sli.name, sli.kind]);
    const sliId = r.rows[0]!.id;
    const random = prng(0x1d3 + i);
    const boosts = Object.values(incidents).filter((x) => x.sli === sli.slug);
    for (let from = start; from < end; from += 20_000 * MIN) {
      const ts: Date[] = [];
      const good: number[] = [];
      const total: number[] = [];
      for (let t = from; t < Math.min(end, from + 20_000 * MIN); t += MIN) {
        const hour = new Date(t).getUTCHours();
        const n = Math.max(1, Math.round(sli.perMinute * (1 + 0.4 * Math.sin(((hour - 9) / 24) * 2 * Math.PI)) * (0.9 + 0.2 * random())));
        const boost = boosts.find((x) => t >= x.start.getTime() && t < x.start.getTime() + x.resolve * MIN)?.boost ?? 0;
        // After the reviewed months the service runs quietly (a quarter of its usual errors): its
        // burn stays well under what would make the budget left after November's incidents run out
        // inside the window, so the overview ranks it by its budget, never by an unlucky hour.
        const base = t >= last.to.getTime() ? sli.baseErrorRate / 4 : sli.baseErrorRate;
        const expected = n * (base * (0.5 + random()) + boost);
        const bad = Math.min(n, Math.floor(expected) + (random() < expected % 1 ? 1 : 0));
        ts.push(new Date(t));
        good.push(n - bad);
        total.push(n);
      }
      await client.query("INSERT INTO sli_buckets (sli_id, minute, good, total) SELECT $1, unnest($2::timestamptz[]), unnest($3::bigint[]), unnest($4::bigint[])", [sliId, ts, good, total]);
    }
    await rebuildRollups(client, sliId);
    const slo = await client.query<{ id: string }>(
      `INSERT INTO slos (id, service_id, sli_id, slug, name, objective, window_kind, window_days, created_at) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 'rolling', 30, $6) RETURNING id`,
      [serviceId, sliId, sli.slug === "availability" ? "availability-999" : "latency-99", sli.slug === "availability" ? "Sign-in availability 99.9%" : "Sign-in latency 99% < 500 ms", sli.slug === "availability" ? "0.999" : "0.99", before.from],
    );
    sloIds.set(sli.slug, slo.rows[0]!.id);
  }

  const ids: Record<string, string> = {};
  for (const [key, x] of Object.entries(incidents)) {
    const at = (m: number | null) => (m === null ? null : new Date(x.start.getTime() + m * MIN));
    const r = await client.query<{ id: string }>(
      `INSERT INTO incidents (id, team_id, title, severity, status, summary, started_at, detected_at, mitigated_at, resolved_at, roles, created_at)
       VALUES ($1, $2, $3, $4, 'resolved', '', $5, $6, $7, $8, '{}', $5) RETURNING id`,
      [uuidv7(), teamId, x.title, x.severity, x.start, at(x.detect), at(x.mitigate), at(x.resolve)],
    );
    ids[key] = r.rows[0]!.id;
    await client.query("INSERT INTO incident_slos (incident_id, slo_id) VALUES ($1, $2)", [ids[key], sloIds.get(x.sli)]);
    for (const [m, kind, text] of [[0, "alert", "Errors start"], [x.detect, "acknowledged", "On-call acknowledges"], [x.resolve, "closed", "Resolved"]] as const) {
      await client.query("INSERT INTO timeline_entries (id, incident_id, at, kind, text) VALUES (gen_random_uuid(), $1, $2, $3, $4)", [ids[key], at(m), kind, text]);
    }
  }

  // Postmortems and their action items: opened, done and overdue across both months.
  const postmortem = async (incident: string, title: string, published: Date) =>
    (await client.query<{ id: string }>(`INSERT INTO postmortems (id, team_id, incident_id, title, status, sections, published_at, created_at) VALUES ($1, $2, $3, $4, 'published', '[]', $5, $5) RETURNING id`, [uuidv7(), teamId, incident, title, published])).rows[0]!.id;
  const pmKey = await postmortem(ids.key!, "Signing key rotated early", L(11, 9));
  const pmResets = await postmortem(ids.resets!, "Password resets timing out", B(13, 9));
  const items: [pm: string, title: string, priority: string, status: string, created: Date, due: Date | null, completed: Date | null][] = [
    [pmKey, "Alert when the signing key rotates outside its window", "P0", "open", L(11, 10), L(20), null],
    [pmKey, "Rehearse key rotation in staging", "P1", "done", L(11, 10), L(25), L(16, 15)],
    [pmKey, "Write the key-rotation runbook", "P2", "open", L(11, 10), null, null],
    [pmResets, "Raise the reset-mail timeout", "P1", "done", B(13, 10), L(5), L(3, 11)],
    [pmResets, "Queue reset mails instead of sending inline", "P0", "open", B(13, 10), null, null],
  ];
  for (const [pm, title, priority, status, created, due, completed] of items) {
    await client.query(
      `INSERT INTO action_items (id, team_id, postmortem_id, title, type, priority, owner_id, due_date, status, created_at, completed_at) VALUES ($1, $2, $3, $4, 'prevent', $5, $6, $7, $8, $9, $10)`,
      [uuidv7(), teamId, pm, title, priority, people.ownerId, due ? due.toISOString().slice(0, 10) : null, status, created, completed],
    );
  }

  // Gate decisions as pipelines asked: a few denied while the key incident froze deploys.
  const decisions: [at: Date, decision: string, tier: string, version: string, changeType: string][] = [
    ...[2, 5, 8, 14, 22].map((d, k) => [L(d, 10), "allow", "normal", `v4.${k}.0`, "feature"] as [Date, string, string, string, string]),
    [L(9, 11), "deny", "freeze", "v4.2.1", "feature"],
    [L(9, 13), "allow", "freeze", "v4.2.1-hotfix", "reliability"],
    [L(10, 9), "warn", "caution", "v4.3.0-rc.1", "feature"],
    [L(10, 15), "deny", "freeze", "v4.3.0", "feature"],
    ...[3, 10, 17, 24].map((d, k) => [B(d, 10), "allow", "normal", `v3.${k}.0`, "feature"] as [Date, string, string, string, string]),
  ];
  for (const [at, decision, tier, version, changeType] of decisions) {
    await client.query(
      `INSERT INTO gate_decisions (id, team_id, service_id, service_name, environment, version, change_type, requester, source, decision, tier, reasons, numbers, policy_scope, policy_version, created_at)
       VALUES ($1, $2, $3, 'auth-api', 'production', $4, $5, 'github-actions', 'api', $6, $7, $8, '{}', 'team', 1, $9)`,
      [uuidv7(), teamId, serviceId, version, changeType, decision, tier, JSON.stringify([`tier ${tier}`]), at],
    );
  }
  await client.query(
    `INSERT INTO gate_overrides (id, team_id, service_id, environment, reason, approved_by, expires_at, granted_by_id, created_at, revoked_at) VALUES ($1, $2, $3, 'production', $4, $5, $6, $7, $8, $9)`,
    [uuidv7(), teamId, serviceId, "Ship the signing-key rollback through the freeze", "Amara Okafor (identity lead)", L(9, 16), people.adminId, L(9, 12), L(9, 14)],
  );
  await client.query(
    `INSERT INTO freezes (id, team_id, service_id, environment, reason, starts_at, ends_at, created_by_id, created_at) VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $5)`,
    [uuidv7(), teamId, serviceId, "Sign-in freeze until the key incident's postmortem is out", L(9, 10), L(11, 9), people.adminId],
  );
  // The policy: the default from the month before last, a stricter freeze threshold after the incident.
  for (const [version, at, body] of [[1, B(1, 9), defaultPolicy], [2, L(12, 9), { ...defaultPolicy, thresholds: { caution: 0.6, freeze: 0.2 } }]] as const) {
    await client.query("INSERT INTO policy_versions (id, team_id, scope, version, body, created_by_id, created_at) VALUES ($1, $2, 'team', $3, $4, $5, $6)", [uuidv7(), teamId, version, JSON.stringify(body), people.adminId, at]);
  }
  return { period: last, previous: before, incidents: ids, serviceId };
}
