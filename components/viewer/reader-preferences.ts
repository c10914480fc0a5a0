"use client";
// The reader's own viewer preferences, kept in this browser: whether single-key shortcuts are on, and
// whether a result opens with the heatmap shown (the default is the plain film, read first unbiased).
import { useCallback, useSyncExternalStore } from "react";

export interface ReaderPreferences {
  singleKeyShortcuts: boolean;
  heatmapOnOpen: boolean;
}

const KEY = "reader.preferences";
const DEFAULTS: ReaderPreferences = { singleKeyShortcuts: true, heatmapOnOpen: false };
const listeners = new Set<() => void>();
let cached: { raw: string | null; value: ReaderPreferences } = { raw: null, value: DEFAULTS };

function read(): ReaderPreferences {
  let raw: string | null = null;
  try {
    raw = window.localStorage.getItem(KEY);
  } catch {
    return DEFAULTS;
  }
  if (raw !== cached.raw) {
    let parsed: Partial<ReaderPreferences> = {};
    try {
      parsed = raw ? (JSON.parse(raw) as Partial<ReaderPreferences>) : {};
    } catch {
      parsed = {};
    }
    cached = {
      raw,
      value: {
        singleKeyShortcuts: typeof parsed.singleKeyShortcuts === "boolean" ? parsed.singleKeyShortcuts : DEFAULTS.singleKeyShortcuts,
        heatmapOnOpen: typeof parsed.heatmapOnOpen === "boolean" ? parsed.heatmapOnOpen : DEFAULTS.heatmapOnOpen,
      },
    };
  }
  return cached.value;
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  window.addEventListener("storage", onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onChange);
  };
}

/** The preferences now (defaults before hydration), read outside React (e.g. in a key handler). */
export function readerPreferences(): ReaderPreferences {
  return typeof window === "undefined" ? DEFAULTS : read();
}

export function useReaderPreferences(): [ReaderPreferences, (change: Partial<ReaderPreferences>) => void] {
  const value = useSyncExternalStore(subscribe, read, () => DEFAULTS);
  const update = useCallback((change: Partial<ReaderPreferences>) => {
    try {
      window.localStorage.setItem(KEY, JSON.stringify({ ...read(), ...change }));
    } catch {
      // Storage refused (private mode): the setting lasts until the page closes.
    }
    for (const l of listeners) l();
  }, []);
  return [value, update];
}
