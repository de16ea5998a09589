// SLO as code: plan and apply a set of definition files (OpenSLO, Sloth) to a team. The plan
// (lib/domain/definitions-plan.ts) is computed against the stored rows; apply recomputes it inside
// one transaction, with the team row locked so two applies to a team run one after the other, makes
// exactly the changes it lists, and audits each with the caller and the source (a commit).
// Prune archives (restorable, data kept) and never touches what people made by hand.
import { compositeDefinitionProblems } from "../../domain/composite-definitions";
import { planDefinitions, type Change, type ChangeKind, type OriginOf, type Plan } from "../../domain/definitions-plan";
import type { DefinitionProblem, DefinitionSet, ParseResult, ServiceDef } from "../../domain/definitions";
import type { DefinitionFilesInput, DefinitionPlanView } from "../../schemas/definitions";
import { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";
import { AppError, conflict } from "../errors";
import { requestPrometheusSync } from "../jobs/sync-requests";
import { assertCallable } from "../http/outbound";
import { clockNow } from "../clock";
import type { Actor } from "./actor";
import { requireDefinitionsRead, requireDefinitionsWrite } from "./access";
import { writeAudit } from "./audit";
import { recordDefinitionChanges, snapshotMeasures } from "./definition-versions";
import { parseDefinitionFiles, type DefinitionFile } from "./definition-files";
import { writeMembers } from "./composites";
import { dataSourceData, loadDefinitions, serviceData, sliData, sloData, type StoredDefinitions } from "./definition-rows";

type Tx = Prisma.TransactionClient;

/**
 * How long an apply waits for another apply to the same team before answering 409: below the
 * statement timeout (DB_QUERY_TIMEOUT_MS, 10 s by default), which would answer 503 instead.
 */
const APPLY_LOCK_WAIT_MS = 5_000;
/** An apply of many files writes thousands of rows: the transaction's bound (docs/architecture.md rule 10). */
const APPLY_TIMEOUT_MS = 60_000;

const targetType: Record<ChangeKind, string> = { "data-source": "data_source", service: "service", sli: "sli", slo: "slo" };

/** What applying the files would change; changes nothing. */
export async function planDefinitionFiles(actor: Actor, team: string, input: DefinitionFilesInput): Promise<DefinitionPlanView> {
  const access = await requireDefinitionsRead(actor, team);
  const parsed = parseFiles(input.files);
  const ctx = await prisma().$transaction((tx) => planIn(tx, access.teamId, parsed, input), { isolationLevel: "RepeatableRead", timeout: APPLY_TIMEOUT_MS });
  // An archived thing the files name would make the apply a 409: say so now.
  const archived = ctx.archivedNames.map((n) => ({ file: "", document: n, message: `The files name ${n}, which is archived: restore it (or delete it) before applying, or the apply is refused.` }));
  return { changes: ctx.plan.changes, unchanged: ctx.plan.unchanged, kept: ctx.plan.kept, warnings: [...parsed.warnings, ...ctx.plan.warnings, ...archived], applied: false };
}

/** Makes the plan's changes in one transaction, each audited with the caller and `input.source`. */
export async function applyDefinitionFiles(actor: Actor, team: string, input: DefinitionFilesInput): Promise<DefinitionPlanView> {
  return (await applyFiles(actor, team, input)).view;
}

/** The apply, and the definitions the files held (the OpenSLO import counts them). */
export async function applyFiles(actor: Actor, team: string, input: DefinitionFilesInput): Promise<{ view: DefinitionPlanView; set: DefinitionSet }> {
  const access = await requireDefinitionsWrite(actor, team, "editor");
  const parsed = parseFiles(input.files);
  const { plan, syncIds } = await prisma()
    .$transaction(
      async (tx) => {
        await lockTeam(tx, access.teamId);
        const ctx = await planIn(tx, access.teamId, parsed, input);
        if (ctx.archivedNames.length) throw conflict(`${ctx.archivedNames[0]} is archived: restore it (or delete it) first; nothing was applied`);
        const syncIds = await execute(tx, actor, access.teamId, ctx, ctx.plan.set, input.source ?? null);
        return { plan: ctx.plan, syncIds };
      },
      { timeout: APPLY_TIMEOUT_MS },
    )
    .catch((e: unknown) => {
      // Applies to a team are serialised, but a person may create the same name by hand meanwhile.
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw conflict("something with a name these files use was created at the same moment; nothing was applied, run the apply again");
      throw e;
    });
  // New and changed pull SLIs are backfilled at once, not at the next tick.
  requestPrometheusSync(syncIds);
  return { view: { changes: plan.changes, unchanged: plan.unchanged, kept: plan.kept, warnings: [...parsed.warnings, ...plan.warnings], applied: true }, set: parsed.set };
}

// --- parsing ------------------------------------------------------------------------------------

type Parsed = ParseResult & { files: readonly DefinitionFile[] };

function parseFiles(files: readonly DefinitionFile[]): Parsed {
  const parsed = parseDefinitionFiles(files);
  const problems = [...parsed.problems, ...urlProblems(parsed.set)];
  if (problems.length) throw problemsError(problems);
  return { ...parsed, files };
}

/** URLs the files give must be ones Burnrate may call (the same rule as a Prometheus SLI made by hand). */
function urlProblems(set: DefinitionSet): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const check = (url: string, document: string, field: string) => {
    try {
      assertCallable(url, field);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      problems.push({ file: "", document, field, message: `${document}: ${Object.values(e.fields ?? {})[0] ?? e.message}` });
    }
  };
  for (const d of set.dataSources) check(d.url, `DataSource ${d.name}`, "spec.url");
  for (const s of set.services) for (const x of s.slis) if (x.source.kind === "prometheus" && x.source.url) check(x.source.url, `SLI ${s.slug}/${x.slug}`, "source.url");
  return problems;
}

