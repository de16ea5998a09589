// Shapes of the API's responses that pages read too: one definition for server and browser.
import type { ChangeType, GateBlocker, GateDecision, Policy } from "../domain/policy";
import type { WayStep } from "../domain/way-through";
import type { AlertBadge } from "../domain/risk";
import type { Tier } from "../domain/tier";
import type { IncidentRole } from "../domain/postmortem";
import type { SloStatus } from "../domain/slo-status";
import type { AlertState } from "../domain/burn-rate";
import type { SloWindow } from "../domain/window";
import type { SyncProgress } from "../domain/freshness";

export type SloView = {
  id: string;
  slug: string;
  name: string;
  description: string;
  sli: { id: string; slug: string; kind: string };
  objective: string;
  window: SloWindow;
  minEvents: number;
  createdAt: string;
  updatedAt: string;
  /** When it was archived (lib/domain/archive.ts), or null while live. */
  archivedAt: string | null;
};

/** SloStatus as JSON: instants as ISO strings. */
export type SloStatusView = Omit<SloStatus, "at" | "windowStart" | "windowEnd"> & { at: string; windowStart: string; windowEnd: string };

/** The part of an SLO's status a list row shows (the whole status is on the SLO's own endpoint). */
export type OverviewStatusView = Pick<SloStatusView, "sli" | "budget" | "tier" | "total" | "timeToExhaustionMinutes" | "exhaustionHorizonMinutes" | "error"> & {
  alerts: { state: SloStatusView["alerts"]["state"] };
  freshness: Pick<SloStatusView["freshness"], "state" | "lastDataAt">;
  burnRate1h: number | null;
};

export type OverviewRow = {
  team: { slug: string; name: string };
  service: { slug: string; name: string };
  slo: Pick<SloView, "id" | "slug" | "name" | "objective" | "window">;
  status: OverviewStatusView;
  badge: AlertBadge;
  /** When the alert firing now began (lib/domain/alert-history.ts); null when none fires. */
  firingSince: string | null;
  /** Remaining budget at the end of each UTC day of the window so far (null: no events yet). */
  sparkline: (number | null)[];
};
/** Each service with its standing: what the gate answers now for a feature deploy, and why. */
export type OverviewTeam = { slug: string; name: string; role: string; services: { slug: string; name: string; standing: ServiceStandingView }[] };
export type Overview = {
  at: string;
  /** Active overrides and manual freezes of the caller's teams, shown while they last. */
  gate: { overrides: OverrideView[]; freezes: FreezeView[] };
  teams: OverviewTeam[];
  slos: OverviewRow[];
  /** Over all the caller's SLOs, also when `slos` holds only the first rows of a filtered view. */
  /** firing: a page or ticket alert; burning: no alert, but the budget is spent or runs out this window. */
  summary: { slos: number; firing: number; burning: number };
  /** False for a server-rendered first paint that carries only the rows it shows. */
  complete: boolean;
};

export type SyncProgressView = SyncProgress;

export type SliView = {
  id: string;
  slug: string;
  name: string;
  description: string;
  kind: "request_ratio" | "latency" | "time_slice";
  source: "push" | "prometheus";
  latencyThresholdMs: number | null;
  sliceMinutes: number | null;
  sliceTarget: string | null;
  prometheus: { url: string | null; goodQuery: string | null; badQuery: string | null; totalQuery: string | null; hasAuthHeader: boolean; sync: SyncProgressView } | null;
  createdAt: string;
  archivedAt: string | null;
};

/** GET .../slos/{slo}/status */
export type SloDetail = {
  /** `role`: the caller's access to the team (a role, "site-admin" or "token"). */
  team: { slug: string; name: string; role: string };
  service: { slug: string; name: string };
  slo: SloView;
  sli: SliView;
  status: SloStatusView;
  burndown: { at: string; remaining: number | null; ideal: number }[];
  /** The alert's history (lib/domain/alert-history.ts): since when the current alert fires, its changes newest first, and the periods it fired. */
  alert: { firingSince: string | null; history: SloAlertChangeView[]; periods: { start: string; end: string | null; severity: "page" | "ticket" }[] };
};

export type SloAlertChangeView = { from: AlertState; to: AlertState; at: string; burnRates: Record<string, number | null>; remaining: number | null };

