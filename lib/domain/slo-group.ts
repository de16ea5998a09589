// Grouped SLOs (docs/grouped-slos.md): one definition fans out into one member SLI + SLO per value
// of a label. Pure rules here: which label names and values are accepted, the member's slug, the
// member cap and the idle age-out. No I/O; time comes in as an argument.

/** Members per group unless the group says otherwise, and the most a group may allow. */
export const DEFAULT_MAX_MEMBERS = 100;
export const MAX_MEMBERS_LIMIT = 1000;
/** Days without data after which a member is archived, by default and at most. */
export const DEFAULT_IDLE_DAYS = 7;
export const MAX_IDLE_DAYS = 90;
/** Longest label value kept; longer ones are refused (they are names, not payloads). */
export const MAX_LABEL_VALUE = 128;
/** Slugs are at most 48 characters (lib/schemas/common.ts). */
const MAX_SLUG = 48;
const HASH_LENGTH = 6;

/** A Prometheus label name (data model: [a-zA-Z_][a-zA-Z0-9_]*), "__" names are reserved. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Why a label name is refused, or null when it is fine. */
export function labelKeyProblem(key: string): string | null {
  if (key.length === 0) return "is empty";
  if (key.length > 100) return "is longer than 100 characters";
  if (!LABEL_NAME.test(key)) return 'must be a Prometheus label name: letters, digits and "_", not starting with a digit';
  if (key.startsWith("__")) return 'must not start with "__" (reserved for Prometheus internals)';
  return null;
}

/** Why a label value is refused, or null when it is fine. */
export function labelValueProblem(value: string): string | null {
  if (value.length === 0) return "is empty";
  if (value.length > MAX_LABEL_VALUE) return `is longer than ${MAX_LABEL_VALUE} characters`;
  // Control characters would show as nothing in the UI and break log lines.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return "contains a control character (tab, newline, ...)";
  if (value.trim() !== value) return "starts or ends with a space";
  return null;
}

/** FNV-1a (32 bit) of the value's UTF-16 units, as hex: short, stable, no dependency. */
export function shortHash(value: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0").slice(0, HASH_LENGTH);
}

/** Lowercase letters and digits joined by single dashes: "EU West/1" -> "eu-west-1". */
export function slugifyValue(value: string): string {
  return value
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * The member's slug (its SLI's and its SLO's) within the service: `<group>-<value>` when the value
 * is already a slug and fits, else the slugified value cut to fit plus a hash of the raw value, so
 * two values never share a slug ("EU" and "eu" differ: "eu" is exact, "EU" gets a hash).
 */
export function memberSlug(groupSlug: string, value: string): string {
  const base = slugifyValue(value);
  const plain = `${groupSlug}-${base}`;
  if (base === value && base.length > 0 && plain.length <= MAX_SLUG) return plain;
  const room = MAX_SLUG - groupSlug.length - 2 - HASH_LENGTH;
  const cut = base.slice(0, Math.max(0, room)).replace(/-+$/, "");
  return [groupSlug, cut, shortHash(value)].filter(Boolean).join("-");
}

/** The member's display name: "Checkout latency · region=eu-west". */
export function memberName(groupName: string, key: string, value: string): string {
  return `${groupName} · ${key}=${value}`;
}

/** A member's name without its "· key=value" (shown beside it as a chip), or the name as it is when it does not end so. */
export function memberShortName(name: string, key: string, value: string): string {
  const suffix = ` · ${key}=${value}`;
  return name.endsWith(suffix) && name.length > suffix.length ? name.slice(0, -suffix.length) : name;
}

/** The sentence refusing a new value over the cap, naming the cap and the group. */
export function capRefusal(groupRef: string, maxMembers: number, value: string): string {
  return `group "${groupRef}" already has its maximum of ${maxMembers} live members; value "${value}" was not added (raise the group's maxMembers, up to ${MAX_MEMBERS_LIMIT}, or let idle members age out)`;
}

/**
 * Which new values fit under the cap, in the order given: `live` members exist, `fresh` are new.
 * Values beyond the cap are `refused`.
 */
export function admitNewValues(live: number, maxMembers: number, fresh: readonly string[]): { admitted: string[]; refused: string[] } {
  const room = Math.max(0, maxMembers - live);
  return { admitted: fresh.slice(0, room), refused: fresh.slice(room) };
}

/** Whether a member whose last data was at `lastData` (or created at, with no data) is idle at `now`. */
export function isIdle(lastData: Date, idleDays: number, now: Date): boolean {
  return now.getTime() - lastData.getTime() > idleDays * 86_400_000;
}
