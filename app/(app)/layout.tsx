import Link from "next/link";
import { AppNav } from "@/components/shell/app-nav";
import { ModelBanner } from "@/components/shell/model-banner";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { requireUser } from "@/lib/auth/guards";
import { installedModel } from "@/lib/ops/installed-model";

// The signed-in shell. Each page still calls requireUser itself (with its roles): a layout is not
// re-run on every navigation, so it cannot be the only guard.
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const model = await installedModel();
  return (
    <div className="min-h-dvh">
      <header className="sticky top-0 z-30 border-b border-zinc-800 bg-zinc-950/95 backdrop-blur">
        <div className="flex h-16 items-center gap-4 px-4 sm:px-6">
          <Link href="/" className="shrink-0 text-sm font-semibold tracking-wide text-white">
            CXR <span className="text-sky-400">Assist</span>
          </Link>
          <AppNav role={user.role} />
          <div className="ml-auto flex shrink-0 items-center gap-3">
            <span className="hidden text-xs text-zinc-400 sm:inline" data-testid="current-user">
              {user.name || user.email} · {user.role}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <ModelBanner model={model} />
      {user.kind === "user" && user.mustChangePassword && (
        <div role="status" data-testid="change-password-banner" className="border-b border-sky-900 bg-sky-950 px-4 py-2 text-sm text-sky-100">
          You signed in with a one-time password.{" "}
          <Link href="/account/password" className="font-medium underline">
            Choose your own password now
          </Link>
          .
        </div>
      )}
      <main>{children}</main>
    </div>
  );
}