/** GET .../slos/{slo}/series */
export type SloSeries = {
  from: string;
  to: string;
  stepMinutes: number;
  /** Per step (starting at `at`): events, the SLI and the step's own burn rate; sli and burnRate are null without events. */
  points: { at: string; good: number; bad: number; total: number; sli: number | null; burnRate: number | null }[];
  /**
   * The burn rate of each alert rule's long window (1 h, 6 h, 1 d, 3 d) at each step's end, as the
   * evaluator computes it, and each rule's threshold for the SLO's compliance period
   * (lib/domain/burn-rate-series.ts). `rates[i]` belongs to `windows[i]`. `unavailable`: why there
   * are no points (a time-slice SLI whose slices do not fit the range's steps).
   */
  burnRates: { windows: { severity: "page" | "ticket"; longMinutes: number; budgetPercent: number; factor: number }[]; points: { at: string; rates: (number | null)[] }[]; unavailable: string | null };
  /** The periods the alert fired, cut to [from, to] (lib/domain/alert-history.ts firingPeriodsWithin); one still firing ends at `to`. */
  firing: { start: string; end: string; severity: "page" | "ticket" }[];
  exclusions: { id: string; kind: string; reason: string; startsAt: string; endsAt: string }[];
  incidents: { id: string; title: string; severity: string; startsAt: string; endsAt: string }[];
};

/** POST /api/v1/teams/{team}/prometheus-test */
export type PrometheusTestResult =
  | { ok: true; from: string; to: string; minutes: number; minutesWithData: number; good: number; total: number; sli: number | null }
  | { ok: false; error: string };

/** sli: the slug of the one SLI it applies to, or null for every SLI of the service. */
export type ExclusionView = { id: string; sli: string | null; kind: string; reason: string; startsAt: string; endsAt: string; createdById: string | null; createdAt: string };

/** The service page: its SLOs with status, its SLIs and exclusions. */
export type ServicePage = {
  at: string;
  team: { slug: string; name: string; role: string };
  service: { slug: string; name: string; description: string; githubRepository: string | null; updatedAt: string; archivedAt: string | null };
  slos: OverviewRow[];
  slis: SliView[];
  exclusions: ExclusionView[];
  /** The service's standing (the gate's answer now for a feature deploy) and the policy it is judged by. */
  gate: { standing: ServiceStandingView; policy: PolicyView };
};

/**
 * A service's standing: the deploy gate's answer now for a feature deploy to the policy's first
 * gated environment (lib/domain/policy.ts serviceStanding). Every surface shows this one.
 */
export type ServiceStandingView = {
  environment: string;
  changeType: "feature";
  decision: GateDecision;
  tier: Tier;
  /** "Feature deploys to production are denied" */
  headline: string;
  reasons: string[];
  /** The one reason that settled it (one of `reasons`), for one-line summaries. */
  because: string;
  decidingSlo: { id: string; name: string } | null;
  freeze: { id: string; reason: string; endsAt: string } | null;
  override: { id: string; reason: string; approvedBy: string; expiresAt: string } | null;
  postmortemHold: { incidentId: string; incidentTitle: string } | null;
  /** The policy judged by; `problem`: it could not be read, and feature deploys are denied until it is saved again. */
  policy: { scope: "default" | "team" | "service"; version: number; problem: string | null };
  /** Why a feature deploy is not allowed now and every way through (null when it is allowed). */
  toGetThrough: WayThroughView | null;
};

/** An object with its instants as ISO strings, as JSON carries them. */
type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] extends object ? Json<T[K]> : T[K] };
/**
 * lib/domain/way-through.ts WayThrough as JSON: `because`, each rule that denied or warned (with
 * what it names: the SLO, the freeze, the incident), and `steps`, what the policy lets through now.
 */
export type WayThroughView = { decision: "warn" | "deny"; because: Json<GateBlocker>[]; steps: Json<WayStep>[] };

/** A notification channel as listed: where it goes, never the secret URL or key. */
export type ChannelView = { id: string; name: string; kind: string; destination: string; createdAt: string };

/** The policy in force for a team or a service; `inherited`: the service uses the team's. */
export type PolicyView = {
  policy: Policy;
  scope: "default" | "team" | "service";
  version: number;
  /** The latest version of the scope being edited (0: none yet): what a save names as `baseVersion`. */
  editVersion: number;
  /** The stored version could not be read: shown to admins, and the gate denies feature deploys until it is saved again. */
  problem: string | null;
  inherited: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
};
/** One stored version; `policy` null: the service went back to the team's policy. */
export type PolicyVersionView = { id: string; scope: "team" | "service"; service: string | null; version: number; policy: Policy | null; createdAt: string; createdBy: string | null };

export type OverrideView = {
  id: string;
  /** Set where overrides of several teams are listed together (the overview). */
  team?: string;
  service: { slug: string; name: string };
  environment: string | null;
  reason: string;
  approvedBy: string;
  escalatedTo: string | null;
  expiresAt: string;
  grantedBy: string | null;
  createdAt: string;
  revokedAt: string | null;
  active: boolean;
};

export type FreezeView = {
  id: string;
  team?: string;
  service: { slug: string; name: string } | null;
  environment: string | null;
  reason: string;
  startsAt: string;
  endsAt: string;
  createdBy: string | null;
  cancelledAt: string | null;
  active: boolean;
};

