// The tracker client for an integration's provider.
import type { OutboundPolicy } from "../http/outbound";
import { jiraTracker } from "./jira";
import { linearTracker } from "./linear";
import type { Tracker, TrackerSettings } from "./tracker";

export function trackerOf(s: TrackerSettings, policy: OutboundPolicy = {}): Tracker {
  if (s.provider === "jira") return jiraTracker(s, policy);
  if (s.provider === "linear") return linearTracker(s, policy);
  throw new Error(`unknown ticket provider ${s.provider}`);
}
