// The tracker client for an integration's provider.
import type { OutboundPolicy } from "../http/outbound";
import { jiraTracker } from "./jira";
import { linearTracker } from "./linear";
import type { Tracker, TrackerSettings } from "./tracker";

export const trackerOf = (s: TrackerSettings, policy: OutboundPolicy = {}): Tracker => (s.provider === "jira" ? jiraTracker(s, policy) : linearTracker(s, policy));
