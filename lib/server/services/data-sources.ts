// Data sources of a team by hand (SLO-as-code files make them too: ./definitions.ts). Editors and
// tokens with the `definitions` scope change them; the Authorization header is write-only.
import type { CreateDataSourceInput, DataSourceView, UpdateDataSourceInput } from "../../schemas/data-sources";
import { isUuid } from "../../schemas/common";
import { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";
import { conflict, notFound } from "../errors";
import { assertCallable } from "../http/outbound";
import type { Actor } from "./actor";
import { requireDefinitionsRead, requireDefinitionsWrite } from "./access";
import { writeAudit } from "./audit";

type Row = Prisma.DataSourceGetPayload<object>;
type Tx = Prisma.TransactionClient;

const view = (d: Row): DataSourceView => ({
  id: d.id,
  name: d.name,
  displayName: d.displayName,
  description: d.description,
  type: d.type,
  url: d.url,
  labels: d.labels && typeof d.labels === "object" && !Array.isArray(d.labels) ? (d.labels as Record<string, string>) : {},
  hasAuthHeader: Boolean(d.authHeader),
  createdByApply: d.createdByApply,
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});

async function findDataSource(tx: Tx, teamId: string, ref: string) {
  const d = await tx.dataSource.findFirst({ where: { teamId, ...(isUuid(ref) ? { id: ref } : { name: ref }) } });
  if (!d) throw notFound(`data source "${ref}"`);
  return d;
}

export async function listDataSources(actor: Actor, team: string): Promise<DataSourceView[]> {
  const access = await requireDefinitionsRead(actor, team);
  return (await prisma().dataSource.findMany({ where: { teamId: access.teamId }, orderBy: { name: "asc" } })).map(view);
}

export async function createDataSource(actor: Actor, team: string, input: CreateDataSourceInput): Promise<DataSourceView> {
  const access = await requireDefinitionsWrite(actor, team, "editor");
  assertCallable(input.url, "url");
  try {
    return await prisma().$transaction(async (tx) => {
      const d = await tx.dataSource.create({ data: { teamId: access.teamId, ...input, authHeader: input.authHeader ?? null } });
      await writeAudit(tx, actor, { teamId: access.teamId, action: "data_source.create", targetType: "data_source", targetId: d.id, after: view(d) });
      return view(d);
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw conflict(`a data source named "${input.name}" already exists`, { name: "is already taken" });
    throw e;
  }
}

export async function updateDataSource(actor: Actor, team: string, ref: string, input: UpdateDataSourceInput): Promise<DataSourceView> {
  const access = await requireDefinitionsWrite(actor, team, "editor");
  if (input.url) assertCallable(input.url, "url");
  return prisma().$transaction(async (tx) => {
    const before = await findDataSource(tx, access.teamId, ref);
    const d = await tx.dataSource.update({ where: { id: before.id }, data: input });
    // The header itself never reaches the audit log: only whether there is one.
    await writeAudit(tx, actor, { teamId: access.teamId, action: "data_source.update", targetType: "data_source", targetId: d.id, before: view(before), after: view(d) });
    return view(d);
  });
}

/** Refused (409) while SLIs, archived ones included, take their URL from it. */
export async function deleteDataSource(actor: Actor, team: string, ref: string): Promise<void> {
  const access = await requireDefinitionsWrite(actor, team, "editor");
  await prisma().$transaction(async (tx) => {
    const d = await findDataSource(tx, access.teamId, ref);
    const users = await tx.sli.findMany({ where: { dataSourceId: d.id }, select: { slug: true, service: { select: { slug: true } } }, orderBy: { slug: "asc" }, take: 5 });
    if (users.length) throw conflict(`data source "${d.name}" is used by SLI ${users.map((x) => `${x.service.slug}/${x.slug}`).join(", ")}: give them another source (or delete them) first`);
    await tx.dataSource.delete({ where: { id: d.id } });
    await writeAudit(tx, actor, { teamId: access.teamId, action: "data_source.delete", targetType: "data_source", targetId: d.id, before: view(d) });
  });
}
