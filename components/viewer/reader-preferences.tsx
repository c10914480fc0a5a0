"use client";
// The reader's own viewer preferences, kept with their account (lib/users/preferences.ts) so they follow
// them to any browser: whether single-key shortcuts are on, and whether a result opens with the heatmap
// shown (the default is the plain film, read first unbiased). The signed-in shell provides them.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { apiFetch } from "@/lib/api/browser-fetch";
import { DEFAULT_READER_PREFERENCES, type ReaderPreferences, type ReaderPreferencesChange } from "@/lib/users/preferences-input";

export type { ReaderPreferences };

export type PreferencesSave = "idle" | "saving" | "saved" | "failed";

interface Held {
  prefs: ReaderPreferences;
  update: (change: ReaderPreferencesChange) => void;
  save: PreferencesSave;
}

// Outside the signed-in shell (a patient's shared report) the defaults hold and nothing is stored.
const Context = createContext<Held>({ prefs: DEFAULT_READER_PREFERENCES, update: () => undefined, save: "idle" });

export function ReaderPreferencesProvider({ initial, children }: { initial: ReaderPreferences; children: ReactNode }) {
  const [prefs, setPrefs] = useState(initial);
  const [save, setSave] = useState<PreferencesSave>("idle");
  const update = useCallback((change: ReaderPreferencesChange) => {
    // Applied at once; the server's answer (all preferences as stored) then has the last word.
    setPrefs((p) => ({ ...p, ...change }));
    setSave("saving");
    apiFetch<ReaderPreferences>("/api/account/preferences", { method: "PUT", json: change }).then(
      (stored) => {
        setPrefs(stored);
        setSave("saved");
      },
      () => setSave("failed"),
    );
  }, []);
  const held = useMemo(() => ({ prefs, update, save }), [prefs, update, save]);
  return <Context value={held}>{children}</Context>;
}

export function useReaderPreferences(): [ReaderPreferences, (change: ReaderPreferencesChange) => void, PreferencesSave] {
  const { prefs, update, save } = useContext(Context);
  return [prefs, update, save];
}
