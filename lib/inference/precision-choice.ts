import "server-only";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { MANIFEST_FILE } from "./manifest";

// Which precision serves: the site chooses (MODEL_PRECISION), but int8 serves only with a passed
// comparison of exactly the installed pair: `npm run evaluate -- --model <fp32> --compare <int8> --save`
// writes agreement.json beside the int8 model, naming both graphs by sha256. Without it (or when it
// failed, or names other graphs) float32 serves, and the reason is shown on the admin page and logged.

export const AGREEMENT_FILE = "agreement.json";

const Side = z.object({ dir: z.string(), name: z.string(), precision: z.enum(["fp32", "int8"]), sha256: z.string(), trained: z.boolean() });
export const AgreementFile = z.object({
  comparedAt: z.string().datetime(),
  a: Side,
  b: Side,
  images: z.object({ given: z.number(), compared: z.number(), labelled: z.number() }),
  comparison: z.object({
    films: z.number(),
    acceptable: z.boolean(),
    limit: z.number(),
    calibrated: z.object({ maxAbsDifference: z.number(), meanAbsDifference: z.number() }).passthrough(),
    changedCalls: z.array(z.unknown()),
    changedTriage: z.array(z.unknown()),
    auc: z.array(z.object({ label: z.string(), aucA: z.number(), aucB: z.number(), difference: z.number(), p: z.number().nullable() }).passthrough()),
  }),
});
export type Agreement = z.infer<typeof AgreementFile>;

export interface PrecisionChoice {
  requested: "fp32" | "int8";
  serving: "fp32" | "int8";
  dir: string;
  fp32Dir: string;
  int8Dir: string | null;
  /** The comparison of the installed pair, when one was saved. */
  agreement: Agreement | null;
  /** Why float32 serves although int8 was asked for. */
  reason: string | null;
}

function sha256Of(dir: string): string | null {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), "utf8")) as { onnx?: { sha256?: string } }).onnx?.sha256 ?? null;
  } catch {
    return null;
  }
}

function readAgreement(int8Dir: string): Agreement | null {
  try {
    const parsed = AgreementFile.safeParse(JSON.parse(fs.readFileSync(path.join(int8Dir, AGREEMENT_FILE), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function decidePrecision(requested: "fp32" | "int8", fp32Dir: string, int8Dir: string | null): PrecisionChoice {
  const agreement = int8Dir ? readAgreement(int8Dir) : null;
  const base = { requested, fp32Dir, int8Dir, agreement };
  const fp32 = (reason: string | null): PrecisionChoice => ({ ...base, serving: "fp32", dir: fp32Dir, reason });
  if (requested === "fp32") return fp32(null);
  if (!int8Dir) return fp32("MODEL_PRECISION=int8 but no MODEL_INT8_DIR is set");
  if (!agreement) return fp32(`no comparison of the pair was saved (run npm run evaluate -- --model ${fp32Dir} --compare ${int8Dir} --save ...)`);
  if (agreement.a.sha256 !== sha256Of(fp32Dir) || agreement.b.sha256 !== sha256Of(int8Dir) || agreement.b.precision !== "int8") {
    return fp32("the saved comparison is of other model files than the installed pair: compare them again");
  }
  if (!agreement.comparison.acceptable) {
    return fp32(
      `the comparison did not pass (max |Δ calibrated| ${agreement.comparison.calibrated.maxAbsDifference.toFixed(3)} vs limit ${agreement.comparison.limit}, ` +
        `${agreement.comparison.changedCalls.length} calls and ${agreement.comparison.changedTriage.length} triage levels changed)`,
    );
  }
  return { ...base, serving: "int8", dir: int8Dir, reason: null };
}

const state = globalThis as unknown as { cxrPrecision?: PrecisionChoice };

/** The model directory that analyses uploads, decided once per process. */
export function precisionChoice(): PrecisionChoice {
  if (!state.cxrPrecision) {
    state.cxrPrecision = decidePrecision(env.MODEL_PRECISION, path.resolve(env.MODEL_DIR), env.MODEL_INT8_DIR ? path.resolve(env.MODEL_INT8_DIR) : null);
    if (state.cxrPrecision.reason) logger.warn({ reason: state.cxrPrecision.reason }, "int8 requested, float32 serves");
  }
  return state.cxrPrecision;
}

export const servingModelDir = (): string => precisionChoice().dir;
