"use client";
// SLO as code in the browser: pick OpenSLO or Sloth files (or paste YAML), see the plan (what
// would be created, changed field by field, or pruned), then apply it. The plan comes first, so
// nothing changes until the person has read what will.
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { api, ApiError } from "./api";
import type { DefinitionChangeView as DefinitionChange, DefinitionPlanView as DefinitionsAnswer } from "@/lib/schemas/definitions";

type Files = { name: string; content: string }[];
type Refusal = { message: string; fields: [string, string][] };

const verb = { create: "Create", change: "Change", delete: "Archive" } as const;
const kindLabel = { "data-source": "data source", service: "service", sli: "SLI", slo: "SLO" } as const;

export function DefinitionsImport({ team }: { team: string }) {
  const router = useRouter();
  const id = useId();
  const [picked, setPicked] = useState<Files>([]);
  const [pasted, setPasted] = useState("");
  const [prune, setPrune] = useState(false);
  const [plan, setPlan] = useState<DefinitionsAnswer | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [pending, setPending] = useState<"plan" | "apply" | null>(null);

  const files = (): Files => [...picked, ...(pasted.trim() ? [{ name: "pasted.yaml", content: pasted }] : [])];
  // Any edit to the input makes the shown plan stale: it must be planned again before applying.
  const edited = () => {
    setPlan(null);
    setRefusal(null);
  };

  async function call(step: "plan" | "apply") {
    const f = files();
    if (f.length === 0) return setRefusal({ message: "Pick OpenSLO or Sloth files, or paste YAML, first.", fields: [] });
    setPending(step);
    setRefusal(null);
    try {
      const answer = await api<DefinitionsAnswer>(`/api/v1/teams/${team}/definitions/${step}`, { method: "POST", body: { files: f, prune } });
      setPlan(answer);
      if (answer.applied) router.refresh();
    } catch (e) {
      setPlan(null);
      setRefusal(e instanceof ApiError ? { message: e.message, fields: Object.entries(e.fields) } : { message: "The server could not be reached; try again.", fields: [] });
    } finally {
      setPending(null);
    }
  }

  const changes = plan?.changes ?? [];
  return (
    <form className="stack card" aria-label="Import SLO definitions" onSubmit={(e) => (e.preventDefault(), void call("plan"))}>
      <div>
        <label htmlFor={`${id}-files`}>
          OpenSLO or Sloth files <span className="hint">OpenSLO v1 or v1alpha; Sloth prometheus/v1 or PrometheusServiceLevel</span>
        </label>
        <input
          id={`${id}-files`}
          type="file"
          multiple
          accept=".yaml,.yml,application/yaml,text/yaml"
          onChange={(e) => {
            edited();
            void Promise.all([...(e.target.files ?? [])].map(async (f) => ({ name: f.name, content: await f.text() }))).then(setPicked);
          }}
        />
      </div>
      <div>
        <label htmlFor={`${id}-yaml`}>
          or paste YAML <span className="hint">existing definitions are updated by name</span>
        </label>
        <textarea
          id={`${id}-yaml`}
          className="mono"
          rows={8}
          value={pasted}
          onChange={(e) => {
            edited();
            setPasted(e.target.value);
          }}
        />
      </div>
      <label>
        <input
          type="checkbox"
          checked={prune}
          onChange={(e) => {
            edited();
            setPrune(e.target.checked);
          }}
        />{" "}
        Archive what an earlier import created and these files no longer hold
      </label>
      {refusal ? (
        <div className="alert" role="alert">
          <p>{refusal.message}</p>
          {refusal.fields.length ? (
            <ul>
              {refusal.fields.map(([k, v]) => (
                <li key={k}>
                  <span className="mono">{k}</span>: {v}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {plan ? <PlanView plan={plan} /> : null}
      <div className="row">
        <button type="submit" disabled={pending !== null}>
          {pending === "plan" ? "Planning…" : "Preview changes"}
        </button>
        {plan && !plan.applied && changes.length > 0 ? (
          <button type="button" disabled={pending !== null} onClick={() => void call("apply")}>
            {pending === "apply" ? "Applying…" : `Apply ${changes.length} change${changes.length === 1 ? "" : "s"}`}
          </button>
        ) : null}
      </div>
    </form>
  );
}

function PlanView({ plan }: { plan: DefinitionsAnswer }) {
  const { changes, unchanged, kept, warnings, applied } = plan;
  return (
    <section aria-live="polite" className={applied ? "notice" : undefined} role={applied ? "status" : undefined}>
      <p>
        <strong>{applied ? `Applied ${changes.length} change${changes.length === 1 ? "" : "s"}.` : changes.length ? `${changes.length} change${changes.length === 1 ? "" : "s"} to apply:` : "Nothing to change: the team already matches these files."}</strong>{" "}
        {unchanged ? <span className="muted">{unchanged} unchanged.</span> : null}
      </p>
      {changes.length ? (
        <ul className="plain-list">
          {changes.map((c) => (
            <ChangeLine key={`${c.action}-${c.kind}-${c.name}`} change={c} />
          ))}
        </ul>
      ) : null}
      {kept.length ? (
        <div role="note">
          <p>Kept as set in Burnrate</p>
          <ul>
            {kept.map((k) => (
              <li key={k.name}>{k.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {warnings.length ? (
        <div role="note">
          <p>Warnings</p>
          <ul>
            {warnings.map((w, i) => (
              <li key={i}>
                <span className="mono">{[w.file, w.document].filter(Boolean).join(": ")}</span>: {w.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function ChangeLine({ change }: { change: DefinitionChange }) {
  return (
    <li>
      <strong>{verb[change.action]}</strong> {kindLabel[change.kind]} <span className="mono">{change.name}</span>
      {change.fields?.length ? (
        <ul className="small">
          {change.fields.map((f) => (
            <li key={f.field}>
              <span className="mono">{f.field}</span>: {show(f.old)} → {show(f.new)}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function show(v: unknown): string {
  if (v === null || v === undefined) return "none";
  return typeof v === "string" ? v : JSON.stringify(v);
}
