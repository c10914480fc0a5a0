// A loopback TCP proxy in front of a real PostgreSQL that reads the frontend protocol as it passes and
// counts, per client connection (named by its application_name), the statements executed and the
// writes the client made. For tests and benchmarks that bound what a request costs the database:
// counted on the wire, so what is measured is what the server really received, whatever the driver.
import net from "node:net";

export interface WireCounts {
  /** Statements executed: extended-protocol Execute messages plus simple-protocol Query messages. */
  statements: number;
  /** Separate reads of client data by the proxy: on loopback, one per socket write of the client. */
  writes: number;
  /** Parse messages: statements (re)planned by the server. */
  parses: number;
  /** The text of each executed statement, in order (first 120 characters, whitespace collapsed). */
  sql: string[];
}

export interface WireCounter {
  /** The URL to hand the app instead of the target's. */
  url: string;
  /** Counts since the last reset, for connections whose application_name passes `filter` (all when omitted). */
  counts(filter?: (applicationName: string) => boolean): WireCounts;
  reset(): void;
  close(): Promise<void>;
}

interface Conn {
  applicationName: string;
  counts: WireCounts;
  /** Statement text by prepared-statement name ("" = the unnamed one). */
  statements: Map<string, string>;
  /** The statement the last Bind referred to, executed by the next Execute. */
  bound: string;
}

const short = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, 120);
const zero = (): WireCounts => ({ statements: 0, writes: 0, parses: 0, sql: [] });

function cstring(buf: Buffer, at: number): [string, number] {
  const end = buf.indexOf(0, at);
  return [buf.toString("utf8", at, end), end + 1];
}

function onMessage(conn: Conn, type: string, body: Buffer): void {
  if (type === "P") {
    const [name, next] = cstring(body, 0);
    const [text] = cstring(body, next);
    conn.statements.set(name, text);
    conn.counts.parses++;
  } else if (type === "B") {
    const [, next] = cstring(body, 0);
    const [name] = cstring(body, next);
    conn.bound = conn.statements.get(name) ?? "?";
  } else if (type === "E") {
    conn.counts.statements++;
    conn.counts.sql.push(short(conn.bound));
  } else if (type === "Q") {
    const [text] = cstring(body, 0);
    conn.counts.statements++;
    conn.counts.sql.push(short(text));
  }
}

function startupApplicationName(body: Buffer): string | null {
  const code = body.readInt32BE(0);
  if (code !== 196608) return null; // SSLRequest, CancelRequest, GSSENCRequest: no parameters
  let at = 4;
  while (at < body.length && body[at] !== 0) {
    const [key, next] = cstring(body, at);
    const [value, after] = cstring(body, next);
    if (key === "application_name") return value;
    at = after;
  }
  return "";
}

/** Starts the proxy on a free loopback port, forwarding to the server of `targetUrl`. */
export async function startWireCounter(targetUrl: string): Promise<WireCounter> {
  const target = new URL(targetUrl);
  const conns = new Set<Conn>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const conn: Conn = { applicationName: "", counts: zero(), statements: new Map(), bound: "" };
    conns.add(conn);
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    let pending = Buffer.alloc(0);
    let started = false;
    client.on("data", (chunk) => {
      upstream.write(chunk);
      conn.counts.writes++;
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (!started) {
          if (pending.length < 4 || pending.length < pending.readInt32BE(0)) break;
          const len = pending.readInt32BE(0);
          const name = startupApplicationName(pending.subarray(4, len));
          if (name !== null) {
            conn.applicationName = name;
            started = true;
          }
          pending = pending.subarray(len);
          continue;
        }
        if (pending.length < 5 || pending.length < 1 + pending.readInt32BE(1)) break;
        const len = pending.readInt32BE(1);
        onMessage(conn, String.fromCharCode(pending[0]), pending.subarray(5, 1 + len));
        pending = pending.subarray(1 + len);
      }
    });
    upstream.on("data", (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(targetUrl);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    counts(filter = () => true) {
      const sum = zero();
      for (const c of conns) {
        if (!filter(c.applicationName)) continue;
        sum.statements += c.counts.statements;
        sum.writes += c.counts.writes;
        sum.parses += c.counts.parses;
        sum.sql.push(...c.counts.sql);
      }
      return sum;
    },
    reset() {
      for (const c of conns) c.counts = zero();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
