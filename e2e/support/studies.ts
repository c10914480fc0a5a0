// Files to upload in end-to-end tests: the shared fixture radiographs when ../shared/fixtures is present
// (CI clones the repo with shared/ beside it), else films drawn here, so the specs run either way and
// say which they used. Uploads go through the app's own route (real decoders and the real model).
import fs from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext } from "@playwright/test";
import { syntheticPixels, writeDicom } from "../../test/support/imaging/dicom-writer";
import { withOwnUids } from "../../test/support/imaging/own-uids";
import { syntheticFilmPng } from "../../test/support/imaging/synthetic-film";
import { fromAppPage } from "./same-origin";

export interface StudyUpload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

// Relative to the repo root, where Playwright runs.
const fixtures = path.resolve("../shared/fixtures");
const fixturesPresent = fs.existsSync(path.join(fixtures, "xrv", "reference.json"));
const fixture = (...p: string[]) => fs.readFileSync(path.join(fixtures, ...p));

/**
 * The fixture DICOM as a study and instance of its own: every spec uploads this one file, and the app
 * groups images by Study Instance UID and keeps one image per SOP Instance UID, so without this the
 * specs' uploads would all be one image of one study.
 */
const ownStudy = (dicom: Buffer) => withOwnUids(dicom);

/**
 * The project's synthetic film with lung-field variant `seed`, so that even the untrained model scores
 * the films far enough apart for the triage specs.
 */
function drawnFilm(seed: number): Promise<Buffer> {
  return syntheticFilmPng(seed, 512, { lungs: seed });
}

function generatedDicom(): Buffer {
  const rows = 512;
  const columns = 430;
  return writeDicom({ rows, columns, bitsAllocated: 16, bitsStored: 12, pixels: Uint16Array.from(syntheticPixels(rows, columns, 4095)) });
}

/** One chest film as PNG bytes (the README's curl example sends it). */
export async function studyImageBytes(): Promise<Buffer> {
  return fixturesPresent ? fixture("xrv", "images", "00000001_000.png") : drawnFilm(0);
}

/** The chest film as a PNG upload named `name`. */
export async function pngStudy(name: string): Promise<StudyUpload> {
  return { name, mimeType: "image/png", buffer: await studyImageBytes() };
}

/** A PNG and a DICOM radiograph whose file names carry `tag`, so a spec can find exactly its own uploads. */
export async function pngAndDicom(tag: string): Promise<{ png: StudyUpload; dicom: StudyUpload; source: "fixtures" | "generated" }> {
  return {
    source: fixturesPresent ? "fixtures" : "generated",
    png: await pngStudy(`${tag}-chest.png`),
    dicom: {
      name: `${tag}-chest.dcm`,
      mimeType: "application/dicom",
      buffer: fixturesPresent ? ownStudy(fixture("dicom", "dx-12bit-explicit-le.dcm")) : generatedDicom(),
    },
  };
}

/**
 * Three studies with file names carrying `tag` (so a search finds exactly these): the fixture films when
 * present (the second is a 12-bit DICOM, windowed on its stored values), else films drawn here.
 */
export async function studyFiles(tag: string): Promise<StudyUpload[]> {
  if (fixturesPresent) {
    return [
      { name: `${tag}-a.png`, mimeType: "image/png", buffer: fixture("xrv", "images", "00000001_000.png") },
      { name: `${tag}-b.dcm`, mimeType: "application/dicom", buffer: ownStudy(fixture("dicom", "dx-12bit-explicit-le.dcm")) },
      { name: `${tag}-c.png`, mimeType: "image/png", buffer: fixture("xrv", "images", "h0001.png") },
    ];
  }
  return Promise.all([0, 1, 2].map(async (i) => ({ name: `${tag}-${"abc"[i]}.png`, mimeType: "image/png", buffer: await drawnFilm(i) })));
}

/**
 * Three films that are three studies (no DICOM, so no shared Study Instance UID groups them with other
 * specs' uploads): fixture PNG/JPEG films when present, else films drawn here.
 */
export async function separateStudyFiles(tag: string): Promise<StudyUpload[]> {
  if (fixturesPresent) {
    return [
      { name: `${tag}-a.png`, mimeType: "image/png", buffer: fixture("xrv", "images", "00000001_000.png") },
      { name: `${tag}-b.jpg`, mimeType: "image/jpeg", buffer: fixture("xrv", "images", "covid-19-pneumonia-58-prior.jpg") },
      { name: `${tag}-c.png`, mimeType: "image/png", buffer: fixture("xrv", "images", "h0001.png") },
    ];
  }
  return Promise.all([0, 1, 2].map(async (i) => ({ name: `${tag}-${"abc"[i]}.png`, mimeType: "image/png", buffer: await drawnFilm(i) })));
}

/** A file that claims to be a PNG but is damaged after its signature. */
export function corruptPng(tag: string): StudyUpload {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return { name: `${tag}-broken.png`, mimeType: "image/png", buffer: Buffer.concat([signature, Buffer.alloc(2048, 0x41)]) };
}

/** Uploads one file through the upload route, waits for its analysis (`Prefer: wait`) and returns its id. */
export async function uploadStudy(request: APIRequestContext, file: StudyUpload): Promise<string> {
  const res = await request.post("/api/analyses", { multipart: { file }, headers: { ...fromAppPage(), prefer: "wait=60" } });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { analyses: { id: string }[] };
  expect(body.analyses).toHaveLength(1);
  return body.analyses[0].id;
}
