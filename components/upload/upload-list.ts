"use client";
// The upload list outlives the upload page: leave for a result or the worklist and come back, and the
// files sent in this tab are still listed with their results (and uploads under way carry on). Kept in
// memory for the tab's in-app navigation and in sessionStorage for a reload; the server's progress answer
// then says where each analysis is. Only what the server accepted or refused is kept over a reload: an
// upload cut off by it never reached the server.
import { useSyncExternalStore } from "react";
import { z } from "zod";

export type UploadState = "waiting" | "uploading" | "queued" | "analysing" | "done" | "failed";

export interface UploadItem {
  key: string;
  fileName: string;
  state: UploadState;
  progress: number;
  analysisId?: string;
  error?: string;
  /** A DICOM instance received before: the answer is its existing analysis, not a second image. */
  alreadyReceived?: boolean;
}

const KEY = "upload.list";
/** The newest so many are kept: a day of uploads in one tab, not an unbounded store. */
const MAX_KEPT = 200;

const Stored = z.array(
  z.object({
    key: z.string(),
    fileName: z.string(),
    state: z.enum(["waiting", "uploading", "queued", "analysing", "done", "failed"]),
    progress: z.number(),
    analysisId: z.string().uuid().optional(),
    error: z.string().optional(),
    alreadyReceived: z.boolean().optional(),
  }),
);

const EMPTY: UploadItem[] = [];
const listeners = new Set<() => void>();
let items: UploadItem[] | null = null;

const keptOverReload = (it: UploadItem) => Boolean(it.analysisId) || it.state === "failed";

function current(): UploadItem[] {
  if (items) return items;
  try {
    const raw = window.sessionStorage.getItem(KEY);
    const parsed = Stored.safeParse(raw ? JSON.parse(raw) : []);
    items = parsed.success ? parsed.data.filter(keptOverReload) : [];
  } catch {
    items = [];
  }
  return items;
}

function set(next: UploadItem[]): void {
  items = next.slice(0, MAX_KEPT);
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(items.filter(keptOverReload)));
  } catch {
    // Storage refused (private mode, full): the list lasts until the tab reloads.
  }
  for (const l of listeners) l();
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

/** The files sent from this tab, newest first. */
export function useUploadList(): UploadItem[] {
  return useSyncExternalStore(subscribe, current, () => EMPTY);
}

export function addUploads(added: UploadItem[]): void {
  set([...added, ...current()]);
}

export function patchUpload(key: string, change: Partial<UploadItem>): void {
  set(current().map((it) => (it.key === key ? { ...it, ...change } : it)));
}

/** Forgets the finished files (analysed or refused); uploads and analyses under way stay. */
export function clearFinished(finished: ReadonlySet<string>): void {
  set(current().filter((it) => !finished.has(it.key)));
}