/** What the gate's answer rested on, stored with the decision. */
export type GateNumbers = {
  /** When the SLOs' numbers were computed (the gate reuses them for a few seconds). */
  at: string | null;
  decidingSlo: {
    slug: string;
    name: string;
    objective: string;
    remainingBudget: number | null;
    burnRates: Record<string, number | null>;
    alertState: string;
    timeToExhaustionMinutes: number | null;
  } | null;
  slos: { slug: string; name: string; remainingBudget: number | null; tier: Tier }[];
  override: { id: string; reason: string; approvedBy: string; escalatedTo: string | null; expiresAt: string } | null;
  freeze: { id: string; reason: string; endsAt: string } | null;
  /** What would have let it through at the time (decisions stored before this existed have none). */
  toGetThrough?: WayThroughView | null;
};

export type GateDecisionView = {
  decisionId: string;
  decision: GateDecision;
  tier: Tier;
  reasons: string[];
  team: string;
  /** null: the service named in the request is not known. */
  service: { slug: string; name: string } | null;
  serviceName: string;
  environment: string;
  version: string;
  commit: string | null;
  changeType: ChangeType;
  requester: string;
  link: string | null;
  source: "api" | "github";
  numbers: GateNumbers;
  policy: { scope: string; version: number };
  decidedAt: string;
  url: string;
  /** Denied or warned: why, and what would let it through (as decided; null for an allow). */
  toGetThrough: WayThroughView | null;
};

export type GithubIntegrationView = { configured: boolean; appId: string | null; apiUrl: string | null; defaultChangeType: ChangeType | null; webhookUrl: string; updatedAt: string | null };

export type Section = { key: string; title: string; body: string; prompt?: string };
export type PostmortemView = {
  id: string;
  team: string;
  teamName: string;
  title: string;
  status: "draft" | "in_review" | "published";
  sections: Section[];
  revision: number;
  incident: IncidentView | null;
  reviews: { reviewer: string | null; decision: string; comment: string; at: string }[];
  actionItems: ActionItemView[];
  updatedAt: string;
  updatedBy: string | null;
  publishedAt: string | null;
  /** The sections and title can be edited: the caller edits this team's postmortems and it is not published. */
  canEdit: boolean;
  /** The caller is an editor of the team: reviews, and adds and edits action items even once published. */
  teamEditor: boolean;
  /** A team admin may reopen a published postmortem for corrections (audited). */
  canReopen: boolean;
  /** What stops the caller approving and publishing it now, and what to look at first (lib/domain/postmortem.ts publishCheck). */
  publishCheck: { blocking: string[]; warnings: string[] };
};
export type ActionItemView = {
  id: string;
  postmortem: { id: string; title: string };
  team: string;
  title: string;
  type: string;
  priority: string;
  owner: { id: string; name: string } | null;
  dueDate: string | null;
  status: string;
  wontDoReason: string | null;
  ticketUrl: string | null;
  createdAt: string;
  completedAt: string | null;
};


export type IncidentImpact = { service: { slug: string; name: string }; slo: { slug: string; name: string }; budgetSpent: number | null; badEvents: number; totalEvents: number };
/** One incident in the list across the caller's teams (/incidents): its team, and the stored postmortem flag instead of a recomputed impact. */
export type MyIncidentView = {
  id: string;
  team: { slug: string; name: string };
  title: string;
  severity: string;
  status: string;
  startedAt: string;
  resolvedAt: string | null;
  postmortemRequired: boolean;
  postmortem: { id: string; status: string } | null;
};

export type IncidentView = {
  id: string;
  title: string;
  severity: string;
  status: string;
  summary: string;
  startedAt: string;
  detectedAt: string | null;
  mitigatedAt: string | null;
  resolvedAt: string | null;
  roles: Partial<Record<IncidentRole, string>>;
  impact: IncidentImpact[];
  postmortemRequired: boolean;
  postmortem: { id: string; status: string } | null;
  timeline: { id: string; at: string; kind: string; text: string }[];
  /** The version an edit names as `baseUpdatedAt`. */
  updatedAt: string;
};


/** A postmortem template; id null: the built-in blameless one. */
export type TemplateView = { id: string | null; name: string; sections: { key: string; title: string; prompt: string }[]; updatedAt: string | null };

/** A live browser session of a person (sessions list; site admins see anyone's). */
export type SessionView = {
  id: string;
  method: "password" | "oidc";
  userAgent: string;
  address: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  /** The session this list was asked from. */
  current: boolean;
};

/** A person as site admins see them: whether they can sign in, and how many sessions are open. */
export type AdminUserView = {
  id: string;
  email: string;
  name: string;
  isSiteAdmin: boolean;
  disabled: boolean;
  /** Until when failed sign-ins lock the account (null: not locked now). */
  lockedUntil: string | null;
  /** When the last lock began (kept after it ends). */
  lastLockedAt: string | null;
  sessions: number;
};
