import { eq } from "drizzle-orm";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { requireUser } from "@/lib/auth/guards";
import { db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";

export const dynamic = "force-dynamic";
export const metadata = { title: "Change password" };

export default async function ChangePasswordPage() {
  const me = await requireUser();
  const [row] = await db.select({ must: users.mustChangePassword }).from(users).where(eq(users.id, me.userId)).limit(1);
  return (
    <div className="mx-auto max-w-sm space-y-4 px-4 py-8" data-testid="change-password-page">
      <h1 className="text-lg font-semibold">Change password</h1>
      {row?.must && (
        <p role="alert" className="rounded-md border border-amber-500/60 bg-amber-950/40 p-3 text-sm text-amber-200" data-testid="must-change-password">
          You signed in with a one-time password. Choose your own password now.
        </p>
      )}
      <ChangePasswordForm />
    </div>
  );
}
