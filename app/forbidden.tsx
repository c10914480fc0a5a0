import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-3 px-6" data-testid="forbidden">
      <p className="text-sm font-semibold text-amber-400">403 · Not allowed</p>
      <h1 className="text-2xl font-semibold">This page is not available to your account.</h1>
      <p className="text-sm text-zinc-400">If you think you should have access, ask an administrator to check your role.</p>
      <Link href="/" className="text-sm text-sky-400 hover:underline">
        Back to the start page
      </Link>
    </main>
  );
}
