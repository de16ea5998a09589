// Email channels (SMTP) against a local SMTP server (smtp-server, a stand-in for the mail relay a
// team runs, which is outside this machine's reach): alerts and team messages arrive as plain
// text from the configured sender to the recipients, through the outbound guard; the relay's
// refusals, a missing STARTTLS before credentials, and private addresses fail in our words.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createLogger } from "../logger";
import { makeTeam, makeTokenActor } from "../testing/factories";
import { createService, createSli, createSlo } from "../services/catalog";
import { createChannel, deliver, listChannels } from "../services/notifications";
import { ingestBatch } from "../services/ingest";
import { grantOverride } from "../services/overrides";
import { startJobs, type JobRunner } from "./runner";
import { prisma } from "../db/client";

// The stand-in listens on loopback, which the guard refuses unless allowed (read by getConfig on first use).
process.env.OUTBOUND_ALLOW = "127.0.0.1/32,::1/128";

type Mail = { from: string; to: string[]; subject: string; body: string };
const mails: Mail[] = [];
let refuseRecipient = "";
let smtp: SMTPServer;
let port = 0;
let runner: JobRunner;

/** The raw message's unfolded headers and its quoted-printable body decoded (RFC 5322 2.2.3, RFC 2045 6.7). */
function parse(raw: string): { subject: string; body: string } {
  const [head = "", ...rest] = raw.split("\r\n\r\n");
  const subject = /^Subject: (.*)$/m.exec(head.replace(/\r\n[ \t]+/g, " "))?.[1] ?? "";
  const qp = /Content-Transfer-Encoding: quoted-printable/i.test(head);
  const text = rest.join("\r\n\r\n");
  const body = qp ? Buffer.from(text.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8") : text;
  return { subject, body: body.replace(/\r\n/g, "\n") };
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address === refuseRecipient) return cb(Object.assign(new Error("5.1.1 secret internal mailbox layout"), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      let raw = "";
      stream.on("data", (c: Buffer) => (raw += c.toString("utf8")));
      stream.on("end", () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), ...parse(raw) });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
  port = (smtp.server.address() as AddressInfo).port;
  runner = await startJobs(inject("databaseUrl"), createLogger("silent"), { schedule: false });
});

afterAll(async () => {
  await runner?.stop();
  await new Promise<void>((r) => smtp?.close(() => r()));
});

async function waitFor(pred: () => boolean, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!pred() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  return pred();
}

describe("email channels", () => {
  it("a page and a team message arrive as plain-text email from the sender to every recipient", async () => {
    const { team, members } = await makeTeam(["admin", "editor"]);
    await createService(members.editor, team.slug, { slug: "web", name: "Web", description: "" });
    await createSli(members.editor, team.slug, "web", { slug: "ok", name: "OK", description: "", kind: "request_ratio" });
    await createSlo(members.editor, team.slug, "web", { slug: "main", name: `Mail availability ${team.slug}`, description: "", sli: "ok", objective: "0.99", window: { kind: "rolling", days: 30 }, minEvents: 0 });
    await createChannel(members.admin, team.slug, { name: "oncall mail", kind: "email", url: `smtp://127.0.0.1:${port}`, from: "burnrate@example.com", to: ["oncall@example.com", "lead@example.com"] });
    expect((await listChannels(members.admin, team.slug)).map((c) => [c.kind, c.destination])).toEqual([["email", `oncall@example.com, lead@example.com via 127.0.0.1:${port}`]]);

    // The last hour fails at 50 %: a burn rate of 50 against a 1 % budget pages.
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const token = await makeTokenActor(team.slug, members.admin, ["ingest"]);
    await ingestBatch(token, { items: Array.from({ length: 60 }, (_, i) => ({ sli: "web/ok", minute: new Date(now.getTime() - (i + 1) * 60_000).toISOString(), good: 50, total: 100 })) }, now);
    await runner.evaluate(now);
    const mine = () => mails.filter((m) => m.body.includes(team.slug));
    expect(await waitFor(() => mine().length >= 1)).toBe(true);
    const page = mine()[0]!;
    expect([page.from, page.to]).toEqual(["burnrate@example.com", ["oncall@example.com", "lead@example.com"]]);
    expect(page.subject).toBe(`[Burnrate] PAGE: Mail availability ${team.slug} (web) is burning its error budget`);
    expect(page.body).toMatch(/\nRemaining budget -?[\d.]+% · 1h burn rate 50x · team /);
    expect(page.body).toMatch(/\nOpen in Burnrate: http\S+\/teams\/[^/]+\/services\/web\/slos\/main\n/);

    // Team messages (here an override) go to email as they go to chat.
    await grantOverride(members.admin, team.slug, { service: "web", environment: "production", reason: "mail test", approvedBy: "Dana", escalatedTo: null, expiresAt: new Date(Date.now() + 3_600_000) });
    expect(await waitFor(() => mine().some((m) => m.subject.startsWith("[Burnrate] Deploy gate override granted for Web")))).toBe(true);
  }, 90_000);

  it("the relay's refusal, a missing STARTTLS before credentials and a private address fail in our words; nothing of the relay's text is repeated", async () => {
    const { team, members } = await makeTeam(["admin"]);
    const make = async (name: string, url: string, to = ["a@example.com"]) => {
      await createChannel(members.admin, team.slug, { name, kind: "email", url, from: "burnrate@example.com", to });
      return (await prisma().notificationChannel.findFirstOrThrow({ where: { teamId: team.id, name } })).id;
    };
    const message = { message: { text: "hello", blocks: [] } };
    const allow = { allow: { hosts: [], ranges: [] } };

    refuseRecipient = "nobody@example.com";
    const refused = await make("refused", `smtp://127.0.0.1:${port}`, ["nobody@example.com"]);
    const e1 = await deliver(refused, message, 5_000).catch((e: Error) => e);
    expect((e1 as Error).message).toBe(`email channel "refused": the SMTP server smtp://127.0.0.1:${port} refused the sender or the recipients (550)`);
    expect((e1 as Error).message).not.toContain("secret");

    const creds = await make("creds", `smtp://user:s3cret@127.0.0.1:${port}`);
    const e2 = await deliver(creds, message, 5_000).catch((e: Error) => e);
    expect((e2 as Error).message).toBe(`email channel "creds": SMTP server unreachable: could not reach smtp://127.0.0.1:${port}: does not offer STARTTLS, which is required to send credentials`);
    expect((e2 as Error).message).not.toContain("s3cret");

    // A name that resolves to a private address is refused before any connection (DNS rebinding included).
    const named = await make("named", "smtp://mail.example.com:25");
    const e3 = await deliver(named, message, 5_000, { ...allow, lookup: async () => [{ address: "10.1.2.3", family: 4 }] }).catch((e: Error) => e);
    expect((e3 as Error).message).toMatch(/^email channel "named": SMTP server unreachable: could not reach smtp:\/\/mail\.example\.com:25: mail\.example\.com resolves to 10\.1\.2\.3, a private \(RFC 1918\) address; allow it with OUTBOUND_ALLOW$/);

    // A private literal is refused when the channel is saved, naming the field.
    await expect(createChannel(members.admin, team.slug, { name: "lit", kind: "email", url: "smtp://169.254.169.254:25", from: "b@example.com", to: ["a@example.com"] })).rejects.toMatchObject({ status: 422, fields: { url: expect.stringContaining("169.254.169.254") } });
    expect(mails.filter((m) => m.body.startsWith("hello"))).toEqual([]);
  }, 60_000);
});
