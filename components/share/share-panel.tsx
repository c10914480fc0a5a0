"use client";

import { useState, type FormEvent } from "react";
import { useSubmit } from "@/components/ui/use-submit";
import type { ShareView } from "@/lib/shares/input";
import { Alert } from "@/components/ui/alert";
import { ApiRequestError, apiFetch } from "@/lib/api/browser-fetch";

// The radiologist's side of patient sharing, on the analysis page: create a link (shown once, with a
// copy button), see the links that still work, revoke one. Also the report downloads (PDF, FHIR).

interface Props {
  analysisId: string;
  signedOff: boolean;
  initialShares: ShareView[];
  defaultDays: number;
}

const EXPIRY_CHOICES = [7, 14, 30, 90];
const fmt = (iso: string) => new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));

/** 8 characters a patient can read and type without confusing 0/O or 1/l. */
function generateCode(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => alphabet[b % alphabet.length]).join("");
}

/** The API writes its refusals for people; anything else means the server was not reached. */
const serverMessage = (e: unknown) => (e instanceof ApiRequestError ? e.message : "Could not reach the server. Try again.");

export function SharePanel({ analysisId, signedOff, initialShares, defaultDays }: Props) {
  const [shares, setShares] = useState(initialShares);
  const [days, setDays] = useState(EXPIRY_CHOICES.includes(defaultDays) ? defaultDays : 30);
  const [email, setEmail] = useState("");
  const [code, setCode] = useState("");
  const [created, setCreated] = useState<{ url: string; code: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const { busy, error, setError, run } = useSubmit({ message: serverMessage });

  async function create(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const body = await apiFetch<{ share: ShareView; url: string }>(`/api/analyses/${analysisId}/shares`, {
        method: "POST",
        json: { expiresInDays: days, accessCode: code, recipientEmail: email },
      });
      setShares((list) => [body.share, ...list]);
      setCreated({ url: body.url, code });
      setCopied(false);
      setEmail("");
      setCode("");
    });
  }

  async function revoke(share: ShareView) {
    if (!window.confirm("Revoke this link? The patient will no longer be able to open it.")) return;
    setError(null);
    try {
      await apiFetch(`/api/shares/${share.id}`, { method: "DELETE" });
      setShares((list) => list.filter((s) => s.id !== share.id));
    } catch (e) {
      setError(serverMessage(e));
    }
  }

  async function copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // Clipboard access can be refused (insecure origin, permissions): select the text instead.
      (document.getElementById("share-url") as HTMLInputElement | null)?.select();
    }
  }

  return (
    <section data-testid="share-panel" aria-labelledby="share-panel-h" className="space-y-3 border-t border-zinc-800 pt-4 text-sm text-zinc-200">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="share-panel-h" className="text-sm font-semibold text-zinc-100">
          Report and patient sharing
        </h2>
        {signedOff && (
          <div className="flex gap-3">
            <a data-testid="report-pdf-link" href={`/api/analyses/${analysisId}/report.pdf`} className="text-sky-400 underline hover:text-sky-300">
              PDF report
            </a>
            <a href={`/api/v1/analyses/${analysisId}/fhir`} className="text-sky-400 underline hover:text-sky-300">
              FHIR bundle
            </a>
          </div>
        )}
      </div>

      {!signedOff ? (
        <p data-testid="share-needs-signoff" className="text-zinc-400">
          Sign off the review to share the report with the patient or download it.
        </p>
      ) : (
        <form onSubmit={create} className="grid gap-3 sm:grid-cols-3" data-testid="share-form">
          <label className="block">
            <span className="text-xs text-zinc-400">Link works for</span>
            <select
              data-testid="share-expiry"
              value={days}
              onChange={(e) => setDays(Number(e.target.value))}
              className="mt-1 block w-full rounded border border-zinc-700 bg-zinc-900 px-2 py-1.5 text-zinc-100"
            >
              {EXPIRY_CHOICES.map((d) => (
                <option key={d} value={d}>
                  {d} days
                </option>
              ))}
            </select>
          </label>
          <label className="block">
            <span className="text-xs text-zinc-400">Patient email (optional)</span>
            <input
              data-testid="share-email"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              placeholder="for their My reports page"
              className="mt-1 block w-full rounded border border-zinc-700 bg-zinc-900 px-2 py-1.5 text-zinc-100"
            />
          </label>
          <label className="block">
            <span className="text-xs text-zinc-400">Access code (optional)</span>
            <span className="mt-1 flex gap-1">
              <input
                data-testid="share-code"
                value={code}
                onChange={(e) => setCode(e.target.value)}
                minLength={6}
                autoComplete="off"
                className="block w-full rounded border border-zinc-700 bg-zinc-900 px-2 py-1.5 font-mono text-zinc-100"
              />
              <button type="button" onClick={() => setCode(generateCode())} className="rounded px-2 text-xs text-zinc-200 ring-1 ring-zinc-700 hover:bg-white/10">
                Generate
              </button>
            </span>
          </label>
          <div className="sm:col-span-3">
            <button
              data-testid="share-create"
              type="submit"
              disabled={busy}
              className="rounded bg-sky-600 px-3 py-1.5 font-medium text-white hover:bg-sky-700 disabled:opacity-60"
            >
              {busy ? "Creating…" : "Create patient link"}
            </button>
          </div>
        </form>
      )}

      {error && (
        <Alert tone="danger" testId="share-error">
          {error}
        </Alert>
      )}

      {created && (
        <div data-testid="share-created" className="rounded border border-emerald-700/60 bg-emerald-950/40 p-3">
          <p className="font-medium text-emerald-200">Link created. It is shown only now: copy it before leaving this page.</p>
          <div className="mt-2 flex gap-2">
            <input id="share-url" data-testid="share-url" readOnly value={created.url} onFocus={(e) => e.target.select()} className="block w-full rounded border border-emerald-700/60 bg-zinc-900 px-2 py-1.5 font-mono text-xs text-zinc-100" />
            <button type="button" data-testid="share-copy" onClick={() => copy(created.url)} className="rounded bg-emerald-600 px-3 font-medium text-white hover:bg-emerald-700">
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
          {created.code && (
            <p className="mt-2 text-emerald-200">
              Access code: <span className="font-mono font-semibold">{created.code}</span> — give it to the patient separately from the link.
            </p>
          )}
        </div>
      )}

      {signedOff && (
        <div>
          <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-400">Active links</h3>
          {shares.length === 0 ? (
            <p className="mt-1 text-zinc-500">No active links.</p>
          ) : (
            <ul className="mt-1 divide-y divide-zinc-800" data-testid="share-list">
              {shares.map((s) => (
                <li key={s.id} data-testid="share-row" data-share-id={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span className="text-xs text-zinc-400">
                    Created {fmt(s.createdAt)} by {s.createdBy} · expires {fmt(s.expiresAt)}
                    {s.recipientEmail ? ` · for ${s.recipientEmail}` : ""}
                    {s.hasAccessCode ? " · access code" : ""}
                  </span>
                  <button type="button" data-testid="share-revoke" onClick={() => revoke(s)} className="rounded px-2 py-1 text-xs text-rose-300 ring-1 ring-rose-700 hover:bg-rose-500/10">
                    Revoke
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
