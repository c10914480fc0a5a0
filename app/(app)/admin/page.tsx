import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/guards";

export default async function AdminIndex() {
  await requireUser(["admin"]);
  redirect("/admin/users");
}
