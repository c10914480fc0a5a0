"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useSubmit } from "@/components/ui/use-submit";
import { patientStrings as s } from "@/lib/reports/patient-strings";

// The gate in front of a code-protected report. A right code sets a cookie for this link only, and the
// page reloads into the report. Wrong codes get a plain answer; too many get a wait, said in minutes.

/** A refusal with the patient-facing words for it; anything else thrown (no network) is accessFailed. */
class AccessRefusal extends Error {}
const refusalMessage = (e: unknown) => (e instanceof AccessRefusal ? e.message : s.accessFailed);

export function AccessCodeForm({ token }: { token: string }) {
  const router = useRouter();
  const [code, setCode] = useState("");
  const { busy, error: message, run } = useSubmit({ message: refusalMessage });

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const res = await fetch(`/share/${encodeURIComponent(token)}/access`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ code }),
        // The page's policy is no-referrer (the link must not leak to other sites), under which a
        // browser sends "Origin: null"; this request goes to the app itself and must name its origin.
        referrerPolicy: "same-origin",
      });
      if (res.status === 204) {
        router.refresh();
        return;
      }
      const problem = (await res.json().catch(() => ({}))) as { attemptsLeft?: number; code?: string };
      if (res.status === 429) {
        const seconds = Number(res.headers.get("retry-after") ?? "900");
        throw new AccessRefusal(s.accessLocked(Math.max(1, Math.ceil(seconds / 60))));
      } else if (res.status === 403 && problem.code === "wrong_access_code") {
        throw new AccessRefusal(s.accessWrong(problem.attemptsLeft ?? 0));
      } else if (res.status === 404 || res.status === 410) {
        router.refresh();
      } else {
        throw new AccessRefusal(s.accessFailed);
      }
    });
  }

  return (
    <main lang={s.lang} className="mx-auto w-full max-w-md px-4 py-10 text-[17px] leading-relaxed text-slate-800">
      <h1 className="text-2xl font-semibold text-slate-900">{s.accessHeading}</h1>
      <p className="mt-2 text-slate-600">{s.accessIntro}</p>
      <form onSubmit={submit} className="mt-6 space-y-4" data-testid="access-code-form">
        <label className="block">
          <span className="font-medium text-slate-900">{s.accessLabel}</span>
          <input
            name="code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="one-time-code"
            autoCapitalize="none"
            spellCheck={false}
            required
            maxLength={200}
            className="mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-3 text-lg focus:border-slate-500 focus:outline-none focus:ring-2 focus:ring-slate-300"
          />
        </label>
        {message && (
          <p role="alert" data-testid="access-code-message" className="rounded-lg bg-amber-50 p-3 text-amber-950">
            {message}
          </p>
        )}
        <button
          type="submit"
          disabled={busy || code.trim() === ""}
          className="w-full rounded-lg bg-slate-800 px-4 py-3 font-medium text-white hover:bg-slate-700 disabled:opacity-60"
        >
          {busy ? s.accessChecking : s.accessSubmit}
        </button>
      </form>
    </main>
  );
}
