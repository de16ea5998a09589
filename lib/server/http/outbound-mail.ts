// Email to an SMTP server that a team admin typed in (an email notification channel), through the
// same guard as every HTTP request (outbound.ts): the host is resolved and checked here, and the
// connection goes to that checked address, with the name kept for TLS. nodemailer speaks SMTP.
// Failures are described in our words; the server's reply text is never repeated (it is stored as
// the delivery's error and could carry whatever answers at that address).
import nodemailer from "nodemailer";
import { fullPolicy, OutboundError, resolveAllowed, type OutboundPolicy } from "./outbound";

export type OutboundMail = { from: string; to: readonly string[]; subject: string; text: string };

/**
 * Sends one email through the SMTP server of `target` (smtp://[user:password@]host[:port] with
 * STARTTLS when offered, required when there are credentials; smtps:// for TLS from the start).
 * Throws OutboundError on a refused address, DNS, connection, TLS, timeout or a refusal by the server.
 */
export async function sendOutboundMail(target: string, mail: OutboundMail, opts: OutboundPolicy & { timeoutMs: number }): Promise<void> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new OutboundError("bad_url", "not a valid URL");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") throw new OutboundError("bad_url", "an SMTP server is given as smtp:// or smtps://");
  const origin = `${url.protocol}//${url.host}`;
  const secure = url.protocol === "smtps:";
  let address: string;
  try {
    address = await resolveAllowed(url.hostname, fullPolicy(opts));
  } catch (e) {
    throw e instanceof OutboundError ? new OutboundError(e.kind, e.reason, origin) : e;
  }
  const auth = url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined;
  const transport = nodemailer.createTransport({
    host: address,
    port: Number(url.port) || (secure ? 465 : 587),
    secure,
    // A password never crosses the network in clear: with credentials, STARTTLS is required.
    requireTLS: !secure && auth !== undefined,
    auth,
    tls: { servername: url.hostname.replace(/^\[(.*)\]$/, "$1") },
    name: "burnrate",
    connectionTimeout: opts.timeoutMs,
    greetingTimeout: opts.timeoutMs,
    socketTimeout: opts.timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    await transport.sendMail({ from: mail.from, to: [...mail.to], subject: mail.subject, text: mail.text });
  } catch (e) {
    throw describeMailFailure(e, origin, opts.timeoutMs);
  } finally {
    transport.close();
  }
}

/** nodemailer's error codes (ECONNECTION, ETIMEDOUT, EAUTH, EENVELOPE, ETLS...) in our words. */
function describeMailFailure(e: unknown, origin: string, timeoutMs: number): OutboundError {
  const err = e as { code?: string; responseCode?: number; command?: string; message?: string };
  const fail = (kind: ConstructorParameters<typeof OutboundError>[0], reason: string) => new OutboundError(kind, reason, origin, err.responseCode);
  switch (err.code) {
    case "ETIMEDOUT":
      return fail("timeout", `no answer within ${timeoutMs / 1000} s`);
    case "EAUTH":
      return fail("status", `refused the credentials${err.responseCode ? ` (${err.responseCode})` : ""}`);
    case "EENVELOPE":
      return fail("status", `refused the sender or the recipients${err.responseCode ? ` (${err.responseCode})` : ""}`);
    case "ETLS":
      return fail("tls", /STARTTLS/i.test(err.message ?? "") ? "does not offer STARTTLS, which is required to send credentials" : "TLS failed");
    case "EMESSAGE":
    case "EPROTOCOL":
      return fail("status", `refused the message${err.responseCode ? ` (${err.responseCode})` : ""}`);
    default: {
      const code = (e as NodeJS.ErrnoException).code ?? "";
      if (/CERT|SSL|TLS/i.test(code) || /certificate|SSL|TLS/i.test(err.message ?? "")) return fail("tls", "TLS failed");
      return fail("connection", err.responseCode ? `answered ${err.responseCode}` : "the connection failed");
    }
  }
}
