import { describe, expect, it } from "vitest";
import { hasRole, type Role } from "./roles";

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
