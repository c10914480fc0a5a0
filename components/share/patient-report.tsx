import { byScore } from "@/lib/core/finding-score";
import { colorAt } from "@/lib/viewer/heatmap-math";
import { glossaryFor, patientStrings, type PatientStrings } from "@/lib/reports/patient-strings";
import type { ReportData } from "@/lib/reports/report-data";
import { reviewerName } from "@/lib/reports/reviewer-name";

// The plain-language report a patient reads, on a phone first. Order is deliberate: the untrained-model
// notice (if any), the radiologist's words, then the AI's scores, the image, the glossary and what the
// AI is. It renders no navigation and links only to this report's own image and PDF.

export interface ReportLinks {
  /** URL of the film, or null when no image is available. */
  image: string | null;
  heatmap: (position: number) => string;
  pdf: string;
}

interface Props {
  report: ReportData;
  links: ReportLinks;
  expiresAt?: Date | null;
  strings?: PatientStrings;
}

const fmtDay = (d: Date, lang: string) => new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(d);

function legendGradient(): string {
  const stops = Array.from({ length: 11 }, (_, i) => {
    const [r, g, b] = colorAt(i / 10);
    return `rgb(${r} ${g} ${b}) ${i * 10}%`;
  });
  return `linear-gradient(to right, ${stops.join(", ")})`;
}

