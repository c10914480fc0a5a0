"use client";
// The radiologist's review of one analysis: agree or disagree per finding, add what the AI missed, write
// the impression, save a draft, sign off (which locks it), and amend with a reason afterwards.
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { useRovingFocus } from "@/components/ui/roving-focus";
import type { Measurement } from "@/lib/core/measurement-types";
import { describeMeasurement, type PixelSpacing } from "@/lib/studies/measurements";
import type { Decision, OwnDraft, ReviewVersionView } from "@/lib/reviews/input";
import { confirmedFindings, resultConflicts, type OverallResult } from "@/lib/core/overall-result";
import { AddedFindingsEditor } from "./added-findings-editor";
import { AgreeRemainingDialog } from "./agree-remaining-dialog";
import { FindingDecisionRow, type ReviewFinding } from "./finding-decision-row";
import { LocalTime } from "@/components/ui/local-time";
import { OverallResultField } from "./overall-result-field";
import { ReportDraft } from "./report-draft";
import { reviewApi, type ReviewResponse } from "./review-api";
import { useDraftAutosave, type DraftSaveState } from "./use-draft-autosave";
import { ReviewStatusChip } from "./review-status-chip";
import { VersionHistory } from "./version-history";
import { Alert } from "@/components/ui/alert";

interface Form {
  decisions: Record<string, Decision>;
  addedFindings: string[];
  impression: string;
  overallResult: OverallResult | null;
  reason: string;
}

const formFrom = (v: ReviewVersionView | undefined): Form => ({
  decisions: { ...(v?.decisions ?? {}) },
  addedFindings: [...(v?.addedFindings ?? [])],
  impression: v?.impression ?? "",
  // An amendment starts from the signed result; a new review starts with none chosen.
  overallResult: v?.overallResult ?? null,
  reason: "",
});

/** The reader's own draft as the form, over the review's version: what they typed last wins. */
const formFromDraft = (d: OwnDraft): Form => ({
  decisions: { ...d.content.decisions },
  addedFindings: [...d.content.addedFindings],
  impression: d.content.impression,
  overallResult: d.content.overallResult ?? null,
  reason: "",
});

type Mode = "edit" | "view" | "amend";

