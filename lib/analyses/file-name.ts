// File names as people see and type them. Control characters and the invisible ones that reorder text go
// (U+202E shows "gpj.exe" as "exe.jpg"); so do leading and trailing spaces, which no one can see or type
// back when labelling a validation set. Pure: uploads store names this way, and the labels file and the
// set's matching read names this way, so a name is matched as it was stored.

const UNSAFE_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** The last path segment of `name`, cleaned and at most 200 characters; "" when nothing is left. */
export function plainFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  return base.replace(UNSAFE_IN_NAMES, "").trim().slice(0, 200).trim();
}

/** The name an upload is stored under. */
export function cleanFileName(name: string): string {
  return plainFileName(name) || "upload";
}
