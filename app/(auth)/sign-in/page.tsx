import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentUser } from "@/lib/auth/guards";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function SignInPage() {
  if (await currentUser()) redirect("/");
  return (
    <main className="flex min-h-dvh items-center justify-center px-4">
      <div className="w-full max-w-sm space-y-6">
        <div className="space-y-1 text-center">
          <p className="text-xs font-semibold uppercase tracking-[0.2em] text-sky-400">CXR Assist</p>
          <h1 className="text-2xl font-semibold">Sign in</h1>
          <p className="text-sm text-zinc-400">Chest radiograph AI for radiology teams.</p>
        </div>
        <SignInForm />
      </div>
    </main>
  );
}
