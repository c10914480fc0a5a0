import { redirect } from "next/navigation";
import { TwoFactorSetup } from "@/components/account/two-factor-setup";
import { PageHeader } from "@/components/ui/page-header";
import { requireSignedIn } from "@/lib/auth/guards";
import { secondFactorStatus } from "@/lib/sign-in/mfa/second-factor";
import { CHANGE_PASSWORD_PATH, mustChangePassword, mustEnrolSecondFactor } from "@/lib/auth/principal";
import { safeReturnPath, withReturnPath } from "@/lib/auth/return-path";

export const dynamic = "force-dynamic";
export const metadata = { title: "Two-factor sign-in" };

// Open to people who must still set up a second factor (every other page sends them here).
export default async function TwoFactorPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const me = await requireSignedIn();
  const { next } = await searchParams;
  const returnTo = safeReturnPath(typeof next === "string" ? next : null) ?? "/";
  if (mustChangePassword(me)) redirect(withReturnPath(CHANGE_PASSWORD_PATH, returnTo));
  const status = await secondFactorStatus(me.userId);
  return (
    <div className="mx-auto max-w-lg space-y-4 px-4 py-8" data-testid="two-factor-page">
      <PageHeader title="Two-factor sign-in" />
      {status.authMethod === "oidc" ? (
        <p className="text-sm text-zinc-300" data-testid="two-factor-sso">
          You sign in through your organisation&apos;s identity provider, which asks for your second factor.
        </p>
      ) : status.enrolled ? (
        <p className="text-sm text-zinc-300" data-testid="two-factor-enrolled">
          Your account asks for a code from your authenticator app at every sign-in. Recovery codes left: {status.recoveryCodesLeft}. If you lose
          the device, an administrator can reset your second factor.
        </p>
      ) : (
        <>
          {mustEnrolSecondFactor(me) && (
            <p role="alert" className="rounded-md border border-amber-500/60 bg-amber-950/40 p-3 text-sm text-amber-200" data-testid="must-enrol-second-factor">
              Your account needs a second factor. Set it up with an authenticator app before you continue.
            </p>
          )}
          <TwoFactorSetup returnTo={returnTo} />
        </>
      )}
    </div>
  );
}
