"use client";
// Roving tab index (WAI-ARIA Authoring Practices): a group of controls is one Tab stop, and the arrow
// keys move between its controls. Rows (elements marked data-roving-row) make it a grid: up and down
// move between rows, keeping the column; left and right move within a row.
import { useCallback, useEffect, useRef, type FocusEvent, type KeyboardEvent, type RefObject } from "react";

const FOCUSABLE = "button:not([disabled]), select:not([disabled]), input:not([disabled]), a[href]";

function items(root: Element): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
}

/** Keys the control itself needs (a slider's Home/End, a select's Up/Down): left to it. */
function ownsKey(el: HTMLElement, key: string): boolean {
  if (el instanceof HTMLInputElement && el.type === "range") return ["ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"].includes(key);
  if (el instanceof HTMLSelectElement) return key === "ArrowUp" || key === "ArrowDown";
  return false;
}

/** Handlers for the group's element, whose ref is `ref`. */
export function useRovingFocus(
  ref: RefObject<HTMLElement | null>,
  orientation: "horizontal" | "grid",
): {
  onKeyDown: (e: KeyboardEvent) => void;
  onFocus: (e: FocusEvent) => void;
} {
  const current = useRef<HTMLElement | null>(null);

  // After every render the controls may have changed: exactly one keeps tabIndex 0.
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const all = items(root);
    const keep = current.current && all.includes(current.current) ? current.current : all[0];
    for (const el of all) el.tabIndex = el === keep ? 0 : -1;
  });

  const move = useCallback(
    (target: HTMLElement | undefined) => {
      const root = ref.current;
      if (!root || !target) return;
      for (const el of items(root)) el.tabIndex = el === target ? 0 : -1;
      current.current = target;
      target.focus();
    },
    [ref],
  );

  const onKeyDown = useCallback(
    (e: KeyboardEvent) => {
      const root = ref.current;
      const from = e.target as HTMLElement;
      if (!root || e.altKey || e.ctrlKey || e.metaKey || ownsKey(from, e.key)) return;
      const all = items(root);
      const at = all.indexOf(from);
      if (at < 0) return;
      let to: HTMLElement | undefined;
      if (orientation === "grid" && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
        const rows = [...root.querySelectorAll<HTMLElement>("[data-roving-row]")];
        const row = from.closest<HTMLElement>("[data-roving-row]");
        const r = row ? rows.indexOf(row) : -1;
        const col = row ? items(row).indexOf(from) : 0;
        const next = rows[r + (e.key === "ArrowDown" ? 1 : -1)];
        if (next) {
          const cells = items(next);
          to = cells[Math.min(col, cells.length - 1)];
        }
      } else if (e.key === "ArrowRight" || (orientation === "horizontal" && e.key === "ArrowDown")) to = all[(at + 1) % all.length];
      else if (e.key === "ArrowLeft" || (orientation === "horizontal" && e.key === "ArrowUp")) to = all[(at - 1 + all.length) % all.length];
      else if (e.key === "Home") to = all[0];
      else if (e.key === "End") to = all[all.length - 1];
      else return;
      e.preventDefault();
      e.stopPropagation();
      move(to);
    },
    [orientation, move, ref],
  );

  const onFocus = useCallback(
    (e: FocusEvent) => {
      const el = e.target as HTMLElement;
      if (ref.current && items(ref.current).includes(el)) current.current = el;
    },
    [ref],
  );

  return { onKeyDown, onFocus };
}
