import { ReaderPreferencesForm } from "@/components/account/reader-preferences-form";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/core/roles";

export const dynamic = "force-dynamic";
export const metadata = { title: "Preferences" };

// The values come from the signed-in shell's provider, which loaded them from the account.
export default async function PreferencesPage() {
  await requireUser(STAFF_ROLES);
  return (
    <div className="mx-auto max-w-lg space-y-4 px-4 py-8" data-testid="preferences-page">
      <PageHeader title="Preferences" />
      <p className="text-sm text-zinc-300">Kept with your account: they apply in every browser you sign in from.</p>
      <ReaderPreferencesForm />
    </div>
  );
}
