import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SsoButton } from "@/components/auth/sso-button";
import { Alert } from "@/components/ui/alert";
import { currentUser } from "@/lib/auth/guards";
import { ssoErrorMessage } from "@/lib/sign-in/oidc/refusals";
import { safeReturnPath } from "@/lib/auth/return-path";
import { signInMethods } from "@/lib/sign-in/sign-in-methods";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

type Params = { next?: string | string[]; error?: string | string[]; local?: string | string[] };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Params> }) {
  const { next, error, local } = await searchParams;
  const returnTo = safeReturnPath(typeof next === "string" ? next : null) ?? "/";
  if (await currentUser()) redirect(returnTo);
  const methods = signInMethods();
  // With local passwords off the form is still one link away, for the break-glass admin.
  const showPasswords = methods.passwords || local === "1" || !methods.sso;
  const ssoError = ssoErrorMessage(typeof error === "string" ? error : null);
  return (
    <main className="flex min-h-dvh items-center justify-center px-4">
      <div className="w-full max-w-sm space-y-6">
        <div className="space-y-1 text-center">
          <p className="text-xs font-semibold uppercase tracking-[0.2em] text-sky-400">CXR Assist</p>
          <h1 className="text-2xl font-semibold">Sign in</h1>
          <p className="text-sm text-zinc-400">Chest radiograph AI for radiology teams.</p>
        </div>
        {ssoError && (
          <Alert tone="danger" testId="sign-in-sso-error">
            {ssoError}
          </Alert>
        )}
        {methods.sso && <SsoButton name={methods.sso.name} returnTo={returnTo} />}
        {methods.sso && showPasswords && <p className="text-center text-xs text-zinc-500">or with a local account</p>}
        {showPasswords && <SignInForm returnTo={returnTo} />}
        {!showPasswords && (
          <p className="text-center text-xs text-zinc-500">
            <a href="/sign-in?local=1" className="underline hover:text-zinc-300" data-testid="sign-in-break-glass">
              Emergency access (local administrator)
            </a>
          </p>
        )}
      </div>
    </main>
  );
}
