// The server an SLI's Prometheus source reads (docs/slo-as-code.md, "Data sources by hand"):
// one of the team's data sources, whose URL and Authorization header every SLI naming it shares,
// or a URL typed for the SLI with its own header. Resolved here once, for creating and editing an
// SLI and for the checks that ask the server before saving ("Test query", "Check buckets"); read
// back here once for the jobs that query it (the sync, canary analyses).
import { isUuid } from "../../schemas/common";
import { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";
import { AppError } from "../errors";
import { assertCallable, type OutboundPolicy } from "../http/outbound";

type Tx = Prisma.TransactionClient;

/** A source block's server fields, as its schema gives them (lib/schemas/catalog.ts serverCheck: one of url and dataSource). */
export type ServerBlock = { url?: string; dataSource?: string; authHeader?: string | null };
/** Where a source's queries go: `dataSourceId` set when a data source gives the URL and header. */
export type SourceServer = { url: string; authHeader: string | null; dataSourceId: string | null };

/** What an edited SLI had: its own URL keeps its stored header while it stays. */
type StoredServer = { promUrl: string | null; promAuthHeader: string | null; dataSourceId: string | null };

/**
 * The server a source block names, for team `teamId`. A data source is looked up by name (or id)
 * in that team only; a URL must be one the outbound guard calls. On an edit (`stored`), a URL
 * given without a header keeps the stored header while it is the SLI's own URL, and drops it when
 * it changes. Refused with a 422 on `${field}.dataSource` or `${field}.url`.
 */
/** The input field that named a server, under the block's `field` ("" at the top level): where a refusal of it is reported. */
export const serverField = (server: Pick<SourceServer, "dataSourceId">, field = "") => at(field, server.dataSourceId ? "dataSource" : "url");
const at = (field: string, name: string) => (field ? `${field}.${name}` : name);

export async function serverOf(teamId: string, block: ServerBlock, field: string, o: { stored?: StoredServer; policy?: OutboundPolicy; tx?: Tx } = {}): Promise<SourceServer> {
  if (block.dataSource !== undefined) {
    const ref = block.dataSource;
    const d = await (o.tx ?? prisma()).dataSource.findFirst({ where: { teamId, ...(isUuid(ref) ? { id: ref } : { name: ref }) }, select: { id: true, url: true, authHeader: true } });
    if (!d) {
      const why = `no data source "${ref}" in this team: add it under Data sources first, or give a url`;
      throw new AppError("invalid", `${at(field, "dataSource")}: ${why}`, { [at(field, "dataSource")]: why });
    }
    return { url: d.url, authHeader: d.authHeader, dataSourceId: d.id };
  }
  const url = block.url!;
  assertCallable(url, at(field, "url"), o.policy?.allow);
  const s = o.stored;
  const kept = s && !s.dataSourceId && s.promUrl === url ? s.promAuthHeader : null;
  return { url, authHeader: block.authHeader !== undefined ? block.authHeader : kept, dataSourceId: null };
}

/** An SLI's server columns: a data source's id, or the URL and header of its own. */
export const serverColumns = (s: SourceServer) => ({ dataSourceId: s.dataSourceId, promUrl: s.dataSourceId ? null : s.url, promAuthHeader: s.dataSourceId ? null : s.authHeader });

/** The server a stored SLI's queries go to: its data source's, else its own URL (null: none). */
export function storedServerOf(s: { promUrl: string | null; promAuthHeader: string | null; dataSource: { url: string; authHeader: string | null } | null }): { url: string; authHeader: string | null } | null {
  if (s.dataSource) return { url: s.dataSource.url, authHeader: s.dataSource.authHeader };
  return s.promUrl ? { url: s.promUrl, authHeader: s.promAuthHeader } : null;
}
