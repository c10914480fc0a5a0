import { AcceptInvitationForm } from "@/components/account/accept-invitation-form";

export const metadata = { title: "Set your password" };

// Public: the signed link in the fragment is the credential (checked by POST /api/invitations/accept).
export default function InvitePage() {
  return (
    <main className="flex min-h-dvh items-center justify-center bg-zinc-950 px-4 text-zinc-100">
      <div className="w-full max-w-sm space-y-4 rounded-lg bg-zinc-900/70 p-6 ring-1 ring-zinc-800" data-testid="invite-page">
        <h1 className="text-lg font-semibold">Set your password</h1>
        <AcceptInvitationForm />
      </div>
    </main>
  );
}
