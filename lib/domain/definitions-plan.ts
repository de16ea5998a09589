// SLO as code, the plan: what applying a DefinitionSet to a team would create, change (field by
// field) and, with prune, delete. Pure: the service (lib/server/services/definitions.ts) loads the
// stored definitions and the team's channel names, and the same function answers the plan and
// drives the apply inside its transaction, so what is shown is what is done.
import { parseObjective } from "./budget";
import { DEFAULT_DATA_SOURCE, type DataSourceDef, type DefinitionProblem, type DefinitionSet, type DefinitionWarning, type KeptSetting, type Labels, type ServiceDef, type SliDef, type SloDef } from "./definitions";
import { isValidTimeZone } from "./window";

export type ChangeKind = "data-source" | "service" | "sli" | "slo";
export type FieldChange = { field: string; old: unknown; new: unknown };
/** `name`: "prom-main" (data source), "payments" (service), "payments/availability" (SLI or SLO). */
export type Change = { action: "create" | "change" | "delete"; kind: ChangeKind; name: string; fields?: FieldChange[] };

/** A stored definition and whether an apply created it (only those can be pruned). */
export type StoredDef<T> = { createdByApply: boolean; def: T };
export type StoredServiceDef = StoredDef<{ slug: string; name: string; description: string; labels: Labels }> & { slis: StoredDef<SliDef>[]; slos: StoredDef<SloDef>[] };
export type StoredSet = { dataSources: StoredDef<DataSourceDef>[]; services: StoredServiceDef[] };

/** Where a wanted thing was written, for problems and warnings (the parser knows; the plan does not). */
export type OriginOf = (kind: ChangeKind, name: string) => { file: string; document: string };

export type PlanOptions = {
  prune: boolean;
  /** Names of the team's notification channels (alerting.channels must name them). */
  channels?: readonly string[];
  /** Data sources that archived SLIs still use: deleting one would orphan them, so prune keeps it. */
  heldDataSources?: readonly string[];
  originOf?: OriginOf;
};

/**
 * A stored SLO's settings that the files do not state and that differ from what the files alone
 * would give: kept as set in Burnrate (keepStoredSettings), said in the plan so a team sees why.
 */
export type KeptSettings = { kind: "slo"; name: string; settings: KeptSetting[]; message: string };

/** `set`: the wanted definitions as planned (one service per slug), which an apply stores. */
export type Plan = { changes: Change[]; unchanged: number; kept: KeptSettings[]; problems: DefinitionProblem[]; warnings: DefinitionWarning[]; set: DefinitionSet };

const kindOrder: Record<ChangeKind, number> = { "data-source": 0, service: 1, sli: 2, slo: 3 };
const documentKind: Record<ChangeKind, string> = { "data-source": "DataSource", service: "Service", sli: "SLI", slo: "SLO" };
const defaultOrigin: OriginOf = (kind, name) => ({ file: "", document: `${documentKind[kind]} ${name}` });

/** Fields whose values are exact decimals: "0.999" and "0.99900000" are the same objective. */
const decimalFields = new Set(["objective", "sliceTarget"]);

/** Each kept setting's part of an SLO definition: read to compare, and copied from the stored SLO onto the wanted one. */
const keptParts: Record<KeptSetting, { of: (o: SloDef) => unknown; copy: (from: SloDef, to: SloDef) => void }> = {
  tuning: {
    of: (o) => ({ rules: o.alerting.rules, noData: o.alerting.noData, budgetBelow: o.alerting.budgetBelow }),
    copy: (from, to) => Object.assign(to.alerting, { rules: [...from.alerting.rules], noData: { ...from.alerting.noData }, budgetBelow: { ...from.alerting.budgetBelow } }),
  },
  channels: { of: (o) => o.alerting.channels, copy: (from, to) => (to.alerting.channels = [...from.alerting.channels]) },
  minEvents: { of: (o) => o.minEvents, copy: (from, to) => (to.minEvents = from.minEvents) },
};
const keptLabels: Record<KeptSetting, string> = { tuning: "alert tuning", channels: "alert channels", minEvents: "low-traffic guard (minimum events)" };

