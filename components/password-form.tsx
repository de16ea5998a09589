"use client";
// Changing one's own password. Every other session ends with it (a copied cookie stops working);
// this browser stays signed in.
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { changePasswordSchema } from "@/lib/schemas/auth";
import { ApiForm, useApiForm } from "./form-kit";
import { Field } from "./field";

export function PasswordForm() {
  const router = useRouter();
  const [done, setDone] = useState<string | null>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const form = useApiForm<{ sessionsEnded: number }>({
    path: "/api/v1/me/password",
    method: "PUT",
    schema: changePasswordSchema,
    onDone: (r) => {
      setDone(`Password changed.${r.sessionsEnded ? ` ${r.sessionsEnded} other session${r.sessionsEnded === 1 ? " was" : "s were"} signed out.` : ""}`);
      wrap.current?.querySelector("form")?.reset();
      router.refresh();
    },
  });
  return (
    <div ref={wrap}>
      {done ? <p role="status">{done}</p> : null}
      <ApiForm
        label="Change password"
        form={form}
        toBody={(d) => ({ currentPassword: d.get("currentPassword") ?? "", newPassword: d.get("newPassword") ?? "" })}
        submit="Change password"
        pendingText="Changing…"
        confirm="Change your password? Your other sessions will be signed out."
      >
        <Field id="current-password" name="currentPassword" type="password" label="Current password" autoComplete="current-password" error={form.errors.currentPassword} />
        <Field id="new-password" name="newPassword" type="password" label="New password" hint="at least 12 characters" autoComplete="new-password" error={form.errors.newPassword} />
      </ApiForm>
    </div>
  );
}
