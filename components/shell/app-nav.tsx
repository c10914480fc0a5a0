"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { ADMIN_ROLES, PATIENT_ROLES, STAFF_ROLES, type Role } from "@/lib/core/roles";

const LINKS: { href: string; label: string; roles: readonly Role[]; testId: string }[] = [
  { href: "/", label: "Upload", roles: STAFF_ROLES, testId: "nav-upload" },
  { href: "/worklist", label: "Worklist", roles: STAFF_ROLES, testId: "nav-worklist" },
  { href: "/history", label: "History", roles: STAFF_ROLES, testId: "nav-history" },
  { href: "/stats", label: "Statistics", roles: STAFF_ROLES, testId: "nav-stats" },
  { href: "/validation", label: "Validation", roles: STAFF_ROLES, testId: "nav-validation" },
  { href: "/my-reports", label: "My reports", roles: PATIENT_ROLES, testId: "nav-my-reports" },
  { href: "/api-docs", label: "API", roles: STAFF_ROLES, testId: "nav-api-docs" },
  { href: "/admin", label: "Admin", roles: ADMIN_ROLES, testId: "nav-admin" },
];

export function AppNav({ role }: { role: Role }) {
  const pathname = usePathname();
  return (
    <nav className="flex min-w-0 items-center gap-1 overflow-x-auto text-sm" aria-label="Main">
      {LINKS.filter((l) => l.roles.includes(role)).map((l) => {
        const active = l.href === "/" ? pathname === "/" : pathname.startsWith(l.href);
        return (
          <Link
            key={l.href}
            href={l.href}
            data-testid={l.testId}
            aria-current={active ? "page" : undefined}
            className={`whitespace-nowrap rounded-md px-2.5 py-1.5 ${active ? "bg-zinc-800 text-white" : "text-zinc-400 hover:text-white"}`}
          >
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}
