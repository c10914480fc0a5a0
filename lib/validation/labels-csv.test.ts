import { describe, expect, it } from "vitest";
import { LabelsCsvError, parseCsvRecords, parseLabelsCsv } from "./labels-csv";

const MODEL = ["Atelectasis", "Lung_Opacity", "Pneumothorax", ""];

describe("labels CSV", () => {
  it("reads quoted cells, CRLF, a BOM and blank lines", () => {
    expect(parseCsvRecords('\ufeffa,"b,""c"""\r\n\r\n"line\nbreak",2\n')).toEqual([["a", 'b,"c"'], ["line\nbreak", "2"]]);
  });

  it("matches columns to model labels loosely and keeps unknown cells out", () => {
    const parsed = parseLabelsCsv("File,lung opacity,PNEUMOTHORAX,ward\nscans/a.png,1,,3\nb.dcm,0,1,\n", MODEL);
    expect(parsed.labels).toEqual(["Lung_Opacity", "Pneumothorax"]);
    expect(parsed.ignoredColumns).toEqual(["ward"]);
    expect(parsed.rows).toEqual([
      { file: "a.png", labels: { Lung_Opacity: 1 } },
      { file: "b.dcm", labels: { Lung_Opacity: 0, Pneumothorax: 1 } },
    ]);
  });

  it.each([
    ["", /empty/],
    ["name,Pneumothorax\na.png,1", /"file" column/],
    ["file,ward\na.png,1", /No column names a finding/],
    ["file,Pneumothorax,pneumothorax\na.png,1,1", /appears twice/],
    ["file,Pneumothorax\na.png,1\na.png,0", /Row 3: a.png is listed twice/],
    ["file,Pneumothorax\na.png,-1", /Row 2, column Pneumothorax: "-1" is not a label/],
    ["file,Pneumothorax\n,1", /Row 2: the file name is empty/],
    ['file,Pneumothorax\n"a.png,1', /closing/],
  ])("refuses %j with a message a person understands", (text, message) => {
    expect(() => parseLabelsCsv(text, MODEL)).toThrow(LabelsCsvError);
    expect(() => parseLabelsCsv(text, MODEL)).toThrow(message);
  });
});