/** Any problem: 422 naming the first in a sentence, each (at most 50) as "<file>: <document>: <field>". */
function problemsError(problems: readonly DefinitionProblem[]): AppError {
  const key = (p: DefinitionProblem) => [p.file, p.document, p.field].filter(Boolean).join(": ") || "files";
  const fields: Record<string, string> = {};
  for (const p of problems) {
    if (Object.keys(fields).length >= 50) break;
    fields[key(p)] ??= p.message;
  }
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
  return new AppError("invalid", `Nothing was applied: ${key(first)}: ${first.message}${more}`, fields);
}

/** Where a wanted thing was written, as the readers reported it (a single file holds everything). */
function originsOf(parsed: Parsed): OriginOf {
  const docKind: Record<ChangeKind, string> = { "data-source": "DataSource", service: "Service", sli: "SLI", slo: "SLO" };
  const only = parsed.files.length === 1 ? parsed.files[0]!.name : null;
  return (kind, name) => ({ file: only ?? parsed.fileOf?.[`${kind} ${name}`] ?? "", document: `${docKind[kind]} ${name}` });
}

// --- the plan against the stored rows -----------------------------------------------------------

type Context = { stored: StoredDefinitions; plan: Plan; archivedNames: string[] };

async function planIn(tx: Tx, teamId: string, parsed: Parsed, input: DefinitionFilesInput): Promise<Context> {
  const stored = await loadDefinitions(tx, teamId);
  const [channels, held] = await Promise.all([
    tx.notificationChannel.findMany({ where: { teamId }, select: { name: true } }),
    tx.dataSource.findMany({ where: { teamId, slis: { some: { archivedAt: { not: null } } } }, select: { name: true } }),
  ]);
  const plan = planDefinitions(stored, parsed.set, { prune: input.prune, channels: channels.map((c) => c.name), heldDataSources: held.map((d) => d.name), originOf: originsOf(parsed) });
  // Composites' members and cycles, against the team as the apply would leave it (docs/composite-slos.md).
  const origin = originsOf(parsed);
  const storedServices = stored.services.map((s) => ({ slug: s.def.slug, slis: s.slis.map((x) => x.def), slos: s.slos.map((o) => o.def) }));
  const problems = [...plan.problems, ...compositeDefinitionProblems(parsed.set, storedServices, (slo) => origin("slo", slo))];
  if (problems.length) throw problemsError(problems);
  return { stored, plan, archivedNames: await archivedNamesOf(tx, teamId, plan.changes) };
}

/** Things the plan would create whose slug an archived service, SLI or SLO holds ('service "payments"'). */
async function archivedNamesOf(tx: Tx, teamId: string, changes: readonly Change[]): Promise<string[]> {
  const creates = changes.filter((c) => c.action === "create" && c.kind !== "data-source");
  if (creates.length === 0) return [];
  const archived = { archivedAt: { not: null } };
  const [services, slis, slos] = await Promise.all([
    tx.service.findMany({ where: { teamId, ...archived }, select: { slug: true } }),
    tx.sli.findMany({ where: { service: { teamId }, ...archived }, select: { slug: true, service: { select: { slug: true } } } }),
    tx.slo.findMany({ where: { service: { teamId }, ...archived }, select: { slug: true, service: { select: { slug: true } } } }),
  ]);
  const names = new Set([...services.map((s) => `service ${s.slug}`), ...slis.map((x) => `sli ${x.service.slug}/${x.slug}`), ...slos.map((o) => `slo ${o.service.slug}/${o.slug}`)]);
  const hit = creates.filter((c) => names.has(`${c.kind} ${c.name}`));
  // An archived service's SLIs and SLOs come back with it: name the service only.
  const hitServices = new Set(hit.filter((c) => c.kind === "service").map((c) => c.name));
  const label: Record<string, string> = { service: "service", sli: "SLI", slo: "SLO" };
  return hit.filter((c) => c.kind === "service" || !hitServices.has(c.name.split("/")[0]!)).map((c) => `${label[c.kind]} "${c.name}"`);
}

