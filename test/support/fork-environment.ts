// Vitest setup file, run in each worker before every test file: DATABASE_URL and DATA_DIR name this
// worker's own database and data directory (made by global-setup.ts). VITEST_POOL_ID numbers the
// workers from 1 and stays the same for every file a worker runs.
const slot = Number(process.env.VITEST_POOL_ID ?? "1") - 1;
const databaseUrls = JSON.parse(process.env.TEST_FORK_DATABASE_URLS ?? "[]") as string[];
const dataDirs = JSON.parse(process.env.TEST_FORK_DATA_DIRS ?? "[]") as string[];
if (!databaseUrls[slot] || !dataDirs[slot]) throw new Error(`no test database for worker ${slot + 1}: run the suites through vitest (global-setup.ts)`);
process.env.DATABASE_URL = databaseUrls[slot];
process.env.DATA_DIR = dataDirs[slot];