/**
 * What the file does not state of an SLO stays as stored (an apply from CI does not undo what a
 * team set in Burnrate); a new SLO starts from the defaults. The marker is not stored. Returns
 * the settings kept that differ from what the file alone would give.
 */
function keepStoredSettings(want: SloDef, have: SloDef | undefined): KeptSetting[] {
  const keeps = want.keeps ?? [];
  delete want.keeps;
  if (!have) return [];
  // Compared as the plan compares fields (diffFields), so "kept" and "changed" never disagree.
  const differ = keeps.filter((k) => diffFields({ v: keptParts[k].of(have) }, { v: keptParts[k].of(want) }).length > 0);
  // A new object: the objectives of one OpenSLO document share the one they were parsed with.
  want.alerting = { ...want.alerting };
  for (const k of keeps) keptParts[k].copy(have, want);
  return differ;
}

function keptNote(name: string, settings: KeptSetting[]): KeptSettings {
  const list = settings.map((k) => keptLabels[k]);
  const text = list.length > 1 ? `${list.slice(0, -1).join(", ")} and ${list.at(-1)}` : list[0]!;
  return { kind: "slo", name, settings, message: `SLO ${name} keeps its ${text} as set in Burnrate: the files do not state ${settings.length > 1 ? "them" : "it"}.` };
}

