"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { useHydrated } from "@/components/ui/use-hydrated";
import { apiFetch } from "@/lib/api/browser-fetch";

interface Enrolment {
  secret: string;
  uri: string;
  qrSvg: string;
}

/** Setting up TOTP: a new key as a QR code and as text, a typed code to confirm, then the recovery codes once. */
export function TwoFactorSetup({ returnTo }: { returnTo: string }) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ready = useHydrated();

  async function run(fn: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const start = () => run(async () => setEnrolment(await apiFetch<Enrolment>("/api/account/two-factor", { method: "POST" })));

  const confirm = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "");
    void run(async () => {
      const res = await apiFetch<{ recoveryCodes: string[] }>("/api/account/two-factor/confirm", { method: "POST", json: { code } });
      setCodes(res.recoveryCodes);
    });
  };

  if (codes) {
    return (
      <div className="space-y-3" data-testid="two-factor-done">
        <Alert tone="info" title="Two-factor sign-in is on">
          Keep these recovery codes somewhere safe (printed, or in a password manager). Each works once, instead of a code from the app, if
          you lose your device. They are not shown again.
        </Alert>
        <ol className="grid grid-cols-2 gap-2 font-mono text-sm" data-testid="recovery-codes">
          {codes.map((c) => (
            <li key={c} className="rounded bg-zinc-900 px-2 py-1 ring-1 ring-zinc-700" data-testid="recovery-code">
              {c}
            </li>
          ))}
        </ol>
        {/* A full page load: the server decides afresh what this session may open. */}
        <a href={returnTo} className="inline-block rounded-md bg-sky-600 px-3 py-2 text-sm font-medium text-white hover:bg-sky-500" data-testid="two-factor-continue">
          Continue
        </a>
      </div>
    );
  }

  if (!enrolment) {
    return (
      <div className="space-y-3">
        <p className="text-sm text-zinc-300">
          You will need an authenticator app (for example FreeOTP, Google Authenticator or Microsoft Authenticator). After that, every
          sign-in asks for the 6-digit code it shows.
        </p>
        {error && (
          <Alert tone="danger" testId="two-factor-error">
            {error}
          </Alert>
        )}
        <Button onClick={() => void start()} disabled={busy || !ready} data-testid="two-factor-start">
          Set up two-factor sign-in
        </Button>
      </div>
    );
  }

  return (
    <form onSubmit={confirm} className="space-y-4" data-testid="two-factor-form">
      <p className="text-sm text-zinc-300">Scan this code with your authenticator app, or type the key below into it.</p>
      {/* eslint-disable-next-line @next/next/no-img-element -- an inline SVG made on the server, not a remote image */}
      <img
        src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrSvg)}`}
        alt="QR code with the key for your authenticator app (the same key is written below)"
        width={200}
        height={200}
        className="rounded bg-white p-2"
        data-testid="two-factor-qr"
      />
      <p className="text-sm">
        Key:{" "}
        <code className="select-all break-all rounded bg-zinc-900 px-1.5 py-0.5 font-mono ring-1 ring-zinc-700" data-testid="two-factor-secret">
          {enrolment.secret}
        </code>
      </p>
      <Field label="Code shown by the app">
        <Input name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,8}" required data-testid="two-factor-code" />
      </Field>
      {error && (
        <Alert tone="danger" testId="two-factor-error">
          {error}
        </Alert>
      )}
      <Button type="submit" disabled={busy || !ready} data-testid="two-factor-confirm">
        Turn on
      </Button>
    </form>
  );
}
