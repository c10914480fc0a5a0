// Test data for the workspace's integration tests: users and finished analyses with chosen calibrated
// scores, triaged by the real applyTriage. Scores are chosen by the test because the only model this
// machine has is untrained; everything after the scores runs through production code.
import crypto from "node:crypto";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/core/roles";
import { analyses, findings, images, studies, users, type AnalysisStatus } from "@/lib/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { applyTriage } from "@/lib/triage/apply";

export const XRV_LABELS = [
  "Atelectasis", "Consolidation", "Infiltration", "Pneumothorax", "Edema", "Emphysema", "Fibrosis", "Effusion",
  "Pneumonia", "Pleural_Thickening", "Cardiomegaly", "Nodule", "Mass", "Hernia", "Lung Lesion", "Fracture",
  "Lung Opacity", "Enlarged Cardiomediastinum",
] as const;

export async function seedUser(role: Role, name = `${role} ${crypto.randomBytes(3).toString("hex")}`): Promise<Principal> {
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${crypto.randomBytes(4).toString("hex")}@test.invalid`;
  const [u] = await db.insert(users).values({ email, name, role }).returning();
  return { kind: "user", userId: u.id, email: u.email, name: u.name, role: u.role };
}

export interface SeedAnalysis {
  uploadedBy: string;
  /** Calibrated score per label; labels not given score 0.2 (clearly negative). */
  scores?: Partial<Record<string, number>>;
  warnings?: { code: string; message: string }[];
  status?: AnalysisStatus;
  accessionNumber?: string | null;
  fileName?: string;
  createdAt?: Date;
  timings?: Record<string, number>;
  /** The study the analysis joins; by default a new study of one image. */
  studyId?: string;
  viewPosition?: string | null;
  /** clinical by default; "validation" for a film uploaded for a validation set. */
  purpose?: "clinical" | "validation";
}

export async function seedAnalysis(opts: SeedAnalysis): Promise<string> {
  const sha = crypto.randomBytes(32).toString("hex");
  await db.insert(images).values({ sha256: sha, byteSize: 1000, format: "png", width: 512, height: 512 });
  const status = opts.status ?? "completed";
  const studyId = opts.studyId ?? (await db.insert(studies).values({}).returning({ id: studies.id }))[0].id;
  const [a] = await db
    .insert(analyses)
    .values({
      uploadedBy: opts.uploadedBy,
      imageSha256: sha,
      studyId,
      viewPosition: opts.viewPosition ?? null,
      fileName: opts.fileName ?? `${sha.slice(0, 8)}.png`,
      status,
      purpose: opts.purpose ?? "clinical",
      accessionNumber: opts.accessionNumber ?? null,
      warnings: opts.warnings ?? [],
      modelName: "densenet121-res224-all",
      modelVersion: "test",
      modelTrained: false,
      timings: opts.timings ?? { decode: 40, preprocess: 20, inference: 300, render: 30, store: 10 },
      ...(opts.createdAt ? { createdAt: opts.createdAt } : {}),
    })
    .returning({ id: analyses.id });
  if (status === "completed") {
    await db.insert(findings).values(
      XRV_LABELS.map((label, position) => {
        const calibrated = opts.scores?.[label] ?? 0.2;
        const probability = calibrated; // not used by the code under test; kept in range
        return {
          analysisId: a.id,
          position,
          label,
          logit: Math.log(probability / (1 - probability)),
          probability,
          calibrated,
          positive: calibrated >= 0.5,
        };
      }),
    );
  }
  if (status !== "processing") await applyTriage(a.id);
  return a.id;
}
