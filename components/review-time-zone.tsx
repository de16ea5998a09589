"use client";
// The time zone a team's review periods are cut in (team admins): a month starts at local midnight there.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { reviewSettingsSchema } from "@/lib/schemas/reviews";
import { FormError, useApiForm } from "./form-kit";

export function ReviewTimeZone({ team, timeZone }: { team: string; timeZone: string }) {
  const router = useRouter();
  const [value, setValue] = useState(timeZone);
  const [saved, setSaved] = useState(false);
  const form = useApiForm<{ timeZone: string }>({ path: `/api/v1/teams/${team}/review-settings`, method: "PUT", schema: reviewSettingsSchema, onDone: () => (setSaved(true), router.refresh()) });
  return (
    <form
      className="row"
      aria-label="Review time zone"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        void form.submit({ timeZone: value });
      }}
    >
      <FormError errors={form.errors} />
      <label htmlFor="review-tz">Periods in the time zone</label>
      <input id="review-tz" value={value} onChange={(e) => setValue(e.target.value)} size={20} aria-invalid={form.errors.timeZone ? true : undefined} aria-describedby={form.errors.timeZone ? "review-tz-error" : undefined} />
      <button type="submit" className="secondary" disabled={form.pending}>
        Set
      </button>
      {form.errors.timeZone ? (
        <span className="field-error" id="review-tz-error">
          {form.errors.timeZone}
        </span>
      ) : null}
      <span role="status" className="small muted">
        {saved ? "Saved." : ""}
      </span>
    </form>
  );
}
