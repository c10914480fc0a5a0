// Test support: OHIF, the reference open-source DICOM viewer, as a radiologist would open our results.
// Serves the viewer built by the @ohif/app package (node_modules/@ohif/app/dist, never modified) at the
// root of a free port, with its routes (/viewer?StudyInstanceUIDs=…) answered by index.html, an
// app-config.js of our own with one DICOMweb data source, and a same-origin proxy from /dicom-web to
// the test's PACS (Orthanc's DICOMweb), so the browser needs no CORS.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { freePort } from "@/test/support/free-port";

export const OHIF_DIST = path.resolve("node_modules/@ohif/app/dist");

export function hasOhif(): boolean {
  return fs.existsSync(path.join(OHIF_DIST, "index.html"));
}

/** OHIF's window.config: one DICOMweb data source at this origin's /dicom-web. */
export function ohifAppConfig(origin: string): string {
  const root = `${origin}/dicom-web`;
  const config = {
    routerBasename: "/",
    extensions: [],
    modes: [],
    customizationService: {},
    showStudyList: true,
    maxNumberOfWebWorkers: 2,
    showWarningMessageForCrossOrigin: false,
    showCPUFallbackMessage: false,
    showLoadingIndicator: true,
    strictZSpacingForVolumeViewport: true,
    investigationalUseDialog: { option: "never" },
    showErrorDetails: "always",
    defaultDataSourceName: "dicomweb",
    dataSources: [
      {
        namespace: "@ohif/extension-default.dataSourcesModule.dicomweb",
        sourceName: "dicomweb",
        configuration: {
          friendlyName: "Test PACS (Orthanc)",
          name: "orthanc",
          wadoUriRoot: root,
          qidoRoot: root,
          wadoRoot: root,
          qidoSupportsIncludeField: false,
          imageRendering: "wadors",
          thumbnailRendering: "wadors",
          enableStudyLazyLoad: true,
          supportsFuzzyMatching: false,
          supportsWildcard: true,
          staticWado: false,
          singlepart: "bulkdata,video",
          bulkDataURI: { enabled: true, relativeResolution: "studies" },
          omitQuotationForMultipartRequest: true,
        },
      },
    ],
  };
  return `window.config = ${JSON.stringify(config, null, 2)};\n`;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".onnx": "application/octet-stream",
};

function proxy(req: http.IncomingMessage, res: http.ServerResponse, target: URL): void {
  const headers = { ...req.headers, host: target.host };
  const upstream = http.request(target, { method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", (error) => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
    res.end(`proxy error: ${error.message}`);
  });
  req.pipe(upstream);
}

function serveFile(res: http.ServerResponse, file: string): void {
  res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
  fs.createReadStream(file).pipe(res);
}

export interface OhifViewer {
  url: string;
  /** The viewer's page for one study. */
  studyUrl(studyInstanceUid: string): string;
  close(): Promise<void>;
}

/** `dicomWebUrl`: the PACS's DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web */
export async function startOhifViewer(dicomWebUrl: string): Promise<OhifViewer> {
  if (!hasOhif()) throw new Error(`OHIF is not installed at ${OHIF_DIST} (npm ci installs the devDependency @ohif/app)`);
  const pacs = new URL(dicomWebUrl.replace(/\/+$/, ""));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", origin);
    if (url.pathname === "/dicom-web" || url.pathname.startsWith("/dicom-web/")) {
      proxy(req, res, new URL(`${pacs.pathname}${url.pathname.slice("/dicom-web".length)}${url.search}`, pacs));
      return;
    }
    if (url.pathname === "/app-config.js") {
      res.writeHead(200, { "content-type": TYPES[".js"], "cache-control": "no-store" });
      res.end(ohifAppConfig(origin));
      return;
    }
    const file = path.join(OHIF_DIST, path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ""));
    if (file.startsWith(OHIF_DIST + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      serveFile(res, file);
      return;
    }
    // The viewer's own routes (/viewer, /viewer/…): a single-page app.
    if (!path.extname(url.pathname)) {
      serveFile(res, path.join(OHIF_DIST, "index.html"));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: origin,
    studyUrl: (uid) => `${origin}/viewer?StudyInstanceUIDs=${encodeURIComponent(uid)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
