import { ChangePasswordForm } from "@/components/account/change-password-form";
import { requireSignedIn } from "@/lib/auth/guards";
import { mustChangePassword } from "@/lib/auth/principal";
import { safeReturnPath } from "@/lib/auth/return-path";
import { PageHeader } from "@/components/ui/page-header";

export const dynamic = "force-dynamic";
export const metadata = { title: "Change password" };

// Open to people who must still replace a one-time password: every other page sends them here.
export default async function ChangePasswordPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const me = await requireSignedIn();
  const { next } = await searchParams;
  return (
    <div className="mx-auto max-w-sm space-y-4 px-4 py-8" data-testid="change-password-page">
      <PageHeader title="Change password" />
      {mustChangePassword(me) && (
        <p role="alert" className="rounded-md border border-amber-500/60 bg-amber-950/40 p-3 text-sm text-amber-200" data-testid="must-change-password">
          You signed in with a one-time password. Choose your own password before you continue.
        </p>
      )}
      <ChangePasswordForm email={me.email} returnTo={safeReturnPath(typeof next === "string" ? next : null) ?? "/"} />
    </div>
  );
}
