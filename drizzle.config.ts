import { defineConfig } from "drizzle-kit";

// `npm run db:generate` turns lib/db/schema/ into reviewed SQL under drizzle/; the app applies them
// with lib/db/migrate.ts (npm run setup), never during `build`.
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema",
  out: "./drizzle",
});
