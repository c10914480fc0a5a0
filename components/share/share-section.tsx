import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { isStaff } from "@/lib/core/roles";
import { env } from "@/lib/env";
import { isSignedOff, listActiveShares } from "@/lib/shares/service";
import { SharePanel } from "./share-panel";

/**
 * The share panel with its initial data, for the analysis page: `<ShareSection analysisId={id} user={user} />`.
 * Renders nothing for non-staff. Keyed by sign-off state so a refresh after sign-off remounts it.
 */
export async function ShareSection({ analysisId, user }: { analysisId: string; user: Principal }) {
  if (!isStaff(user)) return null;
  const signedOff = await isSignedOff(analysisId);
  const shares = signedOff ? await listActiveShares(user, analysisId) : [];
  return (
    <SharePanel
      key={signedOff ? "signed" : "unsigned"}
      analysisId={analysisId}
      signedOff={signedOff}
      initialShares={shares}
      defaultDays={env.SHARE_LINK_DAYS}
    />
  );
}
