"use client";

import { useCallback, useState } from "react";

interface Options {
  /** What the person reads when the action throws (default: the error's own message, which the API writes for people). */
  message?: (error: unknown) => string;
}

const ownMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The one busy / error / submit cycle of a client form or action button: `run(action)` marks it busy,
 * clears the last error, runs the action and shows what it threw. `staysBusy` keeps the control disabled
 * after a success that leaves the page (a redirect), so it cannot be sent twice meanwhile.
 */
export function useSubmit({ message = ownMessage }: Options = {}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = useCallback(
    async (action: () => Promise<unknown>, { staysBusy = false }: { staysBusy?: boolean } = {}): Promise<boolean> => {
      setBusy(true);
      setError(null);
      try {
        await action();
        if (!staysBusy) setBusy(false);
        return true;
      } catch (e) {
        setError(message(e));
        setBusy(false);
        return false;
      }
    },
    [message],
  );
  return { busy, error, setError, run: submit };
}
