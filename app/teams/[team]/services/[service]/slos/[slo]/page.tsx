import { SloForm } from "@/components/catalog-forms";
import { ArchiveControls } from "@/components/archive-controls";
import { SloDetailView } from "@/components/slo-detail-view";
import { AlertSettings } from "@/components/alert-settings";
import { getAlertSettings } from "@/lib/server/services/alert-settings";
import { DefinitionError } from "@/lib/domain/slo-definition";
import { accessAtLeast } from "@/lib/domain/roles";
import { rangeBounds } from "@/lib/domain/time-range";
import { parseTimeRange } from "@/lib/schemas/time-range";
import { orNotFound, requirePageUser } from "@/lib/server/pages";
import { getSloSeries } from "@/lib/server/services/slo-series";
import { getSloStatus } from "@/lib/server/services/slo-status";
import { clockNow } from "@/lib/server/clock";
import { deployMarks } from "@/lib/server/services/deploys";
import { CompositeMembers } from "@/components/composite-members";
import { CompositeMembersForm } from "@/components/composite-form";
import { compositeMembersOf } from "@/lib/server/services/composite-page";

/** Deploy markers for any chart range the page can show (ranges reach 400 days back). */
const MARKS_DAYS = 400;

export const dynamic = "force-dynamic";

type Params = { team: string; service: string; slo: string };
type Search = Record<string, string | string[] | undefined>;

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  // The slug, with no lookup: a title that waits for the database would make a page wait for it twice when it is away.
  return { title: (await params).slo };
}

export default async function SloPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const { actor } = await requirePageUser();
  const p = await params;
  const range = parseTimeRange(await searchParams);
  const now = clockNow();
  const [detail, series, deploys, alerting] = await orNotFound(
    Promise.all([
      getSloStatus(actor, p.team, p.service, p.slo, now),
      getSloSeries(actor, p.team, p.service, p.slo, rangeBounds(range, now), now),
      deployMarks(actor, p.team, p.service, new Date(now.getTime() - MARKS_DAYS * 86_400_000), new Date(now.getTime() + 5 * 60_000)),
      // Settings that cannot be read are the SLO's error, shown by the status above: no settings section then.
      getAlertSettings(actor, p.team, p.service, p.slo, now).catch((e: unknown) => {
        if (e instanceof DefinitionError) return null;
        throw e;
      }),
    ]),
  );
  const composite = detail.sli.source === "composite" ? await compositeMembersOf(actor, p.team, p.service, p.slo, now) : null;
  return (
    <>
      <SloDetailView team={p.team} initial={detail} initialSeries={series} deploys={deploys} />
      {composite ? <CompositeMembers team={p.team} composite={composite.view} statuses={composite.statuses} /> : null}
      {composite && accessAtLeast(detail.team.role, "editor") && !detail.slo.archivedAt ? (
        <details className="add">
          <summary>Edit members</summary>
          <CompositeMembersForm team={p.team} service={detail.service.slug} composite={composite.view} slos={composite.suggestions} />
        </details>
      ) : null}
      {alerting ? <AlertSettings team={p.team} service={detail.service.slug} slo={detail.slo.slug} initial={alerting} canEdit={accessAtLeast(detail.team.role, "editor") && !detail.slo.archivedAt} /> : null}
      <ArchiveControls team={p.team} role={detail.team.role} target={{ kind: "slo", service: detail.service.slug, serviceName: detail.service.name, slug: detail.slo.slug, name: detail.slo.name }} />
      {accessAtLeast(detail.team.role, "editor") ? (
        <details className="add">
          <summary>Edit this SLO</summary>
          <SloForm team={p.team} service={detail.service.slug} slis={[]} slo={detail.slo} />
        </details>
      ) : null}
    </>
  );
}
