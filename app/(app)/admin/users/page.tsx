import { UsersPanel } from "@/components/admin/users-panel";
import { requireUser } from "@/lib/auth/guards";
import { listUsers } from "@/lib/users/service";
import { ADMIN_ROLES } from "@/lib/core/roles";

export const dynamic = "force-dynamic";
export const metadata = { title: "Users · Administration" };

export default async function AdminUsersPage() {
  const me = await requireUser(ADMIN_ROLES);
  const users = await listUsers();
  return (
    <section className="space-y-2" data-testid="admin-users-page">
      <p className="text-xs text-zinc-400">
        Roles: admins run the service, radiologists read and review studies, patients see only reports shared with them. Disabling,
        a role change or a password reset ends the person&apos;s sessions at once. The last active admin cannot be disabled or demoted.
      </p>
      <UsersPanel users={users} currentUserId={me.userId} />
    </section>
  );
}
