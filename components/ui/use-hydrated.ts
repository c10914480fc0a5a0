import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False during server rendering and hydration, true once React runs in the browser. Forms that post
 * passwords keep their submit button disabled until then: a click before React attaches its handler
 * would submit the form natively, putting the passwords in a URL.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
