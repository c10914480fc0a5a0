// A process that opens the embedded database and keeps it open until killed: the "running app" of the
// embedded-database lock test. Prints "ready" once the database has answered.
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";

await db.execute(sql`select 1`);
process.stdout.write("ready\n");
setInterval(() => {}, 60_000);
