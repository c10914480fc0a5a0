import { patientStrings as s } from "@/lib/reports/patient-strings";

export default function ShareNotFound() {
  return (
    <main lang={s.lang} className="mx-auto max-w-md px-4 py-16 text-[17px] leading-relaxed text-slate-800">
      <h1 className="text-2xl font-semibold text-slate-900">{s.notFoundTitle}</h1>
      <p className="mt-3">{s.notFoundBody}</p>
    </main>
  );
}
