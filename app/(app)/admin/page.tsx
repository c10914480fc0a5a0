import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/guards";
import { ADMIN_ROLES } from "@/lib/core/roles";

export default async function AdminIndex() {
  await requireUser(ADMIN_ROLES);
  redirect("/admin/users");
}
