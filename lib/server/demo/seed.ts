// Demo data for `npm run demo`: three teams, their services and SLOs, 30 days of per-minute
// SLI history with a daily traffic cycle, one past incident and one SLO burning right now, an
// active gate override, a coming freeze and a few gate decisions; and a fourth team, Identity,
// whose last two calendar months make a full error-budget review (review.ts).
// Seeded only into an empty database, from a fixed PRNG seed, relative to the current minute.
import { seedDemoComposite } from "./composite";
import path from "node:path";
import { prng } from "./generate";
import { randomBytes } from "node:crypto";
import type { PoolClient } from "pg";
import type { Logger } from "pino";
import { db, withTransaction } from "../db/client";
import { hashPassword } from "../auth/password";
import { readOrCreateSecret } from "../secret-file";
import { ensureBucketPartitions, rebuildRollups } from "../sli-data";
import type { Role } from "../../domain/roles";
import { minuteOf } from "../../domain/window";
import { versionsForChange, type SloMeasure } from "../../domain/definition-history";
import type { ChangeType } from "../../domain/policy";
import { decideDeploy } from "../services/gate";
import { refreshRecentIncidents } from "../services/incidents";
import { clockNow } from "../clock";
import { v7 as uuidv7 } from "uuid";
import { seedDemoAnalyses } from "./analyses";
import { seedDemoGroups } from "./groups";
import { REVIEW_DEMO_TEAM, reviewDemoHistoryStart, seedReviewDemo } from "./review";

type Sli = { slug: string; name: string; kind: "request_ratio" | "latency"; perMinute: number; baseErrorRate: number };
/** `earlier`: the SLO had another objective until `daysAgo` (a definition change, docs/definition-history.md). */
type Slo = { slug: string; name: string; sli: string; objective: string; windowDays?: number; calendarMonthIn?: string; earlier?: { objective: string; daysAgo: number } };
type Service = { slug: string; name: string; description: string; slis: Sli[]; slos: Slo[] };
type Team = { slug: string; name: string; services: Service[] };

const teams: Team[] = [
  {
    slug: "payments",
    name: "Payments",
    services: [
      {
        slug: "payments-api",
        name: "Payments API",
        description: "Card authorisation and capture for every checkout.",
        slis: [
          { slug: "availability", name: "Non-5xx responses", kind: "request_ratio", perMinute: 900, baseErrorRate: 0.0002 },
          { slug: "latency", name: "Requests under 300 ms", kind: "latency", perMinute: 900, baseErrorRate: 0.004 },
        ],
        slos: [
          { slug: "availability-999", name: "Availability 99.9%", sli: "availability", objective: "0.999", windowDays: 30 },
          { slug: "latency-99", name: "Latency p99 < 300 ms", sli: "latency", objective: "0.99", windowDays: 30, earlier: { objective: "0.98", daysAgo: 9 } },
        ],
      },
      {
        slug: "ledger",
        name: "Ledger",
        description: "Double-entry ledger behind payouts.",
        slis: [{ slug: "availability", name: "Successful writes", kind: "request_ratio", perMinute: 300, baseErrorRate: 0.0001 }],
        slos: [
          { slug: "availability-9995", name: "Availability 99.95%", sli: "availability", objective: "0.9995", windowDays: 30 },
          { slug: "availability-monthly", name: "Availability 99.9% per month", sli: "availability", objective: "0.999", calendarMonthIn: "Europe/Berlin" },
        ],
      },
    ],
  },
  {
    slug: "checkout",
    name: "Checkout",
    services: [
      {
        slug: "checkout-web",
        name: "Checkout web",
        description: "The storefront's checkout pages.",
        slis: [{ slug: "availability", name: "Pages served without error", kind: "request_ratio", perMinute: 1200, baseErrorRate: 0.0015 }],
        slos: [{ slug: "availability-995", name: "Availability 99.5%", sli: "availability", objective: "0.995", windowDays: 28 }],
      },
      {
        slug: "cart",
        name: "Cart service",
        description: "Cart contents and pricing.",
        slis: [{ slug: "availability", name: "Non-5xx responses", kind: "request_ratio", perMinute: 700, baseErrorRate: 0.0004 }],
        slos: [{ slug: "availability-999", name: "Availability 99.9%", sli: "availability", objective: "0.999", windowDays: 7 }],
      },
    ],
  },
  {
    slug: "search",
    name: "Search",
    services: [
      {
        slug: "search-api",
        name: "Search API",
        description: "Product search and suggestions.",
        slis: [
          { slug: "availability", name: "Non-5xx responses", kind: "request_ratio", perMinute: 1500, baseErrorRate: 0.003 },
          { slug: "latency", name: "Queries under 200 ms", kind: "latency", perMinute: 1500, baseErrorRate: 0.007 },
        ],
        slos: [
          { slug: "availability-99", name: "Availability 99%", sli: "availability", objective: "0.99", windowDays: 30 },
          { slug: "latency-99", name: "Latency p95 < 200 ms", sli: "latency", objective: "0.99", windowDays: 30 },
        ],
      },
    ],
  },
];

