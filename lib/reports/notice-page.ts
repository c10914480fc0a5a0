import { patientStrings, type PatientStrings } from "./patient-strings";

// A self-contained HTML page for answers that are not a report (an expired link): no scripts, no links,
// no app styles, so it can be served with its true status code (410) straight from a route handler.
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function noticePage(title: string, body: string, strings: PatientStrings = patientStrings): string {
  return `<!doctype html>
<html lang="${strings.lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer">
<title>${escape(title)}</title>
<style>
body{margin:0;font:17px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1e293b;background:#f8fafc}
main{max-width:34rem;margin:12vh auto;padding:0 1.25rem}
h1{font-size:1.5rem;line-height:1.3;margin:0 0 .75rem}
p{margin:0 0 1rem}
</style></head>
<body><main><h1>${escape(title)}</h1><p>${escape(body)}</p></main></body></html>`;
}
