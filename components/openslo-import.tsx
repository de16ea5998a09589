"use client";
// Import OpenSLO v1 YAML (SLO as code): paste it or pick a file; all or nothing.
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ApiErrorBody } from "./api";

export function OpenSloImport({ team }: { team: string }) {
  const router = useRouter();
  const [yaml, setYaml] = useState("");
  const [result, setResult] = useState<{ ok: true; text: string } | { ok: false; text: string; fields: [string, string][] } | null>(null);
  const [pending, setPending] = useState(false);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!yaml.trim()) return setResult({ ok: false, text: "Paste OpenSLO YAML or pick a file first.", fields: [] });
    setPending(true);
    try {
      const res = await fetch(`/api/v1/teams/${team}/openslo`, { method: "POST", headers: { "content-type": "application/yaml" }, body: yaml, credentials: "same-origin" });
      const body = (await res.json().catch(() => null)) as ({ services: number; slis: number; slos: number } & Partial<ApiErrorBody>) | null;
      if (res.ok && body) {
        setResult({ ok: true, text: `Imported ${body.services} services, ${body.slis} SLIs and ${body.slos} SLOs.` });
        router.refresh();
      } else setResult({ ok: false, text: body?.error?.message ?? `Import failed (HTTP ${res.status}).`, fields: Object.entries(body?.error?.fields ?? {}) });
    } finally {
      setPending(false);
    }
  }
  return (
    <form className="stack card" aria-label="Import OpenSLO" onSubmit={(e) => void submit(e)}>
      <div>
        <label htmlFor="openslo-file">OpenSLO v1 file</label>
        <input id="openslo-file" type="file" accept=".yaml,.yml,application/yaml,text/yaml" onChange={(e) => void e.target.files?.[0]?.text().then(setYaml)} />
      </div>
      <div>
        <label htmlFor="openslo-yaml">
          or paste YAML <span className="hint">Service, SLI and SLO documents; existing ones are updated by name</span>
        </label>
        <textarea id="openslo-yaml" className="mono" rows={8} value={yaml} onChange={(e) => setYaml(e.target.value)} />
      </div>
      {result ? (
        result.ok ? (
          <p className="notice" role="status">
            {result.text}
          </p>
        ) : (
          <div className="alert" role="alert">
            <p>{result.text}</p>
            {result.fields.length ? (
              <ul>
                {result.fields.map(([k, v]) => (
                  <li key={k}>
                    <span className="mono">{k}</span>: {v}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        )
      ) : null}
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Importing…" : "Import"}
        </button>
      </div>
    </form>
  );
}
