// One schema for PostgreSQL and embedded PGlite: migrations in drizzle/ are generated from this file.
// Patient identifiers: no patient name or patient ID column exists anywhere, on purpose. Analyses keep
// only what a radiologist needs to match a study (accession number, DICOM UIDs, sex, age, study date).
import { sql } from "drizzle-orm";
import { ROLES } from "@/lib/core/roles";
import { float64Array } from "./float64-array";
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { Measurement } from "@/lib/core/measurement-types";
import { studies } from "./studies";

export const roleEnum = pgEnum("role", ROLES);
/** password: a local account (e-mail and password, a second factor when enrolled); oidc: the hospital's identity provider. */
export const authMethodEnum = pgEnum("auth_method", ["password", "oidc"]);
// queued: accepted (file stored, row and job committed), waiting for a worker; processing: a worker holds it.
export const analysisStatusEnum = pgEnum("analysis_status", ["queued", "processing", "completed", "failed"]);
export const reviewStatusEnum = pgEnum("review_status", ["unreviewed", "in_review", "signed_off"]);
/** The radiologist's overall call on a signed review; it must agree with the confirmed findings. */
export const overallResultEnum = pgEnum("overall_result", ["normal", "abnormal"]);
export const triageLevelEnum = pgEnum("triage_level", ["critical", "abnormal", "normal", "not_assessable"]);
/** clinical: a patient's film, read in the worklist; validation: a film of a validation set, seen only inside it. */
export const analysisPurposeEnum = pgEnum("analysis_purpose", ["clinical", "validation"]);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique(),
  name: text("name").notNull().default(""),
  role: roleEnum("role").notNull(),
  passwordHash: text("password_hash"),
  disabled: boolean("disabled").notNull().default(false),
  mustChangePassword: boolean("must_change_password").notNull().default(false),
  /** Bumped on password reset, disable or role change: sessions minted before it are rejected. */
  sessionVersion: integer("session_version").notNull().default(0),
  lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
  authMethod: authMethodEnum("auth_method").notNull().default("password"),
  /** The identity provider's `sub` for this person (oidc accounts; null until the first sign-in of a pre-provisioned one). */
  oidcSubject: text("oidc_subject").unique(),
  /** TOTP key, encrypted with a key derived from the app secret (lib/auth/mfa/secret-box.ts); set at enrolment. */
  totpSecret: text("totp_secret"),
  /** Null while the enrolment is not confirmed by a typed code: the factor counts only once set. */
  totpConfirmedAt: timestamp("totp_confirmed_at", { withTimezone: true }),
  /** The last accepted TOTP time step: a code of this step or an earlier one is never accepted again. */
  totpLastStep: integer("totp_last_step"),
  /** The person's own settings (the reader's viewer preferences); validated by lib/users/preferences-input.ts on read and write. */
  preferences: jsonb("preferences").$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
});

/** Uploaded files, addressed by content: an identical re-upload reuses the stored bytes and renderings. */
export const images = pgTable("images", {
  sha256: text("sha256").primaryKey(),
  byteSize: integer("byte_size").notNull(),
  format: text("format").notNull(),
  width: integer("width").notNull(),
  height: integer("height").notNull(),
  createdAt: createdAt(),
  /** Set when retention removed the original file: the analyses keep their findings, the film is gone. */
  originalRemovedAt: timestamp("original_removed_at", { withTimezone: true }),
  /** Set when retention removed the display image, thumbnail and pixel stream. */
  renderingsRemovedAt: timestamp("renderings_removed_at", { withTimezone: true }),
});

