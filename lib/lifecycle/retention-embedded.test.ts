// Integration: retention on the embedded database (the first-run default) with files in the local
// storage directory.
import { vi } from "vitest";

vi.hoisted(() => {
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = `${process.env.DATA_DIR}/retention-embedded`;
});

import { describe } from "vitest";
import { onEmbeddedDatabase } from "@/test/support/embedded-app";
import { retentionScenario } from "@/test/support/retention-scenario";

describe("retention on the embedded database", () => {
  onEmbeddedDatabase();
  retentionScenario();
});
