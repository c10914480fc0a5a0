import { redirect } from "next/navigation";
import { UploadPanel } from "@/components/upload/upload-panel";
import { requireUser } from "@/lib/auth/guards";
import { env } from "@/lib/env";
import { PageHeader } from "@/components/ui/page-header";

export const dynamic = "force-dynamic";
export const metadata = { title: "Upload" };

export default async function UploadPage() {
  const user = await requireUser();
  if (user.role === "patient") redirect("/my-reports");
  return (
    <div className="mx-auto max-w-3xl space-y-6 px-4 py-8 sm:px-6" data-testid="upload-page">
      <PageHeader
        title="Upload studies"
        description={`Each file is checked, scored for 18 findings and added to the worklist. Files up to ${env.MAX_UPLOAD_MB} MB; frontal chest views give meaningful results.`}
      />
      <UploadPanel />
    </div>
  );
}
