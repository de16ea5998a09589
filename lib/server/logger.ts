// JSON logs, one object per line (docs/domain.md "The product's own logs"): ISO-8601 UTC time,
// level name, message, service. Secrets are redacted by path as a second line of defence; the
// first is never passing them to the logger.
import pino from "pino";

const redactPaths = [
  "password",
  "*.password",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "authorization",
  "*.authorization",
  "cookie",
  "*.cookie",
  "headers.authorization",
  "headers.cookie",
  "email",
  "*.email",
];

export function createLogger(level = process.env.LOG_LEVEL ?? "info", destination?: pino.DestinationStream) {
  return pino(
    {
      level,
      base: { service: "burnrate" },
      messageKey: "message",
      timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: "[redacted]" },
    },
    destination,
  );
}

const key = Symbol.for("burnrate.logger");
type Holder = { [key]?: pino.Logger };

/** The process-wide logger (shared between the HTTP server and Next.js bundles). */
export function logger(): pino.Logger {
  const holder = globalThis as Holder;
  holder[key] ??= createLogger();
  return holder[key];
}