export function PatientReport({ report, links, expiresAt, strings: s = patientStrings }: Props) {
  const { analysis, review } = report;
  // A finding the model did not assess has no score: it is neither likely nor unlikely.
  const scored = report.findings.flatMap((f) => (f.calibrated === null ? [] : [{ ...f, calibrated: f.calibrated }]));
  const notAssessed = report.findings.filter((f) => f.calibrated === null);
  const likely = scored.filter((f) => f.positive).sort(byScore);
  const unlikely = scored.filter((f) => !f.positive).sort(byScore);
  const hasHeatmaps = Boolean(links.image && report.cam && likely.length > 0);

  return (
    <main lang={s.lang} className="mx-auto w-full max-w-2xl px-4 py-6 text-[17px] leading-relaxed text-slate-800 sm:py-10">
      <header className="mb-6">
        <h1 className="text-2xl font-semibold leading-tight text-slate-900 sm:text-3xl">{s.pageTitle}</h1>
        <p className="mt-2 text-slate-600">{s.intro}</p>
      </header>

      {analysis.model.trained === false && (
        <div role="alert" data-testid="untrained-notice" className="mb-6 rounded-lg border-2 border-red-700 bg-red-50 p-4 text-red-900">
          <p className="font-semibold">{s.untrainedTitle}</p>
          <p className="mt-1">{s.untrainedBody}</p>
        </div>
      )}

      <section data-testid="radiologist-impression" aria-labelledby="impression-h" className="mb-8 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
        <h2 id="impression-h" className="text-xl font-semibold text-slate-900">
          {s.radiologistHeading}
        </h2>
        <p data-testid="overall-result" data-result={review.overallResult} className="mt-3 text-lg font-semibold text-slate-900">
          {s.overallResult[review.overallResult]}
        </p>
        <p className="mt-3 whitespace-pre-line text-lg text-slate-900">{review.impression.trim() || s.noImpression}</p>
        {review.addedFindings.length > 0 && (
          <p className="mt-3">
            {s.radiologistAdded} {review.addedFindings.map((f) => glossaryFor(f, s).plain).join(", ")}
          </p>
        )}
        <p className="mt-3 text-sm text-slate-600">
          {s.reviewedBy(reviewerName(review.reviewer, "patient", s.yourRadiologist), fmtDay(review.signedOffAt, s.lang))}
        </p>
        {review.amendmentReason && <p className="mt-1 text-sm text-slate-600">{s.amended(review.amendmentReason)}</p>}
      </section>

      <section data-testid="ai-findings" aria-labelledby="ai-h" className="mb-8">
        <h2 id="ai-h" className="text-xl font-semibold text-slate-900">
          {s.aiHeading}
        </h2>
        <p className="mt-2 text-slate-700">{s.aiIntro}</p>

        <h3 className="mt-5 font-semibold text-slate-900">{s.aiLikelyHeading}</h3>
        {likely.length === 0 ? (
          <p className="mt-2 text-slate-700">{s.aiLikelyNone}</p>
        ) : (
          <ul className="mt-2 space-y-3">
            {likely.map((f) => {
              const g = glossaryFor(f.label, s);
              const decision = review.decisions[f.label];
              return (
                <li key={f.label} data-testid="likely-finding" data-label={f.label} className="rounded-lg border border-amber-200 bg-amber-50 p-4">
                  <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                    <p className="font-semibold text-slate-900">
                      {g.plain} <span className="font-normal text-slate-600">({g.term})</span>
                    </p>
                    <p className="text-sm text-slate-700">
                      <span className="rounded bg-amber-200 px-1.5 py-0.5 font-medium text-amber-950">{s.likely}</span>{" "}
                      {s.score(f.calibrated.toFixed(2))}
                    </p>
                  </div>
                  {g.explanation && <p className="mt-1 text-slate-700">{g.explanation}</p>}
                  {decision && (
                    <p className="mt-1 font-medium text-slate-900">
                      {decision === "agree" ? s.radiologistAgreed : s.radiologistDisagreed}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        )}

        <details className="mt-4 rounded-lg border border-slate-200 bg-white p-4">
          <summary className="cursor-pointer font-semibold text-slate-900">
            {s.aiUnlikelyHeading} ({unlikely.length})
          </summary>
          <ul className="mt-2 divide-y divide-slate-100">
            {unlikely.map((f) => (
              <li key={f.label} className="flex flex-wrap justify-between gap-x-3 py-2">
                <span>
                  {glossaryFor(f.label, s).plain} <span className="text-slate-500">({glossaryFor(f.label, s).term})</span>
                  {review.decisions[f.label] === "disagree" && (
                    <span className="block text-sm font-medium text-slate-900">{s.radiologistDisagreedNegative}</span>
                  )}
                </span>
                <span className="text-sm text-slate-600">
                  {s.unlikely}, {s.score(f.calibrated.toFixed(2))}
                </span>
              </li>
            ))}
          </ul>
        </details>
        {notAssessed.length > 0 && (
          <p className="mt-3 text-sm text-slate-600" data-testid="not-assessed-findings">
            {s.notAssessedHeading}: {notAssessed.map((f) => glossaryFor(f.label, s).plain).join(", ")}.
          </p>
        )}

        <div className="mt-4 rounded-lg bg-slate-100 p-4 text-slate-700">
          <h3 className="font-semibold text-slate-900">{s.wordsHeading}</h3>
          <p className="mt-1">{s.likelyMeaning}</p>
          <p className="mt-1">{s.unlikelyMeaning}</p>
          <p className="mt-1">{s.scoreMeaning}</p>
        </div>
      </section>

      <section data-testid="report-images" aria-labelledby="image-h" className="mb-8">
        <h2 id="image-h" className="text-xl font-semibold text-slate-900">
          {s.imageHeading}
        </h2>
        {links.image ? (
          // eslint-disable-next-line @next/next/no-img-element -- a private, per-link image: no optimizer cache
          <img src={links.image} alt={s.imageAlt} className="mt-3 w-full rounded-lg bg-black" />
        ) : (
          <p className="mt-2 text-slate-700">{s.heatmapMissing}</p>
        )}
        {hasHeatmaps && (
          <>
            <h3 className="mt-6 font-semibold text-slate-900">{s.heatmapHeading}</h3>
            <p className="mt-1 text-slate-700">{s.heatmapIntro}</p>
            <div className="mt-2 max-w-xs" aria-hidden="true">
              <div className="h-2.5 rounded" style={{ background: legendGradient() }} />
              <div className="mt-1 flex justify-between text-sm text-slate-600">
                <span>{s.heatmapLegendLow}</span>
                <span>{s.heatmapLegendHigh}</span>
              </div>
            </div>
            {/* Two to a row even on a phone: eight heatmaps stay a short page, not a 5,000-pixel scroll. */}
            <div className="mt-4 grid grid-cols-2 gap-3 sm:gap-5">
              {likely.map((f) => {
                const g = glossaryFor(f.label, s);
                return (
                  <figure key={f.label} data-testid="heatmap" data-label={f.label}>
                    {/* eslint-disable-next-line @next/next/no-img-element -- see above */}
                    <img src={links.heatmap(f.position)} alt={s.heatmapAlt(g.plain)} loading="lazy" className="w-full rounded-lg bg-black" />
                    <figcaption className="mt-1 text-sm text-slate-700">
                      {g.plain} ({g.term})
                    </figcaption>
                  </figure>
                );
              })}
            </div>
          </>
        )}
      </section>

      <section aria-labelledby="glossary-h" className="mb-8">
        <details className="rounded-lg border border-slate-200 bg-white p-4">
          <summary id="glossary-h" className="cursor-pointer text-xl font-semibold text-slate-900">
            {s.glossaryHeading}
          </summary>
          <p className="mt-2 text-slate-700">{s.glossaryIntro}</p>
          <dl data-testid="glossary" className="mt-3 space-y-3">
            {report.findings.map((f) => {
              const g = glossaryFor(f.label, s);
              return (
                <div key={f.label}>
                  <dt className="font-semibold text-slate-900">
                    {g.plain} <span className="font-normal text-slate-600">({g.term})</span>
                  </dt>
                  <dd className="text-slate-700">{g.explanation}</dd>
                </div>
              );
            })}
          </dl>
        </details>
      </section>

      <section data-testid="about-ai" aria-labelledby="about-h" className="mb-8">
        <h2 id="about-h" className="text-xl font-semibold text-slate-900">
          {s.aboutHeading}
        </h2>
        <h3 className="mt-3 font-semibold text-slate-900">{s.aiIsHeading}</h3>
        <ul className="mt-1 list-disc space-y-1 pl-5 text-slate-700">
          {[...s.aiIs, analysis.model.trained === false ? s.aiLearnedUntrained : s.aiLearnedTrained].map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <h3 className="mt-3 font-semibold text-slate-900">{s.aiIsNotHeading}</h3>
        <ul className="mt-1 list-disc space-y-1 pl-5 text-slate-700">
          {s.aiIsNot.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <p className="mt-3 text-sm text-slate-600">
          {s.modelLine(analysis.model.name ?? "unknown", analysis.model.version ?? "", analysis.model.trained)}
        </p>
      </section>

      <footer className="border-t border-slate-200 pt-5">
        <a
          href={links.pdf}
          download
          data-testid="download-pdf"
          className="inline-block rounded-lg bg-slate-800 px-4 py-3 font-medium text-white hover:bg-slate-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-slate-500 focus-visible:ring-offset-2"
        >
          {s.downloadPdf}
        </a>
        <p className="mt-4 text-slate-700">{s.questions}</p>
        {expiresAt && <p className="mt-2 text-sm text-slate-500">{s.expiresOn(fmtDay(expiresAt, s.lang))}</p>}
      </footer>
    </main>
  );
}
