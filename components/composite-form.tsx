"use client";
// "New composite SLO" on a service page (docs/composite-slos.md): members as service/slo with a
// weight each (empty rows are left out), objective, window and the late-member rule. Errors are
// shown beside the field they name, members by row ("members.1.slo").
import { useRouter } from "next/navigation";
import { createCompositeSchema, MAX_COMPOSITE_MEMBERS } from "@/lib/schemas/composites";
import type { CompositeView } from "@/lib/schemas/composites";
import { whenDelayedModes } from "@/lib/domain/composite";
import { Field } from "./field";
import { ApiForm, num, SelectField, text, useApiForm } from "./form-kit";
const teamPath = (team: string) => `/api/v1/teams/${team}`;

const ROWS = 4;
const WHEN_DELAYED_LABELS: Record<(typeof whenDelayedModes)[number], string> = {
  ignore: "Left out: counted as missing (default)",
  count_as_good: "Counted as good",
  count_as_bad: "Counted as bad",
};

export function CompositeForm({ team, service, slos }: { team: string; service: string; slos: { service: string; slug: string; name: string }[] }) {
  const router = useRouter();
  const f = useApiForm<CompositeView>({
    path: `${teamPath(team)}/services/${service}/composites`,
    schema: createCompositeSchema,
    onDone: () => router.refresh(),
    created: (c) => ({ what: "composite SLO", name: c.slo.name, href: `/teams/${team}/services/${service}/slos/${c.slo.slug}` }),
  });
  const memberError = (i: number) => f.errors[`members.${i}.slo`] ?? f.errors[`members.${i}.service`] ?? (i === 0 ? f.errors.members : undefined);
  return (
    <ApiForm
      label="New composite SLO"
      form={f}
      toBody={(d) => {
        const members = Array.from({ length: ROWS }, (_, i) => ({ ref: text(d, `member-${i}`), weight: num(d, `weight-${i}`) }))
          .filter((m) => m.ref)
          .map((m) => {
            const [svc, slo] = m.ref!.includes("/") ? m.ref!.split("/", 2) : [undefined, m.ref];
            return { ...(svc ? { service: svc } : {}), slo, ...(m.weight !== undefined ? { weight: m.weight } : {}) };
          });
        return {
          slug: text(d, "slug"),
          name: text(d, "name"),
          objective: text(d, "objective"),
          window: { kind: "rolling", days: num(d, "days") },
          members,
          maxDelayMinutes: num(d, "maxDelayMinutes") ?? 10,
          whenDelayed: text(d, "whenDelayed") ?? "ignore",
        };
      }}
      submit="Create composite SLO"
      pendingText="Saving…"
    >
      <div className="grid-2">
        <Field id="composite-name" name="name" label="Name" hint="e.g. Checkout journey" error={f.errors.name} required />
        <Field id="composite-slug" name="slug" label="Short name" hint="lowercase, e.g. checkout-journey" error={f.errors.slug} required />
      </div>
      <datalist id="composite-member-options">
        {slos.map((s) => (
          <option key={`${s.service}/${s.slug}`} value={`${s.service}/${s.slug}`}>
            {s.name}
          </option>
        ))}
      </datalist>
      <fieldset>
        <legend>Members (up to {MAX_COMPOSITE_MEMBERS}; each minute their burn rates are averaged by weight)</legend>
        {Array.from({ length: ROWS }, (_, i) => (
          <div className="grid-2" key={i}>
            <Field id={`composite-member-${i}`} name={`member-${i}`} label={`Member ${i + 1}`} hint="service/slo, e.g. cart/availability-999" list="composite-member-options" error={memberError(i)} />
            <Field id={`composite-weight-${i}`} name={`weight-${i}`} label={`Weight of member ${i + 1}`} hint="default 1" inputMode="decimal" error={f.errors[`members.${i}.weight`]} />
          </div>
        ))}
      </fieldset>
      <div className="grid-2">
        <Field id="composite-objective" name="objective" label="Objective" hint='"99.5%" or "0.995"' error={f.errors.objective} required />
        <Field id="composite-days" name="days" label="Rolling window, days" inputMode="numeric" defaultValue="28" error={f.errors["window.days"] ?? f.errors.window} />
      </div>
      <div className="grid-2">
        <Field id="composite-delay" name="maxDelayMinutes" label="Wait for a late member, minutes" hint="0 to 1440" inputMode="numeric" defaultValue="10" error={f.errors.maxDelayMinutes} />
        <SelectField id="composite-when-delayed" name="whenDelayed" label="Then a member still without data is" error={f.errors.whenDelayed}>
          {whenDelayedModes.map((m) => (
            <option key={m} value={m}>
              {WHEN_DELAYED_LABELS[m]}
            </option>
          ))}
        </SelectField>
      </div>
    </ApiForm>
  );
}
