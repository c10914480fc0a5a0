import { requireUser } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/core/roles";

// Staff-only, checked above the page's loading boundary so that others get a real HTTP 403 (see
// app/(app)/analyses/layout.tsx). The page checks again.
export default async function HistoryLayout({ children }: { children: React.ReactNode }) {
  await requireUser(STAFF_ROLES);
  return children;
}
