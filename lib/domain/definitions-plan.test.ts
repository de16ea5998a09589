import { describe, expect, it } from "vitest";
import { defaultAlerting, emptySet, type DataSourceDef, type DefinitionSet, type ServiceDef, type SliDef, type SloDef } from "./definitions";
import { diffFields, planDefinitions, sameDecimal, type StoredSet } from "./definitions-plan";

const sli = (slug: string, over: Partial<SliDef> = {}): SliDef => ({
  slug,
  name: slug,
  description: "",
  labels: {},
  kind: "request_ratio",
  latencyThresholdMs: null,
  sliceMinutes: null,
  sliceTarget: null,
  sliceMethod: "count_good",
  source: { kind: "push" },
  ...over,
});
const prom = (over: Partial<Extract<SliDef["source"], { kind: "prometheus" }>> = {}): SliDef["source"] => ({
  kind: "prometheus",
  dataSource: null,
  url: "http://prom:9090",
  goodQuery: null,
  badQuery: "sum(rate(errors[1m]))",
  totalQuery: "sum(rate(requests[1m]))",
  threshold: null,
  ...over,
});
const slo = (slug: string, sliSlug: string, over: Partial<SloDef> = {}): SloDef => ({
  slug,
  name: slug,
  description: "",
  labels: {},
  sli: sliSlug,
  objective: "0.999",
  window: { kind: "rolling", days: 28 },
  calendarStart: null,
  minEvents: 0,
  alerting: defaultAlerting(),
  ...over,
});
const service = (slug: string, slis: SliDef[] = [], slos: SloDef[] = [], over: Partial<ServiceDef> = {}): ServiceDef => ({ slug, name: slug, description: "", labels: {}, slis, slos, ...over });
const source = (name: string, over: Partial<DataSourceDef> = {}): DataSourceDef => ({ name, displayName: "", description: "", type: "Prometheus", url: "http://prom:9090", labels: {}, ...over });
const set = (services: ServiceDef[], dataSources: DataSourceDef[] = []): DefinitionSet => ({ services, dataSources });

/** The set as stored, every thing marked as made by an apply (`byApply`) or by hand. */
function stored(s: DefinitionSet, byApply: boolean | ((name: string) => boolean) = true): StoredSet {
  const made = (name: string) => (typeof byApply === "function" ? byApply(name) : byApply);
  return {
    dataSources: s.dataSources.map((d) => ({ createdByApply: made(d.name), def: d })),
    services: s.services.map(({ slis, slos, ...own }) => ({
      createdByApply: made(own.slug),
      def: own,
      slis: slis.map((x) => ({ createdByApply: made(`${own.slug}/${x.slug}`), def: x })),
      slos: slos.map((o) => ({ createdByApply: made(`${own.slug}/${o.slug}`), def: o })),
    })),
  };
}

const payments = () => service("payments", [sli("availability")], [slo("availability-999", "availability")]);
const actions = (p: { changes: { action: string; kind: string; name: string }[] }) => p.changes.map((c) => `${c.action} ${c.kind} ${c.name}`);

