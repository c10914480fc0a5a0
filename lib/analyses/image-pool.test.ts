// The image threads against the same work on this thread: a good film's model input and renderings are
// the same values, a bad file comes back as the same refusal (code and message), a missing original is
// a retry, and a pool that lost its threads starts new ones.
import crypto from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { decodeImage, isImagingError, preprocessForModel, renderDisplayImages } from "@/lib/imaging";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { getStored, putStored, sha256Hex } from "@/lib/storage/content-store";
import { closeImagePool, prepareInThread, returnInputs } from "./image-pool";

afterAll(() => closeImagePool());

async function stored(bytes: Buffer): Promise<string> {
  const sha256 = sha256Hex(bytes);
  await putStored("original", sha256, bytes);
  return sha256;
}

describe("image threads", () => {
  it("make the same model input, metadata, warnings and renderings as this thread", async () => {
    const film = await syntheticFilmPng(crypto.randomInt(1, 1e9), 384);
    const sha256 = await stored(film);
    const prepared = await prepareInThread({ sha256, fileName: "film.png", qualityGates: "warn" });
    if ("kind" in prepared) throw new Error(`not prepared: ${prepared.message}`);

    const decoded = await decodeImage(film, { fileName: "film.png", qualityGates: "warn" });
    expect(Buffer.from(prepared.input.buffer, prepared.input.byteOffset, prepared.input.byteLength)).toEqual(
      Buffer.from(preprocessForModel(decoded).buffer),
    );
    expect(prepared.metadata).toEqual(decoded.metadata);
    expect(prepared.warnings).toEqual(decoded.warnings);

    const timings = await prepared.storeRenderings();
    expect(timings.render).toBeGreaterThan(0);
    const rendered = await renderDisplayImages(decoded);
    expect(await getStored("display", sha256)).toEqual(rendered.full);
    expect(await getStored("thumbnail", sha256)).toEqual(rendered.thumbnail);
    // Its source is gone once stored: a second storing is an error, not a silent success.
    await expect(prepared.storeRenderings()).rejects.toThrow(/holds no prepared image/);
    returnInputs([prepared.input]);
    expect(prepared.input.byteLength).toBe(0); // handed back to the thread, not kept here
  });

  it("refuse a bad file with the same code and message as decoding it here", async () => {
    const bytes = Buffer.concat([(await syntheticFilmPng(7, 256)).subarray(0, 300), crypto.randomBytes(64)]);
    const sha256 = await stored(bytes);
    const here = await decodeImage(bytes, { fileName: "cut.png" }).then(
      () => null,
      (e: unknown) => e,
    );
    if (!isImagingError(here)) throw new Error("expected the cut-off PNG to be refused");
    expect(await prepareInThread({ sha256, fileName: "cut.png", qualityGates: "warn" })).toEqual({ kind: "rejected", code: here.code, message: here.message });
  });

  it("answer a missing original with a retry that counts as one of the upload's attempts", async () => {
    const sha256 = sha256Hex(crypto.randomBytes(32));
    expect(await prepareInThread({ sha256, fileName: "gone.png", qualityGates: "warn" })).toMatchObject({ kind: "retry", code: "original_missing", film: true });
  });

  it("fail the requests of a stopped thread as errors and start a new thread for the next", async () => {
    const sha256 = await stored(await syntheticFilmPng(crypto.randomInt(1, 1e9), 256));
    const inFlight = prepareInThread({ sha256, fileName: "a.png", qualityGates: "warn" });
    const error = inFlight.then(
      () => null,
      (e: unknown) => e,
    );
    // Posted to the thread (which takes milliseconds to read and decode it), then the pool stops.
    await new Promise((r) => setImmediate(r));
    await closeImagePool();
    const failed = await error;
    expect(failed).toBeInstanceOf(Error);
    expect(isImagingError(failed)).toBe(false);
    expect((failed as Error).message).toMatch(/image thread stopped/);
    const again = await prepareInThread({ sha256, fileName: "a.png", qualityGates: "warn" });
    expect(again).toMatchObject({ input: expect.any(Float32Array) });
  });
});
