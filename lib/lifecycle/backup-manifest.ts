// What a backup folder holds and how it is checked: the database (pg_dump's custom format for
// PostgreSQL, the data directory's tarball for the embedded one), every stored file under files/<key>,
// and manifest.json listing each with its size and sha256.
import { z } from "zod";

export const BACKUP_FORMAT = "cxr-backup/1";

const Entry = z.object({ path: z.string().min(1), bytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const BackupManifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.iso.datetime(),
  database: Entry.extend({ kind: z.enum(["postgres", "pglite"]) }),
  files: z.array(Entry.extend({ key: z.string().min(1) })),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

export const DATABASE_FILE = { postgres: "database.pgdump", pglite: "database.pglite.tar.gz" } as const;
