// Configuration comes from environment variables only, validated once at start-up so a typo
// fails loudly with the variable's name instead of surfacing later as a confusing runtime error.
import path from "node:path";
import ipaddr from "ipaddr.js";
import { z } from "zod";

const boolean = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes");

/** Where outbound requests (Prometheus sources, notification channels, GitHub) may go although the address is not public. */
export type OutboundAllow = { hosts: string[]; ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] };

const hostName = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** OUTBOUND_ALLOW: comma-separated host names (exact, any address they resolve to) and CIDRs or single addresses, IPv4 or IPv6. */
export const outboundAllowSchema = z.string().transform((raw, ctx): OutboundAllow => {
  const allow: OutboundAllow = { hosts: [], ranges: [] };
  for (const item of raw.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const bare = item.replace(/^\[(.*)\]$/, "$1");
    const [addr = "", bits] = bare.split("/");
    // Only the canonical forms of addresses: "127.1" here would more likely be a typo than intent.
    const v4 = ipaddr.IPv4.isValidFourPartDecimal(addr);
    if (v4 || ipaddr.IPv6.isValid(addr)) {
      const max = v4 ? 32 : 128;
      const n = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
      if (n >= 0 && n <= max && bare.split("/").length <= 2) {
        allow.ranges.push([ipaddr.parse(addr), n]);
        continue;
      }
    } else if (bits === undefined && hostName.test(item.replace(/\.$/, "")) && !/^[\d.]+$/.test(item)) {
      allow.hosts.push(item.replace(/\.$/, ""));
      continue;
    }
    ctx.addIssue({ code: "custom", message: `"${item}" is neither a host name nor an address or CIDR (e.g. prometheus.internal, 10.0.0.0/8, fd00::/8, 127.0.0.1/32)` });
  }
  return allow;
});

const postgresUrl = z
  .string()
  .url("must be a URL such as postgresql://user:pass@host:5432/db")
  .refine((u) => /^postgres(ql)?:\/\//.test(u), "must start with postgresql://");

export const configSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    DATABASE_URL: postgresUrl.optional(),
    DATA_DIR: z.string().min(1).default("./data"),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    /** How long a request waits for a database connection (a free one from the pool, or a new one) before a 503. */
    DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
    /** The longest one statement may run: PostgreSQL cancels it (statement_timeout) and the app stops waiting 1 s later, so a partition answers 503 instead of hanging. */
    DB_QUERY_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(10_000),
    /** Reads of one SLO or service as named prepared statements with reused plans (db/client.ts reusedQuery()); turn off behind a pooler that does not keep prepared statements (PgBouncer before 1.21, or with max_prepared_statements = 0). */
    DB_PREPARED_STATEMENTS: boolean.default(true),
    EMBEDDED_DB_PORT: z.coerce.number().int().min(1024).max(65535).optional(),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    PUBLIC_URL: z.string().url("must be the URL people open, e.g. https://burnrate.example.com").optional(),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 32)").optional(),
    BURNRATE_ADMIN_EMAIL: z.string().email("must be an email address").optional(),
    BURNRATE_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
    BURNRATE_ADMIN_NAME: z.string().min(1).max(100).default("Administrator"),
    BURNRATE_DEMO: boolean.default(false),
    /** Background jobs (Prometheus pulls). On in every replica; the queue shares the work. */
    BURNRATE_JOBS: boolean.default(true),
    OIDC_ISSUER: z.string().url("must be the issuer URL, e.g. https://accounts.google.com").optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_NAME: z.string().min(1).max(40).default("Single sign-on"),
    /** Minute data older than this is dropped (a week's partition at a time); never data an SLO's window still needs. */
    MINUTE_RETENTION_DAYS: z.coerce.number().int().min(7, "must be at least 7 days").max(3660, "must be at most 3,660 days").default(100),
    /** How long the deploy gate reuses a service's computed SLO statuses (0: compute on every call). This replica's own writes always refresh them. */
    GATE_STATUS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(300, "must be at most 300 seconds").default(10),
    /** Requests per minute one API token may make, per replica (0: no limit). Over it: 429 with Retry-After. */
    TOKEN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
    /** Sign-in attempts per minute from one client address, per replica (0: no limit). */
    SIGN_IN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(20),
    /** Failed sign-ins in a row that lock an account (0: never lock), and for how long. */
    SIGN_IN_LOCKOUT_ATTEMPTS: z.coerce.number().int().min(0).default(10),
    SIGN_IN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
    TRUST_PROXY: boolean.default(false),
    /** Private, loopback or other non-public addresses and hosts outbound requests may reach (default: none). */
    OUTBOUND_ALLOW: outboundAllowSchema.optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((c, ctx) => {
    const oidc = [c.OIDC_ISSUER, c.OIDC_CLIENT_ID, c.OIDC_CLIENT_SECRET].filter(Boolean).length;
    if (oidc > 0 && oidc < 3) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_ISSUER"],
        message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together",
      });
    }
    if (Boolean(c.BURNRATE_ADMIN_EMAIL) !== Boolean(c.BURNRATE_ADMIN_PASSWORD)) {
      ctx.addIssue({
        code: "custom",
        path: ["BURNRATE_ADMIN_EMAIL"],
        message: "BURNRATE_ADMIN_EMAIL and BURNRATE_ADMIN_PASSWORD must be set together",
      });
    }
  });

export type Config = z.infer<typeof configSchema> & { dataDir: string; publicUrl: string };

export class ConfigError extends Error {}

/** Parses an environment; throws ConfigError listing every bad variable, one per line. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "environment"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}\nSee .env.example for every variable.`);
  }
  const c = result.data;
  return {
    ...c,
    dataDir: path.resolve(c.DATA_DIR),
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ""),
  };
}

let cached: Config | undefined;
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
