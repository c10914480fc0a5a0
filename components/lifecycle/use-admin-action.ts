"use client";
// One busy/error/result state for the data page's actions, so each form only says what it sends.
import { useRouter } from "next/navigation";
import { useState } from "react";

export function useAdminAction<T>() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<T | null>(null);
  const run = async (action: () => Promise<T>) => {
    setBusy(true);
    setError(null);
    try {
      setResult(await action());
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, result, run };
}