export const analyses = pgTable(
  "analyses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uploadedBy: uuid("uploaded_by").references(() => users.id),
    imageSha256: text("image_sha256")
      .notNull()
      .references(() => images.sha256),
    /** Every analysis belongs to a study (lib/studies/assign.ts). */
    studyId: uuid("study_id")
      .notNull()
      .references(() => studies.id),
    fileName: text("file_name").notNull(),
    status: analysisStatusEnum("status").notNull().default("processing"),
    /** Plain-language reason when status is failed; `errorCode` is its stable machine-readable kind. */
    error: text("error"),
    errorCode: text("error_code"),
    /** Who sent it with which Idempotency-Key ("key:<api key id>" or "user:<user id>"), and the file's place in that request. */
    idempotencyOwner: text("idempotency_owner"),
    idempotencyKey: text("idempotency_key"),
    idempotencyIndex: integer("idempotency_index"),
    /** Failed attempts that may be the film's (worker deaths and outages are not counted: docs/storage-and-queue.md). */
    attempts: integer("attempts").notNull().default(0),
    startedAt: timestamp("started_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    workerId: text("worker_id"),
    /** DICOM and image metadata without patient name or patient ID (see header comment). */
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    modality: text("modality"),
    viewPosition: text("view_position"),
    accessionNumber: text("accession_number"),
    studyInstanceUid: text("study_instance_uid"),
    studyDate: text("study_date"),
    /** `reason` codes why a gate fired, e.g. not_a_radiograph: "fine_texture" (lib/imaging/chest-gate). */
    warnings: jsonb("warnings").$type<{ code: string; message: string; reason?: string }[]>().notNull().default([]),
    modelName: text("model_name"),
    modelVersion: text("model_version"),
    modelTrained: boolean("model_trained"),
    /** Arithmetic of the model run that made the findings ("fp32" or "int8"); null before it ran. */
    modelPrecision: text("model_precision"),
    /** Milliseconds per pipeline stage (decode, preprocess, inference, render, store). */
    timings: jsonb("timings").$type<Record<string, number>>().notNull().default({}),
    triageLevel: triageLevelEnum("triage_level"),
    reviewStatus: reviewStatusEnum("review_status").notNull().default("unreviewed"),
    /** Only clinical work is listed, triaged, counted, compared or delivered (lib/analyses/purpose.ts). */
    purpose: analysisPurposeEnum("purpose").notNull().default("clinical"),
    createdAt: createdAt(),
  },
  (t) => [
    index("analyses_created_at_idx").on(t.createdAt),
    index("analyses_triage_idx").on(t.triageLevel, t.createdAt),
    index("analyses_accession_idx").on(t.accessionNumber),
    index("analyses_study_idx").on(t.studyId),
    // Queue depth, place in the queue and the oldest waiting analysis are read by status and age.
    index("analyses_status_created_idx").on(t.status, t.createdAt),
    uniqueIndex("analyses_idempotency_idx").on(t.idempotencyOwner, t.idempotencyKey, t.idempotencyIndex),
  ],
);

