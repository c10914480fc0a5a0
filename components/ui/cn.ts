/** Joins class names, dropping falsy ones (no runtime dependency for something this small). */
export function cn(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(" ");
}
