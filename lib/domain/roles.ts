// Team roles, weakest first. A role can do everything the roles before it can.
export const roles = ["viewer", "editor", "admin"] as const;
export type Role = (typeof roles)[number];

/** What each role is for: viewers read, editors change SLO definitions and data, admins manage people and tokens. */
export function hasRole(actual: Role, required: Role): boolean {
  return roles.indexOf(actual) >= roles.indexOf(required);
}

/**
 * What a machine token may do. `definitions` creates and changes a team's definitions (services,
 * SLIs, SLOs, data sources, exclusions, policies, channels) and runs SLO-as-code plan/apply, so a
 * pipeline can plan on a pull request and apply on merge.
 */
export const tokenScopes = ["ingest", "gate", "read", "definitions"] as const;
export type TokenScope = (typeof tokenScopes)[number];

/** Whether a team access (a role, "site-admin" or "token") may change definitions: editors and up, and site admins. */
export function accessAtLeast(access: string, required: Role): boolean {
  if (access === "site-admin") return true;
  return (roles as readonly string[]).includes(access) && hasRole(access as Role, required);
}
