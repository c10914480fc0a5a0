import Link from "next/link";
import { AppNav } from "@/components/shell/app-nav";
import { ModelBanner } from "@/components/shell/model-banner";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { ReaderPreferencesProvider } from "@/components/viewer/reader-preferences";
import { requireSignedIn } from "@/lib/auth/guards";
import { mustChangePassword, mustEnrolSecondFactor } from "@/lib/auth/principal";
import { installedModel } from "@/lib/ops/installed-model";
import { isStaff } from "@/lib/core/roles";
import { getReaderPreferences } from "@/lib/users/preferences";

// The signed-in shell. Each page still calls requireUser itself (with its roles): a layout is not
// re-run on every navigation, so it cannot be the only guard. It lets people who must still replace a
// one-time password in, for the password page (every other page sends them there), without the
// navigation that would lead them nowhere else.
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireSignedIn();
  // Also while a required second factor is not set up: the navigation would lead nowhere else.
  const passwordPending = mustChangePassword(user) || mustEnrolSecondFactor(user);
  const model = await installedModel();
  const preferences = await getReaderPreferences(user.userId);
  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        data-testid="skip-link"
        className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-sky-700 focus:px-3 focus:py-2 focus:text-sm focus:font-semibold focus:text-white"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-zinc-800 bg-zinc-950/95 backdrop-blur">
        <div className="flex h-16 items-center gap-4 px-4 sm:px-6">
          <Link href="/" className="shrink-0 text-sm font-semibold tracking-wide text-white">
            CXR <span className="text-sky-400">Assist</span>
          </Link>
          {!passwordPending && <AppNav role={user.role} />}
          <div className="ml-auto flex shrink-0 items-center gap-3">
            <span className="hidden text-xs text-zinc-400 sm:inline" data-testid="current-user">
              {user.name || user.email} · {user.role}
            </span>
            {!passwordPending && isStaff(user) && (
              <Link href="/account/preferences" className="text-xs text-zinc-400 underline-offset-2 hover:text-white hover:underline" data-testid="nav-preferences">
                Preferences
              </Link>
            )}
            {!passwordPending && (
              <Link href="/account/two-factor" className="text-xs text-zinc-400 underline-offset-2 hover:text-white hover:underline" data-testid="nav-two-factor">
                Two-factor
              </Link>
            )}
            <SignOutButton />
          </div>
        </div>
      </header>
      {/* Patients read their own plain-language notice on each report; the staff banner is for staff. */}
      {user.role !== "patient" && <ModelBanner model={model} admin={user.role === "admin"} />}
      <main id="main" tabIndex={-1} className="focus:outline-none">
        <ReaderPreferencesProvider initial={preferences}>{children}</ReaderPreferencesProvider>
      </main>
    </div>
  );
}
