import { redirect } from "next/navigation";
import { SetupForm } from "@/components/setup-form";
import { needsSetup } from "@/lib/server/services/users";

export const dynamic = "force-dynamic";
export const metadata = { title: "Set up" };

export default async function SetupPage() {
  if (!(await needsSetup())) redirect("/signin");
  return (
    <div className="card narrow">
      <h1>Welcome to Burnrate</h1>
      <p className="lede">Create the first administrator. There is no default account or password.</p>
      <SetupForm />
    </div>
  );
}
