import { describe, expect, it } from "vitest";
import { admitNewValues, capRefusal, isIdle, labelKeyProblem, labelValueProblem, memberName, memberShortName, memberSlug, shortHash, slugifyValue } from "./slo-group";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/; // lib/schemas/common.ts

describe("memberSlug", () => {
  it.each([
    // value already a slug and short: kept as is
    ["lat", "eu-west", "lat-eu-west"],
    ["lat", "us1", "lat-us1"],
    // not a slug: slugified plus a hash of the raw value
    ["lat", "EU West", `lat-eu-west-${shortHash("EU West")}`],
    ["lat", "/api/v1/orders", `lat-api-v1-orders-${shortHash("/api/v1/orders")}`],
    // nothing slug-like left: the hash alone
    ["lat", "ÿÿ", `lat-y-y-${shortHash("ÿÿ")}`],
    ["lat", "日本", `lat-${shortHash("日本")}`],
  ])("%s + %j -> %s", (group, value, slug) => {
    expect(memberSlug(group, value)).toBe(slug);
  });

  it("keeps two values that slugify alike apart, and every slug valid and within 48 characters", () => {
    const values = ["eu", "EU", "Eu", "e u", "e-u", "/api/" + "x".repeat(120), "/api/" + "x".repeat(119) + "y"];
    const slugs = values.map((v) => memberSlug("checkout-latency-by-region", v));
    expect(new Set(slugs).size).toBe(values.length);
    for (const s of slugs) {
      expect(s).toMatch(SLUG);
      expect(s.length).toBeLessThanOrEqual(48);
    }
  });

  it("is stable for a value (the same member is found again)", () => {
    expect(memberSlug("g1", "Premium Tier")).toBe(memberSlug("g1", "Premium Tier"));
  });
});

describe("labels", () => {
  it.each([
    ["region", null],
    ["_tier", null],
    ["", "is empty"],
    ["1abc", expect.stringContaining("Prometheus label name")],
    ["a-b", expect.stringContaining("Prometheus label name")],
    ["__name__", expect.stringContaining('"__"')],
  ])("label key %j", (key, problem) => {
    expect(labelKeyProblem(key)).toEqual(problem);
  });

  it.each([
    ["eu-west-1", null],
    ["/api/v1/orders/{id}", null],
    ["Premium tier", null],
    ["", "is empty"],
    ["x".repeat(129), "is longer than 128 characters"],
    ["a\nb", expect.stringContaining("control character")],
    [" eu", "starts or ends with a space"],
  ])("label value %j", (value, problem) => {
    expect(labelValueProblem(value)).toEqual(problem);
  });

  it("slugifies", () => {
    expect(slugifyValue("EU West/1")).toBe("eu-west-1");
  });
});

describe("cap", () => {
  it.each([
    [0, 3, ["a", "b"], ["a", "b"], []],
    [2, 3, ["a", "b"], ["a"], ["b"]],
    [3, 3, ["a"], [], ["a"]],
    [5, 3, ["a"], [], ["a"]],
  ])("live %i cap %i new %j", (live, cap, fresh, admitted, refused) => {
    expect(admitNewValues(live, cap, fresh)).toEqual({ admitted, refused });
  });

  it("names the cap, the group and the value", () => {
    expect(capRefusal("checkout/latency", 3, "apac")).toMatch(/"checkout\/latency".*maximum of 3.*"apac"/);
  });
});

describe("isIdle", () => {
  const now = new Date("2026-12-04T12:00:00Z");
  it.each([
    ["2026-11-27T12:00:00Z", 7, false],
    ["2026-11-27T11:59:00Z", 7, true],
    ["2026-12-04T00:00:00Z", 1, false],
  ])("last data %s, idle after %i days -> %s", (last, days, idle) => {
    expect(isIdle(new Date(last), days, now)).toBe(idle);
  });
});

describe("member names", () => {
  it("name the group and the value, and the short form drops what the chip shows", () => {
    const name = memberName("Checkout latency", "region", "eu-west");
    expect(name).toBe("Checkout latency · region=eu-west");
    expect(memberShortName(name, "region", "eu-west")).toBe("Checkout latency");
    // A member renamed by hand, or another value's suffix, is shown as it is.
    expect(memberShortName("EU checkout", "region", "eu-west")).toBe("EU checkout");
    expect(memberShortName(name, "region", "us-east")).toBe(name);
    expect(memberShortName(" · region=eu-west", "region", "eu-west")).toBe(" · region=eu-west");
  });
});
