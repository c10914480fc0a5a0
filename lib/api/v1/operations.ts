// The v1 operations: path, method, scopes, inputs and answers. Route handlers take their scopes from
// here and the OpenAPI document is built from it, so both describe the same API.
import type { z } from "zod";
import type { ApiScope } from "@/lib/auth/principal";
import { Anatomy, AnatomyQuery } from "./anatomy-schema";
import { Analysis, AnalysisBatch, AnalysisDetail, AnalysisListQuery, AnalysisPage, DicomScQuery, FhirBundle, ModelList, Study } from "./schemas";

export interface V1Response {
  description: string;
  schema?: z.ZodType | z.ZodType[];
  headers?: Record<string, string>;
  /** Media type of the body; application/json unless said otherwise. */
  contentType?: string;
  /** Media types of a body that is not JSON (e.g. DICOM files), documented as binary. */
  binaryContent?: string[];
}

export interface V1Operation {
  operationId: string;
  method: "get" | "post";
  path: string;
  summary: string;
  description: string;
  scopes: readonly ApiScope[];
  query?: z.ZodObject;
  pathParams?: Record<string, string>;
  /** Request headers the operation reads, with their JSON schema. */
  headerParams?: Record<string, { description: string; schema: Record<string, unknown> }>;
  multipartUpload?: boolean;
  success: Record<number, V1Response>;
  /** Problem statuses this operation may answer with, besides the ones every operation has. */
  errors: number[];
}

