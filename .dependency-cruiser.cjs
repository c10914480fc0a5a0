// The dependency rules `npm run lint` enforces (dependency-cruiser). docs/architecture.md explains the
// layers; LAYERS below is the list it shows, bottom first. A folder of lib/ may import the folders
// before it in this list and never one after it, so no two lib/ folders can import each other (no
// folder-level cycle) and a newcomer can read the order of the whole product off one list.
// Tests (*.test.ts) are left out of the layer rules: a test may reach anything it exercises.

/** lib/ folders (or single files), bottom layer first. Every lib/ folder must appear here. */
const LAYERS = [
  // The role list is pure data that the settings validate against (OIDC_ROLE_MAP), so it sits below them.
  ["foundation", ["core/roles.ts", "env.ts", "core", "log.ts", "security", "workers"]],
  ["platform", ["db", "metrics.ts", "storage", "imaging", "inference", "model-builder", "pipeline", "anatomy", "viewer", "queue"]],
  ["identity", ["auth", "audit", "api-keys", "sign-in"]],
  ["http", ["api"]],
  [
    "domains",
    ["analyses", "triage", "studies", "stats", "reports", "fhir", "uploads", "dicomweb", "pacs", "reviews", "shares", "validation", "worklist", "users", "ops", "lifecycle"],
  ],
  ["features", ["api/v1", "workspace", "jobs", "cli"]],
];

const TESTS = "\\.test\\.tsx?$";
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// lib/api is the route wrapper; lib/api/v1 (the versioned API's operations) sits in the top layer.
// A folder's entry leaves out the files of it that have an entry of their own (core/roles.ts).
const ownFiles = (folder) =>
  LAYERS.flatMap(([, entries]) => entries)
    .filter((e) => e.endsWith(".ts") && e.startsWith(`${folder}/`))
    .map((e) => esc(e.slice(folder.length + 1)));
const folderPath = (entry) => {
  const own = ownFiles(entry);
  return own.length ? `^lib/${esc(entry)}/(?!(${own.join("|")})$)` : `^lib/${esc(entry)}/`;
};
const pathOf = (entry) => (entry === "api" ? "^lib/api/(?!v1/)" : entry.endsWith(".ts") ? `^lib/${esc(entry)}$` : folderPath(entry));

const ordered = LAYERS.flatMap(([layer, entries]) => entries.map((entry) => ({ layer, entry })));

const layerRules = ordered.slice(0, -1).map(({ layer, entry }, i) => ({
  name: `layer:${entry}`,
  comment: `lib/${entry} (${layer}) may import only the lib/ folders listed before it in .dependency-cruiser.cjs (docs/architecture.md)`,
  severity: "error",
  from: { path: pathOf(entry), pathNot: TESTS },
  to: { path: ordered.slice(i + 1).map((later) => pathOf(later.entry)) },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No import cycles between files of the product",
      severity: "error",
      from: { pathNot: TESTS },
      to: { circular: true },
    },
    {
      name: "lib-not-app",
      comment: "lib/ is the server library: it never imports routes (app/) or UI (components/)",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^(app|components)/" },
    },
    {
      name: "product-not-test-support",
      comment: "The product (app, components, lib) never imports test support (test/, e2e/) or benchmarks (bench/)",
      severity: "error",
      from: { path: "^(app|components|lib)/", pathNot: TESTS },
      to: { path: "^(test|e2e|bench)/" },
    },
    {
      name: "no-sql-in-app",
      comment: "Routes and components reach the database through lib/ functions, never with a query of their own (types are fine)",
      severity: "error",
      from: { path: "^(app|components)/" },
      to: { path: ["^lib/db/(client|schema)", "(^|/)node_modules/(drizzle-orm|postgres|@electric-sql/pglite)/"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "components-not-app",
      comment: "Components are used by routes, never the other way round",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^app/" },
    },
    {
      name: "layer:unlisted",
      comment: "Every lib/ folder has a place in LAYERS (.dependency-cruiser.cjs) and docs/architecture.md",
      severity: "error",
      from: { path: "^lib/", pathNot: [TESTS, ...ordered.map(({ entry }) => pathOf(entry))] },
      to: {},
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|\\.next|data|test-results|playwright-report)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".mjs", ".js", ".json"],
    },
  },
};
