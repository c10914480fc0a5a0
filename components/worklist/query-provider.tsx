"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";

/** React Query for the live worklist only; server components read everything else directly. */
export function WorklistQueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 2_000, retry: 2 } } }));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