export const v1Operations = {
  createAnalyses: {
    operationId: "createAnalyses",
    method: "post",
    path: "/api/v1/analyses",
    summary: "Queue one or more images for analysis",
    description:
      "Send images as multipart/form-data in the field `file` (repeat it for several files). Each file is checked " +
      "(size, type, header, dimensions), stored and queued in one transaction; the answer comes as soon as that " +
      "commits: 202 with the analysis in `status: \"queued\"` (several files: one analysis per accepted file and one " +
      "problem per refused file; 422 when none was accepted) and a `Location` header to poll. With `Prefer: wait=N` " +
      "(N at most 60) the answer waits up to N seconds: 201 with the completed analysis when it finished in time; " +
      "for one file that could not be decoded, that file's 4xx problem (with `analysisId`); else still 202. " +
      "`Idempotency-Key` makes a retry safe: the same key from the same API key answers with the first request's " +
      "analyses and never stores a second copy; the same key with other files is 422 (`idempotency_key_reused`). A full queue (QUEUE_MAX waiting) or an unavailable database answers " +
      "503 with Retry-After, before anything is stored. One image per SOP Instance UID, as STOW-RS: a DICOM file received before " +
      "(by any route, same SOP Instance UID and content) is answered with the analysis it became, never analysed twice (one file: 200); " +
      "other content under a SOP Instance UID already received is 409 (`duplicate_sop_instance`).",
    scopes: ["analyses:write"],
    multipartUpload: true,
    headerParams: {
      Prefer: { description: "`wait=N`: wait up to N seconds (at most 60) for the results (RFC 7240).", schema: { type: "string", examples: ["wait=30"] } },
      "Idempotency-Key": { description: "Names the request, so a retry returns the first request's analyses (1-200 printable ASCII characters).", schema: { type: "string", maxLength: 200 } },
    },
    success: {
      200: {
        description: "The one file is a DICOM instance received before (same SOP Instance UID, same content): its existing analysis; nothing new was stored.",
        schema: [Analysis],
        headers: { Location: "The existing analysis." },
      },
      201: { description: "Analysed (only with `Prefer: wait`, when every analysis completed in time).", schema: [Analysis, AnalysisBatch], headers: { Location: "The (first) analysis.", "Preference-Applied": "`wait=N` when the answer waited." } },
      202: {
        description: "Accepted and queued: poll `Location` until `status` is `completed` or `failed`, no sooner than `Retry-After`.",
        schema: [Analysis, AnalysisBatch],
        headers: {
          Location: "The (first) analysis.",
          "Preference-Applied": "`wait=N` when the answer waited.",
          "Retry-After": "Seconds until the (first) analysis is likely done, from its place in line and the queue's measured pace; asking sooner is answered 429.",
        },
      },
    },
    errors: [400, 409, 413, 415, 422, 503],
  },
  listAnalyses: {
    operationId: "listAnalyses",
    method: "get",
    path: "/api/v1/analyses",
    summary: "List analyses, newest first",
    description: "Cursor-paginated. Filters combine with AND.",
    scopes: ["analyses:read"],
    query: AnalysisListQuery,
    success: { 200: { description: "A page of analyses.", schema: AnalysisPage } },
    errors: [400],
  },
  getAnalysis: {
    operationId: "getAnalysis",
    method: "get",
    path: "/api/v1/analyses/{id}",
    summary: "One analysis: its status and, once completed, its findings, its study and the patient's earlier studies",
    description:
      "`status` is `queued` (with `queuePosition`), `processing`, `completed` (all 18 findings) or `failed` (with " +
      "`errorCode` and a plain `error`). An id that does not exist, or that the key's owner may not see, is a 404. " +
      "While `queued` or `processing` the answer carries `Retry-After` (seconds, from the place in line and the queue's " +
      "measured pace); asking again about the same analysis with the same key sooner is answered 429 (`poll_too_soon`) " +
      "with the time left. A `completed` or `failed` analysis carries an `ETag`; sent back as `If-None-Match`, an " +
      "unchanged answer is 304 without a body. With `Prefer: wait=N` (N at most 60) an unfinished analysis's answer " +
      "is held until it finishes or N seconds pass, then says what the analysis is (`Preference-Applied: wait=N`); " +
      "a poll that asks to wait at least as long as `Retry-After` said is never refused as too soon. A finished " +
      "analysis's polls are answered at once, whatever `Retry-After` said.",
    scopes: ["analyses:read"],
    pathParams: { id: "Analysis id (uuid)." },
    headerParams: {
      Prefer: { description: "`wait=N`: hold the answer up to N seconds (at most 60) until the analysis is `completed` or `failed` (RFC 7240).", schema: { type: "string", examples: ["wait=30"] } },
    },
    success: {
      200: {
        description: "The analysis.",
        schema: AnalysisDetail,
        headers: {
          "Retry-After": "While `queued` or `processing`: seconds until it is likely done.",
          ETag: "Once `completed` or `failed`: the answer's entity tag.",
          "Preference-Applied": "`wait=N` when the answer waited.",
        },
      },
      304: { description: "Unchanged since the `If-None-Match` entity tag (no body)." },
    },
    errors: [404],
  },
  getStudy: {
    operationId: "getStudy",
    method: "get",
    path: "/api/v1/studies/{id}",
    summary: "One study with its analyses and the patient's earlier studies",
    description:
      "A study groups the images of one visit by Study Instance UID. Only analyses the key's owner may see are listed; " +
      "a study with none of them (or that does not exist) is a 404.",
    scopes: ["analyses:read"],
    pathParams: { id: "Study id (uuid), e.g. `study.id` of an analysis." },
    success: { 200: { description: "The study.", schema: Study } },
    errors: [404],
  },
  listModels: {
    operationId: "listModels",
    method: "get",
    path: "/api/v1/models",
    summary: "The model that analyses uploads",
    description: "Name, version, labels and whether the weights are trained (`trained: false` is the demo model).",
    scopes: ["analyses:read"],
    success: { 200: { description: "Models.", schema: ModelList } },
    errors: [503],
  },
  getAnalysisAnatomy: {
    operationId: "getAnalysisAnatomy",
    method: "get",
    path: "/api/v1/analyses/{id}/anatomy",
    summary: "Anatomical outlines and the measured cardiothoracic ratio",
    description:
      "The anatomy model's output for a frontal film: 14 structures' outlines (polygons in film pixels), the " +
      "cardiothoracic ratio measured by software with its two lines on the film, the projection (an AP film carries " +
      "a note that the ratio is overestimated) and each positive finding's lung zone. The segmentation is its own job " +
      "after the findings: `status` is `queued` until it is done. `masks=packed` adds the masks as packed bits. " +
      "A model with `trained: false` is an untrained demo: its outlines mean nothing. Same visibility as the analysis (404).",
    scopes: ["analyses:read"],
    pathParams: { id: "Analysis id (uuid)." },
    query: AnatomyQuery,
    success: { 200: { description: "The anatomy.", schema: Anatomy } },
    errors: [400, 404],
  },
  getAnalysisFhir: {
    operationId: "getAnalysisFhir",
    method: "get",
    path: "/api/v1/analyses/{id}/fhir",
    summary: "The signed-off report as a FHIR R4 Bundle",
    description:
      "DiagnosticReport with one Observation per finding, for electronic health records. Only signed-off analyses " +
      "have a report: an analysis that is not signed off (or does not exist) is a 404. Also open to signed-in staff.",
    scopes: ["reports:read"],
    pathParams: { id: "Analysis id (uuid)." },
    success: { 200: { description: "The FHIR R4 Bundle.", schema: FhirBundle, contentType: "application/fhir+json" } },
    errors: [404],
  },
  getAnalysisDicomSr: {
    operationId: "getAnalysisDicomSr",
    method: "get",
    path: "/api/v1/analyses/{id}/dicom/sr",
    summary: "The result as a DICOM Structured Report",
    description:
      "A Comprehensive 3D SR (IHE AI Results, TID 1500) in the source's study: one measurement group per finding with " +
      "the calibrated score, the positive flag and the site threshold, the triage level, the model and its trained flag. " +
      "UNVERIFIED until a radiologist signs off; after that, the VERIFIED SR of the latest signed-off review (reviewer " +
      "and impression). Patient and study attributes are copied from the original file, so the key also needs " +
      "`identifiers:read` (it carries the patient's name and ID). Only analyses of DICOM files have DICOM results (409 otherwise).",
    scopes: ["analyses:read", "identifiers:read"],
    pathParams: { id: "Analysis id (uuid)." },
    success: { 200: { description: "The SR, DICOM Part 10.", binaryContent: ["application/dicom"] } },
    errors: [404, 409],
  },
  getAnalysisDicomSc: {
    operationId: "getAnalysisDicomSc",
    method: "get",
    path: "/api/v1/analyses/{id}/dicom/sc",
    summary: "Heatmaps as DICOM Secondary Captures",
    description:
      "One Secondary Capture per positive finding: the film with the finding's heatmap, a legend and, for the untrained " +
      "demo model, \"UNTRAINED MODEL — NOT FOR DIAGNOSIS\" burnt in. With `finding`, that finding's capture as " +
      "`application/dicom`; without, all of them as `multipart/related; type=\"application/dicom\"` (one part per " +
      "instance, as DICOMweb sends them). 404 when the analysis has no positive finding (or not the one named). Each " +
      "capture carries the original file's patient attributes (name, ID): the key also needs `identifiers:read`.",
    scopes: ["analyses:read", "identifiers:read"],
    pathParams: { id: "Analysis id (uuid)." },
    query: DicomScQuery,
    success: {
      200: { description: "The Secondary Capture(s), DICOM Part 10.", binaryContent: ["application/dicom", 'multipart/related; type="application/dicom"'] },
    },
    errors: [404, 409],
  },
} satisfies Record<string, V1Operation>;
