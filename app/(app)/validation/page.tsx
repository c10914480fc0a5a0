import { SetList } from "@/components/validation/set-list";
import { CreateSetForm } from "@/components/validation/create-set-form";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/core/roles";
import { listSets } from "@/lib/validation/queries";

export const dynamic = "force-dynamic";
export const metadata = { title: "Validation" };

export default async function ValidationPage() {
  await requireUser(STAFF_ROLES);
  const sets = await listSets();
  return (
    <div className="space-y-4 px-4 py-4 sm:px-6" data-testid="validation-page">
      <PageHeader
        title="Local validation"
        description="How well does the model do on this site's own films? ROC, AUC with its DeLong interval and calibration per finding, on a labelled set or on signed-off reviews."
      />
      <Card title="New validation set">
        <CreateSetForm />
      </Card>
      <SetList sets={sets} />
    </div>
  );
}
