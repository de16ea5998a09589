"use client";
// The error-budget policy of a team or of one service: every setting of lib/domain/policy.ts as
// a form (thresholds in percent), saved as a new version; and the history of versions with what
// each one changed.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { changeTypes, describePolicyChanges, gateDecisions, type Policy } from "@/lib/domain/policy";
import { putPolicySchema } from "@/lib/schemas/policy";
import type { PolicyVersionView, PolicyView } from "@/lib/schemas/views";
import { api } from "./api";
import { Field } from "./field";
import { Alert, ApiForm, SelectField, num, text, useApiForm } from "./form-kit";
import { Time } from "./time";

const percentOf = (f: number) => String(Math.round(f * 1000) / 10);
const fraction = (v: number | string | undefined) => (typeof v === "number" ? v / 100 : v);
const names = (v: string | undefined) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);

function toPolicy(d: FormData, baseVersion: number): { policy: unknown; baseVersion: number } {
  return {
    baseVersion,
    policy: {
      thresholds: { caution: fraction(num(d, "caution")), freeze: fraction(num(d, "freeze")) },
      allowed: { freeze: d.getAll("allowFreeze").map(String), halted: d.getAll("allowHalted").map(String) },
      cautionFeatures: text(d, "cautionFeatures"),
      noData: text(d, "noData"),
      unknownService: text(d, "unknownService"),
      unknownEnvironment: text(d, "unknownEnvironment"),
      environments: { gated: names(text(d, "gated")), ungated: names(text(d, "ungated")) },
      missingPostmortemBlocksFeatures: d.get("missingPostmortem") === "on",
      maxOverrideHours: num(d, "maxOverrideHours"),
      selfApproval: d.get("selfApproval") === "on",
      overdueP0: { action: text(d, "overdueP0Action"), afterDays: num(d, "overdueP0Days") },
    },
  };
}

