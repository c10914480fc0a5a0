// The deployment files under deploy/ are real files, not README snippets: this parses them and holds
// every setting they give the app to lib/env.ts, which must know each name and accept each value.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { EnvSchema } from "@/lib/env";

const deploy = path.resolve(__dirname, "../../deploy");
const APP_IMAGE = "cxr-assist";
const known = new Set(Object.keys(EnvSchema.shape));

type Settings = Record<string, string>;

/** Names the schema does not know, and problems zod finds with the values. */
function check(settings: Settings): { unknown: string[]; invalid: string[] } {
  const unknown = Object.keys(settings).filter((name) => !known.has(name));
  const parsed = EnvSchema.safeParse(settings);
  const invalid = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  return { unknown, invalid };
}

interface ComposeService {
  image?: string;
  environment?: Record<string, string | number | boolean> | string[];
}

function composeSettings(service: ComposeService): Settings {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((line) => [line.split("=")[0], line.split("=").slice(1).join("=")]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

interface Container {
  image?: string;
  env?: { name: string; value?: string }[];
  envFrom?: { secretRef?: { name: string } }[];
}
interface K8sDocument {
  kind?: string;
  metadata?: { name?: string };
  stringData?: Record<string, string>;
  spec?: { template?: { spec?: { containers?: Container[] } } };
}

describe("deploy/", () => {
  it("has the Dockerfile the manifests' image is built from", () => {
    const dockerfile = fs.readFileSync(path.join(deploy, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^FROM /m);
    expect(dockerfile).toMatch(/npm ci/);
    expect(dockerfile).toMatch(/npm run build/);
    const envLines = [...dockerfile.matchAll(/^ENV (\w+)=(\S+)/gm)].map((m) => [m[1], m[2]]);
    expect(check(Object.fromEntries(envLines))).toEqual({ unknown: [], invalid: [] });
  });

  it("docker-compose.yml gives the app only settings lib/env.ts knows, with values it accepts", () => {
    const compose = parse(fs.readFileSync(path.join(deploy, "docker-compose.yml"), "utf8"), { merge: true }) as { services: Record<string, ComposeService> };
    const app = Object.entries(compose.services).filter(([, service]) => service.image === APP_IMAGE);
    expect(app.map(([name]) => name).sort()).toEqual(["migrate", "web", "worker"]);
    for (const [name, service] of app) {
      const settings = composeSettings(service);
      expect(Object.keys(settings).length, name).toBeGreaterThan(5);
      expect(check(settings), name).toEqual({ unknown: [], invalid: [] });
    }
  });

  it("the Kubernetes manifests give the app only settings lib/env.ts knows, with values it accepts", () => {
    const docs = parseAllDocuments(fs.readFileSync(path.join(deploy, "kubernetes", "cxr.yaml"), "utf8")).map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS() as K8sDocument;
    });
    const secrets = new Map(docs.filter((d) => d.kind === "Secret").map((d) => [d.metadata?.name, d.stringData ?? {}]));
    const containers = docs.flatMap((d) => d.spec?.template?.spec?.containers ?? []).filter((c) => c.image === APP_IMAGE);
    expect(containers.length).toBe(3); // the migration Job, the web and the worker Deployments
    for (const container of containers) {
      const fromSecrets = (container.envFrom ?? []).map((ref) => {
        const secret = secrets.get(ref.secretRef?.name);
        expect(secret, `the Secret ${ref.secretRef?.name} is in the manifests`).toBeDefined();
        return secret ?? {};
      });
      const settings: Settings = Object.assign({}, ...fromSecrets, Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? ""])));
      expect(check(settings)).toEqual({ unknown: [], invalid: [] });
    }
  });

  it("the check itself refuses a name lib/env.ts does not know and a value it does not accept", () => {
    expect(check({ WORKERS_IN_WEBB: "false", PORT: "0" })).toEqual({ unknown: ["WORKERS_IN_WEBB"], invalid: [expect.stringMatching(/^PORT:/)] });
  });
});
