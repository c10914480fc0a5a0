import { headers } from "next/headers";
import { PatientReport } from "@/components/share/patient-report";
import { notFoundOnMissing } from "@/lib/api/page-errors";
import { requireUser } from "@/lib/auth/guards";
import { openSharedReport, sharedReportLinks } from "@/lib/shares/patient-view";
import { requireRecipientShare } from "@/lib/shares/recipient";
import { PATIENT_ROLES } from "@/lib/core/roles";

// The same plain-language report as a share link shows, for a signed-in patient it was addressed to.
export const dynamic = "force-dynamic";
export const metadata = { title: "Your chest X-ray report", robots: { index: false, follow: false }, referrer: "no-referrer" };

export default async function MyReportPage({ params }: { params: Promise<{ shareId: string }> }) {
  const user = await requireUser(PATIENT_ROLES);
  const { shareId } = await params;
  const share = await requireRecipientShare(user, shareId).catch(notFoundOnMissing);
  const report = await openSharedReport({ share, viewer: user, headers: new Headers(await headers()) }).catch(notFoundOnMissing);
  return (
    <div className="min-h-dvh bg-slate-50 text-slate-800" style={{ colorScheme: "light" }}>
      <PatientReport report={report} expiresAt={share.expiresAt} links={await sharedReportLinks(`/my-reports/${share.id}`, report)} />
    </div>
  );
}
