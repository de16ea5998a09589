"use client";
// Editing a grouped SLO (docs/grouped-slos.md): its name, template (objective, window, low-traffic
// guard), member cap and idle age-out. A template change rewrites every member, live or aged out,
// so the form says how many and asks first, in the one confirm frame (confirm-dialog.tsx).
import { WindowFields, windowFromForm } from "./window-fields";
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { formatCount, formatObjective } from "@/lib/domain/format";
import { updateGroupSchema, type GroupView } from "@/lib/schemas/slo-groups";
import { ConfirmDialog } from "./confirm-dialog";
import { Field } from "./field";
import { FormError, num, text, TextAreaField, useApiForm } from "./form-kit";

type WindowKind = "rolling" | "calendar";

export const membersPhrase = (n: number) => `${formatCount(n)} member${n === 1 ? "" : "s"}`;

/** The template fields as the form sends them, to tell whether a save rewrites the members. */
function templateOf(body: Record<string, unknown>) {
  return JSON.stringify([body.objective, body.window, body.minEvents]);
}

export function GroupEditForm({ team, service, group }: { team: string; service: string; group: GroupView }) {
  const router = useRouter();
  const qc = useQueryClient();
  const submitRef = useRef<HTMLButtonElement>(null);
  const [windowKind, setWindowKind] = useState<WindowKind>(group.window.kind);
  const [asking, setAsking] = useState<Record<string, unknown> | null>(null);
  const [saved, setSaved] = useState(false);
  const f = useApiForm<GroupView>({
    path: `/api/v1/teams/${encodeURIComponent(team)}/services/${encodeURIComponent(service)}/groups/${encodeURIComponent(group.slug)}`,
    method: "PATCH",
    schema: updateGroupSchema,
    onDone: () => {
      setSaved(true);
      void qc.invalidateQueries();
      router.refresh();
    },
  });
  const members = group.memberCount.live + group.memberCount.archived;
  const initial = {
    objective: formatObjective(group.objective),
    window: group.window.kind === "rolling" ? { kind: "rolling", days: group.window.days } : { kind: "calendar", unit: group.window.unit, timeZone: group.window.timeZone },
    minEvents: group.minEvents,
  };
  const toBody = (d: FormData): Record<string, unknown> => ({
    name: text(d, "name"),
    description: text(d, "description") ?? "",
    objective: text(d, "objective"),
    window: windowFromForm(d, windowKind),
    minEvents: num(d, "minEvents") ?? 0,
    maxMembers: num(d, "maxMembers"),
    idleDays: num(d, "idleDays"),
    baseUpdatedAt: group.updatedAt,
  });
  const send = async (body: unknown) => {
    setSaved(false);
    await f.submit(body);
  };
  return (
    <>
      <form
        className="stack card"
        aria-label="Edit grouped SLO"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const body = toBody(new FormData(e.currentTarget));
          // Invalid input is reported by field first; only a valid template change asks.
          if (!updateGroupSchema.safeParse(body).success || members === 0 || templateOf(body) === templateOf(initial)) void send(body);
          else setAsking(body);
        }}
      >
        <p role="status" className={saved ? "notice" : "visually-hidden"}>
          {saved ? "Saved." : ""}
        </p>
        <FormError errors={f.errors} onReload={() => (f.setErrors({}), void qc.invalidateQueries(), router.refresh())} />
        <p className="muted" id="group-edit-scope">
          The objective, window and minimum events apply to all {membersPhrase(members)} of the group ({group.memberCount.live} live, {group.memberCount.archived} aged out); each member&rsquo;s definition history records the change.
        </p>
        <div className="grid-2">
          <Field id="group-edit-name" name="name" label="Name" defaultValue={group.name} error={f.errors.name} required />
          <Field id="group-edit-objective" name="objective" label="Objective" hint='"99.9%" or "0.999"' defaultValue={initial.objective} error={f.errors.objective} required />
        </div>
        <WindowFields prefix="group-edit" kind={windowKind} onKind={setWindowKind} initial={group.window} defaultDays={28} errors={f.errors} />
        <div className="grid-2">
          <Field id="group-edit-min-events" name="minEvents" label="Minimum events to alert" hint="an alert window with fewer events stays quiet; 0: no minimum" inputMode="numeric" defaultValue={String(group.minEvents)} error={f.errors.minEvents} />
          <Field id="group-edit-max" name="maxMembers" label="Most members" hint="new values over it are refused (at most 1,000)" inputMode="numeric" defaultValue={String(group.maxMembers)} error={f.errors.maxMembers} />
        </div>
        <Field id="group-edit-idle" name="idleDays" label="Archive idle members after (days)" hint="1 to 90; data arriving again restores them" inputMode="numeric" defaultValue={String(group.idleDays)} error={f.errors.idleDays} />
        <TextAreaField id="group-edit-description" name="description" label="Description" hint="optional" rows={2} defaultValue={group.description} error={f.errors.description} />
        <div>
          <button type="submit" ref={submitRef} disabled={f.pending}>
            {f.pending ? "Saving…" : "Save changes"}
          </button>
        </div>
      </form>
      {asking ? (
        <ConfirmDialog
          title={`Change ${membersPhrase(members)}?`}
          confirmLabel={`Change ${membersPhrase(members)}`}
          onConfirm={() => send(asking)}
          onClose={() => {
            setAsking(null);
            submitRef.current?.focus();
          }}
        >
          <p>
            The new objective, window or minimum events replace those of every member of {group.name}: {group.memberCount.live} live and {group.memberCount.archived} aged out. Their status, budgets and alerts are judged by the new
            template from now on, and each member&rsquo;s definition history gets a new version.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
