import { requireUser } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/core/roles";

// Results are staff-only. The check sits in this layout, above the page's loading boundary, so that a
// patient gets a real HTTP 403 before anything streams (a page inside Suspense could only answer 200).
// The page checks again: layouts are not re-run on every client-side navigation.
export default async function AnalysesLayout({ children }: { children: React.ReactNode }) {
  await requireUser(STAFF_ROLES);
  return children;
}
