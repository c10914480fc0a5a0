import type { Role } from "@/lib/db/schema";

export const apiScopes = ["analyses:read", "analyses:write", "reports:read"] as const;
export type ApiScope = (typeof apiScopes)[number];

/** Who is asking: a signed-in person, or a machine holding an API key on behalf of its owner. */
export type Principal =
  | { kind: "user"; userId: string; email: string; name: string; role: Role; mustChangePassword?: boolean }
  | { kind: "apiKey"; keyId: string; userId: string; email: string; name: string; role: Role; scopes: ApiScope[] };

export function isStaff(p: Pick<Principal, "role"> | null | undefined): boolean {
  return p?.role === "admin" || p?.role === "radiologist";
}