export function planDefinitions(stored: StoredSet, files: DefinitionSet, options: PlanOptions): Plan {
  const originOf = options.originOf ?? defaultOrigin;
  const changes: Change[] = [];
  const problems: DefinitionProblem[] = [];
  const warnings: DefinitionWarning[] = [];
  const kept: KeptSettings[] = [];
  let unchanged = 0;
  const problem = (kind: ChangeKind, name: string, field: string, message: string) => problems.push({ ...originOf(kind, name), field, message });
  const warn = (kind: ChangeKind, name: string, message: string) => warnings.push({ ...originOf(kind, name), message });
  const wanted = mergeServices(files, problem);

  /** Compares one wanted thing with its stored twin (if any) and records the change. */
  const compare = <T extends object>(kind: ChangeKind, name: string, want: T, have: T | undefined) => {
    if (!have) return changes.push({ action: "create", kind, name });
    const fields = diffFields(have, want);
    if (fields.length) changes.push({ action: "change", kind, name, fields });
    else unchanged++;
  };

  checkValues(wanted, problem);

  // --- data sources ---
  const storedSources = new Map(stored.dataSources.map((d) => [d.def.name, d]));
  const wantedSources = new Set<string>();
  for (const d of wanted.dataSources) {
    if (wantedSources.has(d.name)) problem("data-source", d.name, "metadata.name", `Data source ${d.name} is defined twice; give each a name of its own.`);
    wantedSources.add(d.name);
    compare("data-source", d.name, d, storedSources.get(d.name)?.def);
  }

  // --- services, SLIs and SLOs ---
  const storedServices = new Map(stored.services.map((s) => [s.def.slug, s]));
  const wantedServices = new Set<string>();
  /** SLIs a wanted SLO measures, by "service/sli": prune must keep them. */
  const measured = new Set<string>();
  /** Data sources wanted or kept SLIs name: prune must keep them. */
  const usedSources = new Set<string>();
  for (const s of wanted.services) {
    wantedServices.add(s.slug);
    const have = storedServices.get(s.slug);
    // A service the files only name (an SLO's spec.service, a Sloth file without labels) keeps
    // the name, description and labels it has: naming it is not asking to blank them.
    if (have && isBareService(s)) Object.assign(s, have.def);
    const { slis, slos, ...own } = s;
    compare("service", s.slug, own, have?.def);
    const storedSlis = new Map((have?.slis ?? []).map((x) => [x.def.slug, x]));
    const wantedSlis = new Set<string>();
    for (const x of slis) {
      const name = `${s.slug}/${x.slug}`;
      // Files that name no server (Sloth's, OpenSLO sources without a URL) pull from the team's
      // data source named "default" when there is one, so a team sets its server once.
      if (x.source.kind === "prometheus" && !x.source.dataSource && !x.source.url && (wantedSources.has(DEFAULT_DATA_SOURCE) || storedSources.has(DEFAULT_DATA_SOURCE))) {
        x.source = { ...x.source, dataSource: DEFAULT_DATA_SOURCE };
      }
      if (wantedSlis.has(x.slug)) problem("sli", name, "metadata.name", `SLI ${name} is defined twice; give each a name of its own.`);
      wantedSlis.add(x.slug);
      compare("sli", name, normalSli(x, (m) => warn("sli", name, m)), storedSlis.get(x.slug)?.def);
      if (x.source.kind !== "prometheus") continue;
      const ds = x.source.dataSource;
      if (ds) {
        usedSources.add(ds);
        if (!wantedSources.has(ds) && !storedSources.has(ds)) problem("sli", name, "source.dataSource", `SLI ${name} names data source ${ds}, which neither these files nor the team define.`);
      } else if (!x.source.url) {
        // Sloth files hold queries only: the SLI is stored, and pulls once someone gives it a source.
        warn("sli", name, `SLI ${name} names no Prometheus server, so it pulls nothing yet: add a data source named "${DEFAULT_DATA_SOURCE}" to the team and apply again, or name one in the file.`);
      }
    }
    const storedSlos = new Map((have?.slos ?? []).map((o) => [o.def.slug, o]));
    const wantedSlos = new Set<string>();
    for (const o of slos) {
      const name = `${s.slug}/${o.slug}`;
      if (wantedSlos.has(o.slug)) problem("slo", name, "metadata.name", `SLO ${name} is defined twice; give each a name of its own.`);
      wantedSlos.add(o.slug);
      const keptHere = keepStoredSettings(o, storedSlos.get(o.slug)?.def);
      if (keptHere.length) kept.push(keptNote(name, keptHere));
      compare("slo", name, o, storedSlos.get(o.slug)?.def);
      measured.add(`${s.slug}/${o.sli}`);
      if (!wantedSlis.has(o.sli) && !storedSlis.has(o.sli)) problem("slo", name, "spec.indicatorRef", `SLO ${name} measures SLI ${o.sli}, which neither these files nor service ${s.slug} define.`);
      if (options.channels) {
        const known = new Set(options.channels);
        for (const c of o.alerting.channels) if (!known.has(c)) warn("slo", name, `SLO ${name} notifies channel ${c}, which the team does not have: its alerts go nowhere until a channel of that name is added.`);
      }
    }
  }

  // --- prune: only what an apply created, never what people made by hand ---
  if (options.prune) {
    for (const s of stored.services) {
      const wantedService = wanted.services.find((w) => w.slug === s.def.slug);
      const keptSlis = new Set<string>();
      const dropSlos: string[] = [];
      for (const o of s.slos) {
        if (wantedService?.slos.some((w) => w.slug === o.def.slug)) continue;
        if (o.createdByApply) dropSlos.push(o.def.slug);
        else measured.add(`${s.def.slug}/${o.def.sli}`); // a hand-made SLO keeps its SLI
      }
      const dropSlis: string[] = [];
      for (const x of s.slis) {
        const name = `${s.def.slug}/${x.def.slug}`;
        const inFiles = wantedService?.slis.some((w) => w.slug === x.def.slug) ?? false;
        if (inFiles) continue;
        if (!x.createdByApply || measured.has(name)) {
          keptSlis.add(x.def.slug);
          if (x.createdByApply) warn("sli", name, `SLI ${name} is not pruned: an SLO that stays still measures it.`);
          continue;
        }
        dropSlis.push(x.def.slug);
      }
      const keepsHandMade = s.slis.some((x) => keptSlis.has(x.def.slug)) || s.slos.some((o) => !dropSlos.includes(o.def.slug));
      if (!wantedService && s.createdByApply && keepsHandMade) warn("service", s.def.slug, `Service ${s.def.slug} is not pruned: it holds SLIs or SLOs that stay.`);
      if (!wantedService && s.createdByApply && !keepsHandMade) changes.push({ action: "delete", kind: "service", name: s.def.slug });
      for (const slug of dropSlis) changes.push({ action: "delete", kind: "sli", name: `${s.def.slug}/${slug}` });
      for (const slug of dropSlos) changes.push({ action: "delete", kind: "slo", name: `${s.def.slug}/${slug}` });
    }
    // Stored SLIs that stay as they are (hand-made, or still measured) keep their data source.
    const droppedSlis = new Set(changes.filter((c) => c.action === "delete" && c.kind === "sli").map((c) => c.name));
    for (const s of stored.services) {
      const inFiles = new Set(wanted.services.find((w) => w.slug === s.def.slug)?.slis.map((x) => x.slug) ?? []);
      for (const x of s.slis) {
        if (inFiles.has(x.def.slug) || droppedSlis.has(`${s.def.slug}/${x.def.slug}`)) continue;
        if (x.def.source.kind === "prometheus" && x.def.source.dataSource) usedSources.add(x.def.source.dataSource);
      }
    }
    const held = new Set(options.heldDataSources ?? []);
    for (const d of stored.dataSources) {
      if (wantedSources.has(d.def.name) || !d.createdByApply) continue;
      if (usedSources.has(d.def.name) || held.has(d.def.name)) warn("data-source", d.def.name, `Data source ${d.def.name} is not pruned: SLIs that stay (or archived SLIs) still use it.`);
      else changes.push({ action: "delete", kind: "data-source", name: d.def.name });
    }
  }

  changes.sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { changes, unchanged, kept, problems, warnings, set: wanted };
}