export function PolicyForm({ team, service, initial, canManage }: { team: string; service?: string; initial: PolicyView; canManage: boolean }) {
  const qc = useQueryClient();
  const path = service ? `/api/v1/teams/${team}/services/${service}/policy` : `/api/v1/teams/${team}/policy`;
  const key = ["policy", team, service ?? ""];
  const current = useQuery({ queryKey: key, queryFn: () => api<PolicyView>(path), initialData: initial });
  const [saved, setSaved] = useState<string | null>(null);
  const done = (v: PolicyView) => {
    setSaved(`Saved as version ${v.version}.`);
    void qc.invalidateQueries({ queryKey: ["policy", team] });
  };
  const f = useApiForm<PolicyView>({ path, method: "PUT", schema: putPolicySchema, onDone: done });
  const [resetting, setResetting] = useState(false);
  const p = current.data.policy;
  const e = (k: string) => f.errors[`policy.${k}`];
  const origin = current.data.scope === "default" ? "the built-in default (after Google's example error budget policy)" : current.data.scope === "team" ? `the team's policy, version ${current.data.version}` : `this service's own policy, version ${current.data.version}`;
  return (
    <>
      <p className="muted">
        In force: {origin}
        {current.data.updatedBy ? ` · changed by ${current.data.updatedBy}` : ""}
        {current.data.updatedAt ? <> on <Time at={current.data.updatedAt} /></> : ""}.
      </p>
      {current.data.problem ? (
        <Alert>
          The stored policy cannot be read ({current.data.problem}). Until a team admin saves it again, the gate denies feature deploys and judges the rest by the built-in defaults.
        </Alert>
      ) : null}
      {saved ? (
        <p className="notice" role="status">
          {saved}
        </p>
      ) : null}
      {canManage ? (
        <ApiForm
          key={`${current.data.scope}-${current.data.version}-${current.data.editVersion}`}
          label={service ? "Service policy" : "Team policy"}
          form={f}
          toBody={(d) => toPolicy(d, current.data.editVersion)}
          onReload={() => {
            f.setErrors({});
            void qc.invalidateQueries({ queryKey: ["policy", team] });
          }} submit={service && current.data.inherited ? "Give this service its own policy" : "Save policy"} pendingText="Saving…">
          <fieldset>
            <legend>Tiers by remaining budget of the worst SLO</legend>
            <div className="grid-2">
              <Field id="pol-caution" name="caution" label="Caution at or below (%)" inputMode="decimal" defaultValue={percentOf(p.thresholds.caution)} error={e("thresholds.caution")} />
              <Field id="pol-freeze" name="freeze" label="Freeze below (%)" inputMode="decimal" defaultValue={percentOf(p.thresholds.freeze)} error={e("thresholds.freeze")} />
            </div>
            <p className="hint">Halted at 0% or less. Normal above the caution threshold.</p>
          </fieldset>
          {(["freeze", "halted"] as const).map((tier) => (
            <fieldset key={tier} aria-describedby={e(`allowed.${tier}`) ? `pol-${tier}-error` : undefined}>
              <legend>Change types allowed in {tier}</legend>
              <div className="checks">
                {changeTypes.map((c) => (
                  <label key={c}>
                    <input type="checkbox" name={tier === "freeze" ? "allowFreeze" : "allowHalted"} value={c} defaultChecked={p.allowed[tier].includes(c)} /> {c}
                  </label>
                ))}
              </div>
              {e(`allowed.${tier}`) ? (
                <p className="field-error" id={`pol-${tier}-error`}>
                  {e(`allowed.${tier}`)}
                </p>
              ) : null}
            </fieldset>
          ))}
          <div className="grid-2">
            <SelectField id="pol-caution-features" name="cautionFeatures" label="Feature deploys in caution" defaultValue={p.cautionFeatures} error={e("cautionFeatures")}>
              <option value="warn">warn (allow)</option>
              <option value="deny">deny</option>
            </SelectField>
            {(
              [
                ["noData", "No data in any SLO"],
                ["unknownService", "Unknown service"],
                ["unknownEnvironment", "Unknown environment"],
              ] as const
            ).map(([k, label]) => (
              <SelectField key={k} id={`pol-${k}`} name={k} label={label} defaultValue={p[k]} error={e(k)}>
                {gateDecisions.map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </SelectField>
            ))}
            <Field id="pol-gated" name="gated" label="Gated environments" hint="comma-separated" defaultValue={p.environments.gated.join(", ")} error={e("environments.gated") ?? e("environments.gated.0")} />
            <Field id="pol-ungated" name="ungated" label="Ungated environments" hint="deployed to freely" defaultValue={p.environments.ungated.join(", ")} error={e("environments.ungated") ?? e("environments.ungated.0")} />
            <Field id="pol-max" name="maxOverrideHours" label="Longest override (hours)" inputMode="numeric" defaultValue={String(p.maxOverrideHours)} error={e("maxOverrideHours")} />
          </div>
          <label>
            <input type="checkbox" name="missingPostmortem" defaultChecked={p.missingPostmortemBlocksFeatures} /> A required postmortem not yet published blocks feature deploys
          </label>
          <label>
            <input type="checkbox" name="selfApproval" defaultChecked={p.selfApproval} /> Authors may approve their own postmortems (for a team of one)
          </label>
          <div className="grid-2">
            <SelectField id="pol-late-p0" name="overdueP0Action" label="Feature deploys while a P0 action item is overdue" defaultValue={p.overdueP0.action} error={e("overdueP0.action")}>
              <option value="off">Not judged</option>
              <option value="warn">Warn</option>
              <option value="deny">Deny</option>
            </SelectField>
            <Field id="pol-late-days" name="overdueP0Days" label="…by more than (days)" inputMode="numeric" defaultValue={String(p.overdueP0.afterDays)} error={e("overdueP0.afterDays")} />
          </div>
        </ApiForm>
      ) : (
        <PolicySummary policy={p} />
      )}
      {canManage && service && !current.data.inherited ? (
        <p>
          <button
            type="button"
            className="secondary"
            disabled={resetting}
            onClick={() => {
              setResetting(true);
              if (!window.confirm("Go back to the team's policy? This service's own settings stop applying at once (they stay in the history).")) return setResetting(false);
              void api<PolicyView>(`${path}?baseVersion=${current.data.editVersion}`, { method: "DELETE" })
                .then(done, (err: unknown) => f.setErrors({ form: err instanceof Error ? err.message : "could not reset", stale: "true" }))
                .finally(() => setResetting(false));
            }}
          >
            Go back to the team&apos;s policy
          </button>
        </p>
      ) : null}
      <PolicyHistory team={team} service={service} />
    </>
  );
}

function PolicySummary({ policy: p }: { policy: Policy }) {
  return (
    <ul className="card plain-list small">
      <li>
        Caution at or below {percentOf(p.thresholds.caution)}%, freeze below {percentOf(p.thresholds.freeze)}%, halted at 0%.
      </li>
      <li>Freeze allows: {p.allowed.freeze.join(", ") || "nothing"}. Halted allows: {p.allowed.halted.join(", ") || "nothing"}.</li>
      <li>
        Feature deploys in caution: {p.cautionFeatures}. No data: {p.noData}. Unknown service: {p.unknownService}. Unknown environment: {p.unknownEnvironment}.
      </li>
      <li>
        Gated: {p.environments.gated.join(", ")}; ungated: {p.environments.ungated.join(", ") || "none"}. Longest override {p.maxOverrideHours} h.
      </li>
      <li>Authors {p.selfApproval ? "may" : "may not"} approve their own postmortems.</li>
      <li>{p.overdueP0.action === "off" ? "Overdue P0 action items do not hold feature deploys." : `Feature deploys ${p.overdueP0.action === "deny" ? "are denied" : "warn"} while a P0 action item of the service is more than ${p.overdueP0.afterDays} days overdue.`}</li>
    </ul>
  );
}

function PolicyHistory({ team, service }: { team: string; service?: string }) {
  const history = useQuery({ queryKey: ["policy", team, service ?? "", "history"], queryFn: () => api<PolicyVersionView[]>(`/api/v1/teams/${team}/policy/history${service ? `?service=${service}` : ""}`) });
  const versions = history.data ?? [];
  if (versions.length === 0) return null;
  return (
    <details>
      <summary>Policy history ({versions.length} {versions.length === 1 ? "version" : "versions"})</summary>
      <ol className="card plain-list small">
        {versions.map((v, i) => {
          const previous = versions.slice(i + 1).find((x) => x.scope === v.scope && x.service === v.service);
          const changes = v.policy && previous?.policy ? describePolicyChanges(previous.policy, v.policy) : null;
          return (
            <li key={v.id}>
              <strong>
                {v.scope === "team" ? "Team" : `Service ${v.service}`} version {v.version}
              </strong>{" "}
              · <Time at={v.createdAt} /> · {v.createdBy ?? "someone since removed"}
              <div className="muted">{v.policy === null ? "back to the team's policy" : changes === null ? "first version" : changes.length ? changes.join("; ") : "saved unchanged"}</div>
            </li>
          );
        })}
      </ol>
    </details>
  );
}
