import { describe, expect, it } from "vitest";
import { encodeMultipartRelated, MultipartRelatedError, parseMultipartRelated } from "./multipart-related";
import { storeResponse } from "./store-response";

describe("multipart/related", () => {
  it("reads back what it writes, binary parts intact", () => {
    const parts = [Buffer.from([0, 13, 10, 45, 45, 255]), Buffer.alloc(3000, 7)];
    const { body, contentType } = encodeMultipartRelated(parts, "application/dicom");
    const read = parseMultipartRelated(body, contentType);
    expect(read.map((p) => p.contentType)).toEqual(["application/dicom", "application/dicom"]);
    expect(read.map((p) => Buffer.compare(p.body, parts[read.indexOf(p)]))).toEqual([0, 0]);
  });

  it("takes a quoted boundary, a preamble, transport padding and a part without headers (the whole's type)", () => {
    const body = Buffer.from("preamble\r\n--b1  \r\nContent-Type: application/dicom\r\n\r\nAAA\r\n--b1\r\n\r\nBBB\r\n--b1--\r\n");
    const read = parseMultipartRelated(body, 'multipart/related; type="application/dicom"; boundary="b1"');
    expect(read.map((p) => [p.contentType, p.body.toString()])).toEqual([
      ["application/dicom", "AAA"],
      ["application/dicom", "BBB"],
    ]);
  });

  it("refuses a truncated body and a missing boundary", () => {
    expect(() => parseMultipartRelated(Buffer.from("--b1\r\n\r\nAAA"), "multipart/related; boundary=b1")).toThrow(MultipartRelatedError);
    expect(() => parseMultipartRelated(Buffer.from("x"), "multipart/related")).toThrow(/no boundary/);
  });
});

describe("store response status (PS3.18 10.5.3)", () => {
  const ok = { sopClassUid: "1.2", sopInstanceUid: "1.2.3", note: "Analysis x." };
  const bad = { sopClassUid: "1.2", sopInstanceUid: "1.2.4", reason: 0x0122, message: "no" };
  it("is 200 when all were stored, 202 when some were, 409 when none were", () => {
    expect(storeResponse([ok], []).status).toBe(200);
    expect(storeResponse([ok], [bad]).status).toBe(202);
    expect(storeResponse([], [bad]).status).toBe(409);
    expect(storeResponse([], [bad]).body["00081198"].Value).toEqual([
      { "00081150": { vr: "UI", Value: ["1.2"] }, "00081155": { vr: "UI", Value: ["1.2.4"] }, "00081197": { vr: "US", Value: [0x0122] }, "0040A160": { vr: "UT", Value: ["no"] } },
    ]);
  });
});
