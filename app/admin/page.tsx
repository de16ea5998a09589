import { redirect } from "next/navigation";
import { AdminForms } from "@/components/admin-forms";
import { AdminUsers } from "@/components/admin-users";
import { requirePageUser } from "@/lib/server/pages";
import { listUsers } from "@/lib/server/services/users";

export const dynamic = "force-dynamic";
export const metadata = { title: "Admin" };

export default async function AdminPage() {
  const { user, actor } = await requirePageUser();
  if (!user.isSiteAdmin) redirect("/");
  const users = await listUsers(actor);
  return (
    <>
      <h1>Site administration</h1>
      <p className="lede">Create teams and add people who sign in with a password. People who use single sign-on appear here after their first sign-in.</p>
      <AdminForms />
      <h2 id="people">People</h2>
      <AdminUsers users={users} me={user.id} />
    </>
  );
}
