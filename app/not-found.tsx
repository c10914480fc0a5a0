import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-3 px-6" data-testid="not-found">
      <p className="text-sm font-semibold text-zinc-400">404</p>
      <h1 className="text-2xl font-semibold">Nothing here.</h1>
      <p className="text-sm text-zinc-400">The page does not exist, or it is not visible to your account.</p>
      <Link href="/" className="text-sm text-sky-400 hover:underline">
        Back to the start page
      </Link>
    </main>
  );
}