export function ReviewPanel({
  analysisId,
  findings,
  initial,
  draft = null,
  calledLabels,
  selectedFinding,
  onSelectFinding,
  canReview,
  measurements,
  onMeasurementsChange,
  onEditableChange,
  pixelSpacing,
}: {
  /** Drawn in the viewer; saved with this review. */
  measurements: Measurement[];
  onMeasurementsChange: (next: Measurement[]) => void;
  /** Told whether the review can be edited now (draft or amendment): the viewer offers its tools then. */
  onEditableChange: (editable: boolean) => void;
  pixelSpacing: PixelSpacing;
  analysisId: string;
  /** In display order (highest calibrated score first). */
  findings: ReviewFinding[];
  initial: ReviewResponse;
  /** The reader's own draft saved while typing, restored over the review's version (never another reader's). */
  draft?: OwnDraft | null;
  /** Labels at or above the site's triage thresholds. */
  calledLabels: string[];
  selectedFinding: string | null;
  onSelectFinding: (label: string) => void;
  canReview: boolean;
}) {
  const router = useRouter();
  const [server, setServer] = useState(initial);
  const current = server.versions[0];
  const locked = !!current?.signedOffAt;
  const [mode, setMode] = useState<Mode>(locked ? "view" : "edit");
  const [form, setForm] = useState<Form>(() => (draft && !locked ? formFromDraft(draft) : formFrom(current)));
  const [busy, setBusy] = useState<null | "draft" | "sign" | "amend">(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmSign, setConfirmSign] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [bulkAgree, setBulkAgree] = useState(false);

  // Typed work is kept: the reader's own draft is saved on the server as they type (an amendment is only
  // ever signed, so it is not saved by itself), and leaving with anything unsaved asks first.
  const [savedAt, setSavedAt] = useState<string | null>(draft && !locked ? draft.savedAt : null);
  // Lines drawn on the film are typed work too: changed while they differ from the last saved ones.
  const [savedMeasurements, setSavedMeasurements] = useState(measurements);
  const measurementsChanged = measurements !== savedMeasurements;
  const typed = useMemo(() => ({ form, measurements }), [form, measurements]);
  const typedRef = useRef(typed);
  useEffect(() => {
    typedRef.current = typed;
  });
  const draftState = useDraftAutosave({
    value: typed,
    changed: canReview && mode !== "view" && (dirty || measurementsChanged),
    autosave: mode === "edit",
    save: async (value) => {
      const { form: f, measurements: m } = value;
      const saved = await reviewApi.saveOwnDraft(analysisId, {
        decisions: f.decisions,
        addedFindings: f.addedFindings,
        impression: f.impression,
        measurements: m,
        overallResult: f.overallResult,
      });
      // Only while the form is still what was saved: typing meanwhile, or a sign-off, has the last word.
      if (typedRef.current !== value) return;
      setSavedAt(saved.savedAt);
      setDirty(false);
      setSavedMeasurements(m);
    },
  });
  // After sign-off, focus goes to the result (the signed-off notice), not to the page's top.
  const signedBanner = useRef<HTMLParagraphElement>(null);
  const focusResult = useRef(false);
  useEffect(() => {
    if (mode === "view" && focusResult.current) {
      focusResult.current = false;
      signedBanner.current?.focus();
    }
  }, [mode]);
  const findingList = useRef<HTMLUListElement>(null);
  const findingKeys = useRovingFocus(findingList, "grid");

  const readOnly = !canReview || mode === "view";
  useEffect(() => onEditableChange(!readOnly), [readOnly, onEditableChange]);
  const labels = useMemo(() => new Set(findings.map((f) => f.label)), [findings]);
  const negativeLabels = findings.filter((f) => !f.positive).map((f) => f.label);
  const undecided = findings.filter((f) => !form.decisions[f.label]);
  const disagreements = findings.filter((f) => form.decisions[f.label] === "disagree").length;
  const confirmed = confirmedFindings(form, findings).map((l) => l.replaceAll("_", " "));
  const conflicts = resultConflicts(form.overallResult, confirmed);

  const update = (fn: (f: Form) => Form) => {
    setForm((f) => fn(f));
    setDirty(true);
    setError(null);
    setConfirmSign(false);
  };
  const decide = (label: string, d: Decision) =>
    update((f) => ({
      ...f,
      decisions: { ...f.decisions, [label]: d },
      // Agreeing that a negative finding is absent takes it off the missed list.
      addedFindings: d === "agree" ? f.addedFindings.filter((a) => a !== label) : f.addedFindings,
    }));
  const addFinding = (finding: string) => {
    const norm = (x: string) => x.toLowerCase().replace(/[\s_]+/g, " ").trim();
    const known = findings.find((x) => norm(x.label) === norm(finding));
    if (known?.positive) {
      setError(`The AI already calls ${known.label.replaceAll("_", " ")}: agree with it instead.`);
      return;
    }
    const name = known?.label ?? finding;
    update((f) =>
      f.addedFindings.includes(name)
        ? f
        : {
            ...f,
            addedFindings: [...f.addedFindings, name],
            // Adding an AI-negative label is disagreeing with that negative call.
            decisions: known ? { ...f.decisions, [known.label]: "disagree" } : f.decisions,
          },
    );
  };
  const removeFinding = (finding: string) =>
    update((f) => {
      const decisions = { ...f.decisions };
      if (labels.has(finding)) delete decisions[finding];
      return { ...f, addedFindings: f.addedFindings.filter((a) => a !== finding), decisions };
    });
  const agreeRemaining = () =>
    update((f) => ({ ...f, decisions: { ...Object.fromEntries(undecided.map((u) => [u.label, "agree" as const])), ...f.decisions } }));

  const run = async (kind: "draft" | "sign" | "amend") => {
    setBusy(kind);
    setError(null);
    try {
      const input = {
        decisions: form.decisions,
        addedFindings: form.addedFindings,
        impression: form.impression,
        measurements,
        overallResult: form.overallResult,
      };
      const next =
        kind === "draft"
          ? await reviewApi.saveDraft(analysisId, input)
          : kind === "sign"
            ? await reviewApi.signOff(analysisId, input)
            : await reviewApi.amend(analysisId, { ...input, reason: form.reason, baseVersion: current!.version });
      setServer(next);
      focusResult.current = kind !== "draft";
      setForm(formFrom(next.versions[0]));
      const savedLines = next.versions[0]?.measurements ?? [];
      onMeasurementsChange(savedLines);
      setSavedMeasurements(savedLines);
      // The server dropped the reader's own draft: it is the review's version now, or signed.
      setSavedAt(null);
      setDirty(false);
      setConfirmSign(false);
      setMode(next.versions[0]?.signedOffAt ? "view" : "edit");
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const startAmend = () => {
    setForm(formFrom(current));
    setSavedMeasurements(measurements);
    setMode("amend");
    setDirty(false);
    setError(null);
  };
  const cancelAmend = () => {
    setForm(formFrom(current));
    const signedLines = current?.measurements ?? [];
    onMeasurementsChange(signedLines);
    setSavedMeasurements(signedLines);
    setMode("view");
    setError(null);
  };

  return (
    <section className="flex min-h-0 flex-col gap-3 text-zinc-200" aria-label="Review" data-testid="review-panel" data-mode={mode}>
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-sm font-semibold text-white">Radiologist review</h2>
        <ReviewStatusChip status={server.status} />
      </header>
      {locked && mode === "view" && current && (
        <p ref={signedBanner} tabIndex={-1} className="rounded border border-emerald-700/50 bg-emerald-950/40 px-2.5 py-2 text-xs text-emerald-200 focus:outline-2 focus:outline-sky-400" data-testid="signed-off-banner">
          {current.amendmentReason ? "Amended and signed" : "Signed off"} by <strong>{current.reviewer.name || current.reviewer.email}</strong> ·{" "}
          <LocalTime iso={current.signedOffAt!} /> · v{current.version}. Locked: changes need an amendment.
        </p>
      )}
      {mode === "amend" && (
        <p className="rounded border border-amber-600/50 bg-amber-950/40 px-2.5 py-2 text-xs text-amber-200">
          Amending v{current?.version}. The signed version is kept; your amendment becomes v{(current?.version ?? 0) + 1}.
        </p>
      )}

      <div>
        <div className="mb-1 flex items-center justify-between gap-2 text-[11px] text-zinc-400">
          <span>
            {findings.length - undecided.length}/{findings.length} decided · <span className={disagreements ? "text-rose-300" : ""}>{disagreements} disagreement{disagreements === 1 ? "" : "s"}</span>
          </span>
          {!readOnly && undecided.length > 0 && (
            <button type="button" onClick={() => setBulkAgree(true)} data-testid="agree-remaining" className="rounded px-1.5 py-0.5 text-sky-300 ring-1 ring-sky-700 hover:bg-sky-700/10">
              Agree with remaining {undecided.length}
            </button>
          )}
        </div>
        {bulkAgree && (
          <AgreeRemainingDialog
            positives={undecided.filter((f) => f.positive).map((f) => f.label)}
            negatives={undecided.filter((f) => !f.positive).length}
            onConfirm={agreeRemaining}
            onClose={() => setBulkAgree(false)}
          />
        )}
        <ul
          ref={findingList}
          onKeyDown={findingKeys.onKeyDown}
          onFocus={findingKeys.onFocus}
          aria-label="Findings (arrow keys move between them)"
          className="space-y-0.5"
          data-testid="review-findings"
        >
          {findings.map((f) => (
            <FindingDecisionRow
              key={f.label}
              finding={f}
              decision={form.decisions[f.label]}
              readOnly={readOnly}
              selected={selectedFinding === f.label}
              calledByTriage={calledLabels.includes(f.label)}
              onDecide={(d) => decide(f.label, d)}
              onSelect={() => onSelectFinding(f.label)}
            />
          ))}
        </ul>
      </div>

      <div>
        <h3 className="mb-1 text-xs font-semibold uppercase tracking-wider text-zinc-400">Missed findings</h3>
        <AddedFindingsEditor added={form.addedFindings} negativeLabels={negativeLabels} readOnly={readOnly} onAdd={addFinding} onRemove={removeFinding} />
      </div>

      <div>
        <h3 className="mb-1 text-xs font-semibold uppercase tracking-wider text-zinc-400">Measurements</h3>
        {measurements.length === 0 ? (
          <p className="text-[11px] text-zinc-400">{readOnly ? "None." : "None yet: M measures a distance, T a cardiothoracic ratio."}</p>
        ) : (
          <ul className="space-y-0.5 text-xs" data-testid="measurements">
            {measurements.map((m, i) => (
              <li key={i} className="flex items-center justify-between gap-2" data-testid="measurement-row" data-kind={m.kind}>
                <span>{describeMeasurement(m, pixelSpacing)}</span>
                {!readOnly && (
                  <button type="button" className="text-[11px] text-zinc-400 hover:text-rose-300" onClick={() => onMeasurementsChange(measurements.filter((_, j) => j !== i))}>
                    Remove
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {!pixelSpacing && measurements.length > 0 && <p className="mt-0.5 text-[10px] text-amber-300">The file gives no pixel spacing: lengths are in pixels, uncalibrated.</p>}
      </div>

      <label className="block">
        <span className="mb-1 block text-xs font-semibold uppercase tracking-wider text-zinc-400">Impression</span>
        <textarea
          value={form.impression}
          readOnly={readOnly}
          onChange={(e) => update((f) => ({ ...f, impression: e.target.value }))}
          rows={4}
          maxLength={5000}
          data-testid="impression"
          placeholder={readOnly ? "" : "Free-text impression"}
          className="w-full resize-y rounded border border-zinc-700 bg-zinc-900 px-2 py-1.5 text-sm text-zinc-100 placeholder:text-zinc-500 read-only:border-zinc-800 read-only:bg-zinc-900/40"
        />
      </label>

      <OverallResultField
        value={form.overallResult}
        confirmed={confirmed}
        readOnly={readOnly}
        onChange={(overallResult) => update((f) => ({ ...f, overallResult }))}
      />

      {mode === "amend" && (
        <label className="block">
          <span className="mb-1 block text-xs font-semibold uppercase tracking-wider text-amber-300">Reason for amendment (required)</span>
          <input
            value={form.reason}
            onChange={(e) => update((f) => ({ ...f, reason: e.target.value }))}
            maxLength={1000}
            data-testid="amend-reason"
            className="h-8 w-full rounded border border-amber-700/60 bg-zinc-900 px-2 text-sm text-zinc-100"
          />
        </label>
      )}

      {error && (
        <Alert tone="danger" testId="review-error" className="text-xs">
          {error}
        </Alert>
      )}

      {canReview && (
        <div className="flex flex-wrap items-center gap-2">
          {mode === "edit" && (
            <>
              <button type="button" disabled={!!busy} onClick={() => run("draft")} data-testid="save-draft" className="h-8 rounded px-3 text-xs font-medium text-zinc-100 ring-1 ring-zinc-600 hover:bg-white/10 disabled:opacity-50">
                {busy === "draft" ? "Saving…" : "Save draft"}
              </button>
              {confirmSign ? (
                <button type="button" disabled={!!busy} onClick={() => run("sign")} data-testid="confirm-sign-off" className="h-8 rounded bg-emerald-600 px-3 text-xs font-semibold text-white hover:bg-emerald-700 disabled:opacity-50">
                  {busy === "sign" ? "Signing…" : "Confirm sign-off (locks the review)"}
                </button>
              ) : (
                <button
                  type="button"
                  disabled={!!busy}
                  onClick={() => {
                    const blocker = signOffBlocker(undecided.length, form.overallResult, conflicts);
                    if (blocker) setError(blocker);
                    else setConfirmSign(true);
                  }}
                  data-testid="sign-off"
                  className="h-8 rounded bg-emerald-700 px-3 text-xs font-semibold text-white hover:bg-emerald-600 disabled:opacity-50"
                >
                  Sign off
                </button>
              )}
              <DraftStatus state={draftState} unsaved={dirty || measurementsChanged} savedAt={savedAt} />
            </>
          )}
          {mode === "view" && (
            <button type="button" onClick={startAmend} data-testid="amend" className="h-8 rounded px-3 text-xs font-medium text-amber-200 ring-1 ring-amber-700 hover:bg-amber-500/10">
              Amend…
            </button>
          )}
          {mode === "amend" && (
            <>
              <button
                type="button"
                disabled={!!busy || form.reason.trim().length < 3}
                onClick={() => {
                  const blocker = signOffBlocker(undecided.length, form.overallResult, conflicts);
                  if (blocker) setError(blocker);
                  else void run("amend");
                }} data-testid="submit-amendment" className="h-8 rounded bg-amber-700 px-3 text-xs font-semibold text-white hover:bg-amber-600 disabled:opacity-50">
                {busy === "amend" ? "Signing…" : "Sign amendment"}
              </button>
              <button type="button" onClick={cancelAmend} className="h-8 rounded px-3 text-xs text-zinc-300 hover:bg-white/10">
                Cancel
              </button>
            </>
          )}
        </div>
      )}

      {server.report && mode !== "amend" && <ReportDraft text={server.report} />}
      {server.versions.length > 0 && (
        <div>
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wider text-zinc-400">History</h3>
          <VersionHistory versions={server.versions} />
        </div>
      )}
    </section>
  );
}

/** Said politely to a screen reader: whether what was typed is on the server, and since when. */
function DraftStatus({ state, unsaved, savedAt }: { state: DraftSaveState; unsaved: boolean; savedAt: string | null }) {
  const text =
    state === "saving"
      ? "Saving draft…"
      : state === "failed"
        ? "Draft not saved: check the connection"
        : unsaved
          ? "Unsaved changes"
          : savedAt
            ? `Draft saved ${new Date(savedAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`
            : "";
  return (
    <span className="text-[11px] text-zinc-300" data-testid="draft-status" role="status" aria-live="polite" suppressHydrationWarning>
      {text}
    </span>
  );
}

/** Why the review cannot be signed yet, or null: the server checks the same, this says it sooner. */
function signOffBlocker(undecided: number, result: OverallResult | null, conflicts: string[]): string | null {
  if (undecided) return `Decide on every finding first: ${undecided} undecided.`;
  if (!result) return "Record the overall result (normal or abnormal) first.";
  if (conflicts.length) return `The overall result cannot be normal: the review confirms ${conflicts.join(", ")}.`;
  return null;
}
