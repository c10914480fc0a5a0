// Staff e-mail addresses are for staff: a patient's page or PDF names the reviewer by name only.

/** The reviewer as a report names them: the account's name, else a role the reader understands. */
export function reviewerName(reviewer: { name: string; email: string }, audience: "staff" | "patient", patientFallback: string): string {
  const name = reviewer.name.trim();
  if (name) return name;
  return audience === "patient" ? patientFallback : reviewer.email;
}
