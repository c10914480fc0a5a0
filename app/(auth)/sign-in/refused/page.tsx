import Link from "next/link";
import { ssoRefusalMessage } from "@/lib/sign-in/oidc/refusals";

export const dynamic = "force-dynamic";
export const metadata = { title: "Access refused" };

// Where single sign-on sends a person the identity provider vouched for but this app does not admit
// (lib/auth/oidc/sign-in.ts audits each refusal).
export default async function SsoRefusedPage({ searchParams }: { searchParams: Promise<{ reason?: string | string[] }> }) {
  const { reason } = await searchParams;
  return (
    <main className="flex min-h-dvh items-center justify-center px-4">
      <div className="w-full max-w-md space-y-4 rounded-xl border border-red-900 bg-red-950/40 p-6" data-testid="sso-refused">
        <h1 className="text-xl font-semibold">You cannot use CXR Assist with this account</h1>
        <p className="text-sm text-zinc-200" data-testid="sso-refused-reason">
          {ssoRefusalMessage(typeof reason === "string" ? reason : null)}
        </p>
        <p className="text-xs text-zinc-400">You signed in at the identity provider, but no session was started here.</p>
        <Link href="/sign-in" className="inline-block text-sm text-sky-300 underline">
          Back to sign-in
        </Link>
      </div>
    </main>
  );
}
