"use client";
// The data page's actions: the one submit cycle (useSubmit) plus what the action answered, and a refresh
// of the page's server data (the dry run, the holds) once it succeeded.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useSubmit } from "@/components/ui/use-submit";

export function useAdminAction<T>() {
  const router = useRouter();
  const { busy, error, run: submit } = useSubmit();
  const [result, setResult] = useState<T | null>(null);
  const run = (action: () => Promise<T>) =>
    submit(async () => {
      setResult(await action());
      router.refresh();
    });
  return { busy, error, result, run };
}
