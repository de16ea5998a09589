// The recorded-response check: paths to operations, and answers against the document.
import { describe, expect, it } from "vitest";
import { checkRecorded, checkResponse, matchOperation, wantsRecording, type RecordedResponse } from "./api-responses";

const answer = (r: Partial<RecordedResponse>): RecordedResponse => ({ method: "GET", path: "/api/v1/teams", status: 200, type: "application/json", body: [], source: "unit", ...r });

describe("recorded API answers", () => {
  it("match concrete paths to operations, literal segments before parameters", () => {
    expect(matchOperation("GET", "/api/v1/postmortems/search")?.path).toBe("/api/v1/postmortems/search");
    expect(matchOperation("GET", "/api/v1/postmortems/0191")?.path).toBe("/api/v1/postmortems/{postmortem}");
    expect(matchOperation("DELETE", "/api/v1/teams/alpha/services/svc/slos/main")?.path).toBe("/api/v1/teams/{team}/services/{service}/slos/{slo}");
    expect(matchOperation("PUT", "/api/v1/teams")).toBeUndefined();
  });

  it("record the API and /metrics, not next-auth's routes, redirects, or the same answer without end", () => {
    expect(wantsRecording("GET", "/api/auth/csrf", 200)).toBe(false);
    expect(wantsRecording("GET", "/signin", 200)).toBe(false);
    expect(wantsRecording("POST", "/api//auth/callback/credentials", 308)).toBe(false);
    const kept = Array.from({ length: 40 }, () => wantsRecording("GET", "/api/v1/teams/alpha/freezes", 200)).filter(Boolean).length;
    expect(kept).toBe(25);
  });

  it("hold successes to their schema, errors to the one error shape, and text to its media type", () => {
    expect(checkResponse(answer({ body: [{ id: "1", slug: "a", name: "A", role: "admin" }] })).problems).toEqual([]);
    expect(checkResponse(answer({ body: [{ id: "1", slug: "a", name: "A" }] })).problems.join()).toContain("required property 'role'");
    expect(checkResponse(answer({ status: 404, body: { error: { code: "not_found", message: "team x not found" } } })).problems).toEqual([]);
    expect(checkResponse(answer({ status: 404, body: { message: "not found" } })).problems.join()).toContain("must have required property 'error'");
    expect(checkResponse(answer({ status: 404, type: "text/html", body: null })).problems.join()).toContain("an error must be JSON");
    expect(checkResponse(answer({ path: "/api/v1/no-such", status: 404, body: { error: { code: "not_found", message: "no API operation answers GET /api/v1/no-such" } } })).problems).toEqual([]);
    expect(checkResponse(answer({ path: "/metrics", type: "text/plain", body: null })).problems).toEqual([]);
    expect(checkResponse(answer({ path: "/metrics", type: "text/html", body: null })).problems.join()).toContain("media type 'text/html' is not documented");
    expect(checkResponse(answer({ method: "DELETE", path: "/api/v1/teams/a/github", status: 204, type: "", body: null })).problems).toEqual([]);
    expect(checkResponse(answer({ status: 201 })).problems.join()).toContain("status 201 is not documented");
  });

  it("report the operations no answer exercised", () => {
    const r = checkRecorded([answer({ body: [] }), answer({ path: "/api/v1/teams/a/freezes", status: 500, body: { error: { code: "internal", message: "x" } } })]);
    expect(r.problems).toEqual([]);
    expect(r.exercised).toEqual(["GET /api/v1/teams"]);
    expect(r.never).toContain("GET /api/v1/teams/{team}/freezes");
  });
});