const people: { email: string; name: string; memberships: [string, Role][] }[] = [
  { email: "amara.okafor@demo.burnrate.dev", name: "Amara Okafor", memberships: [["payments", "admin"], ["checkout", "viewer"]] },
  { email: "li.wei@demo.burnrate.dev", name: "Li Wei", memberships: [["payments", "editor"]] },
  { email: "sofia.rossi@demo.burnrate.dev", name: "Sofia Rossi", memberships: [["checkout", "admin"]] },
  { email: "jonas.berg@demo.burnrate.dev", name: "Jonas Berg", memberships: [["search", "admin"], ["checkout", "editor"]] },
];

const DAY = 24 * 60;

/**
 * When the demo incident began: six days ago at 14:00 UTC, near the daily traffic peak, so the
 * budget it spent (over 20 %: a postmortem is required) does not depend on the hour the demo
 * was seeded (at the night's low traffic the same 50 minutes spent about 15 %).
 */
export function demoIncidentStart(now: Date): Date {
  const day = new Date(minuteOf(now).getTime() - 6 * DAY * 60_000);
  day.setUTCHours(14, 0, 0, 0);
  return day;
}

/** Extra error rate for special periods: `t` the minute, `minutesAgo` before now. */
function errorBoost(service: string, sli: string, t: number, minutesAgo: number, incidentStart: number): number {
  // The incident: 50 minutes of failing card authorisations, six days ago.
  if (service === "payments-api" && sli === "availability" && t >= incidentStart && t < incidentStart + 50 * 60_000) return 0.2;
  // Burning now: checkout errors for the last three hours after a deploy.
  if (service === "checkout-web" && minutesAgo < 180) return 0.03;
  // A slow week for search latency: the budget is in the caution tier.
  if (service === "search-api" && sli === "latency" && minutesAgo < 9 * DAY && minutesAgo > 4 * DAY) return 0.006;
  return 0;
}

