// How many Vitest worker processes run test files side by side. Each gets a database and a data directory
// of its own (see global-setup.ts and fork-environment.ts), so files in different workers never share
// rows or files; files within one worker still run one after another, as they always did. Two on a
// 2-core box: most of a test file's time is its own start-up (imports, migrations, model loads), which
// the second core takes in parallel.
import os from "node:os";

export const TEST_FORKS = Math.max(2, Math.min(4, os.availableParallelism()));
