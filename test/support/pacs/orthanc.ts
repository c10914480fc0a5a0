// Test-only: a real Orthanc (Debian packages orthanc + orthanc-dicomweb) on free ports, with a
// generated configuration and storage in a temporary directory, stopped (and removed) by the test.
// The configuration is the one the README shows: the app as a DICOMweb server with its API key.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const ORTHANC_BIN = "/usr/sbin/Orthanc";
export const DICOMWEB_PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

/** The calling AE title storescu must use: the only modality this Orthanc accepts C-STORE from. */
export const STORESCU_AET = "CXRSCU";

export function hasOrthanc(): boolean {
  return fs.existsSync(ORTHANC_BIN) && fs.existsSync(DICOMWEB_PLUGIN);
}

export { freePort } from "@/test/support/free-port";

export interface OrthancOptions {
  httpPort: number;
  dicomPort: number;
  /** The app's DICOMweb base, e.g. http://127.0.0.1:3000/api/dicomweb/ */
  appDicomwebUrl: string;
  apiKey: string;
}

export function orthancConfig(dir: string, o: OrthancOptions): Record<string, unknown> {
  return {
    Name: "CXR-TEST",
    StorageDirectory: path.join(dir, "storage"),
    IndexDirectory: path.join(dir, "storage"),
    HttpPort: o.httpPort,
    DicomPort: o.dicomPort,
    DicomAet: "ORTHANC",
    // Orthanc 1.10 cannot bind to 127.0.0.1 alone, so it answers local clients only: HTTP from this
    // machine, C-STORE from the one registered modality at 127.0.0.1.
    RemoteAccessAllowed: false,
    DicomAlwaysAllowEcho: false,
    DicomAlwaysAllowStore: false,
    DicomCheckModalityHost: true,
    DicomModalities: { scu: [STORESCU_AET, "127.0.0.1", 104] },
    AuthenticationEnabled: false,
    SaveJobs: false,
    HttpTimeout: 120,
    Plugins: [DICOMWEB_PLUGIN],
    DicomWeb: {
      Enable: true,
      Root: "/dicom-web/",
      Servers: { cxr: { Url: o.appDicomwebUrl, HttpHeaders: { Authorization: `Bearer ${o.apiKey}` } } },
    },
  };
}

export class TestOrthanc {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-orthanc-"));
  private child: ChildProcess | null = null;
  log = "";

  constructor(readonly options: OrthancOptions) {
    fs.writeFileSync(path.join(this.dir, "orthanc.json"), JSON.stringify(orthancConfig(this.dir, options), null, 2));
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.httpPort}`;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    const child = spawn(ORTHANC_BIN, [path.join(this.dir, "orthanc.json")], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d) => (this.log += d));
    child.stderr!.on("data", (d) => (this.log += d));
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`Orthanc exited at start:\n${this.log.slice(-2000)}`);
      const up = await fetch(`${this.url}/system`).then((r) => r.ok, () => false);
      if (up) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`Orthanc did not answer within ${timeoutMs} ms:\n${this.log.slice(-2000)}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const killed = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(killed);
  }

  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  async json<T = unknown>(pathname: string, init?: RequestInit): Promise<T> {
    const res = await fetch(`${this.url}${pathname}`, init);
    if (!res.ok) throw new Error(`Orthanc ${init?.method ?? "GET"} ${pathname}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async file(instanceId: string): Promise<Buffer> {
    const res = await fetch(`${this.url}/instances/${instanceId}/file`);
    if (!res.ok) throw new Error(`Orthanc file ${instanceId}: HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }
}