/**
 * One service per slug: files of two formats (an OpenSLO Service document, a Sloth file) may both
 * name it. Their SLIs and SLOs are put together; the service's own fields must agree.
 */
function mergeServices(set: DefinitionSet, problem: (kind: ChangeKind, name: string, field: string, message: string) => void): DefinitionSet {
  const bySlug = new Map<string, ServiceDef>();
  for (const s of set.services) {
    const seen = bySlug.get(s.slug);
    if (!seen) {
      bySlug.set(s.slug, { ...s, slis: [...s.slis], slos: [...s.slos] });
      continue;
    }
    const { slis: _a, slos: _b, ...mine } = s;
    const { slis: _c, slos: _d, ...theirs } = seen;
    // A bare mention agrees with any declaration of the service; the declaration wins.
    const mention = isBareService(s) || isBareService(seen);
    if (isBareService(seen)) Object.assign(seen, mine);
    const differ = mention ? [] : diffFields(theirs, mine);
    if (differ.length) problem("service", s.slug, differ[0]!.field, `Service ${s.slug} is defined twice, differently (${differ.map((f) => f.field).join(", ")}); define it once, or the same way.`);
    seen.slis.push(...s.slis);
    seen.slos.push(...s.slos);
  }
  return { dataSources: set.dataSources, services: [...bySlug.values()] };
}

/**
 * Values the database or the status engine could not hold, whatever a file format's reader let
 * through: an exact objective with at most 8 decimals strictly between 0 and 1, whole positive
 * days, minutes and milliseconds, a real time zone, names without "/" (it separates service and
 * SLO in names and URLs).
 */
