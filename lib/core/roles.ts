// The roles, in one place for the database enum, route and page guards, the UI and the e2e specs.
// Staff (admins and radiologists) read, review and share analyses; patients see only the reports
// shared with them; admins also run the console. Pure data: client components import it too.

export const ROLES = ["admin", "radiologist", "patient"] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES = ["admin", "radiologist"] as const satisfies readonly Role[];
export const ADMIN_ROLES = ["admin"] as const satisfies readonly Role[];
export const PATIENT_ROLES = ["patient"] as const satisfies readonly Role[];

export const ROLE_LABELS: Record<Role, string> = { admin: "Admin", radiologist: "Radiologist", patient: "Patient" };

type HasRole = { role: Role } | null | undefined;

export function isStaff(p: HasRole): boolean {
  return p?.role === "admin" || p?.role === "radiologist";
}

export function isAdmin(p: HasRole): boolean {
  return p?.role === "admin";
}
