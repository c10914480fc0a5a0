// A second instance of the app for the shared-limit test: its own process, module instances and
// database pool, the same database. Calls GET /api/v1/analyses N times with a key from an address, on
// a clock fixed by the caller (so that both instances agree on "now" however slowly this one starts),
// and prints the statuses as one JSON line.
//
//   tsx --conditions=react-server test/support/rate-limit-instance.ts <key> <address> <count> <epoch-ms>
import * as listRoute from "@/app/api/v1/analyses/route";
import { closeDb } from "@/lib/db/client";
import { fromAddress } from "@/test/support/principals";

const [key, address, count, clock] = process.argv.slice(2);
Date.now = () => Number(clock);

const statuses: number[] = [];
for (let i = 0; i < Number(count); i++) {
  const res = await listRoute.GET(
    new Request("http://localhost/api/v1/analyses", { headers: { authorization: `Bearer ${key}`, ...fromAddress(address) } }),
  );
  statuses.push(res.status);
}
await closeDb();
process.stdout.write(`${JSON.stringify({ statuses })}\n`);
