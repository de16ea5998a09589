// Webhook signatures as the trackers document them: Jira's `X-Hub-Signature: sha256=<hex>` and
// Linear's bare-hex `Linear-Signature`, both HMAC-SHA256 of the raw body.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, verifyJiraSignature, verifyLinearSignature } from "./signatures";

const secret = "It's a Secret to Everybody";
const body = '{"webhookEvent":"jira:issue_updated"}';
const hex = createHmac("sha256", secret).update(body).digest("hex");

describe("verifyJiraSignature", () => {
  it.each([
    ["the signature", `sha256=${hex}`, true],
    ["upper-case hex", `sha256=${hex.toUpperCase()}`, true],
    ["missing", null, false],
    ["empty", "", false],
    ["bare hex (Linear's form)", hex, false],
    ["another method", `sha1=${hex.slice(0, 40)}`, false],
    ["one digit changed", `sha256=${hex.slice(0, -1)}${hex.endsWith("0") ? "1" : "0"}`, false],
    ["truncated", `sha256=${hex.slice(0, 62)}`, false],
    ["of another secret", `sha256=${createHmac("sha256", "other").update(body).digest("hex")}`, false],
  ] as const)("%s -> %s", (_, header, ok) => expect(verifyJiraSignature(secret, body, header)).toBe(ok));

  it("a changed body fails", () => expect(verifyJiraSignature(secret, `${body} `, `sha256=${hex}`)).toBe(false));
});

describe("verifyLinearSignature", () => {
  it.each([
    ["the signature", hex, true],
    ["with Jira's prefix", `sha256=${hex}`, false],
    ["missing", null, false],
    ["not hex", "z".repeat(64), false],
    ["of another secret", createHmac("sha256", "other").update(body).digest("hex"), false],
  ] as const)("%s -> %s", (_, header, ok) => expect(verifyLinearSignature(secret, body, header)).toBe(ok));
});

it("new secrets are long and different", () => {
  const a = newWebhookSecret();
  expect(a).toMatch(/^[\w-]{43}$/);
  expect(newWebhookSecret()).not.toBe(a);
});
