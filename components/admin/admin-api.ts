// What the admin routes hand out once: a one-time password or an invitation link. (Calls go through
// apiFetch in lib/api/browser-fetch.ts.)

export type Credential =
  | { method: "one_time_password"; password: string }
  | { method: "invitation"; token: string; expiresAt: string; url: string }
  | { method: "sso" };