export const findings = pgTable(
  "findings",
  {
    analysisId: uuid("analysis_id")
      .notNull()
      .references(() => analyses.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    label: text("label").notNull(),
    // Double precision: a logit of -200 (a white page, a damaged frame) gives a probability of ~1e-87,
    // below the smallest PostgreSQL `real`, and the insert would fail. Any finite double is stored.
    logit: doublePrecision("logit").notNull(),
    probability: doublePrecision("probability").notNull(),
    // Null where this model gives no score for the label (its release has no operating point for it):
    // "not assessed by this model", never op_norm's 0.5, which is not a score.
    calibrated: doublePrecision("calibrated"),
    positive: boolean("positive").notNull(),
  },
  (t) => [primaryKey({ columns: [t.analysisId, t.label] })],
);

/** Heatmaps per finding are derived from this raw CAM (18 x 7 x 7) rather than stored as images. */
export const analysisCams = pgTable("analysis_cams", {
  analysisId: uuid("analysis_id")
    .primaryKey()
    .references(() => analyses.id, { onDelete: "cascade" }),
  shape: jsonb("shape").$type<number[]>().notNull(),
  data: float64Array("data").notNull(),
});

/** Every version of a review is kept: an amendment after sign-off adds a row, never rewrites one. */
export const reviews = pgTable(
  "reviews",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    analysisId: uuid("analysis_id")
      .notNull()
      .references(() => analyses.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    reviewerId: uuid("reviewer_id")
      .notNull()
      .references(() => users.id),
    /** label -> "agree" | "disagree" */
    decisions: jsonb("decisions").$type<Record<string, "agree" | "disagree">>().notNull().default({}),
    /** Findings the model missed, added by the reviewer. */
    addedFindings: jsonb("added_findings").$type<string[]>().notNull().default([]),
    impression: text("impression").notNull().default(""),
    /** Distances and cardiothoracic ratios drawn on the film, in image pixels (mm follow from its pixel spacing). */
    measurements: jsonb("measurements").$type<Measurement[]>().notNull().default([]),
    amendmentReason: text("amendment_reason"),
    /** Recorded at sign-off (null on drafts and on reviews signed before it existed). */
    overallResult: overallResultEnum("overall_result"),
    signedOffAt: timestamp("signed_off_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("reviews_analysis_version_idx").on(t.analysisId, t.version)],
);

/**
 * One reader's review as typed, saved while they type: theirs alone (another reader never sees it), kept
 * until they save it as the review's draft version or the review is signed off.
 */
export const reviewDrafts = pgTable(
  "review_drafts",
  {
    analysisId: uuid("analysis_id")
      .notNull()
      .references(() => analyses.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The review form's content (lib/reviews/input.ts ReviewDraftInput), validated on read and write. */
    content: jsonb("content").$type<Record<string, unknown>>().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.analysisId, t.userId] })],
);

export const apiKeys = pgTable("api_keys", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** Visible, non-secret start of the key so people can tell keys apart. */
  prefix: text("prefix").notNull().unique(),
  secretHash: text("secret_hash").notNull(),
  name: text("name").notNull(),
  ownerId: uuid("owner_id")
    .notNull()
    .references(() => users.id),
  scopes: jsonb("scopes").$type<string[]>().notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }),
  /** Written at most once a minute (lib/api-keys/keys.ts): one hot row must not take a write per request. */
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
  /** Requests per minute set by an admin for this key; null: RATE_LIMIT_PER_KEY; 0: no limit. */
  rateLimitPerMinute: integer("rate_limit_per_minute"),
  createdAt: createdAt(),
});

export const shares = pgTable(
  "shares",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    analysisId: uuid("analysis_id")
      .notNull()
      .references(() => analyses.id, { onDelete: "cascade" }),
    /** Only a hash of the link token is stored; the token itself is shown once. */
    tokenHash: text("token_hash").notNull().unique(),
    accessCodeHash: text("access_code_hash"),
    recipientEmail: text("recipient_email"),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("shares_recipient_idx").on(t.recipientEmail)],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid("actor_user_id"),
    actorApiKeyId: uuid("actor_api_key_id"),
    /** e.g. "auth.sign_in", "auth.sign_in_failed", "analysis.view", "analysis.create", "review.sign_off" */
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("audit_events_at_idx").on(t.at), index("audit_events_action_idx").on(t.action, t.at)],
);

/**
 * Recent attempts at guessing a secret (sign-in passwords, share access codes), per scope and key, so
 * that the limits hold across restarts and every process of a deployment. `attempts` holds the epoch
 * milliseconds of the attempts still in the window; a row is dead once `expires_at` has passed.
 */
export const attemptCounters = pgTable(
  "attempt_counters",
  {
    scope: text("scope").notNull(),
    /** Never an email in the clear: sign-in keys are keyed hashes (lib/sign-in/sign-in.ts). */
    key: text("key").notNull(),
    attempts: jsonb("attempts").$type<number[]>().notNull().default([]),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index("attempt_counters_expires_idx").on(t.expiresAt)],
);

/** Site-wide settings editable by admins (e.g. triage thresholds per finding). */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true })
    .notNull()
    .default(sql`now()`),
});

export type User = typeof users.$inferSelect;
export type AnalysisStatus = (typeof analysisStatusEnum.enumValues)[number];
export type Analysis = typeof analyses.$inferSelect;
export type Finding = typeof findings.$inferSelect;
export type Review = typeof reviews.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type Share = typeof shares.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
