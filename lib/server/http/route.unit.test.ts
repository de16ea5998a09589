// Answers leave through their operation's response schema: what it does not name is dropped.
import { describe, expect, it } from "vitest";
import { encodeAnswer } from "./route";

const member = { userId: "u1", name: "Ada", email: "ada@example.test", role: "admin" };

describe("encodeAnswer", () => {
  it("drops fields the response schema does not name (nothing a service happens to carry leaks)", () => {
    expect(encodeAnswer("/api/v1/teams/[team]/members", "GET", [{ ...member, passwordHash: "argon2…" }])).toEqual([member]);
    expect(encodeAnswer("/api/v1/teams/[team]/members", "POST", { ...member, passwordHash: "argon2…" })).toEqual(member);
  });

  it("sends an answer that does not match as it is, rather than failing the request", () => {
    const odd = [{ ...member, role: "owner" }];
    expect(encodeAnswer("/api/v1/teams/[team]/members", "GET", odd)).toBe(odd);
  });

  it("leaves the hot paths and operations without a schema alone", () => {
    const push = { accepted: 1, rejected: [], extra: true };
    expect(encodeAnswer("/api/v1/ingest", "POST", push)).toBe(push);
    const doc = { openapi: "3.1.0" };
    expect(encodeAnswer("/api/v1/openapi.json", "GET", doc)).toBe(doc);
  });
});
