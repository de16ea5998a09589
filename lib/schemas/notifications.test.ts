// The channel form's checks, field by field: each bad input names its field and the problem.
import { describe, expect, it } from "vitest";
import { fieldErrors } from "./field-errors";
import { createChannelSchema } from "./notifications";

const email = { name: "oncall mail", kind: "email", url: "smtp://mail.example.com:587", from: "burnrate@example.com", to: ["oncall@example.com"] };
const errorsOf = (body: unknown) => {
  const r = createChannelSchema.safeParse(body);
  return r.success ? null : fieldErrors(r.error);
};

describe("email channels", () => {
  it("takes an SMTP server with sender and recipients", () => {
    expect(createChannelSchema.parse(email)).toMatchObject({ kind: "email", url: "smtp://mail.example.com:587", from: "burnrate@example.com", to: ["oncall@example.com"] });
    expect(createChannelSchema.parse({ ...email, url: "smtps://user:pa%40ss@mail.example.com:465" }).url).toBe("smtps://user:pa%40ss@mail.example.com:465");
  });
  it.each([
    ["no server", { ...email, url: undefined }, { url: "Give the SMTP server, e.g. smtp://mail.example.com:587" }],
    ["a web address", { ...email, url: "https://mail.example.com" }, { url: "Give the SMTP server as smtp://host:port (STARTTLS) or smtps://host:port" }],
    ["no sender", { ...email, from: undefined }, { from: "Give the sender's address" }],
    ["a bad sender", { ...email, from: "burnrate" }, { from: "Give the sender as an email address, e.g. oncall@example.com" }],
    ["no recipients", { ...email, to: [] }, { to: "Give at least one recipient" }],
    ["a bad recipient", { ...email, to: ["a@example.com", "b@"] }, { "to.1": "Give each recipient as an email address, e.g. oncall@example.com" }],
    ["a header smuggled into a recipient", { ...email, to: ["a@example.com\r\nBcc: x@evil.example"] }, { "to.0": "Give each recipient as an email address, e.g. oncall@example.com" }],
    ["21 recipients", { ...email, to: Array.from({ length: 21 }, (_, i) => `r${i}@example.com`) }, { to: "Give at most 20 recipients; use a mailing list for more" }],
    ["recipients as text", { ...email, to: "a@example.com" }, { to: "Give the recipients as a list of email addresses" }],
    ["a URL that is no URL", { ...email, url: "'; DROP TABLE teams;--" }, { url: "Give the URL, starting with https:// (or smtp:// or smtps:// for email)" }],
    ["an empty Slack URL", { name: "s", kind: "slack", url: "" }, { url: "Give the URL, starting with https:// (or smtp:// or smtps:// for email)" }],
    ["an SMTP URL for Slack", { name: "s", kind: "slack", url: "smtp://mail.example.com" }, { url: "Give the webhook URL, starting with https://" }],
    ["a sender on a Slack channel", { name: "s", kind: "slack", url: "https://hooks.example.com/x", from: "a@example.com" }, { from: "Only email channels have a sender and recipients" }],
  ])("%s", (_name, body, errors) => {
    expect(errorsOf(body)).toEqual(errors);
  });
});
