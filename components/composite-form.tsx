"use client";
// "New composite SLO" on a service page, and "Edit members" on a composite's SLO page
// (docs/composite-slos.md): members as service/slo with a weight each (rows added and removed,
// empty rows left out), objective, rolling or calendar window, and the late-member rule. Errors
// are shown beside the field they name, members on the row they were typed in.
import { WindowFields, windowFromForm } from "./window-fields";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { createCompositeSchema, updateCompositeSchema } from "@/lib/schemas/composites";
import type { CompositeView } from "@/lib/schemas/composites";
import { whenDelayedModes } from "@/lib/domain/composite";
import { Field } from "./field";
import { ApiForm, num, SelectField, text, useApiForm } from "./form-kit";
import { MemberRows, useMemberRows } from "./composite-member-rows";
const teamPath = (team: string) => `/api/v1/teams/${team}`;

const ROWS = 4;
const WHEN_DELAYED_LABELS: Record<(typeof whenDelayedModes)[number], string> = {
  ignore: "Left out: counted as missing (default)",
  count_as_good: "Counted as good",
  count_as_bad: "Counted as bad",
};

type Suggestion = { service: string; slug: string; name: string };

function MemberOptions({ id, slos }: { id: string; slos: readonly Suggestion[] }) {
  return (
    <datalist id={id}>
      {slos.map((s) => (
        <option key={`${s.service}/${s.slug}`} value={`${s.service}/${s.slug}`}>
          {s.name}
        </option>
      ))}
    </datalist>
  );
}

function LateRuleFields({ prefix, errors, maxDelayMinutes = 10, whenDelayed = "ignore" }: { prefix: string; errors: Record<string, string>; maxDelayMinutes?: number; whenDelayed?: string }) {
  return (
    <div className="grid-2">
      <Field id={`${prefix}-delay`} name="maxDelayMinutes" label="Wait for a late member, minutes" hint="0 to 1440" inputMode="numeric" defaultValue={String(maxDelayMinutes)} error={errors.maxDelayMinutes} />
      <SelectField id={`${prefix}-when-delayed`} name="whenDelayed" label="Then a member still without data is" defaultValue={whenDelayed} error={errors.whenDelayed}>
        {whenDelayedModes.map((m) => (
          <option key={m} value={m}>
            {WHEN_DELAYED_LABELS[m]}
          </option>
        ))}
      </SelectField>
    </div>
  );
}

export function CompositeForm({ team, service, slos }: { team: string; service: string; slos: Suggestion[] }) {
  const router = useRouter();
  const [windowKind, setWindowKind] = useState<"rolling" | "calendar">("rolling");
  const rows = useMemberRows([], ROWS);
  const f = useApiForm<CompositeView>({
    path: `${teamPath(team)}/services/${service}/composites`,
    schema: createCompositeSchema,
    onDone: () => router.refresh(),
    created: (c) => ({ what: "composite SLO", name: c.slo.name, href: `/teams/${team}/services/${service}/slos/${c.slo.slug}` }),
  });
  return (
    <ApiForm
      label="New composite SLO"
      form={f}
      toBody={(d) => ({
        slug: text(d, "slug"),
        name: text(d, "name"),
        objective: text(d, "objective"),
        window: windowFromForm(d, windowKind),
        members: rows.fromForm(d),
        maxDelayMinutes: num(d, "maxDelayMinutes") ?? 10,
        whenDelayed: text(d, "whenDelayed") ?? "ignore",
      })}
      submit="Create composite SLO"
      pendingText="Saving…"
    >
      <div className="grid-2">
        <Field id="composite-name" name="name" label="Name" hint="e.g. Checkout journey" error={f.errors.name} required />
        <Field id="composite-slug" name="slug" label="Short name" hint="lowercase, e.g. checkout-journey" error={f.errors.slug} required />
      </div>
      <MemberOptions id="composite-member-options" slos={slos} />
      <MemberRows prefix="composite" state={rows} errors={f.errors} options="composite-member-options" />
      <Field id="composite-objective" name="objective" label="Objective" hint='"99.5%" or "0.995"' error={f.errors.objective} required />
      <WindowFields prefix="composite" kind={windowKind} onKind={setWindowKind} initial={null} defaultDays={28} errors={f.errors} />
      <LateRuleFields prefix="composite" errors={f.errors} />
    </ApiForm>
  );
}

/** Replaces a composite's members and late rule (PUT …/composite): a new definition version, from now on. */
export function CompositeMembersForm({ team, service, composite, slos }: { team: string; service: string; composite: CompositeView; slos: Suggestion[] }) {
  const router = useRouter();
  const rows = useMemberRows(
    composite.members.map((m) => ({ ref: `${m.service}/${m.slo}`, weight: String(m.weight) })),
    1,
  );
  const f = useApiForm<CompositeView>({
    path: `${teamPath(team)}/services/${service}/slos/${composite.slo.slug}/composite`,
    method: "PUT",
    schema: updateCompositeSchema,
    onDone: () => router.refresh(),
  });
  return (
    <ApiForm
      label="Edit members"
      form={f}
      confirm="Replace the members and the late rule? The change applies from now on: minutes already computed keep the members they were computed with, and the change is recorded as a new version in the definition history."
      onReload={() => (f.setErrors({}), router.refresh())}
      toBody={(d) => ({
        members: rows.fromForm(d),
        maxDelayMinutes: num(d, "maxDelayMinutes") ?? composite.maxDelayMinutes,
        whenDelayed: text(d, "whenDelayed") ?? composite.whenDelayed,
        baseUpdatedAt: composite.slo.updatedAt,
      })}
      submit="Save members"
      pendingText="Saving…"
    >
      <MemberOptions id="composite-edit-member-options" slos={slos} />
      <MemberRows prefix="composite-edit" state={rows} errors={f.errors} options="composite-edit-member-options" />
      <LateRuleFields prefix="composite-edit" errors={f.errors} maxDelayMinutes={composite.maxDelayMinutes} whenDelayed={composite.whenDelayed} />
    </ApiForm>
  );
}
