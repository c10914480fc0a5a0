import { ErasureForm } from "@/components/lifecycle/erasure-form";
import { HoldsPanel } from "@/components/lifecycle/holds-panel";
import { RetentionForm } from "@/components/lifecycle/retention-form";
import { requireUser } from "@/lib/auth/guards";
import { ADMIN_ROLES } from "@/lib/core/roles";
import { lifecycleView } from "@/lib/lifecycle/admin-service";

export const dynamic = "force-dynamic";
export const metadata = { title: "Data lifecycle" };

export default async function DataLifecyclePage() {
  await requireUser(ADMIN_ROLES);
  const view = await lifecycleView();
  return (
    <div className="max-w-5xl space-y-4" data-testid="data-lifecycle">
      <RetentionForm view={view} />
      <HoldsPanel holds={view.holds} />
      <ErasureForm />
    </div>
  );
}
