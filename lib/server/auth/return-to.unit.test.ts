// Where sign-in may send the browser (issue 14: "returns only to a path of its own origin").
// Each hostile case is one a browser would follow off the site if it were passed through.
import { describe, expect, it } from "vitest";
import { isApiPath } from "../http/server";
import { returnPath } from "./return-to";

const site = "https://burnrate.example.test";

describe("returnPath", () => {
  it("keeps a path of this site, with its query and fragment", () => {
    expect(returnPath("/teams/payments/services/checkout?tab=slos#budget", site)).toBe("/teams/payments/services/checkout?tab=slos#budget");
    expect(returnPath("https://burnrate.example.test/postmortems?q=dns", site)).toBe("/postmortems?q=dns");
    // Dot segments resolve as the browser resolves them, and stay on the site.
    expect(returnPath("/teams/../postmortems", site)).toBe("/postmortems");
  });

  it.each([
    ["an absolute URL elsewhere", "https://evil.example/phish"],
    ["the same host over another scheme", "http://burnrate.example.test/teams"],
    ["another port", "https://burnrate.example.test:8443/teams"],
    ["scheme-relative", "//evil.example/phish"],
    ["backslash (browsers read it as /)", "/\\evil.example/phish"],
    ["backslashes only", "\\\\evil.example"],
    ["a tab inside (browsers drop it)", "/\t/evil.example"],
    ["a newline inside", "/\n/evil.example"],
    ["a NUL", "/teams\u0000"],
    ["javascript:", "javascript:alert(document.cookie)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["encoded scheme-relative", "/%2F%2Fevil.example"],
    ["encoded backslash", "/%5Cevil.example"],
    ["double-encoded scheme-relative", "/%252F%252Fevil.example"],
    ["user-info trick", "https://burnrate.example.test@evil.example/"],
    ["malformed encoding", "/%E0%A4%A"],
    ["back to sign-in (a loop)", "/signin?callbackUrl=/teams"],
    ["an API route", "/api/v1/me"],
    ["too long", `/${"a".repeat(3000)}`],
  ])("refuses %s", (_what, raw) => {
    expect(returnPath(raw, site)).toBe("/");
  });

  it("refuses what is not a string", () => {
    expect(returnPath(undefined, site)).toBe("/");
    expect(returnPath(["/teams"], site)).toBe("/");
  });
});

describe("isApiPath (which Content-Security-Policy a response gets)", () => {
  it("is true only for paths that resolve under /api/", () => {
    expect(isApiPath("/api/health")).toBe(true);
    expect(isApiPath("/api/v1/teams?x=1")).toBe(true);
    expect(isApiPath("/teams/../api/health")).toBe(true);
    // Everything else gets the page policy, whatever it looks like.
    for (const raw of ["/api/../signin", "//api/health", "/API/health", "/_next/static/../../signin", "/apix", "*", "/%2e%2e/api"]) expect(isApiPath(raw)).toBe(false);
  });
});
