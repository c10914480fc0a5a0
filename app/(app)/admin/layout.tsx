import { AdminNav } from "@/components/admin/admin-nav";
import { requireUser } from "@/lib/auth/guards";
import { ADMIN_ROLES } from "@/lib/core/roles";
import { PageHeader } from "@/components/ui/page-header";

// Every admin page also calls requireUser(["admin"]) itself: a layout is not re-run on every
// navigation, so it cannot be the only guard.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireUser(ADMIN_ROLES);
  return (
    <div className="min-h-[calc(100dvh-4rem)] space-y-4 bg-zinc-950 px-4 py-4 text-zinc-100 sm:px-6" data-testid="admin-shell">
      <PageHeader title="Administration" actions={<AdminNav />} />
      {children}
    </div>
  );
}