describe("planDefinitions", () => {
  const cases: { name: string; stored: StoredSet; wanted: DefinitionSet; prune?: boolean; changes: string[]; unchanged: number }[] = [
    {
      name: "an empty team: everything is created, data sources first, then services, SLIs, SLOs, each by name",
      stored: stored(emptySet()),
      wanted: set([service("web", [sli("b"), sli("a", { source: prom({ dataSource: "prom-main", url: null }) })], [slo("z", "a"), slo("y", "b")]), payments()], [source("prom-main")]),
      changes: [
        "create data-source prom-main",
        "create service payments",
        "create service web",
        "create sli payments/availability",
        "create sli web/a",
        "create sli web/b",
        "create slo payments/availability-999",
        "create slo web/y",
        "create slo web/z",
      ],
      unchanged: 0,
    },
    { name: "the same set again: nothing to do", stored: stored(set([payments()], [source("p")])), wanted: set([payments()], [source("p")]), changes: [], unchanged: 4 },
    {
      name: "without prune, what the files no longer hold stays",
      stored: stored(set([payments(), service("old", [sli("x")])])),
      wanted: set([service("payments", [sli("availability")], [])]),
      changes: [],
      unchanged: 2,
    },
    {
      name: "with prune, apply-made things the files no longer hold go, children with their service",
      stored: stored(set([payments(), service("old", [sli("x")], [slo("x-99", "x")])], [source("unused")])),
      wanted: set([service("payments", [sli("availability")], [])]),
      prune: true,
      changes: ["delete data-source unused", "delete service old", "delete sli old/x", "delete slo old/x-99", "delete slo payments/availability-999"],
      unchanged: 2,
    },
    {
      name: "prune never touches what people made by hand",
      stored: stored(set([payments(), service("manual", [sli("x")])], [source("hand")]), (n) => !["manual", "manual/x", "hand", "payments/availability-999"].includes(n)),
      wanted: set([service("payments", [sli("availability")], [])]),
      prune: true,
      changes: [],
      unchanged: 2,
    },
    {
      name: "prune keeps an apply-made SLI a hand-made SLO measures, and the service around it",
      stored: stored(set([service("svc", [sli("a")], [slo("hand", "a")])]), (n) => n !== "svc/hand"),
      wanted: emptySet(),
      prune: true,
      changes: [],
      unchanged: 0,
    },
    {
      name: "prune keeps a data source that a kept SLI uses",
      stored: stored(set([service("svc", [sli("a", { source: prom({ dataSource: "ds", url: null }) })])], [source("ds")]), (n) => n !== "svc/a" && n !== "svc"),
      wanted: emptySet(),
      prune: true,
      changes: [],
      unchanged: 0,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = planDefinitions(c.stored, c.wanted, { prune: c.prune ?? false });
      expect(actions(p)).toEqual(c.changes);
      expect(p.unchanged).toBe(c.unchanged);
      expect(p.problems).toEqual([]);
    });
  }

  it("a changed thing lists each field with its old and new value, nested fields by path", () => {
    const before = service("payments", [sli("availability", { source: prom() })], [slo("availability-999", "availability")]);
    const after = service("payments", [sli("availability", { source: prom({ totalQuery: "sum(rate(all[1m]))" }) })], [
      slo("availability-999", "availability", { objective: "0.9995", window: { kind: "calendar", unit: "month", timeZone: "UTC" }, alerting: { ...defaultAlerting(), page: { enabled: false, labels: {}, annotations: {} } }, labels: { team: "pay" } }),
    ]);
    const p = planDefinitions(stored(set([before])), set([after]), { prune: false });
    expect(p.changes).toEqual([
      { action: "change", kind: "sli", name: "payments/availability", fields: [{ field: "source.totalQuery", old: "sum(rate(requests[1m]))", new: "sum(rate(all[1m]))" }] },
      {
        action: "change",
        kind: "slo",
        name: "payments/availability-999",
        fields: [
          { field: "alerting.page.enabled", old: true, new: false },
          { field: "labels.team", old: null, new: "pay" },
          { field: "objective", old: "0.999", new: "0.9995" },
          { field: "window.days", old: 28, new: null },
          { field: "window.kind", old: "rolling", new: "calendar" },
          { field: "window.timeZone", old: null, new: "UTC" },
          { field: "window.unit", old: null, new: "month" },
        ],
      },
    ]);
    expect(p.unchanged).toBe(1);
  });

  it("objectives compare as exact decimals", () => {
    const p = planDefinitions(stored(set([payments()])), set([service("payments", [sli("availability")], [slo("availability-999", "availability", { objective: "0.99900000" })])]), { prune: false });
    expect(p.changes).toEqual([]);
  });

  it("an SLI naming a data source nobody defines is a problem; one the team has is fine", () => {
    const wanted = set([service("svc", [sli("a", { source: prom({ dataSource: "nowhere", url: null }) }), sli("b", { source: prom({ dataSource: "team-ds", url: null }) })])]);
    const p = planDefinitions(stored(set([], [source("team-ds")]), false), wanted, { prune: false, originOf: (kind, name) => ({ file: "slos.yaml", document: `${kind} ${name}` }) });
    expect(p.problems).toEqual([{ file: "slos.yaml", document: "sli svc/a", field: "source.dataSource", message: "SLI svc/a names data source nowhere, which neither these files nor the team define." }]);
  });

  it("an SLO measuring an SLI that nobody defines is a problem", () => {
    const p = planDefinitions(stored(emptySet()), set([service("svc", [], [slo("o", "missing")])]), { prune: false });
    expect(p.problems.map((x) => x.message)).toEqual(["SLO svc/o measures SLI missing, which neither these files nor service svc define."]);
  });

  it("values the database could not hold are problems, whatever the reader let through", () => {
    const wanted = set([
      service(
        "svc",
        [sli("a/b"), sli("slices", { kind: "time_slice", sliceMinutes: 0, sliceTarget: "1.5" }), sli("lat", { kind: "latency", latencyThresholdMs: 2.5 })],
        [
          slo("o1", "lat", { objective: "0.999999999" }),
          slo("o2", "lat", { objective: "1" }),
          slo("o3", "lat", { window: { kind: "rolling", days: 0 } }),
          slo("o4", "lat", { window: { kind: "calendar", unit: "month", timeZone: "Mars/Olympus" } }),
          slo("o5", "lat", { minEvents: -1 }),
        ],
      ),
    ]);
    const p = planDefinitions(stored(emptySet()), wanted, { prune: false });
    expect(p.problems.map((x) => `${x.document} ${x.field}: ${x.message}`)).toEqual([
      'SLI svc/a/b metadata.name: SLI name "a/b" cannot be used: give a name without "/" or spaces.',
      "SLI svc/slices timeSliceWindow: SLI svc/slices: a time slice must be whole minutes from 1 to 1,440.",
      'SLI svc/slices timeSliceTarget: SLI svc/slices: the slice target "1.5" must be between 0 and 1 (exclusive).',
      "SLI svc/lat latencyThresholdMs: SLI svc/lat: the latency threshold must be whole milliseconds from 1 to 3,600,000.",
      'SLO svc/o1 objective: SLO svc/o1: the objective "0.999999999" has more than 8 decimal places.',
      'SLO svc/o2 objective: SLO svc/o2: the objective "1" must be between 0 and 1 (exclusive).',
      "SLO svc/o3 window.days: SLO svc/o3: a rolling window must be whole days from 1 to 366.",
      'SLO svc/o4 window.timeZone: SLO svc/o4: "Mars/Olympus" is not an IANA time zone such as Europe/Berlin.',
      "SLO svc/o5 minEvents: SLO svc/o5: the alert guard must be a whole number of events from 0 to 1,000,000,000.",
    ]);
  });

  it("a thing defined twice is a problem; a service two files name the same way is one service", () => {
    const twice = planDefinitions(stored(emptySet()), set([payments(), payments()]), { prune: false });
    expect(twice.problems.map((x) => x.message)).toEqual(["SLI payments/availability is defined twice; give each a name of its own.", "SLO payments/availability-999 is defined twice; give each a name of its own."]);
    const split = planDefinitions(stored(emptySet()), set([service("payments", [sli("a")], [slo("a1", "a")]), service("payments", [sli("b")], [slo("b1", "b")])]), { prune: false });
    expect(split.problems).toEqual([]);
    expect(actions(split)).toEqual(["create service payments", "create sli payments/a", "create sli payments/b", "create slo payments/a1", "create slo payments/b1"]);
    const differently = planDefinitions(stored(emptySet()), set([service("payments", [], [], { name: "Payments" }), service("payments", [], [], { name: "Payments API" })]), { prune: false });
    expect(differently.problems.map((x) => `${x.field}: ${x.message}`)).toEqual(["name: Service payments is defined twice, differently (name); define it once, or the same way."]);
  });

  it("a service the files only name (no name, description or labels of its own) keeps what it has", () => {
    const declared = service("payments", [], [], { name: "Payments API", description: "Card payments", labels: { tier: "1" } });
    // An SLO's spec.service alone names it: no change to the stored service.
    const mention = planDefinitions(stored(set([declared]), false), set([service("payments", [sli("a")], [])]), { prune: false });
    expect(actions(mention)).toEqual(["create sli payments/a"]);
    expect(mention.set.services[0]).toMatchObject({ name: "Payments API", description: "Card payments" });
    // Beside a declaration in another file, the declaration wins and there is no conflict.
    const both = planDefinitions(stored(emptySet()), set([service("payments"), declared]), { prune: false });
    expect(both.problems).toEqual([]);
    expect(both.set.services).toHaveLength(1);
    expect(both.set.services[0]).toMatchObject({ name: "Payments API", labels: { tier: "1" } });
    // A declared name is a change.
    expect(actions(planDefinitions(stored(set([declared]), false), set([{ ...declared, name: "Payments" }]), { prune: false }))).toEqual(["change service payments"]);
  });

  it("settings a file does not state stay as stored; a new SLO starts from the defaults; the marker is not stored", () => {
    const tuned: SloDef["alerting"] = { ...defaultAlerting(), channels: ["ops"], rules: [{ factor: 10 }], noData: { enabled: true }, budgetBelow: { enabled: true, percent: 20 } };
    const have = set([service("payments", [sli("a")], [slo("one", "a", { minEvents: 50, alerting: tuned }), slo("two", "a", { minEvents: 7, alerting: { ...tuned, channels: ["sre"], rules: [] } })])]);
    // Two SLOs parsed from one document share one alerting object (OpenSLO objectives do).
    const parsed = { ...defaultAlerting(), page: { ...defaultAlerting().page, enabled: false } };
    const wanted = () => set([service("payments", [sli("a")], [slo("one", "a", { alerting: parsed, keeps: ["tuning", "channels", "minEvents"] }), slo("two", "a", { alerting: parsed, keeps: ["tuning"] }), slo("new", "a", { alerting: parsed, keeps: ["tuning", "minEvents"] })])]);
    const p = planDefinitions(stored(have), wanted(), { prune: false });
    expect(actions(p)).toEqual(["create slo payments/new", "change slo payments/one", "change slo payments/two"]);
    // Only what the file states changes: page alerts off; "two" keeps its tuning but not its channels or guard, which the file states.
    expect(p.changes[1]!.fields).toEqual([{ field: "alerting.page.enabled", old: true, new: false }]);
    expect(p.changes[2]!.fields!.map((f) => f.field)).toEqual(["alerting.channels", "alerting.page.enabled", "minEvents"]);
    const [one, two, created] = p.set.services[0]!.slos;
    expect(one).toMatchObject({ minEvents: 50, alerting: { channels: ["ops"], rules: [{ factor: 10 }], noData: { enabled: true }, budgetBelow: { enabled: true, percent: 20 }, page: { enabled: false } } });
    expect(two).toMatchObject({ minEvents: 0, alerting: { channels: [], rules: [], noData: { enabled: true }, budgetBelow: { enabled: true, percent: 20 } } });
    expect(created).toMatchObject({ minEvents: 0, alerting: { channels: [], rules: [], noData: { enabled: false } } });
    for (const o of p.set.services[0]!.slos) expect(o).not.toHaveProperty("keeps");
    // The plan says what it kept where the team's settings differ from the file's; a new SLO keeps nothing.
    expect(p.kept).toEqual([
      { kind: "slo", name: "payments/one", settings: ["tuning", "channels", "minEvents"], message: "SLO payments/one keeps its alert tuning, alert channels and low-traffic guard (minimum events) as set in Burnrate: the files do not state them." },
      { kind: "slo", name: "payments/two", settings: ["tuning"], message: "SLO payments/two keeps its alert tuning as set in Burnrate: the files do not state it." },
    ]);
    // Settings kept that equal the file's defaults are not news: applying again keeps nothing worth saying.
    const again = planDefinitions(stored(set([service("payments", [sli("a")], [slo("one", "a", { alerting: parsed })])])), wanted(), { prune: false });
    expect(again.kept.map((k) => k.name)).toEqual([]);
    // Without the marker the file is the whole truth: the tuning goes back to the defaults.
    const plain = planDefinitions(stored(have), set([service("payments", [sli("a")], [slo("one", "a")])]), { prune: false });
    expect(plain.changes[0]!.fields!.map((f) => f.field)).toEqual(["alerting.budgetBelow.enabled", "alerting.budgetBelow.percent", "alerting.channels", "alerting.noData.enabled", "alerting.rules", "minEvents"]);
    expect(plain.kept).toEqual([]);
  });

  it("warns about unknown channels, SLIs that pull nothing, and URLs a data source overrides", () => {
    const wanted = set(
      [
        service(
          "svc",
          [sli("bare", { source: prom({ url: null }) }), sli("both", { source: prom({ dataSource: "ds" }) })],
          [slo("o", "bare", { alerting: { ...defaultAlerting(), channels: ["ops", "nowhere"] } })],
        ),
      ],
      [source("ds")],
    );
    const p = planDefinitions(stored(emptySet()), wanted, { prune: false, channels: ["ops"] });
    expect(p.problems).toEqual([]);
    expect(p.warnings.map((w) => w.message)).toEqual([
      'SLI svc/bare names no Prometheus server, so it pulls nothing yet: add a data source named "default" to the team and apply again, or name one in the file.',
      "The URL of SLI both is ignored: its data source ds gives the URL.",
      "SLO svc/o notifies channel nowhere, which the team does not have: its alerts go nowhere until a channel of that name is added.",
    ]);
    expect(p.warnings[0]).toEqual({ file: "", document: "SLI svc/bare", message: 'SLI svc/bare names no Prometheus server, so it pulls nothing yet: add a data source named "default" to the team and apply again, or name one in the file.' });
  });

  it("an SLI whose file names no server pulls from the team's data source named default", () => {
    const bare = () => set([service("svc", [sli("bare", { source: prom({ url: null }) })])]);
    const p = planDefinitions(stored(set([], [source("default")])), bare(), { prune: false });
    expect(p.warnings).toEqual([]);
    expect(p.set.services[0]!.slis[0]!.source).toMatchObject({ dataSource: "default", url: null });
    // Without one, the SLI is still created, with the warning that says how to give it a server.
    expect(planDefinitions(stored(emptySet()), bare(), { prune: false }).set.services[0]!.slis[0]!.source).toMatchObject({ dataSource: null });
  });

  it("an inline URL beside a data source is not a change once stored without it", () => {
    const storedSli = sli("a", { source: prom({ dataSource: "ds", url: null }) });
    const p = planDefinitions(stored(set([service("svc", [storedSli])], [source("ds")])), set([service("svc", [sli("a", { source: prom({ dataSource: "ds" }) })])], [source("ds")]), { prune: false });
    expect(p.changes).toEqual([]);
  });

  it("prune keeps a data source archived SLIs still use", () => {
    const p = planDefinitions(stored(set([], [source("ds")])), emptySet(), { prune: true, heldDataSources: ["ds"] });
    expect(p.changes).toEqual([]);
    expect(p.warnings.map((w) => w.message)).toEqual(["Data source ds is not pruned: SLIs that stay (or archived SLIs) still use it."]);
  });
});

describe("diffFields and sameDecimal", () => {
  it.each([
    ["0.999", "0.99900000", true],
    ["0.999", ".999", true],
    ["1", "1.000", true],
    ["0.999", "0.9990001", false],
    ["99.9%", "0.999", false],
  ])("%s = %s: %s", (a, b, same) => expect(sameDecimal(a, b)).toBe(same));

  it("compares arrays whole and treats a missing field as null", () => {
    expect(diffFields({ channels: ["a"], x: 1 }, { channels: ["a", "b"] })).toEqual([
      { field: "channels", old: ["a"], new: ["a", "b"] },
      { field: "x", old: 1, new: null },
    ]);
  });
});