function checkValues(wanted: DefinitionSet, problem: (kind: ChangeKind, name: string, field: string, message: string) => void) {
  const slugOk = (slug: string) => slug.length > 0 && slug.length <= 253 && !/[/\s]/.test(slug);
  const whole = (v: number | null, min: number, max: number) => v === null || (Number.isInteger(v) && v >= min && v <= max);
  const decimal = (v: string) => {
    try {
      parseObjective(v);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  };
  for (const s of wanted.services) {
    if (!slugOk(s.slug)) problem("service", s.slug, "metadata.name", `Service name "${s.slug}" cannot be used: give a name without "/" or spaces.`);
    for (const x of s.slis) {
      const name = `${s.slug}/${x.slug}`;
      if (!slugOk(x.slug)) problem("sli", name, "metadata.name", `SLI name "${x.slug}" cannot be used: give a name without "/" or spaces.`);
      if (!whole(x.latencyThresholdMs, 1, 3_600_000)) problem("sli", name, "latencyThresholdMs", `SLI ${name}: the latency threshold must be whole milliseconds from 1 to 3,600,000.`);
      if (!whole(x.sliceMinutes, 1, 1440)) problem("sli", name, "timeSliceWindow", `SLI ${name}: a time slice must be whole minutes from 1 to 1,440.`);
      const why = x.sliceTarget === null ? null : decimal(x.sliceTarget);
      if (why) problem("sli", name, "timeSliceTarget", `SLI ${name}: the slice target ${why.replace(/^objective /, "")}.`);
    }
    for (const o of s.slos) {
      const name = `${s.slug}/${o.slug}`;
      if (!slugOk(o.slug)) problem("slo", name, "metadata.name", `SLO name "${o.slug}" cannot be used: give a name without "/" or spaces.`);
      const why = decimal(o.objective);
      if (why) problem("slo", name, "objective", `SLO ${name}: the ${why}.`);
      if (o.window.kind === "rolling" && !whole(o.window.days, 1, 366)) problem("slo", name, "window.days", `SLO ${name}: a rolling window must be whole days from 1 to 366.`);
      if (o.window.kind === "calendar" && !isValidTimeZone(o.window.timeZone)) problem("slo", name, "window.timeZone", `SLO ${name}: "${o.window.timeZone}" is not an IANA time zone such as Europe/Berlin.`);
      if (!whole(o.minEvents, 0, 1_000_000_000)) problem("slo", name, "minEvents", `SLO ${name}: the alert guard must be a whole number of events from 0 to 1,000,000,000.`);
    }
  }
}

/**
 * A wanted SLI as it will be stored: a named data source gives the URL, so an inline URL beside it
 * is dropped (and said), or every later plan would show it as a change.
 */
function normalSli(x: SliDef, warn: (message: string) => void): SliDef {
  if (x.source.kind !== "prometheus" || !x.source.dataSource || !x.source.url) return x;
  warn(`The URL of SLI ${x.slug} is ignored: its data source ${x.source.dataSource} gives the URL.`);
  return { ...x, source: { ...x.source, url: null } };
}

/**
 * Field-by-field differences, nested objects by path ("window.days", "alerting.page.enabled",
 * "labels.team"); arrays and null are compared whole. A field present on one side only is null
 * on the other.
 */
export function diffFields(old: object, want: object): FieldChange[] {
  const a = flatten(old);
  const b = flatten(want);
  const out: FieldChange[] = [];
  for (const field of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const o = a.get(field) ?? null;
    const n = b.get(field) ?? null;
    if (!sameValue(field, o, n)) out.push({ field, old: o, new: n });
  }
  return out;
}

function flatten(value: object, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [k, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) flatten(v as object, path, out);
    else if (v !== undefined) out.set(path, v);
  }
  return out;
}

function sameValue(field: string, a: unknown, b: unknown): boolean {
  const last = field.slice(field.lastIndexOf(".") + 1);
  if (decimalFields.has(last) && typeof a === "string" && typeof b === "string") return sameDecimal(a, b);
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Exact decimal equality of two decimal strings ("0.999" = "0.99900000" = ".999"); anything else compares as text. */
export function sameDecimal(a: string, b: string): boolean {
  const norm = (s: string) => {
    const m = /^\+?(\d*)(?:\.(\d*))?$/.exec(s.trim());
    if (!m || (!m[1] && !m[2])) return s;
    return `${(m[1] ?? "").replace(/^0+/, "") || "0"}.${(m[2] ?? "").replace(/0+$/, "")}`;
  };
  return norm(a) === norm(b);
}

/** A service only named, not declared: its name is its slug, with no description and no labels. */
export function isBareService(s: { slug: string; name: string; description: string; labels: Record<string, string> }): boolean {
  return s.name === s.slug && !s.description && Object.keys(s.labels).length === 0;
}
