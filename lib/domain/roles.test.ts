import { describe, expect, it } from "vitest";
import { accessAtLeast, hasRole, type Role } from "./roles";

describe("hasRole", () => {
  const table: [Role, Role, boolean][] = [
    ["viewer", "viewer", true],
    ["viewer", "editor", false],
    ["viewer", "admin", false],
    ["editor", "viewer", true],
    ["editor", "editor", true],
    ["editor", "admin", false],
    ["admin", "viewer", true],
    ["admin", "editor", true],
    ["admin", "admin", true],
  ];
  it.each(table)("%s meets %s: %s", (actual, required, expected) => {
    expect(hasRole(actual, required)).toBe(expected);
  });
});

describe("accessAtLeast", () => {
  it.each([
    ["viewer", "editor", false],
    ["editor", "editor", true],
    ["admin", "editor", true],
    ["site-admin", "admin", true],
    ["token", "viewer", false],
    ["nonsense", "viewer", false],
  ] as const)("%s as %s: %s", (access, required, ok) => {
    expect(accessAtLeast(access, required)).toBe(ok);
  });
});
