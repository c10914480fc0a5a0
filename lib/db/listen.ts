import "server-only";
import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";

// LISTEN for one channel of the database, on either driver. A notification is a hint that something
// changed: a listener can miss some (while its connection is down, before it is in place), so whoever
// relies on it also looks for itself now and then, and again each time `onListening` says the listener
// is (back) in place.

export interface NotificationHandlers {
  onNotify(payload: string): void;
  /** The listener is in place, first or again after a lost connection: notifications sent before were missed. */
  onListening(): void;
}

export interface Listener {
  /** True while notifications arrive. */
  readonly listening: boolean;
  /** True once closed (by `close()` or with the database handle): a new listener is needed. */
  readonly closed: boolean;
  close(): Promise<void>;
}

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 10_000;

const quoted = (channel: string) => `"${channel.replace(/"/g, '""')}"`;

/** What either driver's listener keeps of itself. */
interface ListenerState {
  listening: boolean;
  closed: boolean;
}

/** The Listener over a driver's state; `stop` lets the driver's own resources go. */
function listenerOf(state: ListenerState, stop: () => Promise<void>): Listener {
  return {
    get listening() {
      return state.listening;
    },
    get closed() {
      return state.closed;
    },
    async close() {
      state.closed = true;
      state.listening = false;
      await stop();
    },
  };
}

/** postgres.js hands every NOTIFY to this option (its own `sql.listen()` is built on it); its types leave it out. */
type ListenOptions = postgres.Options<Record<string, never>> & { onnotify(channel: string, payload: string): void };

/**
 * PostgreSQL: a connection of its own, outside the query pool, never recycled. When it is lost (a
 * restart, a killed backend), it is opened again with a growing delay until the database answers.
 */
export function listenOnPostgres(url: string, channel: string, handlers: NotificationHandlers): Listener {
  const state: ListenerState = { listening: false, closed: false };
  let retry: NodeJS.Timeout | null = null;
  let delay = RETRY_FIRST_MS;
  const options: ListenOptions = {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    fetch_types: false,
    onnotice: () => {},
    connection: { application_name: "cxr-listen" },
    onnotify: (name, payload) => {
      if (name === channel) handlers.onNotify(payload);
    },
    onclose: () => {
      state.listening = false;
      schedule();
    },
  };
  const sql = postgres(url, options);
  function schedule() {
    if (state.closed || retry) return;
    retry = setTimeout(() => void start(), delay);
    retry.unref();
    delay = Math.min(RETRY_MAX_MS, delay * 2);
  }
  async function start() {
    retry = null;
    try {
      await sql.unsafe(`listen ${quoted(channel)}`);
    } catch {
      schedule();
      return;
    }
    if (state.closed) return;
    state.listening = true;
    delay = RETRY_FIRST_MS;
    handlers.onListening();
  }
  void start();
  return listenerOf(state, async () => {
    if (retry) clearTimeout(retry);
    await sql.end({ timeout: 1 }).catch(() => undefined);
  });
}

/** The embedded database: its own listeners, on the one handle of the process. */
export function listenOnPglite(pglite: PGlite, channel: string, handlers: NotificationHandlers): Listener {
  const state: ListenerState = { listening: false, closed: false };
  let unsubscribe: (() => Promise<void>) | null = null;
  void pglite
    .listen(channel, (payload) => handlers.onNotify(payload))
    .then((off) => {
      unsubscribe = off;
      if (state.closed) return void off().catch(() => undefined);
      state.listening = true;
      handlers.onListening();
    })
    // Not listening: the caller keeps looking for itself.
    .catch(() => undefined);
  return listenerOf(state, async () => {
    await unsubscribe?.().catch(() => undefined);
  });
}
