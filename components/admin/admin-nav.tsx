"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const tabs = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/api-keys", label: "API keys" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/triage", label: "Triage" },
  { href: "/admin/data", label: "Data" },
  { href: "/admin/system", label: "System" },
] as const;

export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav className="flex flex-wrap gap-1 rounded-md bg-zinc-900 p-1 ring-1 ring-zinc-800" aria-label="Administration">
      {tabs.map((t) => {
        const current = pathname === t.href || pathname.startsWith(`${t.href}/`);
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={current ? "page" : undefined}
            className={`rounded px-3 py-1 text-sm ${current ? "bg-zinc-700 text-white" : "text-zinc-400 hover:text-zinc-200"}`}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