/** Two applies to one team run one after the other: the second waits for the first's commit. */
async function lockTeam(tx: Tx, teamId: string) {
  await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${APPLY_LOCK_WAIT_MS}ms'`);
  try {
    // NO KEY UPDATE: other writers' foreign keys to the team (FOR KEY SHARE) are not held up.
    await tx.$queryRaw`SELECT id FROM teams WHERE id = ${teamId}::uuid FOR NO KEY UPDATE`;
  } catch (e) {
    if (/55P03|lock timeout|lock_not_available/i.test(`${String((e as { code?: unknown }).code)} ${e instanceof Error ? e.message : ""} ${JSON.stringify((e as { meta?: unknown }).meta ?? {})}`)) {
      throw conflict("another apply to this team is under way; nothing was applied, try again when it is done");
    }
    throw e;
  }
}

// --- making the changes -------------------------------------------------------------------------

/** Applies the plan's changes in dependency order; returns the pull SLIs to sync. */
async function execute(tx: Tx, actor: Actor, teamId: string, ctx: Context, wanted: DefinitionSet, sourceRef: string | null): Promise<string[]> {
  const { stored, plan } = ctx;
  const at = clockNow(); // one instant: a pruned service and its SLIs and SLOs restore together
  const audit = (c: Change, targetId: string, before?: unknown, after?: unknown) =>
    writeAudit(tx, actor, { teamId, action: `definitions.${c.action}`, targetType: targetType[c.kind], targetId, before: json(before), after: json(after), sourceRef });
  const byName = (kind: ChangeKind) => new Map(plan.changes.filter((c) => c.kind === kind && c.action !== "delete").map((c) => [c.name, c]));

  // Ids of every thing that is there after the creates, by name.
  const dataSourceIds = new Map(stored.dataSources.map((d) => [d.def.name, d.id]));
  const serviceIds = new Map(stored.services.map((s) => [s.def.slug, s.id]));
  const sliIds = new Map<string, string>(stored.services.flatMap((s) => s.slis.map((x) => [`${s.def.slug}/${x.def.slug}`, x.id] as const)));
  const sloIds = new Map<string, string>(stored.services.flatMap((s) => s.slos.map((o) => [`${s.def.slug}/${o.def.slug}`, o.id] as const)));
  const promSlis = new Set(stored.services.flatMap((s) => s.slis.filter((x) => x.def.source.kind === "prometheus").map((x) => x.id)));
  const sync = new Set<string>();
  // What the SLIs and SLOs to update measure now: each measured field the apply changes starts a version.
  const updated = (kind: ChangeKind, ids: Map<string, string>) => plan.changes.flatMap((c) => (c.kind === kind && c.action === "change" && ids.has(c.name) ? [ids.get(c.name)!] : []));
  const measuresBefore = await snapshotMeasures(tx, { sliIds: updated("sli", sliIds), sloIds: updated("slo", sloIds) });

  const dsChanges = byName("data-source");
  for (const d of wanted.dataSources) {
    const c = dsChanges.get(d.name);
    if (!c) continue;
    if (c.action === "create") {
      const row = await tx.dataSource.create({ data: { teamId, ...dataSourceData(d), createdByApply: true } });
      dataSourceIds.set(d.name, row.id);
      await audit(c, row.id, undefined, d);
    } else {
      const id = dataSourceIds.get(d.name)!;
      await tx.dataSource.update({ where: { id }, data: dataSourceData(d) });
      await auditChange(audit, c, id);
    }
  }

  const svcChanges = byName("service");
  const sliChanges = byName("sli");
  const sloChanges = byName("slo");
  for (const s of wanted.services) {
    const c = svcChanges.get(s.slug);
    if (c?.action === "create") {
      const row = await tx.service.create({ data: { teamId, ...serviceData(s), createdByApply: true } });
      serviceIds.set(s.slug, row.id);
      await audit(c, row.id, undefined, ownOf(s));
    } else if (c) {
      const id = serviceIds.get(s.slug)!;
      await tx.service.update({ where: { id }, data: serviceData(s) });
      await auditChange(audit, c, id);
    }
    const serviceId = serviceIds.get(s.slug)!;
    for (const x of s.slis) {
      const name = `${s.slug}/${x.slug}`;
      const sc = sliChanges.get(name);
      if (!sc) continue;
      const dsId = x.source.kind === "prometheus" && x.source.dataSource ? dataSourceIds.get(x.source.dataSource)! : null;
      const data = sliData(x, dsId);
      const id = sc.action === "create" ? (await tx.sli.create({ data: { serviceId, ...data, createdByApply: true } })).id : sliIds.get(name)!;
      if (sc.action === "create") await audit(sc, id, undefined, x);
      else {
        await tx.sli.update({ where: { id }, data });
        await auditChange(audit, sc, id);
      }
      sliIds.set(name, id);
      if (x.source.kind === "prometheus") {
        promSlis.add(id);
        sync.add(id);
      } else promSlis.delete(id);
    }
    for (const o of s.slos) {
      const name = `${s.slug}/${o.slug}`;
      const oc = sloChanges.get(name);
      if (!oc) continue;
      const sliId = sliIds.get(`${s.slug}/${o.sli}`)!;
      const data = sloData(o, sliId);
      if (oc.action === "create") {
        const row = await tx.slo.create({ data: { serviceId, ...data, createdByApply: true } });
        sloIds.set(name, row.id);
        await audit(oc, row.id, undefined, o);
      } else {
        const id = sloIds.get(name)!;
        await tx.slo.update({ where: { id }, data });
        await auditChange(audit, oc, id);
      }
      // A longer window than the SLI's others needs older data: the sync extends the backfill.
      if (promSlis.has(sliId)) sync.add(sliId);
    }
  }

  // Composite SLOs' members, once every SLO they name exists (docs/composite-slos.md).
  for (const s of wanted.services) {
    for (const x of s.slis) {
      if (x.source.kind !== "composite") continue;
      const slos = s.slos.filter((o) => o.sli === x.slug);
      if (!sliChanges.has(`${s.slug}/${x.slug}`) && !slos.some((o) => sloChanges.has(`${s.slug}/${o.slug}`))) continue;
      const members = x.source.members.map((m, i) => {
        const id = sloIds.get(`${m.service}/${m.slo}`);
        if (!id) throw new AppError("invalid", `Nothing was applied: composite SLO ${s.slug}/${x.slug} names member ${m.service}/${m.slo}, which neither these files nor the team define`, { [`SLO ${s.slug}/${x.slug}: members[${i}]`]: "no such SLO" });
        return { sloId: id, weight: m.weight };
      });
      for (const o of slos) await writeMembers(tx, sloIds.get(`${s.slug}/${o.slug}`)!, members);
    }
  }

  // Prune, children first: archived (data kept, restorable), or deleted for data sources, which hold no data.
  const deletes = plan.changes.filter((c) => c.action === "delete");
  const archivedBy = actor.kind === "user" ? actor.userId : null;
  const storedDef = definitionsByName(stored);
  for (const kind of ["slo", "sli", "service"] as const) {
    for (const c of deletes.filter((d) => d.kind === kind)) {
      const id = (kind === "slo" ? sloIds : kind === "sli" ? sliIds : serviceIds).get(c.name)!;
      const data = { archivedAt: at, archivedById: archivedBy };
      if (kind === "slo") await tx.slo.update({ where: { id }, data });
      else if (kind === "sli") await tx.sli.update({ where: { id }, data });
      else await tx.service.update({ where: { id }, data });
      await audit(c, id, storedDef.get(`${kind} ${c.name}`), { archivedAt: at.toISOString() });
    }
  }
  for (const c of deletes.filter((d) => d.kind === "data-source")) {
    const id = dataSourceIds.get(c.name)!;
    await tx.dataSource.delete({ where: { id } });
    await audit(c, id, storedDef.get(`data-source ${c.name}`), undefined);
  }
  await recordDefinitionChanges(tx, actor, teamId, measuresBefore, at, sourceRef);
  return [...sync];
}

/** A change's audit record holds the fields it changed: before (old values) and after (new). */
function auditChange(audit: (c: Change, id: string, before?: unknown, after?: unknown) => Promise<void>, c: Change, id: string) {
  const fields = c.fields ?? [];
  return audit(c, id, Object.fromEntries(fields.map((f) => [f.field, f.old])), Object.fromEntries(fields.map((f) => [f.field, f.new])));
}

function ownOf(s: ServiceDef) {
  const { slis: _slis, slos: _slos, ...own } = s;
  return own;
}

function definitionsByName(stored: StoredDefinitions): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const d of stored.dataSources) m.set(`data-source ${d.def.name}`, d.def);
  for (const s of stored.services) {
    m.set(`service ${s.def.slug}`, s.def);
    for (const x of s.slis) m.set(`sli ${s.def.slug}/${x.def.slug}`, x.def);
    for (const o of s.slos) m.set(`slo ${s.def.slug}/${o.def.slug}`, o.def);
  }
  return m;
}

/** Plain JSON for the audit columns (undefined stays absent). */
function json(v: unknown): Prisma.InputJsonValue | undefined {
  return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue);
}