export async function seedDemo({ log, dataDir, now = clockNow() }: { log: Logger; dataDir: string; now?: Date }) {
  const { pool } = db();
  const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM teams");
  if ((rows[0]?.n ?? 0) > 0) return;
  const started = Date.now();
  // The weekly partitions of the demo's month of minutes, made before the seed's transaction.
  // The review demo's team reaches back to the month before last (lib/server/demo/review.ts).
  const historyStart = Math.min(minuteOf(now).getTime() - 31 * DAY * 60_000, reviewDemoHistoryStart(now).getTime());
  await ensureBucketPartitions(new Date(historyStart), new Date(minuteOf(now).getTime() + 60_000));
  const seeded = await withTransaction(async (client) => {
    // Two replicas started with --demo must not both seed.
    await client.query("SELECT pg_advisory_xact_lock($1)", [0x64656d6f]); // "demo"; a parameter, since PostgreSQL 15 has no hex literals
    const again = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM teams");
    if ((again.rows[0]?.n ?? 0) > 0) return null;
    let admin = await client.query<{ id: string }>("SELECT id FROM users WHERE is_site_admin ORDER BY created_at LIMIT 1");
    if (!admin.rows[0]) {
      // No default password: a random one, kept in the data folder and printed for the person running the demo.
      const password = await readOrCreateSecret(path.join(dataDir, "demo-admin-password"), 12);
      admin = await client.query<{ id: string }>(
        "INSERT INTO users (id, email, name, password_hash, is_site_admin) VALUES (gen_random_uuid(), $1, $2, $3, true) RETURNING id",
        ["admin@demo.burnrate.dev", "Demo Admin", await hashPassword(password)],
      );
      log.info(`demo: sign in as admin@demo.burnrate.dev with the password in ${path.join(dataDir, "demo-admin-password")}`);
      // Shown to a person at a terminal only: a password never goes into captured logs.
      if (process.stdout.isTTY) process.stdout.write(`\n  Demo sign-in: admin@demo.burnrate.dev / ${password}\n\n`);
    }
    const adminId = admin.rows[0]!.id;
    const teamIds = new Map<string, string>();
    for (const t of teams) {
      const team = await client.query<{ id: string }>(
        "INSERT INTO teams (id, slug, name) VALUES (gen_random_uuid(), $1, $2) RETURNING id",
        [t.slug, t.name],
      );
      const teamId = team.rows[0]!.id;
      teamIds.set(t.slug, teamId);
      await client.query("INSERT INTO memberships (user_id, team_id, role) VALUES ($1, $2, 'admin')", [adminId, teamId]);
      await seedServices(client, teamId, t.services, now);
    }
    const unusable = await hashPassword(randomBytes(32).toString("base64url"));
    for (const p of people) {
      const u = await client.query<{ id: string }>(
        "INSERT INTO users (id, email, name, password_hash) VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id",
        [p.email, p.name, unusable],
      );
      for (const [slug, role] of p.memberships) {
        await client.query("INSERT INTO memberships (user_id, team_id, role) VALUES ($1, $2, $3)", [u.rows[0]!.id, teamIds.get(slug), role]);
      }
    }
    // The error-budget review's team: last month and the month before, by the calendar (docs/reviews.md).
    const identity = await client.query<{ id: string }>("INSERT INTO teams (id, slug, name, time_zone) VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id", [REVIEW_DEMO_TEAM.slug, REVIEW_DEMO_TEAM.name, REVIEW_DEMO_TEAM.timeZone]);
    teamIds.set(REVIEW_DEMO_TEAM.slug, identity.rows[0]!.id);
    await client.query("INSERT INTO memberships (user_id, team_id, role) VALUES ($1, $2, 'admin')", [adminId, identity.rows[0]!.id]);
    const amara = await client.query<{ id: string }>("SELECT id FROM users WHERE email = 'amara.okafor@demo.burnrate.dev'");
    await client.query("INSERT INTO memberships (user_id, team_id, role) VALUES ($1, $2, 'editor')", [amara.rows[0]!.id, identity.rows[0]!.id]);
    await seedReviewDemo(client, identity.rows[0]!.id, now, { adminId, ownerId: amara.rows[0]!.id });
    const incidentStart = demoIncidentStart(now);
    const at = (minutes: number) => new Date(incidentStart.getTime() + minutes * 60_000);
    const incident = await client.query<{ id: string }>(
      `INSERT INTO incidents (id, team_id, title, severity, status, summary, started_at, detected_at, mitigated_at, resolved_at, roles)
       VALUES (gen_random_uuid(), $1, $2, 'SEV2', 'resolved', $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        teamIds.get("payments"),
        "Card authorisations failing after a config push",
        "A configuration change lowered the connection-pool limit to the card network; 20% of authorisations failed for 50 minutes until the change was rolled back.",
        incidentStart,
        at(7),
        at(42),
        at(50),
        JSON.stringify({ commander: "Amara Okafor", communications: "Sofia Rossi", technical: "Li Wei", scribe: "Jonas Berg" }),
      ],
    );
    const incidentId = incident.rows[0]!.id;
    await client.query(
      `INSERT INTO incident_slos (incident_id, slo_id) SELECT $1, s.id FROM slos s JOIN services v ON v.id = s.service_id WHERE v.slug = 'payments-api'`,
      [incidentId],
    );
    const timeline: [number, string, string][] = [
      [-3, "deploy", "Config change 8812 rolled out: card-network pool limit 64 -> 4"],
      [0, "alert", "Authorisation errors start climbing"],
      [7, "alert", "Page: Availability 99.9% burning at 14.4x (1 h window)"],
      [9, "acknowledged", "On-call acknowledges; incident declared, SEV2"],
      [31, "root_cause", "Pool exhaustion traced to change 8812"],
      [38, "rollback", "Change 8812 rolled back"],
      [42, "restored", "Error rate back to baseline"],
      [50, "closed", "Incident resolved after 8 minutes of clean traffic"],
    ];
    for (const [m, kind, text] of timeline) {
      await client.query("INSERT INTO timeline_entries (id, incident_id, at, kind, text) VALUES (gen_random_uuid(), $1, $2, $3, $4)", [incidentId, at(m), kind, text]);
    }
    await client.query("UPDATE services SET github_repository = 'acme/payments-api' WHERE slug = 'payments-api'");
    await client.query(
      `INSERT INTO gate_overrides (id, team_id, service_id, environment, reason, approved_by, expires_at, granted_by_id)
       SELECT gen_random_uuid(), team_id, id, 'production', $1, $2, $3, $4 FROM services WHERE slug = 'payments-api'`,
      ["Ship the 3-D Secure fix while the latency budget recovers", "Amara Okafor (payments lead)", new Date(now.getTime() + 6 * 3_600_000), adminId],
    );
    await client.query(
      `INSERT INTO freezes (id, team_id, environment, reason, starts_at, ends_at, created_by_id) VALUES (gen_random_uuid(), $1, 'production', $2, $3, $4, $5)`,
      [teamIds.get("checkout"), "Peak-season code freeze", new Date(now.getTime() + 3 * DAY * 60_000), new Date(now.getTime() + 6 * DAY * 60_000), adminId],
    );
    await client.query(
      `INSERT INTO freezes (id, team_id, service_id, environment, reason, starts_at, ends_at, created_by_id)
       SELECT gen_random_uuid(), team_id, id, NULL, $1, $2, $3, $4 FROM services WHERE slug = 'search-api'`,
      ["Incident freeze while the latency regression is investigated", new Date(now.getTime() - 2 * 3_600_000), new Date(now.getTime() + 22 * 3_600_000), adminId],
    );
    return { teamIds };
  });
  if (!seeded) return;
  await refreshRecentIncidents(now); // the incident's budget impact, from the data just seeded
  await seedGateDecisions(seeded.teamIds);
  await seedDeploys(now);
  await seedDemoAnalyses(now); // a passed and a failed canary analysis on Search API
  await seedDemoGroups(now); // checkout latency by region: a grouped SLO with four members
  await seedDemoComposite(now); // the checkout journey, a composite of the pages and the cart
  log.info({ duration_ms: Date.now() - started }, "demo data seeded");
}

/** A few real gate decisions on the seeded numbers, as pipelines would have asked. */
async function seedGateDecisions(teamIds: Map<string, string>) {
  const asks: [team: string, service: string, environment: string, changeType: ChangeType, version: string, requester: string][] = [
    ["payments", "ledger", "production", "feature", "v3.18.0", "li.wei"],
    ["payments", "payments-api", "staging", "feature", "v2.41.0-rc.1", "github-actions"],
    ["payments", "payments-api", "production", "feature", "v2.41.0", "github-actions"],
    ["search", "search-api", "production", "feature", "2026.11.3", "jonas.berg"],
    ["search", "search-api", "production", "reliability", "2026.11.3-hotfix", "jonas.berg"],
    ["checkout", "checkout-web", "production", "config", "cfg-8812", "argo-rollouts"],
    ["checkout", "cart", "production", "feature", "v5.2.0", "sofia.rossi"],
  ];
  for (const [team, service, environment, changeType, version, requester] of asks) {
    await decideDeploy({ teamId: teamIds.get(team)!, teamSlug: team, tokenId: null, source: "api", service: { ref: service }, environment, version, commit: null, changeType, requester, link: null });
  }
}

/**
 * Deploys over the last weeks (docs/deploys.md), so the service pages list what each spent:
 * payments-api's v2.40.0 went out 3 minutes before the demo incident and its rollback ended
 * it, so it owns most of the incident's bad minutes; checkout-web's v7.3.0 is the deploy the
 * current burn follows; search-api's slow week begins with 2026.11.2 and ends with a hotfix.
 * A release the seeded gate decisions asked about links to its allowing decision.
 */
async function seedDeploys(now: Date) {
  const incident = demoIncidentStart(now).getTime();
  const ago = (minutes: number) => new Date(minuteOf(now).getTime() - minutes * 60_000);
  const list: [service: string, environment: string, version: string, at: Date][] = [
    ["payments-api", "production", "v2.38.0", ago(20 * DAY + 300)],
    ["payments-api", "production", "v2.39.0", ago(13 * DAY + 120)],
    ["payments-api", "production", "v2.40.0", new Date(incident - 3 * 60_000)],
    ["payments-api", "production", "v2.40.1", new Date(incident + 50 * 60_000)],
    ["payments-api", "staging", "v2.41.0-rc.1", ago(120)],
    ["payments-api", "production", "v2.41.0", ago(0)],
    ["ledger", "production", "v3.17.0", ago(15 * DAY)],
    ["ledger", "production", "v3.18.0", ago(0)],
    ["checkout-web", "production", "v7.2.0", ago(10 * DAY)],
    ["checkout-web", "production", "v7.3.0", ago(180)],
    ["cart", "production", "v5.1.0", ago(5 * DAY)],
    ["search-api", "production", "2026.11.2", ago(9 * DAY)],
    ["search-api", "production", "2026.11.3-hotfix", ago(4 * DAY)],
  ];
  for (const [service, environment, version, at] of list) {
    await db().pool.query(
      `INSERT INTO deploys (id, team_id, service_id, environment, version, deployed_at, decision_id, source, created_at)
       SELECT $1, s.team_id, s.id, $3, $4, $5,
         (SELECT d.id FROM gate_decisions d WHERE d.service_id = s.id AND d.environment = $3 AND d.version = $4 AND d.decision IN ('allow', 'warn') ORDER BY d.created_at DESC LIMIT 1),
         'demo', $6
       FROM services s WHERE s.slug = $2`,
      [uuidv7(), service, environment, version, at, now],
    );
  }
}

async function seedServices(client: PoolClient, teamId: string, services: Service[], now: Date) {
  const end = minuteOf(now).getTime();
  const minutes = 30 * DAY;
  const incidentStart = demoIncidentStart(now).getTime();
  for (const s of services) {
    const svc = await client.query(
      "INSERT INTO services (id, team_id, slug, name, description) VALUES (gen_random_uuid(), $1, $2, $3, $4) RETURNING id",
      [teamId, s.slug, s.name, s.description],
    );
    const serviceId = svc.rows[0]!.id;
    const sliIds = new Map<string, string>();
    for (const [i, sli] of s.slis.entries()) {
      const r = await client.query(
        "INSERT INTO slis (id, service_id, slug, name, kind) VALUES (gen_random_uuid(), $1, $2, $3, $4) RETURNING id",
        [serviceId, sli.slug, sli.name, sli.kind],
      );
      const sliId = r.rows[0]!.id;
      sliIds.set(sli.slug, sliId);
      const random = prng(hash(`${s.slug}/${sli.slug}`) + i);
      const chunk = 20_000;
      for (let from = minutes; from > 0; from -= chunk) {
        const ts: string[] = [];
        const good: number[] = [];
        const total: number[] = [];
        for (let ago = from; ago > Math.max(0, from - chunk); ago--) {
          const t = end - ago * 60_000;
          const hourOfDay = new Date(t).getUTCHours() + new Date(t).getUTCMinutes() / 60;
          const diurnal = 1 + 0.45 * Math.sin(((hourOfDay - 9) / 24) * 2 * Math.PI);
          const n = Math.max(1, Math.round(sli.perMinute * diurnal * (0.9 + 0.2 * random())));
          const rate = sli.baseErrorRate * (0.5 + random()) + errorBoost(s.slug, sli.slug, t, ago, incidentStart);
          const expected = n * rate;
          const bad = Math.min(n, Math.floor(expected) + (random() < expected % 1 ? 1 : 0));
          ts.push(new Date(t).toISOString());
          good.push(n - bad);
          total.push(n);
        }
        await client.query(
          `INSERT INTO sli_buckets (sli_id, minute, good, total)
           SELECT $1, unnest($2::timestamptz[]), unnest($3::bigint[]), unnest($4::bigint[])`,
          [sliId, ts, good, total],
        );
      }
      await rebuildRollups(client, sliId);
    }
    for (const slo of s.slos) {
      // An SLO whose objective changed was made before its data began; others now.
      const createdAt = slo.earlier ? new Date(end - minutes * 60_000) : now;
      const row = await client.query<{ id: string }>(
        `INSERT INTO slos (id, service_id, sli_id, slug, name, objective, window_kind, window_days, calendar_unit, time_zone, created_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        slo.calendarMonthIn
          ? [serviceId, sliIds.get(slo.sli), slo.slug, slo.name, slo.objective, "calendar", null, "month", slo.calendarMonthIn, createdAt]
          : [serviceId, sliIds.get(slo.sli), slo.slug, slo.name, slo.objective, "rolling", slo.windowDays, null, "UTC", createdAt],
      );
      if (slo.earlier) {
        const measure = (objective: string): SloMeasure => ({ sli: slo.sli, objective, window: { kind: "rolling", days: slo.windowDays! } });
        const at = new Date(end - slo.earlier.daysAgo * DAY * 60_000);
        for (const v of versionsForChange("slo", null, measure(slo.earlier.objective), measure(slo.objective), createdAt, at)) {
          await client.query(
            `INSERT INTO definition_versions (id, team_id, kind, slo_id, version, valid_from, definition, changed, source_ref)
             VALUES ($1, $2, 'slo', $3, $4, $5, $6, $7, 'demo')`,
            [uuidv7(), teamId, row.rows[0]!.id, v.version, v.validFrom, JSON.stringify(v.measure), v.changed],
          );
        }
      }
    }
  }
}

function hash(s: string) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
