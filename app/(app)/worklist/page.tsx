import { WorklistQueryProvider } from "@/components/worklist/query-provider";
import { WorklistView } from "@/components/worklist/worklist-view";
import { requireUser } from "@/lib/auth/guards";
import { worklistFilterOptions } from "@/lib/worklist/query";
import { STAFF_ROLES } from "@/lib/core/roles";
import { PageHeader } from "@/components/ui/page-header";

export const dynamic = "force-dynamic";
export const metadata = { title: "Worklist" };

export default async function WorklistPage() {
  await requireUser(STAFF_ROLES);
  const options = await worklistFilterOptions();
  return (
    <div className="flex min-h-[calc(100dvh-4rem)] flex-col gap-4 bg-zinc-950 px-4 py-4 text-zinc-100 sm:px-6" data-testid="worklist-page">
      <PageHeader
        title="Worklist"
        description="Most urgent first, then newest. Triage comes from the AI and the site's thresholds; a radiologist decides."
      />
      <WorklistQueryProvider>
        <WorklistView labels={options.labels} uploaders={options.uploaders} />
      </WorklistQueryProvider>
    </div>
  );
}
