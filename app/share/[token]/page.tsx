import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AccessCodeForm } from "@/components/share/access-code-form";
import { PatientReport } from "@/components/share/patient-report";
import { AppError } from "@/lib/core/errors";
import { notFoundOnMissing } from "@/lib/api/page-errors";
import { SHARE_ACCESS_COOKIE } from "@/lib/shares/access-cookie";
import { openSharedReport, sharedReportLinks } from "@/lib/shares/patient-view";
import { hasShareAccess, resolveShareToken } from "@/lib/shares/resolve";
import type { Share } from "@/lib/db/schema";

// The patient's report behind a share link. The token in the URL is the credential (only its hash is
// stored); nothing on this page links into the rest of the app. Every view is audited by share id.
export const dynamic = "force-dynamic";

async function shareOrExit(token: string): Promise<Share> {
  try {
    return await resolveShareToken(token);
  } catch (error) {
    if (error instanceof AppError && error.code === "gone") redirect(error.extra.subcode === "share_erased" ? "/share/expired?removed" : "/share/expired");
    notFoundOnMissing(error);
  }
}

export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const share = await shareOrExit(token);
  if (!hasShareAccess(share, (await cookies()).get(SHARE_ACCESS_COOKIE)?.value)) {
    return <AccessCodeForm token={token} />;
  }
  const report = await openSharedReport({ share, viewer: null, headers: new Headers(await headers()) }).catch(notFoundOnMissing);
  return <PatientReport report={report} expiresAt={share.expiresAt} links={await sharedReportLinks(`/share/${token}`, report)} />;
}
